"""The SMS gateway adapter interface and its default backend, which only records messages.

A real gateway is an importable class with a ``send`` method, named in settings::

    XIAONENG_SMS_BACKEND = "mybureau.sms.GatewaySmsBackend"

``send`` raises any exception when the gateway refuses or cannot be reached; the relay then
counts a failed attempt and tries again later.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_SMS_BACKEND = "xiaoneng.notify.sms.RecordingSmsBackend"


@runtime_checkable
class SmsBackend(Protocol):
    """Send one text message; return normally only when the gateway accepted it."""

    def send(self, *, phone: str, text: str) -> None: ...


class RecordingSmsBackend:
    """Records each message in ``SmsRecord`` so an operator or a test sees what would be sent."""

    def send(self, *, phone: str, text: str) -> None:
        from xiaoneng.notify.models import SmsRecord

        SmsRecord.objects.create(phone=phone, text=text)


def sms_backend() -> SmsBackend:
    """A new instance of the configured backend (read on every call, so settings can change)."""
    path = getattr(settings, "XIAONENG_SMS_BACKEND", DEFAULT_SMS_BACKEND) or DEFAULT_SMS_BACKEND
    return import_string(path)()
