"""Running the registered periodic jobs and recording when each last ran.

Both running modes come through here: the in-process thread of the embedded server and the
Celery tasks queued by beat. The record is written after the job in its own short statement,
so a job that is slow or fails never holds a lock on the record.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from django.db.models import F
from django.utils import timezone

from xiaoneng import periodic
from xiaoneng.ops.models import JobRun

log = logging.getLogger("xiaoneng.ops")

_OUTCOME_MAX = JobRun._meta.get_field("last_outcome").max_length


class UnknownJob(LookupError):
    pass


def job_names() -> list[str]:
    return [job.name for job in periodic.registered_jobs()]


def _record(name: str, *, started_at, ok: bool, outcome: str) -> None:
    values = {
        "last_started_at": started_at,
        "last_finished_at": timezone.now(),
        "last_outcome": outcome[:_OUTCOME_MAX],
        "last_ok": ok,
    }
    updated = JobRun.objects.filter(name=name).update(runs=F("runs") + 1, **values)
    if not updated:
        JobRun.objects.update_or_create(name=name, defaults={**values, "runs": 1})


def job_run(*, name: str) -> str:
    """Run one registered job now, record the run, and return its outcome (exceptions re-raised)."""
    jobs = {job.name: job for job in periodic.registered_jobs()}
    if name not in jobs:
        raise UnknownJob(name)
    started_at = timezone.now()
    try:
        result = jobs[name].run()
    except Exception as exc:
        _record(name, started_at=started_at, ok=False, outcome=type(exc).__name__)
        raise
    outcome = "ok" if result is None else str(result)
    _record(name, started_at=started_at, ok=True, outcome=outcome)
    return outcome


def jobs_run_all() -> dict[str, str]:
    """Run every job once; one failing job never stops the others."""
    results: dict[str, str] = {}
    for name in job_names():
        _refresh_connection()
        try:
            results[name] = job_run(name=name)
        except Exception:
            log.exception("periodic job %s failed", name)
            results[name] = "failed"
        finally:
            _refresh_connection()
    return results


def _refresh_connection() -> None:
    # Drop a broken or expired connection between jobs (never inside a caller's transaction).
    if not connection.in_atomic_block:
        close_old_connections()


def start_in_background(interval_seconds: int) -> threading.Event:
    """The embedded mode's thread: every job each interval; set the returned event to stop."""
    stop = threading.Event()

    def loop() -> None:
        # A first round soon after start, so readiness does not wait a whole interval.
        wait = min(2, interval_seconds)
        while not stop.wait(wait):
            jobs_run_all()
            wait = interval_seconds

    threading.Thread(target=loop, name="xiaoneng-periodic", daemon=True).start()
    return stop
