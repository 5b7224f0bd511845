"""The incident's states and the reports each allows; every refusal is a DomainError."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from xiaoneng.emergencies.models import Incident, IncidentReport
from xiaoneng.emergencies.rules import rule_for
from xiaoneng.emergencies.services import (
    alert_acknowledge,
    incident_end_response,
    incident_regrade,
    report_send,
)
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db

FACTS = {"situation": "情况", "injured": 1, "dead": 0, "missing": 0}
FINAL = {**FACTS, "causes": "原因", "lessons": "教训"}


def _send(incident, users, kind, **fields):
    return report_send(
        incident=incident, kind=kind, by=users["school_handler"], **{**FACTS, **fields}
    )


def test_responding_takes_progress_but_not_final_nor_a_second_initial(users, report) -> None:
    incident = report(users)
    with pytest.raises(DomainError):
        _send(incident, users, "final", **FINAL)
    with pytest.raises(DomainError):
        _send(incident, users, "initial")
    assert _send(incident, users, "progress").kind == "progress"


def test_after_the_response_only_the_final_report(users, report) -> None:
    incident = report(users)
    incident_end_response(incident=incident, by=users["school_handler"])
    with pytest.raises(DomainError):
        incident_end_response(incident=incident, by=users["school_handler"])
    with pytest.raises(DomainError):
        _send(incident, users, "progress")
    with pytest.raises(DomainError):
        _send(incident, users, "final")  # no causes, no lessons
    _send(incident, users, "final", **FINAL)
    incident.refresh_from_db()
    assert incident.state == Incident.State.CLOSED


def test_a_closed_incident_takes_nothing(users, report) -> None:
    incident = report(users)
    incident_end_response(incident=incident, by=users["school_handler"])
    _send(incident, users, "final", **FINAL)
    for kind in ("progress", "final"):
        with pytest.raises(DomainError):
            _send(incident, users, kind, **FINAL)
    with pytest.raises(DomainError):
        incident_end_response(incident=incident, by=users["school_handler"])
    with pytest.raises(DomainError):
        incident_regrade(incident=incident, grade="1", reason="x", by=users["leader"])


def test_corrections_are_new_reports(users, report) -> None:
    incident = report(users)
    first = _send(incident, users, "progress", injured=5)
    correction = _send(incident, users, "progress", injured=4, corrects=first)
    first.refresh_from_db()
    assert first.injured == 5
    assert correction.corrects == first
    other = report(users, title="另一事件")
    with pytest.raises(DomainError):
        _send(other, users, "progress", corrects=first)
    # One initial and one final report per incident, held by the database too.
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentReport.objects.create(
            incident=incident,
            kind="initial",
            sent_at=timezone.now(),
            sent_by=users["school_handler"],
            grade="3",
            situation="x",
        )


def test_regrading_rules(users, report) -> None:
    incident = report(users)
    with pytest.raises(PermissionDenied):
        incident_regrade(incident=incident, grade="2", reason="x", by=users["school_head"])
    with pytest.raises(DomainError):
        incident_regrade(incident=incident, grade="3", reason="x", by=users["leader"])
    with pytest.raises(DomainError):
        incident_regrade(incident=incident, grade="2", reason=" ", by=users["leader"])
    incident_regrade(incident=incident, grade="4", reason="经核实影响较小", by=users["leader"])
    incident.refresh_from_db()
    assert incident.grade == "4"


def test_acknowledging_twice_or_for_someone_else(users, report) -> None:
    incident = report(users)
    alert = incident.alerts.get(recipient__user__username="safety_a")
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, by=users["safety_b"])
    alert_acknowledge(alert=alert, by=users["safety_a"])
    with pytest.raises(DomainError):
        alert_acknowledge(alert=alert, by=users["safety_a"])


def test_the_facts_are_checked(users, report) -> None:
    with pytest.raises(DomainError):
        report(users, injured=-1)
    with pytest.raises(DomainError):
        report(users, occurred_at=timezone.now(), discovered_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError):
        report(users, discovered_at=timezone.now() + timedelta(hours=1))
    with pytest.raises(DomainError):
        report(users, place=" ")
    school_2 = Unit.objects.get(code="school-2")
    with pytest.raises(PermissionDenied):
        report(users, unit=school_2)
    # The bureau's safety department may report for a school.
    incident = report(users, by=users["safety_a"], unit=school_2)
    assert incident.unit.code == "school-2"


def test_report_rules_most_specific_first(db) -> None:
    from xiaoneng.emergencies.models import ReportRule

    assert rule_for(type="food_safety", grade="4").progress_hours is None
    assert rule_for(type="food_safety", grade="3").progress_hours == 24
    ReportRule.objects.create(type="", grade="", initial_hours=2)
    ReportRule.objects.create(type="food_safety", grade="", initial_hours=1, progress_hours=12)
    ReportRule.objects.create(type="food_safety", grade="1", initial_hours=1, progress_hours=4)
    assert rule_for(type="accident", grade="3").initial_hours == 2
    assert rule_for(type="food_safety", grade="3").progress_hours == 12
    assert rule_for(type="food_safety", grade="1").progress_hours == 4
