"""Readiness checks: each returns a small dict with ``ok`` and numbers, never a secret."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from xiaoneng.ops.celery_app import broker_configured

SWEEP_JOB = "cases.sweep"


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def check_broker() -> dict[str, Any]:
    if not broker_configured():
        return {"ok": True, "configured": False}
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    try:
        with Connection(url, connect_timeout=2) as conn:  # type: ignore[no-untyped-call]
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return {"ok": False, "configured": True, "error": type(exc).__name__}
    return {"ok": True, "configured": True, "transport": url.split(":", 1)[0]}


def check_sweeper(*, now: datetime | None = None) -> dict[str, Any]:
    from xiaoneng.ops.models import JobRun

    now = now or timezone.now()
    limit = settings.XIAONENG_READY_SWEEP_MAX_AGE
    try:
        run = JobRun.objects.filter(name=SWEEP_JOB).first()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    if run is None or run.last_finished_at is None:
        return {"ok": False, "last_run": None, "max_age_seconds": limit}
    age = (now - run.last_finished_at).total_seconds()
    return {
        "ok": age <= limit and run.last_ok,
        "last_run": run.last_finished_at.isoformat(timespec="seconds"),
        "age_seconds": int(age),
        "last_ok": run.last_ok,
        "max_age_seconds": limit,
    }


def check_outbox(*, now: datetime | None = None) -> dict[str, Any]:
    # Imported when run, like JobRun above: each readiness check loads only the models it reads.
    from xiaoneng.notify.models import Notification

    now = now or timezone.now()
    limit = settings.XIAONENG_READY_OUTBOX_MAX_AGE
    try:
        oldest = (
            Notification.objects.filter(
                status=Notification.Status.PENDING, next_attempt_at__lte=now
            )
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)
            .first()
        )
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    if oldest is None:
        return {"ok": True, "oldest_due_age_seconds": 0, "max_age_seconds": limit}
    age = (now - oldest).total_seconds()
    return {
        "ok": age <= limit,
        "oldest_due_age_seconds": int(age),
        "max_age_seconds": limit,
    }


def readiness(*, now: datetime | None = None) -> dict[str, Any]:
    database = check_database()
    checks = {"database": database, "broker": check_broker()}
    if database["ok"]:
        checks["sweeper"] = check_sweeper(now=now)
        checks["outbox"] = check_outbox(now=now)
    else:
        checks["sweeper"] = {"ok": False, "error": "database unavailable"}
        checks["outbox"] = {"ok": False, "error": "database unavailable"}
    return {"ok": all(check["ok"] for check in checks.values()), "checks": checks}
