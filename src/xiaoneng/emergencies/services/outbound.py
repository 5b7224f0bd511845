"""Reports the bureau owes outside authorities: the city's duty office for grades I–II, the
health authority for public-health events (公共卫生, 食品安全, 传染病), each within its
calendar hours (``XIAONENG_EMERGENCY_CITY_REPORT_HOURS``, ``…_HEALTH_REPORT_HOURS``). Each is a
recorded ``OutboundReport`` with its own clock — pre-warning at three quarters, the red signal
and a violation at the due moment — and on the incident's timeline. Someone of the safety
department or a leader records it once made (by telephone, fax, their system, a document)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.descriptions import Described, label
from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import violation_record_automatic
from xiaoneng.audit.services import log_action
from xiaoneng.emergencies.models import (
    Incident,
    IncidentType,
    OutboundRecipient,
    OutboundReport,
    ReportDeadline,
    TimelineEvent,
)
from xiaoneng.emergencies.selectors import SEVERE, bureau_of, safety_department, sees_all_incidents
from xiaoneng.emergencies.services._common import _event, _locked, _now
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Staff

PUBLIC_HEALTH = frozenset(
    {IncidentType.PUBLIC_HEALTH, IncidentType.FOOD_SAFETY, IncidentType.INFECTIOUS_DISEASE}
)


def outbound_owed(incident: Incident) -> dict[str, int]:
    """Recipient → hours, for what ``incident`` owes outside as it stands now."""
    owed: dict[str, int] = {}
    if incident.grade in SEVERE:
        owed[OutboundRecipient.CITY_DUTY_OFFICE] = settings.XIAONENG_EMERGENCY_CITY_REPORT_HOURS
    if incident.type in PUBLIC_HEALTH:
        owed[OutboundRecipient.HEALTH_AUTHORITY] = settings.XIAONENG_EMERGENCY_HEALTH_REPORT_HOURS
    return owed


def outbound_open(*, incident: Incident, start: datetime, at: datetime) -> list[OutboundReport]:
    """Start the clocks of the outbound reports ``incident`` owes and does not have yet (on the
    report, from the discovery; on a re-grade to I–II, from then). In the caller's transaction,
    the incident locked."""
    have = set(incident.outbound.values_list("recipient", flat=True))
    opened = []
    for recipient, hours in outbound_owed(incident).items():
        if recipient in have:
            continue
        period = timedelta(hours=hours)
        due = start + period
        row = OutboundReport.objects.create(
            incident=incident,
            recipient=recipient,
            started_at=start,
            warn_at=due - period / 4,
            due_at=due,
            next_check_at=due - period / 4,
        )
        _event(
            incident,
            kind=TimelineEvent.Kind.OUTBOUND_DUE,
            at=at,
            text=str(row.get_recipient_display()),
            data={"outbound": row.pk, "recipient": recipient, "due": due.isoformat()},
        )
        log_action(
            action="emergencies.outbound.open",
            obj=incident,
            unit_id=incident.unit_id,
            summary={"outbound": row.pk, "recipient": recipient, "hours": hours},
        )
        opened.append(row)
    return opened


def _safety_staff(incident: Incident) -> list[Staff | None]:
    department = safety_department(bureau_of(incident.unit))
    if department is None:
        return []
    people: list[Staff | None] = [department.head]
    for post in department.posts.select_related("a_holder__user", "b_holder__user"):
        people += [post.a_holder, post.b_holder]
    return people


def _due_text(row: OutboundReport, incident: Incident) -> str:
    return gettext("Report on incident “%(title)s” to %(to)s due by %(due)s.") % {
        "title": incident.title,
        "to": row.get_recipient_display(),
        "due": timezone.localtime(row.due_at).strftime("%Y-%m-%d %H:%M"),
    }


def outbound_prewarn(*, row: OutboundReport, at: datetime) -> None:
    incident = row.incident
    row.signal = ReportDeadline.Signal.WARNING
    row.save(update_fields=["signal"])
    _event(incident, kind=TimelineEvent.Kind.PREWARNING, at=at, data={"outbound": row.pk})
    notify_people(
        _safety_staff(incident),
        kind="emergencies.prewarning",
        subject=_("Report to an outside authority due soon"),
        body=_due_text(row, incident),
        obj=incident,
    )


def outbound_red(*, row: OutboundReport, at: datetime) -> None:
    """The red signal, once, with its violation against the bureau's safety department."""
    if row.signal == ReportDeadline.Signal.RED:
        return
    incident = row.incident
    row.signal = ReportDeadline.Signal.RED
    row.save(update_fields=["signal"])
    _event(
        incident,
        kind=TimelineEvent.Kind.OUTBOUND_RED,
        at=at,
        text=str(row.get_recipient_display()),
        data={"outbound": row.pk, "due": row.due_at.isoformat()},
    )
    bureau = bureau_of(incident.unit)
    described = Described(
        gettext_noop(
            "Report on incident “%(title)s” to %(to)s not made by %(due)s (calendar hours)."
        ),
        {
            "title": incident.title,
            "to": label(OutboundRecipient(row.recipient).label),
            "due": timezone.localtime(row.due_at).strftime("%Y-%m-%d %H:%M"),
        },
    )
    description = described.stored()
    violation_record_automatic(
        kind=Violation.Kind.RED_CARD,
        source_key=f"emergency-outbound:{row.pk}",
        description=described,
        department=safety_department(bureau),
        unit_id=bureau.pk,
    )
    log_action(
        action="emergencies.outbound.red",
        obj=incident,
        unit_id=incident.unit_id,
        summary={"outbound": row.pk},
    )
    notify_people(
        _safety_staff(incident),
        kind="emergencies.red",
        subject=_("Report to an outside authority overdue"),
        body=description,
        obj=incident,
    )


def outbound_record(
    *,
    row: OutboundReport,
    by: Any,
    means: str,
    received_by: str,
    note: str = "",
    sent_at: datetime | None = None,
    at: datetime | None = None,
) -> OutboundReport:
    """Record that the report was made: when, how and who took it. Late when after the due
    moment (red and its violation, once). Recorded once; a correction is a note on the timeline."""
    at = _now(at)
    sent_at = sent_at or at
    if not sees_all_incidents(by):
        raise PermissionDenied(
            _("Only the safety department and the bureau's leaders record outside reports.")
        )
    if means not in OutboundReport.Means.values:
        raise DomainError(_("Say how the report was made."))
    if not received_by.strip():
        raise DomainError(_("Give the name of the person who received the report."))
    if sent_at > at:
        raise DomainError(_("The time of the report cannot be in the future."))
    with transaction.atomic():
        incident = _locked(row.incident)
        row = OutboundReport.objects.select_for_update().get(pk=row.pk)
        row.incident = incident
        if row.state != OutboundReport.State.OPEN:
            raise DomainError(_("This report has already been recorded."))
        if sent_at < incident.discovered_at:
            raise DomainError(_("The report cannot have been made before the discovery."))
        late = sent_at > row.due_at
        if late:
            outbound_red(row=row, at=at)
        row.state = OutboundReport.State.LATE if late else OutboundReport.State.MET
        row.sent_at, row.sent_by, row.means = sent_at, by, means
        row.received_by, row.note, row.next_check_at = received_by.strip(), note.strip(), None
        row.save()
        _event(
            incident,
            kind=TimelineEvent.Kind.OUTBOUND_SENT,
            at=at,
            actor=by,
            text=f"{row.get_recipient_display()} · {row.get_means_display()} · {row.received_by}",
            data={"outbound": row.pk, "late": late, "sent_at": sent_at.isoformat()},
        )
        log_action(
            action="emergencies.outbound.record",
            obj=incident,
            actor=by,
            unit_id=incident.unit_id,
            summary={"outbound": row.pk, "late": late, "means": means},
        )
    return row


def outbound_check(*, row: OutboundReport, now: datetime) -> str:
    """The sweep's step for one row, locked with its incident: "red", "prewarning" or ""."""
    done = ""
    if row.incident.state == Incident.State.CLOSED:
        row.next_check_at = None
    elif now >= row.due_at:
        outbound_red(row=row, at=now)
        row.next_check_at, done = None, "outbound_red"
    else:
        if row.signal == ReportDeadline.Signal.NONE:
            outbound_prewarn(row=row, at=now)
            done = "outbound_prewarning"
        row.next_check_at = row.due_at
    row.save(update_fields=["next_check_at"])
    return done
