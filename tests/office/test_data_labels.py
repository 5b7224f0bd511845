"""Data labels read in the reader's language at display time (issue 26, item 6): time-limit
policies and their stages, roles, units and departments in the figures, evaluation rounds,
message bodies; the bulletin's frozen text stays Chinese whoever drafts it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from xiaoneng.catalog.models import TimeLimitPolicy
from xiaoneng.org.models import Department, Unit

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_time_limit_policies_have_english_names(demo_org) -> None:
    policy = TimeLimitPolicy.objects.get(code="hotline-complaint")
    with translation.override("en"):
        assert str(policy) == "12345 hotline referral (complaint/suggestion/report)"
    with translation.override("zh-hans"):
        assert str(policy) == "12345热线交办（投诉/建议/举报）"
    # Every seeded policy has one (the migration's and the seeders' names).
    assert not TimeLimitPolicy.objects.filter(name_en="").exists()


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("zh-hans", ["签收 1 工作日", "12345热线交办（投诉/建议/举报）"], ["sign_for", "reply 15"]),
        (
            "en",
            ["Sign for 1", "12345 hotline referral (complaint/suggestion/report)"],
            ["sign_for", "热线"],
        ),
    ],
)
def test_the_policies_page_names_policies_and_stages_in_the_readers_language(
    client, demo_org, demo_password, language, shown, hidden
) -> None:
    client.login(username="sysadmin", password=demo_password)
    text = _text(
        client.get(reverse("office:org_policies"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    )
    for word in shown:
        assert word in text
    for word in hidden:
        assert word not in text


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("zh-hans", "科室负责人", "dept_head"), ("en", "Department head", "dept_head")],
)
def test_the_staff_list_names_roles_not_codes(
    client, demo_org, demo_password, language, shown, hidden
) -> None:
    client.login(username="sysadmin", password=demo_password)  # reads, without the checkboxes
    html = client.get(reverse("office:org_staff"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    table = _text(html[html.index('data-testid="staff"') :])
    assert shown in table
    assert hidden not in table


def test_the_staff_form_places_the_new_member_through_the_department_picker(
    client, demo_org, demo_password
) -> None:
    from xiaoneng.org.models import Staff

    school_office = Department.objects.get(unit__code="school-1", code="principal")
    client.login(username="secadmin", password=demo_password)
    page = client.get(reverse("office:org_staff")).content.decode()
    assert re.search(r'<select name="department"[^>]*data-searchable', page)
    assert "第一中学 · 校长办公室" in page
    response = client.post(
        reverse("office:org_staff"),
        {
            "form": "create",
            "username": "new_clerk",
            "full_name": "新同事",
            "department": school_office.pk,
            "roles": ["handler"],
        },
    )
    assert response.status_code == 302
    staff = Staff.objects.get(user__username="new_clerk")
    assert (staff.unit.code, staff.department_id) == ("school-1", school_office.pk)
    wrong = client.post(
        reverse("office:org_staff"),
        {"form": "create", "username": "nobody", "full_name": "某", "department": "999999"},
    )
    assert wrong.status_code == 200
    assert not Staff.objects.filter(user__username="nobody").exists()


def test_the_duty_roster_picks_the_unit_in_a_searchable_picker(
    client, demo_org, demo_password
) -> None:
    school = Unit.objects.get(code="school-1")
    client.login(username="xiaoneng", password=demo_password)
    url = reverse("emergencies:roster")
    page = client.get(f"{url}?unit={school.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    select = re.search(r'<select name="unit"[^>]*>.*?</select>', page, re.S)
    assert select is not None
    assert "data-searchable" in select.group(0)
    assert 'id="roster-unit"' in select.group(0)
    assert re.search(rf'<option value="{school.pk}" selected>No. 1 Middle School</option>', page)


def test_message_bodies_read_in_the_readers_language(demo_org, users) -> None:
    from xiaoneng.notify.models import Notification

    note = Notification(
        channel=Notification.Channel.INBOX,
        recipient_user=users["handler_a"],
        subject="涉及您的处理决定已作出",
        body="处理决定：效能告诫。您可在5个工作日内申诉。",
    )
    with translation.override("en"):
        assert (
            note.body_label == "Sanction: Efficiency warning. You may appeal within 5 working days."
        )
    with translation.override("zh-hans"):
        assert note.body_label == note.body
    typed = Notification(body="请于周五前回复。")
    with translation.override("en"):
        assert typed.body_label == "请于周五前回复。"


@pytest.fixture
def period(demo_org, users):
    """A complaint about 第一中学 dispatched to 基础教育科 today, in the rollups."""
    from datetime import timedelta

    from django.utils import timezone

    from xiaoneng.assessment.rollups import rollups_rebuild
    from xiaoneng.assessment.selectors import Period
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_dispatch, case_register

    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="招生问题",
        content="家长反映第一中学招生问题。",
        requester_phone="13600004444",
        unit_concerned=Unit.objects.get(code="school-1"),
    ).case
    case_dispatch(case=case, by=users["intake"], lead=Department.objects.get(code="basic"))
    rollups_rebuild()
    today = timezone.localdate()
    return Period(today - timedelta(days=1), today)


def test_figures_name_units_departments_and_categories_in_the_readers_language(period) -> None:
    from xiaoneng.assessment.concerned import concerned_ranking
    from xiaoneng.assessment.selectors import ranking, unit_name

    school = Unit.objects.get(code="school-1")
    with translation.override("en"):
        schools = concerned_ranking(period)
        departments = {row.name for row in ranking(period, by="department")}
        assert unit_name(school.pk) == "No. 1 Middle School"
    assert [row.name for row in schools] == ["No. 1 Middle School"]
    assert schools[0].categories[0][1] == "Enrolment and admission"
    assert departments
    assert not any(re.search(r"[\u4e00-\u9fff]", name) for name in departments), departments
    with translation.override("zh-hans"):
        assert [row.name for row in concerned_ranking(period)] == ["第一中学"]


def test_the_bulletin_is_frozen_in_chinese_whoever_drafts_it(period) -> None:
    from xiaoneng.assessment.bulletins import bulletin_content

    with translation.override("en"):
        content = bulletin_content(period)
    names = [row["name"] for row in content["departments"] + content["schools"]]
    assert names
    assert all(re.search(r"[\u4e00-\u9fff]", name) for name in names), names


def test_evaluation_units_and_panels_read_in_the_readers_language(demo_org) -> None:
    from xiaoneng.evaluation.models import Panel, RoundUnit

    school = Unit.objects.get(code="school-1")
    basic = Department.objects.get(unit__code="bureau", code="basic")
    with translation.override("en"):
        assert RoundUnit(unit=school, name=school.name).label == "No. 1 Middle School"
        assert RoundUnit(department=basic, name=basic.name).label == basic.name_en
        assert Panel(kind=Panel.Kind.RECIPIENTS, name="服务对象").label == "Service recipients"
        assert Panel(kind=Panel.Kind.NAMED, name="家长代表").label == "家长代表"
    with translation.override("zh-hans"):
        assert RoundUnit(unit=school, name=school.name).label == "示例市第一中学"
