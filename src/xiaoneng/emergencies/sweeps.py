"""The emergencies sweep, run every minute with the other periodic jobs: report deadlines
reaching their pre-warning or their due moment, and alerts not acknowledged in time.

It reads only rows whose ``next_check_at`` has come (an index range) and locks them with
``skip_locked``, so several sweepers share the work (an incident locked by a sweeper or a
service is left for the next run); each effect happens once (the signal is set only once, a
violation once per deadline, an alert passed on only while pending)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from xiaoneng.emergencies.models import Alert, Incident, OutboundReport, ReportDeadline
from xiaoneng.emergencies.services import alert_escalate, deadline_prewarn, deadline_red
from xiaoneng.emergencies.services.case_alerts import case_alert_escalate
from xiaoneng.emergencies.services.outbound import outbound_check


@dataclass
class EmergenciesSweepResult:
    raised: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{name}={count}" for name, count in sorted(self.raised.items())]
        return " ".join(parts) or "nothing"


def emergencies_sweep(*, now: datetime | None = None) -> EmergenciesSweepResult:
    """Check every deadline and alert whose time has come. Each in its own transaction that
    locks the incident first and then the row (the order every service keeps), and checks the
    row again under the lock, so a report or a click at the same moment wins cleanly."""
    now = now or timezone.now()
    result = EmergenciesSweepResult()
    deadlines = list(
        ReportDeadline.objects.filter(next_check_at__lte=now, state=ReportDeadline.State.OPEN)
        .order_by("next_check_at", "id")
        .values_list("pk", "incident_id")
    )
    for pk, incident_id in deadlines:
        with transaction.atomic():
            deadline = _lock_due(ReportDeadline, pk=pk, incident_id=incident_id, now=now)
            if deadline is not None:
                _check_deadline(deadline, now=now, result=result)
    _sweep_outbound(now=now, result=result)
    alert_ids = list(
        Alert.objects.filter(next_check_at__lte=now, state=Alert.State.PENDING)
        .order_by("next_check_at", "id")
        .values_list("pk", "case_id")
    )
    for pk, case_id in alert_ids:
        # An urgent public request's alert, or an incident's.
        escalate = alert_escalate if case_id is None else case_alert_escalate
        if escalate(alert=Alert(pk=pk), at=now) is not None:
            result.raised["escalated"] += 1
    return result


def _sweep_outbound(*, now: datetime, result: EmergenciesSweepResult) -> None:
    """The outbound reports' clocks, the same way as the report deadlines'."""
    rows = list(
        OutboundReport.objects.filter(next_check_at__lte=now, state=OutboundReport.State.OPEN)
        .order_by("next_check_at", "id")
        .values_list("pk", "incident_id")
    )
    for pk, incident_id in rows:
        with transaction.atomic():
            row = _lock_due(OutboundReport, pk=pk, incident_id=incident_id, now=now)
            done = outbound_check(row=row, now=now) if row is not None else None
            if done:
                result.raised[done] += 1


def _lock_due(
    model: type[ReportDeadline] | type[OutboundReport], *, pk: int, incident_id: int, now: datetime
) -> Any:
    """The incident, then the clock row, locked in that order (the order every service keeps),
    the row checked again under the lock; None when another sweeper holds either or the row
    is no longer due."""
    incident = (
        Incident.objects.select_for_update(skip_locked=True)
        .select_related("unit")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        return None
    row = (
        model.objects.select_for_update(skip_locked=True)
        .filter(pk=pk, next_check_at__lte=now, state=model.State.OPEN)
        .first()
    )
    if row is not None:
        row.incident = incident
    return row


def _check_deadline(
    deadline: ReportDeadline, *, now: datetime, result: EmergenciesSweepResult
) -> None:
    if deadline.incident.state == Incident.State.CLOSED:
        deadline.next_check_at = None
    elif now >= deadline.due_at:
        deadline_red(deadline=deadline, at=now)
        result.raised["red"] += 1
        deadline.next_check_at = None
    else:
        if deadline.signal == ReportDeadline.Signal.NONE:
            deadline_prewarn(deadline=deadline, at=now)
            result.raised["prewarning"] += 1
        deadline.next_check_at = deadline.due_at
    deadline.save(update_fields=["next_check_at"])
