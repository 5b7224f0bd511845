"""Every change to an incident: keyword-only, one transaction, the incident row locked, an
audit row and a timeline event for each, refusals as translated ``DomainError``s."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import violation_record_automatic
from xiaoneng.audit.services import log_action
from xiaoneng.emergencies.models import (
    Alert,
    Grade,
    Incident,
    IncidentReport,
    IncidentType,
    ReportDeadline,
    ReportKind,
    TimelineEvent,
)
from xiaoneng.emergencies.rules import rule_for
from xiaoneng.emergencies.selectors import (
    SEVERE,
    Step,
    bureau_chain,
    bureau_of,
    first_alerts,
    safety_department,
    sees_all_incidents,
    unit_head,
)
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import notification_enqueue, notify_people
from xiaoneng.org.models import Staff, Unit
from xiaoneng.org.selectors import require_staff


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
    with override(settings.LANGUAGE_CODE):
        description = gettext(
            "%(report)s on incident “%(title)s” not sent by %(due)s (calendar hours)."
        ) % {
            "report": deadline.get_kind_display(),
            "title": incident.title,
            "due": timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M"),
        }
    violation_record_automatic(
        kind=Violation.Kind.RED_CARD,
        source_key=f"emergency:{deadline.pk}",
        description=description,
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


def _alert(
    incident: Incident, *, line: str, step: Step, index: int, round: int, at: datetime
) -> Alert:
    alert = Alert.objects.create(
        incident=incident,
        line=line,
        recipient=step.staff,
        capacity=step.capacity,
        step=index,
        round=round,
        sent_at=at,
        ack_due_at=at + _ack_minutes(),
        next_check_at=at + _ack_minutes(),
    )
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
    }
    subject = _("Incident alert: please acknowledge")
    body = gettext(
        "Grade %(grade)s %(type)s incident at %(unit)s: %(title)s. "
        "Please acknowledge in the office."
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


def alert_acknowledge(*, alert: Alert, by: Any, at: datetime | None = None) -> Alert:
    """The recipient's click: they know. Stops the escalation of the alert's line."""
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
            data={"alert": alert.pk, "capacity": alert.capacity, "late": at > alert.ack_due_at},
        )
        log_action(
            action="emergencies.alert.acknowledge",
            obj=incident,
            actor=by,
            unit_id=incident.unit_id,
            summary={"alert": alert.pk, "late": at > alert.ack_due_at},
        )
    return alert


def _line_acknowledged(alert: Alert) -> bool:
    same = Alert.objects.filter(
        incident_id=alert.incident_id, line=alert.line, state=Alert.State.ACKNOWLEDGED
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


def _check_counts(**counts: int) -> None:
    if any(value is None or value < 0 for value in counts.values()):
        raise DomainError(_("The numbers of people affected cannot be negative."))


def incident_report(
    *,
    by: Any,
    type: str,
    grade: str,
    title: str,
    occurred_at: datetime,
    discovered_at: datetime,
    place: str,
    what_happened: str,
    contact_phone: str,
    injured: int = 0,
    dead: int = 0,
    missing: int = 0,
    measures: str = "",
    unit: Unit | None = None,
    at: datetime | None = None,
) -> Incident:
    """A new incident with its initial report (初报: the facts known so far). The initial
    report's clock runs from the discovery; a report after it is late, red and a violation.
    The alerts go out at once. Staff report for their own unit; the bureau's safety department
    and leaders may report for any unit under the bureau."""
    at = _now(at)
    staff = require_staff(by)
    unit = unit or staff.unit
    if unit.pk != staff.unit_id and not (
        sees_all_incidents(by) and bureau_of(unit).pk == bureau_of(staff.unit).pk
    ):
        raise PermissionDenied(_("You can report incidents of your own unit only."))
    if type not in IncidentType.values:
        raise DomainError(_("Choose the type of the incident."))
    if grade not in Grade.values:
        raise DomainError(_("Choose the preliminary grade."))
    if discovered_at < occurred_at:
        raise DomainError(_("An incident cannot be discovered before it happened."))
    if discovered_at > at:
        raise DomainError(_("The time of discovery cannot be in the future."))
    if not (title.strip() and place.strip() and what_happened.strip() and contact_phone.strip()):
        raise DomainError(_("Say what happened, where, and how to reach the person reporting."))
    _check_counts(injured=injured, dead=dead, missing=missing)
    with transaction.atomic():
        incident = Incident.objects.create(
            unit=unit,
            department=staff.department if staff.unit_id == unit.pk else None,
            type=type,
            grade=grade,
            preliminary_grade=grade,
            title=title.strip(),
            occurred_at=occurred_at,
            discovered_at=discovered_at,
            place=place.strip(),
            injured=injured,
            dead=dead,
            missing=missing,
            what_happened=what_happened.strip(),
            measures=measures.strip(),
            reporter=by,
            contact_phone=contact_phone.strip(),
            created_at=at,
        )
        rule = rule_for(type=type, grade=grade)
        _deadline(
            incident,
            kind=ReportKind.INITIAL,
            sequence=1,
            start=discovered_at,
            period=timedelta(hours=rule.initial_hours),
        )
        log_action(
            action="emergencies.incident.report",
            obj=incident,
            actor=by,
            unit_id=unit.pk,
            summary={"type": type, "grade": grade},
        )
        _event(incident, kind=TimelineEvent.Kind.REPORTED, at=at, actor=by, data={"grade": grade})
        report = IncidentReport.objects.create(
            incident=incident,
            kind=ReportKind.INITIAL,
            sent_at=at,
            sent_by=by,
            grade=grade,
            injured=injured,
            dead=dead,
            missing=missing,
            situation=incident.what_happened,
            measures=incident.measures,
        )
        _report_recorded(incident, report=report, by=by, at=at)
        for line, step in first_alerts(incident=incident, at=at):
            _alert(incident, line=line, step=step, index=0, round=1, at=at)
    return incident


def _report_recorded(incident: Incident, *, report: IncidentReport, by: Any, at: datetime) -> None:
    _close_deadline(incident, kind=report.kind, report=report, at=at)
    _event(
        incident,
        kind=TimelineEvent.Kind.REPORT_SENT,
        at=at,
        actor=by,
        data={"report": report.pk, "kind": report.kind, "corrects": report.corrects_id},
    )
    log_action(
        action="emergencies.report.send",
        obj=incident,
        actor=by,
        unit_id=incident.unit_id,
        summary={"report": report.pk, "kind": report.kind},
    )
    if report.kind != ReportKind.FINAL and incident.state == Incident.State.RESPONDING:
        _next_progress(incident, start=at)


def _may_report(incident: Incident, by: Any) -> None:
    staff = require_staff(by)
    if staff.unit_id != incident.unit_id and not sees_all_incidents(by):
        raise PermissionDenied(_("Only the reporting unit or the bureau sends its reports."))


def report_send(
    *,
    incident: Incident,
    kind: str,
    by: Any,
    situation: str,
    injured: int,
    dead: int,
    missing: int,
    measures: str = "",
    causes: str = "",
    lessons: str = "",
    corrects: IncidentReport | None = None,
    at: datetime | None = None,
) -> IncidentReport:
    """A progress report (续报) while the response runs, or the final report (终报) once it
    has ended. Sent reports never change; ``corrects`` names the report a new one corrects."""
    at = _now(at)
    _may_report(incident, by)
    _check_counts(injured=injured, dead=dead, missing=missing)
    if not situation.strip():
        raise DomainError(_("Describe the situation."))
    with transaction.atomic():
        incident = _locked(incident)
        if incident.state == Incident.State.CLOSED:
            raise DomainError(_("The incident is closed; no further reports are taken."))
        if kind == ReportKind.PROGRESS:
            if incident.state != Incident.State.RESPONDING:
                raise DomainError(
                    _("The response has ended; send the final report instead of a progress report.")
                )
        elif kind == ReportKind.FINAL:
            if incident.state != Incident.State.RESPONSE_ENDED:
                raise DomainError(_("The final report comes after the end of the response."))
            if not (causes.strip() and lessons.strip()):
                raise DomainError(_("The final report states the causes and the lessons learnt."))
        else:
            raise DomainError(
                _("The initial report was sent with the incident; send a progress report.")
            )
        if corrects is not None and corrects.incident_id != incident.pk:
            raise DomainError(_("A report can correct only a report of the same incident."))
        report = IncidentReport.objects.create(
            incident=incident,
            kind=kind,
            sent_at=at,
            sent_by=by,
            grade=incident.grade,
            injured=injured,
            dead=dead,
            missing=missing,
            situation=situation.strip(),
            measures=measures.strip(),
            causes=causes.strip(),
            lessons=lessons.strip(),
            corrects=corrects,
        )
        incident.injured, incident.dead, incident.missing = injured, dead, missing
        fields = ["injured", "dead", "missing"]
        if kind == ReportKind.FINAL:
            incident.state = Incident.State.CLOSED
            incident.closed_at = at
            fields += ["state", "closed_at"]
        incident.save(update_fields=fields)
        _report_recorded(incident, report=report, by=by, at=at)
        if kind == ReportKind.FINAL:
            _event(incident, kind=TimelineEvent.Kind.CLOSED, at=at, actor=by)
            Alert.objects.filter(incident=incident, state=Alert.State.PENDING).update(
                next_check_at=None
            )
    return report


def incident_end_response(*, incident: Incident, by: Any, at: datetime | None = None) -> Incident:
    """The response is over: no more progress reports are due; the final report is due within
    the rule's days."""
    at = _now(at)
    _may_report(incident, by)
    with transaction.atomic():
        incident = _locked(incident)
        if incident.state != Incident.State.RESPONDING:
            raise DomainError(_("The response has already ended."))
        incident.state = Incident.State.RESPONSE_ENDED
        incident.response_ended_at = at
        incident.save(update_fields=["state", "response_ended_at"])
        ReportDeadline.objects.filter(
            incident=incident, kind=ReportKind.PROGRESS, state=ReportDeadline.State.OPEN
        ).update(state=ReportDeadline.State.CANCELLED, closed_at=at, next_check_at=None)
        days = rule_for(type=incident.type, grade=incident.grade).final_days
        _deadline(
            incident, kind=ReportKind.FINAL, sequence=1, start=at, period=timedelta(days=days)
        )
        _event(incident, kind=TimelineEvent.Kind.RESPONSE_ENDED, at=at, actor=by)
        log_action(action="emergencies.incident.end_response", obj=incident, actor=by, summary={})
    return incident


def incident_regrade(
    *, incident: Incident, grade: str, reason: str, by: Any, at: datetime | None = None
) -> Incident:
    """The bureau's grade replaces the preliminary one. Raised to I or II, the leaders not
    yet alerted are alerted at once."""
    at = _now(at)
    if not sees_all_incidents(by):
        raise PermissionDenied(_("Only the bureau's safety department or a leader re-grades."))
    if grade not in Grade.values:
        raise DomainError(_("Choose the grade."))
    if not reason.strip():
        raise DomainError(_("Give the reason for the new grade."))
    with transaction.atomic():
        incident = _locked(incident)
        if incident.state == Incident.State.CLOSED:
            raise DomainError(_("A closed incident keeps its grade."))
        if incident.grade == grade:
            raise DomainError(_("The incident already has this grade."))
        previous = incident.grade
        incident.grade = grade
        incident.save(update_fields=["grade"])
        _event(
            incident,
            kind=TimelineEvent.Kind.REGRADED,
            at=at,
            actor=by,
            text=reason.strip(),
            data={"from": previous, "to": grade},
        )
        log_action(
            action="emergencies.incident.regrade",
            obj=incident,
            actor=by,
            summary={"from": previous, "to": grade},
        )
        if grade in SEVERE and previous not in SEVERE:
            alerted = set(
                incident.alerts.filter(line=Alert.Line.LEADERS).values_list(
                    "recipient_id", flat=True
                )
            )
            for line, step in first_alerts(incident=incident, at=at):
                if line == Alert.Line.LEADERS and step.staff.pk not in alerted:
                    _alert(incident, line=line, step=step, index=0, round=1, at=at)
    return incident
