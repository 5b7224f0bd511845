"""Issue #21's scenario: a grade III food-poisoning incident at a school, from the late initial
report to the final report, with the alert escalated from the A holder to the B holder."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.emergencies.conftest import moment
from xiaoneng.accountability.models import Violation
from xiaoneng.audit.models import AuditEntry
from xiaoneng.emergencies.models import Alert, Incident, ReportDeadline, TimelineEvent
from xiaoneng.emergencies.services import (
    alert_acknowledge,
    incident_end_response,
    incident_report,
    report_send,
)
from xiaoneng.emergencies.sweeps import emergencies_sweep
from xiaoneng.notify.models import Notification

pytestmark = pytest.mark.django_db

DISCOVERED = moment(2026, 5, 12, 12, 30)


def test_food_poisoning_at_a_school(users, settings) -> None:
    settings.XIAONENG_EMERGENCY_ACK_MINUTES = 10
    reporter = users["school_handler"]
    # The initial report arrives 1 h 10 min after the discovery: 10 minutes late.
    reported_at = DISCOVERED + timedelta(hours=1, minutes=10)
    with time_machine.travel(reported_at, tick=False):
        incident = incident_report(
            by=reporter,
            type="food_safety",
            grade="3",
            title="午餐后多名学生腹痛呕吐",
            occurred_at=DISCOVERED - timedelta(minutes=30),
            discovered_at=DISCOVERED,
            place="学校食堂",
            what_happened="午餐后12名学生出现腹痛、呕吐，已送医。",
            contact_phone="13800000000",
            injured=12,
        )
    initial = incident.deadlines.get(kind="initial")
    assert initial.state == ReportDeadline.State.LATE
    assert initial.signal == ReportDeadline.Signal.RED
    assert initial.due_at == DISCOVERED + timedelta(hours=1)
    violation = Violation.objects.get(source_key=f"emergency:{initial.pk}")
    assert violation.unit_id == incident.unit_id
    assert violation.kind == Violation.Kind.RED_CARD

    # Alerted at once: the school's head and the safety post's A holder (grade III: no leaders).
    alerts = {
        a.recipient.user.username: a for a in incident.alerts.select_related("recipient__user")
    }
    assert set(alerts) == {"school_head", "safety_a"}
    assert Notification.objects.filter(
        kind="emergencies.alert", recipient_user=users["safety_a"], channel="inbox"
    ).exists()
    with time_machine.travel(reported_at + timedelta(minutes=2), tick=False):
        alert_acknowledge(alert=alerts["school_head"], by=users["school_head"])

    # Nobody at the bureau clicks for 10 minutes: the alert goes to the B holder.
    with time_machine.travel(reported_at + timedelta(minutes=9), tick=False):
        assert emergencies_sweep().raised["escalated"] == 0
    with time_machine.travel(reported_at + timedelta(minutes=10), tick=False):
        assert emergencies_sweep().raised["escalated"] == 1
    alerts["safety_a"].refresh_from_db()
    assert alerts["safety_a"].state == Alert.State.PASSED_ON
    to_b = incident.alerts.get(state=Alert.State.PENDING)
    assert to_b.recipient.user.username == "safety_b"
    assert to_b.capacity == "post_b"
    # The B holder acknowledges on the incident page.
    client = _client(users["safety_b"])
    with time_machine.travel(reported_at + timedelta(minutes=13), tick=False):
        response = client.post(reverse("emergencies:acknowledge", args=[to_b.pk]))
    assert response.status_code == 302
    to_b.refresh_from_db()
    assert to_b.state == Alert.State.ACKNOWLEDGED
    # Acknowledged: nothing escalates any more.
    with time_machine.travel(reported_at + timedelta(hours=2), tick=False):
        assert emergencies_sweep().raised["escalated"] == 0
    assert incident.alerts.filter(state=Alert.State.PENDING).count() == 0

    # Progress reports daily (grade III): pre-warning at 18 h, report sent at 20 h, on time.
    first = incident.deadlines.get(kind="progress", sequence=1)
    assert first.due_at == reported_at + timedelta(hours=24)
    with time_machine.travel(reported_at + timedelta(hours=18), tick=False):
        assert emergencies_sweep().raised["prewarning"] == 1
    first.refresh_from_db()
    assert first.signal == ReportDeadline.Signal.WARNING
    day = reported_at
    for number in (1, 2):
        day += timedelta(hours=20)
        with time_machine.travel(day, tick=False):
            report_send(
                incident=incident,
                kind="progress",
                by=reporter,
                situation=f"第{number}天：学生病情稳定，疾控已采样。",
                injured=12,
                dead=0,
                missing=0,
            )
    assert list(
        incident.deadlines.filter(kind="progress")
        .order_by("sequence")
        .values_list("state", flat=True)
    ) == ["met", "met", "open"]

    # The response ends; the final report is due within 7 days and arrives in 5.
    with time_machine.travel(day + timedelta(hours=4), tick=False):
        incident_end_response(incident=incident, by=reporter)
    final = incident.deadlines.get(kind="final")
    assert final.due_at == day + timedelta(hours=4, days=7)
    with time_machine.travel(day + timedelta(days=5), tick=False):
        report_send(
            incident=incident,
            kind="final",
            by=reporter,
            situation="全部学生康复出院。",
            injured=12,
            dead=0,
            missing=0,
            causes="食堂凉菜储存温度不达标。",
            lessons="更换冷藏设备，加强食堂晨检和留样。",
        )
    incident.refresh_from_db()
    final.refresh_from_db()
    assert incident.state == Incident.State.CLOSED
    assert final.state == ReportDeadline.State.MET
    assert incident.deadlines.get(kind="progress", sequence=3).state == "cancelled"
    # Only the late initial report is a violation.
    assert Violation.objects.filter(source_key__startswith="emergency:").count() == 1

    # Every event on the timeline, in order, and in the audit log.
    kinds = list(incident.timeline.values_list("kind", flat=True))
    K = TimelineEvent.Kind
    assert kinds[0] == K.REPORTED
    for kind in (
        K.RED,
        K.REPORT_SENT,
        K.ALERT_SENT,
        K.ACKNOWLEDGED,
        K.ESCALATED,
        K.PREWARNING,
        K.RESPONSE_ENDED,
        K.CLOSED,
    ):
        assert kind in kinds, kind
    assert kinds.count(K.REPORT_SENT) == 4
    assert kinds.count(K.ACKNOWLEDGED) == 2
    actions = set(
        AuditEntry.objects.filter(object_id=str(incident.pk)).values_list("action", flat=True)
    )
    assert {
        "emergencies.incident.report",
        "emergencies.deadline.red",
        "emergencies.alert.send",
        "emergencies.alert.acknowledge",
        "emergencies.alert.escalate",
        "emergencies.deadline.prewarning",
        "emergencies.report.send",
        "emergencies.incident.end_response",
    } <= actions
    page = _client(users["safety_a"]).get(reverse("emergencies:incident", args=[incident.pk]))
    assert page.status_code == 200
    assert "食堂凉菜储存温度不达标" in page.content.decode()


def test_a_missing_progress_report_turns_red(users, report) -> None:
    incident = report(users)
    deadline = incident.deadlines.get(kind="progress")
    with time_machine.travel(deadline.due_at + timedelta(minutes=1), tick=False):
        result = emergencies_sweep()
    assert result.raised["red"] == 1
    deadline.refresh_from_db()
    assert deadline.signal == "red"
    assert deadline.state == "open"
    assert Violation.objects.filter(source_key=f"emergency:{deadline.pk}").exists()
    # The sweep does it once; the late report closes the deadline as late, no second violation.
    with time_machine.travel(deadline.due_at + timedelta(minutes=5), tick=False):
        assert emergencies_sweep().raised["red"] == 0
        report_send(
            incident=incident,
            kind="progress",
            by=users["school_handler"],
            situation="情况稳定",
            injured=12,
            dead=0,
            missing=0,
        )
    deadline.refresh_from_db()
    assert deadline.state == "late"
    assert Violation.objects.filter(source_key=f"emergency:{deadline.pk}").count() == 1


def test_the_bureau_chain_repeats_from_the_start(users, report, settings) -> None:
    settings.XIAONENG_EMERGENCY_ACK_MINUTES = 5
    incident = report(users, grade="4")
    seen = []
    start = incident.created_at
    for step in range(1, 6):
        with time_machine.travel(start + timedelta(minutes=5 * step), tick=False):
            emergencies_sweep()
        pending = incident.alerts.filter(line="bureau", state="pending").get()
        seen.append((pending.recipient.user.username, pending.round))
    # A → B → the head of 安全稳定科 → the leader → A again (round 2).
    assert seen[:4] == [
        ("safety_b", 1),
        ("safety_head", 1),
        ("leader", 1),
        ("safety_a", 2),
    ]


def test_severe_incidents_alert_the_leaders_at_once(users, report, staff_of) -> None:
    leader = staff_of("leader")
    leader.phone = "13900000001"
    leader.save()
    incident = report(users, grade="2")
    leaders = incident.alerts.filter(line="leaders").values_list(
        "recipient__user__username", flat=True
    )
    assert list(leaders) == ["leader"]
    sms = Notification.objects.filter(kind="emergencies.alert", channel="sms")
    # SMS go to those with a phone on their staff record; inbox to all.
    assert Notification.objects.filter(kind="emergencies.alert", channel="inbox").count() == 3
    assert list(sms.values_list("recipient_address", flat=True)) == ["13900000001"]


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_sweep_is_a_periodic_job(db) -> None:
    from xiaoneng import periodic

    jobs = {job.name: job for job in periodic.registered_jobs()}
    assert jobs["emergencies.sweep"].run() == "nothing"
