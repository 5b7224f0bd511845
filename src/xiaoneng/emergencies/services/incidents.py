"""Reporting an incident, its reports, the end of the response and re-grading."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

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
    bureau_of,
    first_alerts,
    sees_all_incidents,
)
from xiaoneng.emergencies.services._common import _deadline, _event, _locked, _now
from xiaoneng.emergencies.services.alerts import _alert
from xiaoneng.emergencies.services.deadlines import _close_deadline, _next_progress
from xiaoneng.emergencies.services.outbound import outbound_open
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Unit
from xiaoneng.org.selectors import require_staff


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
        outbound_open(incident=incident, start=discovered_at, at=at)
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
        # Raised to I–II: the city's duty office is owed a report from now.
        outbound_open(incident=incident, start=at, at=at)
    return incident
