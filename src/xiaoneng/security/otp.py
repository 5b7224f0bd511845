"""Second factor: TOTP devices (django-otp) with ten one-time recovery codes.

A TOTP device remembers the last time step it accepted (``last_t``) and refuses any code of
that step or an earlier one, so a code seen over someone's shoulder cannot be replayed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.web.person import prime

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

OTP_ROLES = frozenset(
    {
        Role.EFFICIENCY_OFFICE,
        Role.INSPECTOR,
        Role.LEADER,
        Role.SYSADMIN,
        Role.SECADMIN,
        Role.AUDITOR,
    }
)
RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def otp_required_for(user: User) -> bool:
    """Whether the person's roles need a second factor (one primed query, cached per request)."""
    prime(user)
    return bool(user_roles(user) & {role.value for role in OTP_ROLES})


def otp_has_device(*, user: User) -> bool:
    exists: bool = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
    return exists


def otp_enrol_start(*, user: User) -> TOTPDevice:
    """The person's unconfirmed authenticator device, created on first call (same secret after
    a reload, so a scanned code keeps working)."""
    if otp_has_device(user=user):
        raise DomainError(_("You already have an authenticator."))
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def otp_qr_svg(*, device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, drawn on the server (no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def otp_secret_text(*, device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otp_enrol_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the new device with a code from the app; returns it and the recovery codes,
    which are shown once and never again."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).first()
        )
        if device is None:
            raise DomainError(_("Start the enrolment again."))
        if not device.verify_token(token.strip().replace(" ", "")):
            raise DomainError(_("The code is not correct. Check the time on your phone."))
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = otp_recovery_codes_reset(user=user)
        log_action(action="security.otp_enrol", obj=device, actor=user)
    return device, codes


def otp_recovery_codes_reset(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user_id=user.pk).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def otp_verify(*, user: User, token: str) -> Any:
    """The device that accepts ``token`` (an authenticator code or an unused recovery code)."""
    token = token.strip().replace(" ", "")
    if not token:
        raise DomainError(_("Enter the code."))
    with transaction.atomic():
        device = match_token(user, token)
        if device is None:
            log_action(action="security.otp_failed", obj=user, actor=user)
    if device is None:
        raise DomainError(_("The code is not correct or was already used."))
    return device


def otp_devices(*, user: User) -> list[Any]:
    return list(devices_for_user(user, confirmed=True))


def otp_demo_device(*, user: User) -> TOTPDevice:
    """A confirmed device for a demo login, so `xiaoneng otp-code` can print its codes."""
    if getattr(settings, "PRODUCTION", False):
        raise DomainError(_("Demo authenticators are not available in production."))
    device = TOTPDevice.objects.filter(user_id=user.pk).order_by("-confirmed", "pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    return device
