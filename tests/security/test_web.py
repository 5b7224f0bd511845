"""Web hardening: script injection escaped, CSP, no-store, generic error pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from xiaoneng.cases.models import Case, Category, ReplyDraft
from xiaoneng.cases.services import case_dispatch, case_sign_for
from xiaoneng.org.models import Department
from xiaoneng.security.middleware import content_security_policy

pytestmark = pytest.mark.django_db
PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _assert_escaped(body: str) -> None:
    assert PAYLOAD not in body
    assert ESCAPED in body


def test_office_intake_and_reply_text_is_escaped(client, demo_org, demo_password, staff_of):
    category = Category.objects.get(code="enrolment")
    client.login(username="intake", password=demo_password)
    response = client.post(
        reverse("office:intake"),
        {
            "channel": "phone",
            "kind": "complaint",
            "category": category.pk,
            "title": f"标题{PAYLOAD}",
            "content": f"内容{PAYLOAD}",
            "person_concerned": PAYLOAD,
            "requester_name": "李家长",
            "requester_phone": "13700001234",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    _assert_escaped(client.get(response["Location"]).content.decode())
    _assert_escaped(client.get(reverse("office:case_list")).content.decode())
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    basic = Department.objects.get(unit__code="bureau", code="basic")
    case = case_dispatch(case=case, by=users["intake"], lead=basic)
    case_sign_for(case=case, by=users["handler_a"])
    client.login(username="handler_a", password=demo_password)
    reply = client.post(
        reverse("office:case_act", args=[case.pk, "reply"]), {"text": f"答复{PAYLOAD}"}
    )
    assert reply.status_code in (200, 302)
    # Submitted for the head's review: the text is the case's draft until it is issued.
    assert ReplyDraft.objects.get(case_id=case.pk).text == f"答复{PAYLOAD}"
    client.login(username="head", password=demo_password)
    _assert_escaped(client.get(reverse("office:case_detail", args=[case.pk])).content.decode())


def test_portal_submission_is_escaped_in_the_portal_and_the_office(client, demo_org, demo_password):
    category = Category.objects.get(code="enrolment")
    response = client.post(
        reverse("portal:submit"),
        {
            "kind": "complaint",
            "category": category.pk,
            "unit_concerned": "",
            "person_concerned": "",
            "title": f"标题{PAYLOAD}",
            "content": f"第一中学在招生时收取择校费{PAYLOAD}",
            "requester_name": "刘家长",
            "requester_phone": "13800001234",
            "requester_email": "",
            "website": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    case = Case.objects.get()
    assert PAYLOAD in case.content
    assert PAYLOAD not in response.content.decode()
    client.post(reverse("office:logout"))
    client.login(username="xiaoneng", password=demo_password)
    _assert_escaped(client.get(reverse("office:case_detail", args=[case.pk])).content.decode())


def test_csp_header_has_no_inline_script(client, demo_org, demo_password) -> None:
    for url in (reverse("office:login"), reverse("portal:home")):
        policy = client.get(url)["Content-Security-Policy"]
        script = re.search(r"script-src ([^;]+)", policy).group(1)
        assert script.strip() == "'self'"
        assert "unsafe-inline" not in script
        assert "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in content_security_policy("/office/")


def test_templates_hold_no_inline_script_style_or_handlers() -> None:
    """Our templates keep CSP simple: scripts only from files, no style attributes."""
    from pathlib import Path

    import xiaoneng

    found = []
    for path in Path(xiaoneng.__file__).parent.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)|\son[a-z]+=|style=|<style|javascript:", text):
            found.append(path.name)
    assert found == []


def test_no_store_on_signed_in_pages_and_portal_tracking(client, demo_org, demo_password):
    assert "no-store" not in client.get(reverse("portal:home")).get("Cache-Control", "")
    assert "no-store" in client.get(reverse("portal:track"))["Cache-Control"]
    client.login(username="intake", password=demo_password)
    for name in ("office:home", "office:case_list", "notify:inbox"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"], name


def test_error_pages_are_generic(client, demo_org, demo_password) -> None:
    missing = client.get("/office/does-not-exist/")
    assert missing.status_code == 404
    assert 'data-testid="error-404"' in missing.content.decode()
    client.login(username="intake", password=demo_password)
    denied = client.get(reverse("office:audit_log"))
    assert denied.status_code == 403
    assert 'data-testid="error-403"' in denied.content.decode()
    assert "Traceback" not in denied.content.decode()


def test_server_error_page_is_generic(rf) -> None:
    from django.views.defaults import server_error

    body = server_error(rf.get("/")).content.decode()
    assert 'data-testid="error-500"' in body
    assert "Traceback" not in body
