"""The report deadlines' signals (pre-warning, red and its violation) and their closing."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.descriptions import Described, label
from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import violation_record_automatic
from xiaoneng.audit.services import log_action
from xiaoneng.emergencies.models import (
    Incident,
    IncidentReport,
    ReportDeadline,
    ReportKind,
    TimelineEvent,
)
from xiaoneng.emergencies.rules import rule_for
from xiaoneng.emergencies.selectors import (
    bureau_of,
    safety_department,
    unit_head,
)
from xiaoneng.emergencies.services._common import _deadline, _event
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Staff


def deadline_red(*, deadline: ReportDeadline, at: datetime) -> None:
    """The red signal: once per deadline, with its violation and the people told."""
    if deadline.signal == ReportDeadline.Signal.RED:
        return
    incident = deadline.incident
    deadline.signal = ReportDeadline.Signal.RED
    deadline.save(update_fields=["signal"])
    _event(
        incident,
        kind=TimelineEvent.Kind.RED,
        at=at,
        data={
            "report": deadline.kind,
            "sequence": deadline.sequence,
            "due": deadline.due_at.isoformat(),
        },
    )
    described = Described(
        gettext_noop("%(report)s on incident “%(title)s” not sent by %(due)s (calendar hours)."),
        {
            "report": label(ReportKind(deadline.kind).label),
            "title": incident.title,
            "due": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M"),
        },
    )
    description = described.stored()
    violation_record_automatic(
        kind=Violation.Kind.RED_CARD,
        source_key=f"emergency:{deadline.pk}",
        description=described,
        department=incident.department,
        unit_id=incident.unit_id,
    )
    log_action(
        action="emergencies.deadline.red",
        obj=incident,
        unit_id=incident.unit_id,
        summary={"deadline": deadline.pk, "kind": deadline.kind},
    )
    notify_people(
        [_reporter_staff(incident), unit_head(incident.unit), *_safety_people(incident)],
        kind="emergencies.red",
        subject=_("Incident report overdue"),
        body=description,
        obj=incident,
    )


def deadline_prewarn(*, deadline: ReportDeadline, at: datetime) -> None:
    incident = deadline.incident
    deadline.signal = ReportDeadline.Signal.WARNING
    deadline.save(update_fields=["signal"])
    _event(
        incident,
        kind=TimelineEvent.Kind.PREWARNING,
        at=at,
        data={
            "report": deadline.kind,
            "sequence": deadline.sequence,
            "due": deadline.due_at.isoformat(),
        },
    )
    log_action(
        action="emergencies.deadline.prewarning",
        obj=incident,
        unit_id=incident.unit_id,
        summary={"deadline": deadline.pk, "kind": deadline.kind},
    )
    notify_people(
        [_reporter_staff(incident), unit_head(incident.unit)],
        kind="emergencies.prewarning",
        subject=_("Incident report due soon"),
        body=gettext("%(report)s on incident “%(title)s” is due by %(due)s.")
        % {
            "report": deadline.get_kind_display(),
            "title": incident.title,
            "due": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M"),
        },
        obj=incident,
    )


def _reporter_staff(incident: Incident) -> Staff | None:
    return Staff.objects.select_related("user").filter(user_id=incident.reporter_id).first()


def _safety_people(incident: Incident) -> list[Staff]:
    department = safety_department(bureau_of(incident.unit))
    if department is None:
        return []
    posts = department.posts.select_related("a_holder__user", "b_holder__user")
    people = [department.head]
    for post in posts:
        people += [post.a_holder, post.b_holder]
    return [person for person in people if person is not None]


def _close_deadline(incident: Incident, *, kind: str, report: IncidentReport, at: datetime) -> None:
    deadline = (
        ReportDeadline.objects.select_for_update()
        .filter(incident=incident, kind=kind, state=ReportDeadline.State.OPEN)
        .first()
    )
    if deadline is None:
        return
    deadline.incident = incident
    late = at > deadline.due_at
    if late:
        deadline_red(deadline=deadline, at=at)
    deadline.state = ReportDeadline.State.LATE if late else ReportDeadline.State.MET
    deadline.report = report
    deadline.closed_at = at
    deadline.next_check_at = None
    deadline.save(update_fields=["state", "report", "closed_at", "next_check_at"])


def _next_progress(incident: Incident, *, start: datetime) -> None:
    hours = rule_for(type=incident.type, grade=incident.grade).progress_hours
    if hours is None:
        return
    sequence = incident.deadlines.filter(kind=ReportKind.PROGRESS).count() + 1
    _deadline(
        incident,
        kind=ReportKind.PROGRESS,
        sequence=sequence,
        start=start,
        period=timedelta(hours=hours),
    )


# --- alerts ------------------------------------------------------------------------------------
