"""Second factor: required roles are sent to enrol/verify; a code works once; recovery codes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError
from xiaoneng.security.otp import otp_demo_device, otp_verify

pytestmark = [pytest.mark.django_db, pytest.mark.otp]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _sign_in(client, username: str, password: str):
    return client.post(reverse("office:login"), {"username": username, "password": password})


def test_required_role_enrols_then_verifies(client, demo_org, demo_password) -> None:
    _sign_in(client, "xiaoneng", demo_password)
    home = client.get(reverse("office:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("security:otp_verify"))
    verify = client.get(home["Location"])
    assert verify.status_code == 302
    assert verify["Location"].startswith(reverse("security:otp_enrol"))
    page = client.get(reverse("security:otp_enrol"))
    body = page.content.decode()
    assert "<svg" in body
    assert re.findall(r"<script(?![^>]*\bsrc=)", body) == []  # drawn on the server, no script
    secret = re.search(r'data-testid="otp-secret">([A-Z2-7 ]+)<', body).group(1)
    device = TOTPDevice.objects.get(user__username="xiaoneng", confirmed=False)
    assert secret.replace(" ", "") in device.config_url
    # A reload shows the same key (the scanned code keeps working).
    client.get(reverse("security:otp_enrol"))
    assert TOTPDevice.objects.filter(user__username="xiaoneng").count() == 1
    wrong = client.post(reverse("security:otp_enrol"), {"token": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    done = client.post(reverse("security:otp_enrol"), {"token": _code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get(reverse("office:home")).status_code == 200
    assert AuditEntry.objects.filter(action="security.otp_enrol").count() == 1


def test_verification_after_sign_in_and_replay_refused(client, users, demo_password) -> None:
    device = otp_demo_device(user=users["leader"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, "leader", demo_password)
        assert client.get(reverse("office:home")).status_code == 302
        code = _code(device)
        response = client.post(reverse("security:otp_verify"), {"token": code})
        assert response.status_code == 302
        assert client.get(reverse("office:home")).status_code == 200
        client.post(reverse("office:logout"))
        _sign_in(client, "leader", demo_password)
        replay = client.post(reverse("security:otp_verify"), {"token": code})
        assert replay.status_code == 200
        assert replay.context["form"].errors
        assert client.get(reverse("office:home")).status_code == 302
    with time_machine.travel(start + timedelta(seconds=35), tick=False):
        device.refresh_from_db()
        fresh = client.post(reverse("security:otp_verify"), {"token": _code(device)})
        assert fresh.status_code == 302
        assert client.get(reverse("office:home")).status_code == 200


def test_replay_refused_at_the_service(users) -> None:
    device = otp_demo_device(user=users["auditor"])
    with time_machine.travel(timezone.now(), tick=False):
        code = _code(device)
        assert otp_verify(user=users["auditor"], token=code).pk == device.pk
        with pytest.raises(DomainError):
            otp_verify(user=users["auditor"], token=code)


def test_recovery_code_works_once(client, users, demo_password) -> None:
    from xiaoneng.security.otp import otp_recovery_codes_reset

    otp_demo_device(user=users["secadmin"])
    codes = otp_recovery_codes_reset(user=users["secadmin"])
    _sign_in(client, "secadmin", demo_password)
    assert client.post(reverse("security:otp_verify"), {"token": codes[0]}).status_code == 302
    assert client.get(reverse("office:home")).status_code == 200
    client.post(reverse("office:logout"))
    _sign_in(client, "secadmin", demo_password)
    again = client.post(reverse("security:otp_verify"), {"token": codes[0]})
    assert again.status_code == 200


@pytest.mark.parametrize("username", ["inspector", "sysadmin", "secadmin", "auditor"])
def test_every_required_role_is_stopped(client, demo_org, demo_password, username) -> None:
    _sign_in(client, username, demo_password)
    assert client.get(reverse("office:home")).status_code == 302


@pytest.mark.parametrize("username", ["intake", "handler_a", "head", "school_handler"])
def test_other_roles_need_no_second_factor(client, demo_org, demo_password, username) -> None:
    _sign_in(client, username, demo_password)
    assert client.get(reverse("office:home")).status_code == 200


def test_requirement_switch(client, demo_org, demo_password, settings) -> None:
    settings.XIAONENG_REQUIRE_OTP = False
    _sign_in(client, "leader", demo_password)
    assert client.get(reverse("office:home")).status_code == 200


def test_otp_code_command_prints_a_working_code(users) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with time_machine.travel(timezone.now(), tick=False):
        call_command("otp-code", "xiaoneng", stdout=out, stderr=StringIO())
        code = out.getvalue().strip()
        assert otp_verify(user=users["xiaoneng"], token=code)


def test_otp_code_command_refuses_production(users, settings) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("otp-code", "xiaoneng")


def test_second_factor_then_expired_password_change(client, users, demo_password, settings):
    device = otp_demo_device(user=users["leader"])
    later = timezone.now() + timedelta(days=settings.XIAONENG_PASSWORD_MAX_AGE_DAYS + 1)
    with time_machine.travel(later, tick=False):
        _sign_in(client, "leader", demo_password)
        first = client.get(reverse("office:home"))
        assert first["Location"].startswith(reverse("security:otp_verify"))
        assert client.get(first["Location"]).status_code == 200
        verified = client.post(first["Location"], {"token": _code(device)})
        assert verified.status_code == 302
        then = client.get(verified["Location"])
        assert then["Location"].startswith(reverse("security:password_change"))
        assert client.get(then["Location"]).status_code == 200
