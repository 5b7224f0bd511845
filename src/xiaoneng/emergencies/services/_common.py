"""Steps the incident services share: the present, row locks, timeline events, deadlines."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
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


def _new_alert(
    *, step: Any, index: int, round: int, at: datetime, reply_code: str, **target: Any
) -> Alert:
    """An alert to one step of a chain (unsaved): ``target`` names the incident and its line,
    or the case and its stage; the acknowledgement is due, and checked, after the set minutes."""
    return Alert(
        recipient=step.staff,
        capacity=step.capacity,
        step=index,
        round=round,
        sent_at=at,
        ack_due_at=at + _ack_minutes(),
        next_check_at=at + _ack_minutes(),
        reply_code=reply_code,
        **target,
    )


def _reply_codes(recipient_ids: Sequence[int], at: datetime) -> list[str]:
    """A reply code for each recipient in turn (one query for all): four digits the recipient
    may text back to acknowledge, not in use among their alerts of the reply window nor given
    to them earlier in the list (so a reply names one alert)."""
    if not recipient_ids:
        return []
    window = at - timedelta(hours=settings.XIAONENG_EMERGENCY_REPLY_CODE_HOURS)
    taken: dict[int, set[str]] = {recipient: set() for recipient in recipient_ids}
    rows = (
        Alert.objects.filter(recipient_id__in=list(taken), sent_at__gte=window)
        .values_list("recipient_id", "reply_code")
        .distinct()
    )
    for recipient, code in rows:
        taken[recipient].add(code)
    codes = []
    for recipient in recipient_ids:
        code = _free_code(taken[recipient])
        taken[recipient].add(code)
        codes.append(code)
    return codes


def _free_code(taken: set[str]) -> str:
    for _attempt in range(50):
        code = f"{secrets.randbelow(9000) + 1000}"
        if code not in taken:
            return code
    return f"{secrets.randbelow(900000) + 100000}"


def _reply_code(recipient_id: int, at: datetime) -> str:
    """``_reply_codes`` for one recipient."""
    return _reply_codes([recipient_id], at)[0]
