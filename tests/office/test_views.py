"""The office shell: login in Chinese, every demo login reaches home, English on request, roles."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xiaoneng.demo.data import DEMO_USERS

pytestmark = pytest.mark.django_db


def test_login_page_speaks_chinese_by_default(client) -> None:
    response = client.get(reverse("office:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-CN">' in body
    assert "登录" in body
    assert "用户名" in body


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_every_demo_login_reaches_its_home_page(client, demo_org, demo_password, username) -> None:
    response = client.post(
        reverse("office:login"), {"username": username, "password": demo_password}, follow=True
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("office:home")
    body = response.content.decode()
    assert "您好" in body
    assert response.context["user"].username == username


def test_wrong_password_gets_a_generic_message_in_chinese(client, demo_org) -> None:
    response = client.post(reverse("office:login"), {"username": "head", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_language_switch_shows_english(client, demo_org, demo_password) -> None:
    client.login(username="head", password=demo_password)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("office:home")}, follow=True
    )
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Welcome, 陈静" in body
    assert "Department head" in body


def test_language_switch_works_before_signing_in(client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("office:login")}, follow=True
    )
    assert "Sign in" in response.content.decode()


def test_home_shows_unit_department_and_role(client, demo_org, demo_password) -> None:
    client.login(username="handler_b", password=demo_password)
    body = client.get(reverse("office:home")).content.decode()
    assert "示例市教育局" in body
    assert "基础教育科" in body
    assert "经办人" in body


def test_logout_requires_post_and_ends_the_session(client, demo_org, demo_password) -> None:
    client.login(username="head", password=demo_password)
    assert client.get(reverse("office:logout")).status_code == 405
    client.post(reverse("office:logout"))
    assert client.get(reverse("office:home")).status_code == 302


# Permission tests: allowed, forbidden, anonymous — for every office view.
ROLE_VIEWS = {
    "office:home": {"allowed": ["intake", "auditor", "leader"], "forbidden": []},
    "office:audit_log": {"allowed": ["auditor"], "forbidden": ["sysadmin", "secadmin", "leader"]},
    "office:audit_verify": {"allowed": ["auditor"], "forbidden": ["sysadmin", "xiaoneng"]},
    "office:intake": {
        "allowed": ["intake", "xiaoneng", "handler_a", "school_handler"],
        "forbidden": ["auditor", "sysadmin", "leader"],
    },
    "office:intake_duplicates": {"allowed": ["intake"], "forbidden": ["auditor", "secadmin"]},
    "office:intake_pool": {
        "allowed": ["intake", "intake_b", "school_handler", "xiaoneng", "leader", "head"],
        "forbidden": ["auditor", "sysadmin", "secadmin"],
    },
    "office:case_list": {
        "allowed": ["intake", "xiaoneng", "leader", "handler_a", "school_head"],
        "forbidden": ["auditor", "sysadmin", "secadmin"],
    },
    "office:case_export": {"allowed": ["xiaoneng", "head"], "forbidden": ["auditor", "sysadmin"]},
    "office:queue": {
        "allowed": ["head", "school_head"],
        "forbidden": ["handler_a", "intake", "xiaoneng"],
    },
    "office:console": {
        "allowed": ["xiaoneng", "leader"],
        "forbidden": ["head", "handler_a", "intake", "auditor"],
    },
    "office:org_units": {"allowed": ["sysadmin"], "forbidden": ["secadmin", "auditor", "xiaoneng"]},
    "office:org_staff": {"allowed": ["sysadmin", "secadmin"], "forbidden": ["auditor", "head"]},
    "office:org_absences": {"allowed": ["sysadmin", "head"], "forbidden": ["handler_a", "auditor"]},
    "office:org_calendar": {"allowed": ["sysadmin"], "forbidden": ["secadmin", "head"]},
    "office:org_policies": {"allowed": ["sysadmin"], "forbidden": ["xiaoneng", "auditor"]},
    "office:cockpit": {"allowed": ["leader"], "forbidden": ["xiaoneng", "head", "auditor"]},
    "office:reply_templates": {"allowed": ["head"], "forbidden": ["handler_a", "sysadmin"]},
}
# POST-only views: a GET is refused before anything else.
POST_VIEWS = {"office:console_bulk": {"allowed": ["xiaoneng"], "forbidden": ["head", "auditor"]}}


@pytest.mark.parametrize("name", ROLE_VIEWS)
def test_view_permissions(client, demo_org, demo_password, name) -> None:
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("office:login"))
    for username in ROLE_VIEWS[name]["allowed"]:
        client.login(username=username, password=demo_password)
        assert client.get(url).status_code == 200, username
    for username in ROLE_VIEWS[name]["forbidden"]:
        client.login(username=username, password=demo_password)
        assert client.get(url).status_code == 403, username


@pytest.mark.parametrize("name", POST_VIEWS)
def test_post_view_permissions(client, demo_org, demo_password, name) -> None:
    url = reverse(name)
    assert client.post(url).status_code == 302
    for username in POST_VIEWS[name]["allowed"]:
        client.login(username=username, password=demo_password)
        assert client.get(url).status_code == 405
        assert client.post(url, {"action": "close_unrated"}).status_code == 302, username
    for username in POST_VIEWS[name]["forbidden"]:
        client.login(username=username, password=demo_password)
        assert client.post(url).status_code == 403, username


# Views of one object: anonymous → login, a role without access → 403, a person of another
# unit or department → 404 (whether the case exists is not revealed), the right person → 200.
OBJECT_VIEWS = {
    "office:case_detail": "case",
    "office:case_receipt": "case",
    "office:clock_explain": "clock",
    "office:attachment": "attachment",
    "office:org_department": "department",
    "office:org_policy": "policy",
}
POST_OBJECT_VIEWS = {
    "office:case_act",
    "office:case_reveal",
    "office:org_absence_cancel",
    "office:org_calendar_delete",
}


@pytest.fixture
def scoped_case(users, demo_org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xiaoneng.cases import clocks
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import attachment_add, case_dispatch, case_register
    from xiaoneng.org.models import Department

    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        content="家长反映招生入学信息不公开，请核查。",
        requester_phone="13800001111",
    ).case
    case = case_dispatch(
        case=case,
        by=users["intake"],
        lead=Department.objects.get(unit__code="bureau", code="basic"),
    )
    attachment = attachment_add(
        case=case, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"), by=users["intake"]
    )
    clock = clocks.current(case=case, stage=clocks.REPLY)
    return case, clock, attachment


def _object_url(name: str, scoped_case) -> str:
    from xiaoneng.catalog.models import TimeLimitPolicy
    from xiaoneng.org.models import Department

    case, clock, attachment = scoped_case
    kind = OBJECT_VIEWS[name]
    if kind == "case":
        return reverse(name, args=[case.pk])
    if kind == "clock":
        return reverse(name, args=[case.pk, clock.pk])
    if kind == "attachment":
        return reverse(name, args=[case.pk, attachment.pk])
    if kind == "department":
        return reverse(name, args=[Department.objects.get(unit__code="bureau", code="basic").pk])
    return reverse(name, args=[TimeLimitPolicy.objects.order_by("pk").first().pk])


@pytest.mark.parametrize("name", OBJECT_VIEWS)
def test_object_view_permissions(client, demo_password, scoped_case, name) -> None:
    url = _object_url(name, scoped_case)
    assert client.get(url).status_code == 302
    if OBJECT_VIEWS[name] in {"department", "policy"}:
        allowed, forbidden, out_of_scope = ["sysadmin"], ["secadmin", "xiaoneng"], []
    else:
        allowed = ["intake", "handler_a", "head", "xiaoneng", "leader"]
        forbidden = ["auditor", "sysadmin"]
        # A school's staff cannot open a bureau department's case by id, nor can another
        # bureau department's head.
        out_of_scope = ["school_handler", "school_head", "finance_head"]
    for username in allowed:
        client.login(username=username, password=demo_password)
        assert client.get(url).status_code == 200, username
    for username in forbidden:
        client.login(username=username, password=demo_password)
        assert client.get(url).status_code == 403, username
    for username in out_of_scope:
        client.login(username=username, password=demo_password)
        assert client.get(url).status_code == 404, username


def test_case_actions_respect_scope(client, demo_password, scoped_case) -> None:
    case, _clock, _attachment = scoped_case
    sign = reverse("office:case_act", args=[case.pk, "sign_for"])
    reveal = reverse("office:case_reveal", args=[case.pk])
    assert client.post(sign).status_code == 302  # anonymous: to the login page
    client.login(username="auditor", password=demo_password)
    assert client.post(sign).status_code == 403
    client.login(username="school_handler", password=demo_password)
    assert client.post(sign).status_code == 404
    assert client.post(reveal, {"reason": "x"}).status_code == 404
    # In scope but without the reveal permission: as absent as a case out of scope.
    client.login(username="handler_a", password=demo_password)
    assert client.post(reveal, {"reason": "x"}).status_code == 404
    assert client.get(sign).status_code == 405
    assert client.post(reverse("office:case_act", args=[case.pk, "fly"])).status_code == 404


def test_org_post_views_are_for_administrators(client, demo_password, users) -> None:
    from datetime import date

    from xiaoneng.workdays.services.calendar import calendar_override_set

    override = calendar_override_set(day=date(2031, 3, 3), kind="holiday", name="测试")
    url = reverse("office:org_calendar_delete", args=[override.pk])
    assert client.post(url).status_code == 302
    client.login(username="head", password=demo_password)
    assert client.post(url).status_code == 403
    client.login(username="sysadmin", password=demo_password)
    assert client.post(url).status_code == 302


def _office_url_names() -> set[str]:
    resolver = get_resolver()
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "office":
                    walk(pattern.url_patterns, "office")
            elif isinstance(pattern, URLPattern) and namespace and pattern.name:
                names.add(f"{namespace}:{pattern.name}")

    walk(resolver.url_patterns, "")
    return names


# Views whose object is not one of the kinds above, with the tests of their permissions.
TESTED_ELSEWHERE = {
    "office:reply_template_edit": "tests/cases/test_composer_pages.py::test_the_templates_page",
    "office:reply_template_remove": "tests/cases/test_composer_pages.py::test_the_templates_page",
    "office:case_reply_preview": "tests/cases/test_composer.py::test_the_preview_is_refused_*",
    "office:case_extension_preview": (
        "tests/cases/test_composer_pages.py::test_the_extension_preview_is_for_the_lead_department"
    ),
}


def test_every_office_view_has_a_permission_test() -> None:
    public = {"office:login", "office:logout"}
    tested = set(ROLE_VIEWS) | set(POST_VIEWS) | set(OBJECT_VIEWS) | POST_OBJECT_VIEWS
    tested |= set(TESTED_ELSEWHERE)
    assert _office_url_names() - public == tested


def test_auditor_verifies_the_chain_from_the_office(client, demo_org, demo_password) -> None:
    client.login(username="auditor", password=demo_password)
    body = client.post(reverse("office:audit_verify")).content.decode()
    assert "哈希链完整" in body
    log = client.get(reverse("office:audit_log")).content.decode()
    assert "开设了账号" in log
    assert "org.staff.create" not in log


@pytest.mark.parametrize(
    ("username", "visible", "hidden"),
    [
        (
            "sysadmin",
            ["/admin/org/unit/", "/admin/org/post/", "/admin/org/absence/"],
            ["/admin/org/user/", "/admin/audit/auditentry/"],
        ),
        (
            "secadmin",
            ["/admin/org/user/", "/admin/org/staff/"],
            ["/admin/org/unit/", "/admin/audit/auditentry/"],
        ),
        ("auditor", ["/admin/audit/auditentry/"], ["/admin/org/unit/", "/admin/org/user/"]),
    ],
)
def test_administrators_see_only_their_part_of_the_admin(
    client, demo_org, demo_password, username, visible, hidden
) -> None:
    client.login(username=username, password=demo_password)
    for url in visible:
        assert client.get(url).status_code == 200, url
    for url in hidden:
        assert client.get(url).status_code == 403, url


def test_non_administrators_cannot_enter_the_admin(client, demo_org, demo_password) -> None:
    client.login(username="xiaoneng", password=demo_password)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_refuses_a_second_administrator_role(client, users, demo_password) -> None:
    from django.contrib.auth.models import Group

    client.login(username="secadmin", password=demo_password)
    target = users["auditor"]
    groups = Group.objects.filter(name__in=["auditor", "sysadmin"])
    response = client.post(
        f"/admin/org/user/{target.pk}/change/",
        {
            "username": target.username,
            "full_name": target.full_name,
            "email": "",
            "is_active": "on",
            "groups": [g.pk for g in groups],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert set(target.groups.values_list("name", flat=True)) == {"auditor"}


def test_admin_refuses_absence_leaving_post_uncovered(client, staff_of, demo_password) -> None:
    client.login(username="sysadmin", password=demo_password)
    form = {
        "starts_at_0": "2026-12-01",
        "starts_at_1": "08:00:00",
        "ends_at_0": "2026-12-03",
        "ends_at_1": "18:00:00",
        "kind": "leave",
        "note": "",
    }
    first = client.post("/admin/org/absence/add/", {**form, "staff": staff_of("handler_a").pk})
    assert first.status_code == 302
    second = client.post("/admin/org/absence/add/", {**form, "staff": staff_of("handler_b").pk})
    assert second.status_code == 200
    assert "同时离岗" in second.content.decode()


def test_sysadmin_home_warns_about_a_missing_next_year(client, demo_org, demo_password) -> None:
    """No schedule loaded at all (as in a fresh test database): the warning names the years."""
    from django.utils import timezone

    client.login(username="sysadmin", password=demo_password)
    body = client.get(reverse("office:home")).content.decode()
    assert 'data-testid="calendar-status"' in body
    assert str(timezone.localdate().year) in body
    assert "暂定" in body
    client.login(username="head", password=demo_password)
    assert (
        'data-testid="calendar-status"' not in client.get(reverse("office:home")).content.decode()
    )
