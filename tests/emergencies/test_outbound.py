"""Outbound reports: grades I–II to the city's duty office, public-health events to the health
authority, each on its own calendar-hour clock (pre-warning, red, violation), recorded by the
safety department, on the incident's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.emergencies.conftest import moment
from xiaoneng.accountability.models import Violation
from xiaoneng.emergencies.models import OutboundReport, TimelineEvent
from xiaoneng.emergencies.services import incident_regrade, incident_report, outbound_record
from xiaoneng.emergencies.sweeps import emergencies_sweep
from xiaoneng.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

DISCOVERED = moment(2026, 5, 17, 2, 15)  # a Sunday night: calendar hours
ADMINS = ("sysadmin", "secadmin", "auditor")


def _report(users, *, type: str, grade: str):
    with time_machine.travel(DISCOVERED + timedelta(minutes=20), tick=False):
        return incident_report(
            by=users["school_handler"],
            type=type,
            grade=grade,
            title="宿舍楼火情",
            occurred_at=DISCOVERED - timedelta(minutes=5),
            discovered_at=DISCOVERED,
            place="学生宿舍",
            what_happened="宿舍楼电线起火，已扑灭。",
            contact_phone="13800000000",
        )


def test_health_authority_within_two_hours_late_is_red(users) -> None:
    incident = _report(users, type="food_safety", grade="3")
    row = incident.outbound.get()
    assert row.recipient == "health_authority"
    assert row.due_at == DISCOVERED + timedelta(hours=2)
    assert incident.timeline.filter(kind=TimelineEvent.Kind.OUTBOUND_DUE).exists()
    with time_machine.travel(DISCOVERED + timedelta(minutes=95), tick=False):
        assert emergencies_sweep().raised["outbound_prewarning"] == 1
    with time_machine.travel(DISCOVERED + timedelta(hours=2), tick=False):
        assert emergencies_sweep().raised["outbound_red"] == 1
    row.refresh_from_db()
    assert row.signal == "red"
    violation = Violation.objects.get(source_key=f"emergency-outbound:{row.pk}")
    assert violation.unit_id == incident.unit.parent_id
    # Recorded late: late, and the violation stays one.
    with time_machine.travel(DISCOVERED + timedelta(hours=3), tick=False):
        outbound_record(
            row=row,
            by=users["safety_a"],
            means="phone",
            received_by="区卫健委值班室 李医生",
            sent_at=DISCOVERED + timedelta(hours=2, minutes=30),
        )
    row.refresh_from_db()
    assert row.state == OutboundReport.State.LATE
    assert Violation.objects.filter(source_key__startswith="emergency-outbound:").count() == 1
    sent = incident.timeline.get(kind=TimelineEvent.Kind.OUTBOUND_SENT)
    assert "李医生" in sent.text
    assert sent.actor == users["safety_a"]
    with pytest.raises(DomainError):
        outbound_record(row=row, by=users["safety_a"], means="phone", received_by="x")


def test_grades_one_and_two_owe_the_city_duty_office(users) -> None:
    incident = _report(users, type="accident", grade="2")
    row = incident.outbound.get()
    assert row.recipient == "city_duty_office"
    assert row.due_at == DISCOVERED + timedelta(hours=1)
    with time_machine.travel(DISCOVERED + timedelta(minutes=40), tick=False):
        outbound_record(row=row, by=users["leader"], means="phone", received_by="市总值班室")
    row.refresh_from_db()
    assert row.state == OutboundReport.State.MET
    assert row.next_check_at is None
    with time_machine.travel(DISCOVERED + timedelta(hours=5), tick=False):
        assert emergencies_sweep().raised["outbound_red"] == 0


def test_regrade_to_two_owes_the_city_from_then(users) -> None:
    incident = _report(users, type="accident", grade="4")
    assert not incident.outbound.exists()
    regraded_at = DISCOVERED + timedelta(hours=3)
    with time_machine.travel(regraded_at, tick=False):
        incident_regrade(incident=incident, grade="2", reason="伤亡扩大", by=users["safety_a"])
    row = incident.outbound.get()
    assert row.due_at == regraded_at + timedelta(hours=1)


def test_bad_input_and_who_may_record(users) -> None:
    incident = _report(users, type="food_safety", grade="3")
    row = incident.outbound.get()
    for name in ("school_handler", "school_head", "intake", *ADMINS):
        with pytest.raises(PermissionDenied):
            outbound_record(row=row, by=users[name], means="phone", received_by="x")
    with time_machine.travel(DISCOVERED + timedelta(minutes=30), tick=False):
        with pytest.raises(DomainError):
            outbound_record(row=row, by=users["safety_a"], means="phone", received_by=" ")
        with pytest.raises(DomainError):
            outbound_record(row=row, by=users["safety_a"], means="pigeon", received_by="x")
        with pytest.raises(DomainError):
            outbound_record(
                row=row,
                by=users["safety_a"],
                means="fax",
                received_by="x",
                sent_at=DISCOVERED - timedelta(hours=1),
            )
    row.refresh_from_db()
    assert row.state == OutboundReport.State.OPEN


def test_record_view_permissions_and_page(users) -> None:
    incident = _report(users, type="food_safety", grade="3")
    row = incident.outbound.get()
    url = reverse("emergencies:outbound_record", args=[row.pk])
    data = {"sent_at": "2026-05-17T03:00", "means": "phone", "received_by": "卫健委值班室"}

    def client(name: str) -> Client:
        c = Client()
        c.force_login(users[name])
        return c

    for admin in ADMINS:
        assert client(admin).post(url, data).status_code == 403
    assert client("s2_intake").post(url, data).status_code == 404
    assert client("school_handler").post(url, data).status_code == 403
    bad = client("safety_a").post(url, {**data, "received_by": ""}, follow=True)
    assert "请填写报告时间、报告方式和接收人。" in bad.content.decode()
    row.refresh_from_db()
    assert row.state == OutboundReport.State.OPEN
    with time_machine.travel(DISCOVERED + timedelta(hours=1), tick=False):
        response = client("safety_a").post(url, data)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == OutboundReport.State.MET
    page = client("safety_a").get(reverse("emergencies:incident", args=[incident.pk]))
    assert 'data-testid="outbound-row"' in page.content.decode()
