"""Issue #21 item 6: an urgent public request runs on hours, escalates like an incident until
acknowledged, and is turned into an incident keeping the link both ways."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.emergencies.conftest import moment
from xiaoneng.cases.models import Case, Category, Urgency
from xiaoneng.cases.services import case_dispatch
from xiaoneng.cases.services.intake import case_register
from xiaoneng.cases.services.public import public_submit
from xiaoneng.emergencies.models import Alert, Incident, TimelineEvent
from xiaoneng.emergencies.services import alert_acknowledge, incident_from_case
from xiaoneng.emergencies.sweeps import emergencies_sweep
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Department
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db

# A Saturday night: an urgent request runs on calendar hours, whatever the day or hour.
SUBMITTED = moment(2026, 5, 16, 22, 40)


def _portal_submit(client, category: Category, **extra: object):
    data = {
        "kind": "complaint",
        "category": category.pk,
        "unit_concerned": "",
        "person_concerned": "",
        "title": "宿舍楼有学生晕倒",
        "content": "宿舍楼三楼有学生突然晕倒，宿管联系不上校医，请尽快处理。",
        "requester_name": "刘家长",
        "requester_phone": "13800001234",
        "requester_email": "",
        "website": "",
        **extra,
    }
    response = client.post(reverse("portal:submit"), data)
    assert response.status_code == 302, response.content.decode()[:1500]
    return Case.objects.order_by("-id").first()


def test_urgent_portal_request_on_hours_escalates_and_becomes_an_incident(
    client, users, settings
) -> None:
    settings.XIAONENG_EMERGENCY_ACK_MINUTES = 10
    other = Category.objects.get(code="other")
    with time_machine.travel(SUBMITTED, tick=False):
        case = _portal_submit(client, other, urgent="on")
    assert case.urgent
    assert case.urgency == Urgency.MARKED
    assert case.policy_version.policy.code == "urgent"
    # Hours on the clock, at night and on a weekend: accepted from the pool within 1 hour.
    intake = Clock.objects.get(owner_type="cases.case", owner_id=case.pk, stage="intake")
    assert intake.due_at == SUBMITTED + timedelta(hours=1)

    # The bureau's first-contact post is alerted at once: its A holder.
    first = Alert.objects.get(case=case)
    assert (first.recipient.user.username, first.capacity) == ("intake", "post_a")
    assert first.reply_code.isdigit()
    assert len(first.reply_code) == 4
    assert Notification.objects.filter(
        kind="emergencies.urgent_case", recipient_user=users["intake"], channel="inbox"
    ).exists()
    # Staff see the mark and the alert on the timeline; the public does not.
    events = {e.action: e for e in case.events.all()}
    assert not events["mark_urgent"].public
    assert not events["urgent_alert"].public

    # Nobody clicks for 10 minutes: passed on to the B holder, then to the head.
    with time_machine.travel(SUBMITTED + timedelta(minutes=9), tick=False):
        assert emergencies_sweep().raised["escalated"] == 0
    with time_machine.travel(SUBMITTED + timedelta(minutes=10), tick=False):
        assert emergencies_sweep().raised["escalated"] == 1
    first.refresh_from_db()
    assert first.state == Alert.State.PASSED_ON
    to_b = Alert.objects.get(case=case, state=Alert.State.PENDING)
    assert (to_b.recipient.user.username, to_b.capacity) == ("intake_b", "post_b")
    with time_machine.travel(SUBMITTED + timedelta(minutes=20), tick=False):
        assert emergencies_sweep().raised["escalated"] == 1
    to_head = Alert.objects.get(case=case, state=Alert.State.PENDING)
    assert to_head.capacity == "department_head"
    assert case.events.filter(action="urgent_escalated").count() == 2

    # The head acknowledges in the office: the escalation stops.
    head = to_head.recipient.user
    client.force_login(head)
    with time_machine.travel(SUBMITTED + timedelta(minutes=22), tick=False):
        response = client.post(reverse("emergencies:acknowledge", args=[to_head.pk]))
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    to_head.refresh_from_db()
    assert to_head.state == Alert.State.ACKNOWLEDGED
    with time_machine.travel(SUBMITTED + timedelta(hours=2), tick=False):
        assert emergencies_sweep().raised["escalated"] == 0
    assert case.events.filter(action="urgent_acknowledged", actor=head).exists()

    # Dispatched to 安全稳定科: its post's chain is alerted for signing for.
    safety = Department.objects.get(unit__code="bureau", code="safety")
    with time_machine.travel(SUBMITTED + timedelta(minutes=30), tick=False):
        case_dispatch(case=case, by=users["intake"], lead=safety)
    sign_for = Alert.objects.get(case=case, state=Alert.State.PENDING)
    assert sign_for.case_stage == "sign_for"
    assert sign_for.recipient.user.username == "safety_a"
    due = Clock.objects.get(owner_type="cases.case", owner_id=case.pk, stage="sign_for").due_at
    assert due == SUBMITTED + timedelta(minutes=30, hours=2)

    # 安全稳定科 turns it into an incident in one action; the link is kept both ways.
    with time_machine.travel(SUBMITTED + timedelta(minutes=35), tick=False):
        incident = incident_from_case(
            case=case,
            by=users["safety_a"],
            type="public_health",
            grade="3",
            place="第一中学宿舍楼",
            contact_phone="13800000000",
        )
    assert incident.source_case_id == case.pk
    assert incident.discovered_at == SUBMITTED
    assert Incident.objects.get(source_case=case) == incident
    assert incident.timeline.filter(kind=TimelineEvent.Kind.FROM_CASE).exists()
    opened = case.events.get(action="incident_opened")
    assert opened.data["incident"] == incident.pk
    assert not opened.public
    sign_for.refresh_from_db()
    assert sign_for.state == Alert.State.WITHDRAWN
    with pytest.raises(DomainError):
        incident_from_case(
            case=case,
            by=users["safety_a"],
            type="public_health",
            grade="3",
            place="x",
            contact_phone="1",
        )

    # The public tracking view shows the request like any other: no incident, no alerts.
    public_actions = set(case.events.filter(public=True).values_list("action", flat=True))
    assert not public_actions & {"mark_urgent", "urgent_alert", "incident_opened"}


def test_category_and_words_suggest_urgent_for_review(users) -> None:
    food = Category.objects.get(code="food")
    other = Category.objects.get(code="other")
    by_category = public_submit(
        kind="complaint", category=food, content="食堂卫生差", requester_phone="13800001234"
    ).case
    assert by_category.urgent
    assert by_category.urgency == Urgency.SUGGESTED
    by_words = public_submit(
        kind="help",
        category=other,
        content="操场边有人打架斗殴，有学生受伤流血",
        requester_phone="13800001234",
    ).case
    assert by_words.urgency == Urgency.SUGGESTED
    assert set(by_words.events.get(action="mark_urgent").data["words"]) >= {"斗殴", "受伤"}
    plain = public_submit(
        kind="inquiry", category=other, content="请问寒假几号开始", requester_phone="13800001234"
    ).case
    assert not plain.urgent
    assert plain.policy_version.policy.code == "bureau-consult"
    assert not Alert.objects.filter(case=plain).exists()


def test_registrar_declines_the_suggestion(users) -> None:
    food = Category.objects.get(code="food")
    registered = case_register(
        by=users["intake"],
        channel="phone",
        kind="complaint",
        category=food,
        content="食堂饭菜价格偏高",
        requester_phone="13800001234",
        urgent=False,
    )
    assert not registered.case.urgent
    assert registered.case.policy_version.policy.code != "urgent"


def test_an_application_cannot_be_urgent(users) -> None:
    with pytest.raises(DomainError):
        case_register(
            by=users["intake"],
            channel="phone",
            kind="application",
            category=Category.objects.get(code="other"),
            content="申请办学许可",
            urgent=True,
        )


def test_only_safety_and_leaders_open_an_incident_from_a_case(users) -> None:
    case = public_submit(
        kind="help",
        category=Category.objects.get(code="safety"),
        content="校门口有人持刀",
        requester_phone="13800001234",
    ).case
    for name in ("intake", "school_handler", "sysadmin", "secadmin", "auditor"):
        with pytest.raises(PermissionDenied):
            incident_from_case(
                case=case,
                by=users[name],
                type="social_security",
                grade="3",
                place="校门口",
                contact_phone="13800000000",
            )
    assert not Incident.objects.exists()


def test_only_the_recipient_acknowledges_a_request_alert(users) -> None:
    case = public_submit(
        kind="help",
        category=Category.objects.get(code="safety"),
        content="校门口有人持刀",
        requester_phone="13800001234",
    ).case
    alert = Alert.objects.get(case=case)
    with pytest.raises(PermissionDenied):
        alert_acknowledge(alert=alert, by=users["intake_b"])
    alert_acknowledge(alert=alert, by=users["intake"])
    with pytest.raises(DomainError):
        alert_acknowledge(alert=alert, by=users["intake"])
