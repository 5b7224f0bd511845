"""Periodic jobs (sweeps and relays) that the embedded server runs in-process every minute.

Apps register their jobs in ``AppConfig.ready``; production runs the same callables from
Celery beat, so a job must be safe to run on several processes at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections

log = logging.getLogger("xiaoneng.periodic")


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], object]


_jobs: dict[str, PeriodicJob] = {}


def register(name: str, run: Callable[[], object]) -> None:
    _jobs[name] = PeriodicJob(name=name, run=run)


def registered_jobs() -> list[PeriodicJob]:
    return list(_jobs.values())


def run_all() -> dict[str, str]:
    """Run every job once; one failing job never stops the others."""
    results: dict[str, str] = {}
    for job in registered_jobs():
        close_old_connections()
        try:
            outcome = job.run()
            results[job.name] = "ok" if outcome is None else str(outcome)
        except Exception:
            log.exception("periodic job %s failed", job.name)
            results[job.name] = "failed"
        finally:
            close_old_connections()
    return results


def start_in_background(interval_seconds: int) -> threading.Event:
    """Start a daemon thread running every job each interval; set the returned event to stop."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval_seconds):
            run_all()

    threading.Thread(target=loop, name="xiaoneng-periodic", daemon=True).start()
    return stop
