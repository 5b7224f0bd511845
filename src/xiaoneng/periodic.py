"""The registry of periodic jobs (sweeps and relays).

Apps register their jobs in ``AppConfig.ready``; ``xiaoneng.ops.jobs`` runs them, in-process
every minute in the embedded server and from Celery beat in production, so a job must be safe
to run on several processes at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[], object]


_jobs: dict[str, PeriodicJob] = {}


def register(name: str, run: Callable[[], object]) -> None:
    _jobs[name] = PeriodicJob(name=name, run=run)


def registered_jobs() -> list[PeriodicJob]:
    return list(_jobs.values())
