"""Sign-in events in the audit log (GB/T 22239-2019 level 3, 安全审计): every sign-in, refusal,
lockout, second-factor refusal, sign-out, password and role change; the security administrator
reviews them and lifts a lock (audited); the audit administrator reviews the administrators."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD, UserFactory
from xiaoneng.audit.models import AuditEntry
from xiaoneng.security.otp import otp_demo_device

pytestmark = pytest.mark.django_db
WRONG = "Wrong#pass1"


def _sign_in(client, username: str, password: str, **extra):
    return client.post(
        reverse("office:login"), {"username": username, "password": password}, **extra
    )


def _rows(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def _assert_no_secret(*secrets: str) -> None:
    dumped = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    for secret in secrets:
        assert secret not in dumped


def test_sign_in_and_sign_out_are_audited(client) -> None:
    user = UserFactory(username="zhaolei")
    assert _sign_in(client, "zhaolei", TEST_PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302
    (signin,) = _rows("security.signin")
    assert (signin.actor_id, signin.object_id, signin.ip) == (user.pk, str(user.pk), "10.1.2.3")
    client.post(reverse("office:logout"))
    (signout,) = _rows("security.signout")
    assert signout.actor_id == user.pk
    _assert_no_secret(TEST_PASSWORD)


def test_failed_sign_ins_are_audited_with_the_typed_name_only(client) -> None:
    user = UserFactory(username="sunmei")
    _sign_in(client, "sunmei", WRONG)
    _sign_in(client, "no-such-person", WRONG)
    known, unknown = _rows("security.signin_failed")
    assert known.actor_id is None
    assert (known.object_id, known.summary) == (str(user.pk), {"username": "sunmei"})
    assert (unknown.object_id, unknown.summary) == ("", {"username": "no-such-person"})
    _assert_no_secret(WRONG)


def test_a_lockout_is_audited_and_every_refused_attempt_too(client, settings) -> None:
    UserFactory(username="qianwei")
    for _n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "qianwei", WRONG)
    assert len(_rows("security.lockout")) == 1
    # The right password while locked is refused, and that refusal is in the log as well.
    _sign_in(client, "qianwei", TEST_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert len(_rows("security.signin_failed")) == settings.AXES_FAILURE_LIMIT + 1
    assert not _rows("security.signin")
    _assert_no_secret(WRONG, TEST_PASSWORD)


@pytest.mark.otp
def test_a_refused_second_factor_is_audited_without_the_code(client, users, demo_password):
    otp_demo_device(user=users["leader"])
    _sign_in(client, "leader", demo_password)
    response = client.post(reverse("security:otp_verify"), {"token": "123456"})
    assert response.status_code == 200
    (failed,) = _rows("security.otp_failed")
    assert failed.actor_id == users["leader"].pk
    assert TOTPDevice.objects.filter(user=users["leader"]).exists()
    _assert_no_secret("123456")


def test_password_set_by_the_security_administrator_is_audited(client, users, demo_password):
    target = users["handler_a"]
    client.login(username="secadmin", password=demo_password)
    new = "Fresh#pass2026"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (row,) = _rows("security.password_set")
    assert (row.actor_id, row.object_id) == (users["secadmin"].pk, str(target.pk))
    _assert_no_secret(new)


def test_role_changes_are_audited(client, users, demo_password, staff_of) -> None:
    from xiaoneng.org.services import staff_set_roles

    staff_set_roles(staff=staff_of("handler_a"), roles=["handler", "intake"], by=users["secadmin"])
    (row,) = _rows("org.staff.set_roles")
    assert row.summary["after"] == ["handler", "intake"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [("secadmin", 200), ("auditor", 403), ("sysadmin", 403), ("head", 403)],
)
def test_only_the_security_administrator_reviews_sign_ins(
    client, demo_org, demo_password, username, expected
) -> None:
    client.login(username=username, password=demo_password)
    assert client.get(reverse("security:signins")).status_code == expected
    admin_page = client.get(reverse("admin:axes_accessattempt_changelist"))
    # Non-administrators are sent to the admin login page; the other two administrators get 403.
    assert admin_page.status_code == {"secadmin": 200, "head": 302}.get(username, 403)


def test_the_security_administrator_sees_events_and_lifts_a_lock(
    client, demo_org, demo_password, settings
) -> None:
    UserFactory(username="qianwei")
    visitor = client.__class__()
    for _n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(visitor, "qianwei", WRONG)
    client.login(username="secadmin", password=demo_password)
    page = client.get(reverse("security:signins")).content.decode()
    assert "qianwei" in page
    locks = client.get(reverse("security:signins")).context["locks"]
    assert {lock.username for lock in locks} >= {"qianwei"}

    response = client.post(reverse("security:signin_unlock"), {"username": "qianwei"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="qianwei").exists()
    (unlock,) = _rows("security.unlock")
    assert unlock.actor_label == "secadmin"
    assert unlock.summary["username"] == "qianwei"
    assert _sign_in(visitor, "qianwei", TEST_PASSWORD).status_code == 302


def test_nobody_else_can_lift_a_lock(client, demo_org, demo_password, settings) -> None:
    UserFactory(username="qianwei")
    for _n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client.__class__(), "qianwei", WRONG)
    for username in ("sysadmin", "auditor", "head"):
        client.login(username=username, password=demo_password)
        response = client.post(reverse("security:signin_unlock"), {"username": "qianwei"})
        assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="qianwei").exists()
    assert not _rows("security.unlock")


def test_lifting_nothing_or_a_bad_address_is_refused_plainly(client, demo_org, demo_password):
    client.login(username="secadmin", password=demo_password)
    for data in ({"username": "nobody"}, {"ip_address": "not-an-ip"}, {}):
        response = client.post(reverse("security:signin_unlock"), data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"]
    assert not _rows("security.unlock")


def test_the_auditor_filters_the_administrators_own_actions(
    client, users, demo_password, staff_of
) -> None:
    from xiaoneng.org.services import staff_set_roles

    staff_set_roles(staff=staff_of("handler_a"), roles=["handler"], by=users["secadmin"])
    client.login(username="head", password=demo_password)
    client.login(username="auditor", password=demo_password)
    response = client.get(reverse("office:audit_log"), {"actors": "admins"})
    assert response.status_code == 200
    actors = {entry.actor_label for entry in response.context["page"]}
    assert "secadmin" in actors
    assert "auditor" in actors
    assert "head" not in actors
    everyone = client.get(reverse("office:audit_log"))
    assert "head" in {entry.actor_label for entry in everyone.context["page"]}
