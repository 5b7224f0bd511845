"""Organisation pages: each form calls its service; refusals come back as its message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoneng.catalog.models import TimeLimitPolicy
from xiaoneng.org.models import Absence, Post, User
from xiaoneng.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db


def test_sysadmin_saves_post_holders_and_is_refused_same_person(login, basic, staff_of) -> None:
    client = login("sysadmin")
    url = reverse("office:org_department", args=[basic.pk])
    a, b = staff_of("handler_a"), staff_of("handler_b")
    form = {"form": "post", "name": "招生咨询岗", "a_holder": a.pk, "b_holder": a.pk}
    assert (
        "两个人" in client.post(url, form).content.decode()
        or "不同" in client.post(url, form).content.decode()
    )
    response = client.post(url, {**form, "b_holder": b.pk})
    assert response.status_code == 302
    assert Post.objects.get(name="招生咨询岗").b_holder == b


def test_absence_rules_and_cancel(login, staff_of) -> None:
    client = login("head")
    url = reverse("office:org_absences")
    base = {"starts_at": "2030-05-06T08:00", "ends_at": "2030-05-08T18:00", "kind": "leave"}
    assert client.post(url, {**base, "staff": staff_of("handler_a").pk}).status_code == 302
    refused = client.post(url, {**base, "staff": staff_of("handler_b").pk})
    assert "同时离岗" in refused.content.decode()
    absence = Absence.objects.get()
    cancel = reverse("office:org_absence_cancel", args=[absence.pk])
    login("school_head")
    assert client.post(cancel).status_code == 404
    login("handler_a")
    assert client.post(cancel).status_code == 403
    login("head")
    assert client.post(cancel).status_code == 302
    assert not Absence.objects.exists()


def test_calendar_and_policy_versions(login) -> None:
    client = login("sysadmin")
    response = client.post(
        reverse("office:org_calendar"), {"day": "2031-10-09", "kind": "holiday", "name": "地方假日"}
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.filter(name="地方假日").exists()
    policy = TimeLimitPolicy.objects.get(code="hotline-complaint")
    url = reverse("office:org_policy", args=[policy.pk])
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.update({key: value for key, value in form.initial.items() if value is not None})
    data["prewarn_workdays"] = 2
    data["extension_allowed"] = "on"
    assert client.post(url, data).status_code == 302
    assert policy.versions.order_by("-number").first().prewarn_workdays == 2


def test_security_administrator_creates_staff(login, basic) -> None:
    client = login("secadmin")
    response = client.post(
        reverse("office:org_staff"),
        {
            "form": "create",
            "username": "new_handler",
            "full_name": "新人",
            "department": basic.pk,
            "roles": ["handler"],
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="new_handler").groups.filter(name="handler").exists()
    refused = client.post(
        reverse("office:org_staff"),
        {
            "form": "create",
            "username": "two_admins",
            "full_name": "甲",
            "department": basic.pk,
            "roles": ["sysadmin", "auditor"],
        },
    )
    assert "三员分立" in refused.content.decode() or "只能" in refused.content.decode()


def test_a_post_has_an_english_name_shown_on_english_pages(login, basic, staff_of) -> None:
    client = login("sysadmin")
    url = reverse("office:org_department", args=[basic.pk])
    a, b = staff_of("handler_a"), staff_of("handler_b")
    form = {"form": "post", "name": "招生咨询岗", "a_holder": a.pk, "b_holder": b.pk}
    response = client.post(url, {**form, "name_en": "Admissions enquiries desk"})
    assert response.status_code == 302
    post = Post.objects.get(name="招生咨询岗")
    assert post.name_en == "Admissions enquiries desk"
    # Saved again without the English name (it is optional), the post keeps the one it has.
    assert client.post(url, form).status_code == 302
    post.refresh_from_db()
    assert post.name_en == "Admissions enquiries desk"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Admissions enquiries desk</td>" in english
    assert "招生咨询岗" not in english
    assert "<td>招生咨询岗</td>" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
