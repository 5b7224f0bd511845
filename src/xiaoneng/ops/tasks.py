"""Celery tasks. They take names or ids, are idempotent, acknowledge late and retry with backoff.

Nothing that must not be lost lives only in a message: notifications are outbox rows and
deadlines are clocks, so a lost or duplicated task is harmless — the next beat tick (or the
second copy) finds the same due rows, locked with ``SKIP LOCKED``, and does each thing once.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction

from xiaoneng.ops.celery_app import app, broker_configured  # noqa: F401  (binds the tasks)

log = logging.getLogger("xiaoneng.ops")

_RETRY = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="xiaoneng.ops.relay_outbox", **_RETRY)
def relay_outbox(self: Any, limit: int = 200) -> str:
    """Deliver the due outbox rows (the relay claims them with SKIP LOCKED: never twice)."""
    from xiaoneng.ops.jobs import job_run

    return job_run(name="notify.relay") if _has_job("notify.relay") else _relay(limit)


def _relay(limit: int) -> str:
    # Imported when run: Celery imports this module before Django's apps are ready.
    from xiaoneng.notify.relay import outbox_relay

    return str(outbox_relay(limit=limit))


@shared_task(name="xiaoneng.ops.sweep", **_RETRY)
def sweep(self: Any) -> str:
    """The case deadline sweep; its run time is recorded for readiness."""
    from xiaoneng.ops.jobs import job_run

    return job_run(name="cases.sweep")


@shared_task(name="xiaoneng.ops.run_periodic_job", **_RETRY)
def run_periodic_job(self: Any, name: str) -> str:
    """Run a job registered with ``xiaoneng.periodic.register`` by its name."""
    from xiaoneng.ops.jobs import UnknownJob, job_run

    try:
        return job_run(name=name)
    except UnknownJob:
        log.error("periodic job %s is not registered; ignoring the task", name)
        return "unknown"


def _has_job(name: str) -> bool:
    from xiaoneng.ops.jobs import job_names

    return name in job_names()


def send_task_safely(task: Any, *args: Any, **kwargs: Any) -> bool:
    """Queue a task now; a broker outage is logged, never raised (the table still has the work)."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=True)
    except Exception as exc:  # kombu raises several types for an unreachable broker
        log.warning("could not queue %s (%s); the next beat tick will do it", task.name, exc)
        return False
    return True


def queue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` once the current transaction commits (at once outside a transaction).

    Embedded mode (no broker): nothing is queued, the in-process periodic thread does the work.
    """
    if not broker_configured():
        return
    transaction.on_commit(lambda: send_task_safely(task, *args, **kwargs), robust=True)
