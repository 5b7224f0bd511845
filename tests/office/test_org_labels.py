"""Units, departments, notification subjects and document links in the reader's language
(issue 26, item 6): English names where they are set, the Chinese name otherwise; the API keeps
the Chinese names."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from xiaoneng.audit.models import AuditEntry
from xiaoneng.org.labels import department_label, unit_label
from xiaoneng.org.models import Department, Unit
from xiaoneng.org.services import org_english_names_fill

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_units_and_departments_read_in_the_active_language(demo_org) -> None:
    school = Unit.objects.get(code="school-1")
    office = Department.objects.select_related("unit").get(unit=school, code="principal")
    with translation.override("zh-hans"):
        assert (str(school), school.short_label) == ("示例市第一中学", "第一中学")
        assert department_label(office) == "第一中学 · 校长办公室"
    with translation.override("en"):
        assert (str(school), school.short_label) == ("No. 1 Middle School",) * 2
        assert department_label(office) == "No. 1 Middle School · Principal's Office"
        assert str(Department.objects.get(unit__code="bureau", code="efficiency")) == (
            "Efficiency Office"
        )


def test_a_unit_without_an_english_name_falls_back_to_chinese(demo_org) -> None:
    unit = Unit.objects.create(code="new-school", name="示例市新区学校", short_name="新区学校")
    department = Department.objects.create(unit=unit, code="office", name="校办")
    with translation.override("en"):
        assert (unit.label, unit_label(unit)) == ("示例市新区学校", "新区学校")
        assert department_label(department) == "新区学校 · 校办"


def test_english_names_fill_keeps_names_already_set_and_is_audited(demo_org) -> None:
    unit = Unit.objects.create(code="new-school", name="示例市新区学校")
    efficiency = Department.objects.get(unit__code="bureau", code="efficiency")
    before = AuditEntry.objects.count()
    filled = org_english_names_fill(
        units={"new-school": "New District School", "bureau": "Changed"},
        departments={"efficiency": "Changed"},
        by=None,
    )
    assert filled == 1
    unit.refresh_from_db()
    efficiency.refresh_from_db()
    assert unit.name_en == "New District School"
    assert efficiency.name_en == "Efficiency Office"
    assert Unit.objects.get(code="bureau").name_en == "Example City Education Bureau"
    assert AuditEntry.objects.count() == before + 1


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("zh-hans", ["效能办", "监察室", "示例市第一中学"], ["Efficiency Office"]),
        ("en", ["Efficiency Office", "Supervision Office", "No. 1 Middle School"], ["效能办"]),
    ],
)
def test_the_organisation_page_names_departments_in_the_readers_language(
    client, demo_org, demo_password, language, shown, hidden
) -> None:
    client.login(username="sysadmin", password=demo_password)
    response = client.get(reverse("office:org_units"), HTTP_ACCEPT_LANGUAGE=language)
    text = _text(response.content.decode())
    for name in shown:
        assert name in text
    for name in hidden:
        assert name not in text


def test_the_sysadmin_gives_a_new_unit_its_english_name(client, demo_org, demo_password) -> None:
    client.login(username="sysadmin", password=demo_password)
    form = {
        "code": "new-school",
        "name": "示例市新区学校",
        "name_en": "New School",
        "kind": "school",
    }
    response = client.post(reverse("office:org_units"), form)
    assert response.status_code == 302
    assert Unit.objects.get(code="new-school").name_en == "New School"


def test_the_units_form_refuses_anonymous_and_other_roles(client, demo_org, demo_password) -> None:
    url = reverse("office:org_units")
    form = {"code": "x-school", "name": "某学校", "name_en": "X", "kind": "school"}
    assert client.post(url, form).status_code in (302, 403)
    client.login(username="handler_a", password=demo_password)
    assert client.post(url, form).status_code in (302, 403)
    assert not Unit.objects.filter(code="x-school").exists()


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("zh-hans", "第一中学", "No. 1 Middle School"),
        ("en", "No. 1 Middle School", "第一中学"),
    ],
)
def test_the_public_figures_name_units_in_the_readers_language(
    client, demo_org, language, shown, hidden
) -> None:
    response = client.get(reverse("portal:figures"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert shown in text
    assert hidden not in text


def _register(users):
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_register

    return case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="学校违规收取择校费",
        content="家长反映第一中学在招生时违规收取择校费，请核查。",
        requester_name="张家长",
        requester_phone="13912345678",
    ).case


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("zh-hans", "受理回执", "Acknowledgement of receipt"), ("en", "Acknowledgement", "受理回执")],
)
def test_the_case_page_names_its_documents_in_the_readers_language(
    client, users, demo_password, language, shown, hidden
) -> None:
    case = _register(users)
    client.login(username="xiaoneng", password=demo_password)
    html = client.get(
        reverse("office:case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    documents = re.search(r'data-testid="documents">(.*?)</ul>', html, re.S)
    assert documents is not None
    assert shown in documents.group(1)
    assert hidden not in documents.group(1)


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("zh-hans", ["有工单待签收", "督办单DB-2026-7：请书面反馈"], ["A case to sign for"]),
        ("en", ["A case to sign for", "Supervision order DB-2026-7: feedback"], ["有工单待签收"]),
    ],
)
def test_the_inbox_shows_subjects_stored_in_chinese_in_the_readers_language(
    client, users, staff_of, demo_password, language, shown, hidden
) -> None:
    from django.utils.translation import gettext

    from xiaoneng.notify.services import notify_people

    case = _register(users)
    with translation.override("zh-hans"):
        for subject in (
            gettext("A case to sign for"),
            gettext("Supervision order %(number)s: feedback required") % {"number": "DB-2026-7"},
        ):
            notify_people(
                [staff_of("handler_a")], kind="case.dispatched", subject=subject, body="", obj=case
            )
    client.login(username="handler_a", password=demo_password)
    for url in (reverse("notify:inbox"), reverse("office:home")):
        text = _text(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
        for subject in shown:
            assert subject in text, url
        for subject in hidden:
            assert subject not in text, url


def test_subjects_that_are_no_known_message_stay_as_stored() -> None:
    from xiaoneng.notify.subjects import subject_label

    with translation.override("en"):
        assert subject_label("XN-2026-000012") == "XN-2026-000012"
        assert subject_label("2026年家长满意度测评") == "2026年家长满意度测评"
        # Only parameters and punctuation: nothing to recognise a message by.
        assert subject_label("甲：乙") == "甲：乙"
        assert subject_label("节假日值班表有空缺：第一中学") == (
            "Holiday duty roster has gaps: 第一中学"
        )
