"""Who may use the roster, plan and drill pages: a school only its own, another school nothing,
the three administrators nothing; the bureau's safety readers everything. And the pages work."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document

from xiaoneng.emergencies.models import Drill, DrillRequirement, DutyShift, DutySwap, EmergencyPlan
from xiaoneng.emergencies.services.drills import drill_record, plan_add, requirement_set
from xiaoneng.emergencies.services.rosters import roster_fill
from xiaoneng.org.models import Staff, Unit

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditor")
ALL_SEEING = ("safety_a", "safety_head", "xiaoneng", "leader")


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def staff(username: str) -> Staff:
    return Staff.objects.select_related("user", "unit").get(user__username=username)


def docx_upload(name: str = "预案.docx") -> SimpleUploadedFile:
    document = Document()
    document.add_paragraph("第一中学突发事件总体应急预案")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def school_records(users):
    """第一中学's roster shift, plan and drill, and 第二中学's drill."""
    today = timezone.localdate()
    school = Unit.objects.get(code="school-1")
    roster_fill(
        by=users["school_head"],
        unit=school,
        start=today + timedelta(days=1),
        end=today + timedelta(days=1),
        night_people=[staff("school_handler")],
    )
    plan = plan_add(
        by=users["school_handler"],
        title="第一中学突发事件总体应急预案",
        type="overall",
        version="2026版",
        approved_on=today,
        approved_by="校长办公会",
        document=docx_upload(),
    )
    drill = drill_record(
        by=users["school_handler"],
        held_on=today,
        type="evacuation",
        participants=1200,
        evaluation="全校疏散用时4分30秒，秩序良好。",
        plan=plan,
    )
    other = drill_record(
        by=users["s2_intake"],
        held_on=today,
        type="fire",
        participants=300,
        evaluation="第二中学消防演练。",
    )
    shift = DutyShift.objects.get(unit=school)
    return {"plan": plan, "drill": drill, "other": other, "shift": shift}


LISTS = ["roster", "plans", "drills", "drill_status", "plan_new", "drill_new"]


@pytest.mark.parametrize("name", LISTS)
def test_pages_refuse_anonymous_and_administrators(name, users) -> None:
    url = reverse(f"emergencies:{name}")
    assert "/login/" in _client().get(url)["Location"]
    for admin in ADMINS:
        assert _client(users[admin]).get(url).status_code == 403


def test_a_school_sees_only_its_own_records(users, school_records) -> None:
    plan, drill, other = school_records["plan"], school_records["drill"], school_records["other"]
    school = _client(users["school_handler"])
    page = school.get(reverse("emergencies:drills")).content.decode()
    assert f'data-drill="{drill.pk}"' in page
    assert f'data-drill="{other.pk}"' not in page
    assert plan.title in school.get(reverse("emergencies:plans")).content.decode()
    document = school.get(reverse("emergencies:plan_document", args=[plan.pk]))
    assert document.status_code == 200
    assert Document(io.BytesIO(b"".join(document.streaming_content))).paragraphs[0].text == (
        "第一中学突发事件总体应急预案"
    )
    roster = school.get(reverse("emergencies:roster")).content.decode()
    assert "何芳" in roster  # the night shift
    # Another school: nothing of 第一中学's.
    s2 = _client(users["s2_intake"])
    assert plan.title not in s2.get(reverse("emergencies:plans")).content.decode()
    assert f'data-drill="{drill.pk}"' not in s2.get(reverse("emergencies:drills")).content.decode()
    assert s2.get(reverse("emergencies:plan_document", args=[plan.pk])).status_code == 404
    school_1 = Unit.objects.get(code="school-1")
    assert s2.get(reverse("emergencies:roster"), {"unit": school_1.pk}).status_code == 404
    shift = school_records["shift"]
    assert s2.get(reverse("emergencies:swap_new", args=[shift.pk])).status_code == 404
    # The administrators: refused everywhere.
    for admin in ADMINS:
        client = _client(users[admin])
        assert client.get(reverse("emergencies:plan_document", args=[plan.pk])).status_code == 403
        assert client.get(reverse("emergencies:swap_new", args=[shift.pk])).status_code == 403


@pytest.mark.parametrize("username", ALL_SEEING)
def test_the_bureau_safety_readers_see_every_school(username, users, school_records) -> None:
    client = _client(users[username])
    page = client.get(reverse("emergencies:drills")).content.decode()
    assert f'data-drill="{school_records["drill"].pk}"' in page
    assert f'data-drill="{school_records["other"].pk}"' in page
    school_1 = Unit.objects.get(code="school-1")
    assert client.get(reverse("emergencies:roster"), {"unit": school_1.pk}).status_code == 200


def test_the_fill_form_fills_a_holiday_week_for_the_head_only(users) -> None:
    school = Unit.objects.get(code="school-1")
    url = f"{reverse('emergencies:roster_fill')}?unit={school.pk}"
    assert _client(users["school_handler"]).get(url).status_code == 403
    assert _client(users["s2_intake"]).get(url).status_code == 404
    head = _client(users["school_head"])
    assert head.get(url).status_code == 200
    start = timezone.localdate() + timedelta(days=1)
    response = head.post(
        url,
        {
            "start": start.isoformat(),
            "end": (start + timedelta(days=6)).isoformat(),
            "days": "all",
            "day_people": [staff("school_handler").pk],
            "night_people": [staff("school_handler_b").pk, staff("school_head").pk],
        },
    )
    assert response.status_code == 302
    assert DutyShift.objects.filter(unit=school).count() == 14
    # Bad input: a clear message, nothing written.
    response = head.post(url, {"start": start.isoformat(), "end": start.isoformat(), "days": "all"})
    assert response.status_code == 200
    assert "值班" in response.content.decode()
    assert DutyShift.objects.filter(unit=school).count() == 14


def test_a_swap_through_the_pages(users, school_records) -> None:
    shift = school_records["shift"]
    url = reverse("emergencies:swap_new", args=[shift.pk])
    client = _client(users["school_handler"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"to_staff": staff("school_handler_b").pk, "reason": "出差"})
    assert response.status_code == 302
    swap = DutySwap.objects.get()
    decide = reverse("emergencies:swap_decide", args=[swap.pk])
    assert _client(users["s2_intake"]).post(decide, {"decision": "approve"}).status_code == 404
    _client(users["school_handler_b"]).post(decide, {"decision": "approve"})
    assert DutySwap.objects.get().state == DutySwap.State.REQUESTED  # not the head: refused
    _client(users["school_head"]).post(decide, {"decision": "approve"})
    assert DutySwap.objects.get().state == DutySwap.State.APPROVED
    shift.refresh_from_db()
    assert shift.staff == staff("school_handler_b")


def test_plans_and_drills_through_the_forms(users) -> None:
    client = _client(users["school_handler"])
    today = timezone.localdate()
    response = client.post(
        reverse("emergencies:plan_new"),
        {
            "title": "食品安全事故应急预案",
            "type": "food_safety",
            "version": "V1",
            "approved_on": today.isoformat(),
            "approved_by": "校长办公会",
            "document": SimpleUploadedFile("plan.docx", b"not a document"),
        },
    )
    assert response.status_code == 200  # refused: not a DOCX by its content
    assert not EmergencyPlan.objects.exists()
    response = client.post(
        reverse("emergencies:plan_new"),
        {
            "title": "食品安全事故应急预案",
            "type": "food_safety",
            "version": "V1",
            "approved_on": today.isoformat(),
            "approved_by": "校长办公会",
            "document": docx_upload(),
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("emergencies:drill_new"),
        {
            "held_on": (today + timedelta(days=3)).isoformat(),
            "type": "fire",
            "participants": 40,
            "evaluation": "x",
        },
    )
    assert response.status_code == 200
    assert not Drill.objects.exists()
    response = client.post(
        reverse("emergencies:drill_new"),
        {"held_on": today.isoformat(), "type": "fire", "participants": 40, "evaluation": "良好"},
    )
    assert response.status_code == 302
    assert Drill.objects.get().unit.code == "school-1"


def test_requirements_set_by_the_office_and_the_status_links_its_numbers(
    users, school_records
) -> None:
    url = reverse("emergencies:requirement_set")
    form = {"type": "evacuation", "per": "term", "minimum": 2}
    for username in ("school_head", "leader", "head"):
        assert _client(users[username]).post(url, form).status_code == 403
    assert _client(users["xiaoneng"]).post(url, form).status_code == 302
    requirement = DrillRequirement.objects.get()
    assert requirement.minimum == 2
    page = _client(users["safety_a"]).get(reverse("emergencies:drill_status")).content.decode()
    school_1 = Unit.objects.get(code="school-1")
    term = school_records["drill"].held_on
    assert 'data-count="1"' in page
    assert f"unit={school_1.pk}&amp;type=evacuation" in page
    # The link lists exactly the drill counted.
    from xiaoneng.emergencies.selectors_drills import term_of

    window = term_of(term)
    listed = _client(users["safety_a"]).get(
        reverse("emergencies:drills"),
        {
            "unit": school_1.pk,
            "type": "evacuation",
            "from": window.start.isoformat(),
            "to": window.end.isoformat(),
        },
    )
    assert f'data-drill="{school_records["drill"].pk}"' in listed.content.decode()
    assert f'data-drill="{school_records["other"].pk}"' not in listed.content.decode()
    # A school sees its own row only.
    own = _client(users["school_handler"]).get(reverse("emergencies:drill_status")).content.decode()
    assert f'data-unit="{school_1.pk}"' in own
    assert own.count("data-unit=") == 1
    remove = reverse("emergencies:requirement_remove", args=[requirement.pk])
    assert _client(users["school_head"]).post(remove).status_code == 403
    _client(users["safety_head"]).post(remove)
    assert not DrillRequirement.objects.exists()


def test_the_status_page_queries_do_not_grow_with_the_drills(users) -> None:
    requirement_set(by=users["xiaoneng"], type="evacuation", per="term", minimum=2)
    requirement_set(by=users["xiaoneng"], type="fire", per="year", minimum=1)
    client = _client(users["xiaoneng"])
    url = reverse("emergencies:drill_status")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in ("school-1", "school-2", "school-exp"):
        unit = Unit.objects.get(code=code)
        for n in range(3):
            drill_record(
                by=users["xiaoneng"],
                unit=unit,
                held_on=date.today() - timedelta(days=n),
                type="evacuation",
                participants=100,
                evaluation="良好",
            )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
