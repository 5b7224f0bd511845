"""Steps the incident services share: the present, row locks, timeline events, deadlines."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from xiaoneng.emergencies.models import (
    Alert,
    Incident,
    ReportDeadline,
    TimelineEvent,
)


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().select_related("unit").get(pk=incident.pk)


def _locked_with_incident(alert: Alert) -> tuple[Incident, Alert | None]:
    """The alert's incident, then the alert, locked in that order: every service locks the
    incident first, so two of them never wait for each other's rows."""
    incident_id = Alert.objects.filter(pk=alert.pk).values_list("incident_id", flat=True).first()
    if incident_id is None:
        return Incident(), None
    incident = _locked(Incident(pk=incident_id))
    locked = Alert.objects.select_for_update().select_related("recipient").get(pk=alert.pk)
    return incident, locked


def _event(
    incident: Incident,
    *,
    kind: str,
    at: datetime,
    actor: Any = None,
    text: str = "",
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        incident=incident, kind=kind, at=at, actor=actor, text=text[:300], data=data or {}
    )


def _ack_minutes() -> timedelta:
    return timedelta(minutes=settings.XIAONENG_EMERGENCY_ACK_MINUTES)


def _deadline(
    incident: Incident, *, kind: str, sequence: int, start: datetime, period: timedelta
) -> ReportDeadline:
    """A report's clock in calendar hours; the pre-warning at three quarters of the period."""
    due = start + period
    warn = due - period / 4
    return ReportDeadline.objects.create(
        incident=incident,
        kind=kind,
        sequence=sequence,
        started_at=start,
        warn_at=warn,
        due_at=due,
        next_check_at=warn,
    )


def _reply_code(recipient_id: int, at: datetime) -> str:
    """Four digits the recipient may text back to acknowledge, not in use among their alerts
    of the reply window (so a reply names one alert)."""
    window = at - timedelta(hours=settings.XIAONENG_EMERGENCY_REPLY_CODE_HOURS)
    taken = set(
        Alert.objects.filter(recipient_id=recipient_id, sent_at__gte=window).values_list(
            "reply_code", flat=True
        )
    )
    for _attempt in range(50):
        code = f"{secrets.randbelow(9000) + 1000}"
        if code not in taken:
            return code
    return f"{secrets.randbelow(900000) + 100000}"
