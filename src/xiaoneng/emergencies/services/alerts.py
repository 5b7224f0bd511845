"""Alerts to the chain, their acknowledgement and their escalation until someone knows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.emergencies.models import (
    Alert,
    Incident,
    TimelineEvent,
)
from xiaoneng.emergencies.selectors import (
    Step,
    bureau_chain,
)
from xiaoneng.emergencies.services._common import (
    _event,
    _locked_with_incident,
    _new_alert,
    _now,
    _reply_code,
)
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import notification_enqueue
from xiaoneng.org.models import Staff


def _alert(
    incident: Incident, *, line: str, step: Step, index: int, round: int, at: datetime
) -> Alert:
    alert = _new_alert(
        incident=incident,
        line=line,
        step=step,
        index=index,
        round=round,
        at=at,
        reply_code=_reply_code(step.staff.pk, at),
    )
    alert.save()
    _event(
        incident,
        kind=TimelineEvent.Kind.ALERT_SENT,
        at=at,
        text=step.staff.name,
        data={"alert": alert.pk, "capacity": step.capacity, "round": round, "line": line},
    )
    log_action(
        action="emergencies.alert.send",
        obj=incident,
        unit_id=incident.unit_id,
        summary={"alert": alert.pk, "recipient": step.staff.pk, "capacity": step.capacity},
    )
    params = {
        "grade": incident.get_grade_display(),
        "type": incident.get_type_display(),
        "unit": incident.unit.short_name or incident.unit.name,
        "title": incident.title,
        "code": alert.reply_code,
    }
    subject = _("Incident alert: please acknowledge")
    body = gettext(
        "Grade %(grade)s %(type)s incident at %(unit)s: %(title)s. "
        "Acknowledge in the office, or reply %(code)s."
    )
    if step.staff.user.is_active:
        notification_enqueue(
            channel=Notification.Channel.INBOX,
            kind="emergencies.alert",
            subject=subject,
            body=body % params,
            user=step.staff.user,
            obj=incident,
        )
        if step.staff.phone:
            notification_enqueue(
                channel=Notification.Channel.SMS,
                kind="emergencies.alert",
                subject=subject,
                body=body,
                params=params,
                address=step.staff.phone,
                obj=incident,
            )
    return alert


def alert_acknowledge(
    *, alert: Alert, by: Any, at: datetime | None = None, via: str = "office"
) -> Alert:
    """The recipient's click (or ``via`` "sms", their reply code): they know. Stops the
    escalation of the alert's line. An urgent request's alert goes to its own service."""
    if Alert.objects.filter(pk=alert.pk, case__isnull=False).exists():
        from xiaoneng.emergencies.services.case_alerts import case_alert_acknowledge

        return case_alert_acknowledge(alert=alert, by=by, at=at, via=via)
    at = _now(at)
    with transaction.atomic():
        incident, found = _locked_with_incident(alert)
        if found is None or found.recipient.user_id != getattr(by, "pk", None):
            raise PermissionDenied(_("Only the person alerted can acknowledge this alert."))
        alert = found
        if alert.state == Alert.State.ACKNOWLEDGED:
            raise DomainError(_("This alert has already been acknowledged."))
        alert.state = Alert.State.ACKNOWLEDGED
        alert.acknowledged_at = at
        alert.next_check_at = None
        alert.save(update_fields=["state", "acknowledged_at", "next_check_at"])
        _event(
            incident,
            kind=TimelineEvent.Kind.ACKNOWLEDGED,
            at=at,
            actor=by,
            text=alert.recipient.name,
            data={
                "alert": alert.pk,
                "capacity": alert.capacity,
                "late": at > alert.ack_due_at,
                "via": via,
            },
        )
        log_action(
            action="emergencies.alert.acknowledge",
            obj=incident,
            actor=by,
            unit_id=incident.unit_id,
            summary={"alert": alert.pk, "late": at > alert.ack_due_at, "via": via},
        )
    return alert


def _line_acknowledged(alert: Alert) -> bool:
    same = Alert.objects.filter(
        incident=alert.incident_id, line=alert.line, state=Alert.State.ACKNOWLEDGED
    )
    if alert.line != Alert.Line.BUREAU:
        same = same.filter(recipient_id=alert.recipient_id)
    return same.exists()


def alert_escalate(*, alert: Alert, at: datetime | None = None) -> Alert | None:
    """An alert not acknowledged in time: passed on to the next person of the bureau's chain
    (after the last, the chain starts again), or repeated to the same person on the other
    lines. Returns the new alert, or None when nothing is left to do."""
    at = _now(at)
    with transaction.atomic():
        incident, found = _locked_with_incident(alert)
        if found is None or found.state != Alert.State.PENDING or found.next_check_at is None:
            return None
        if found.next_check_at > at:
            return None
        alert = found
        if incident.state == Incident.State.CLOSED or _line_acknowledged(alert):
            alert.next_check_at = None
            alert.save(update_fields=["next_check_at"])
            return None
        alert.state = Alert.State.PASSED_ON
        alert.passed_on_at = at
        alert.next_check_at = None
        alert.save(update_fields=["state", "passed_on_at", "next_check_at"])
        if alert.line == Alert.Line.BUREAU:
            chain = bureau_chain(incident=incident, at=at)
            if not chain:
                return None
            index, round = alert.step + 1, alert.round
            if index >= len(chain):
                index, round = 0, round + 1
            step = chain[index]
        else:
            recipient = Staff.objects.select_related("user").get(pk=alert.recipient_id)
            step = Step(staff=recipient, capacity=alert.capacity)
            index, round = alert.step, alert.round + 1
        _event(
            incident,
            kind=TimelineEvent.Kind.ESCALATED,
            at=at,
            text=f"{Staff.objects.get(pk=alert.recipient_id).name} → {step.staff.name}",
            data={"from_alert": alert.pk, "capacity": step.capacity, "round": round},
        )
        log_action(
            action="emergencies.alert.escalate",
            obj=incident,
            unit_id=incident.unit_id,
            summary={"from_alert": alert.pk, "to": step.staff.pk, "round": round},
        )
        return _alert(incident, line=alert.line, step=step, index=index, round=round, at=at)


# --- incidents and reports -------------------------------------------------------------------
