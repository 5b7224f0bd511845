"""The SMS gateway adapter interface and its default backend, which only records messages.

A real gateway is an importable class with a ``send`` method, named in settings::

    XIAONENG_SMS_BACKEND = "mybureau.sms.GatewaySmsBackend"

``send`` raises any exception when the gateway refuses or cannot be reached; the relay then
counts a failed attempt and tries again later. ``text`` is the message as the recipient must
read it, one-time secrets included (see ``sealing.py``): a gateway must not log or keep it.
It is an ``OutgoingText`` whose ``shown`` attribute is the same message with the secrets
masked, the copy to keep when a backend keeps one.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_SMS_BACKEND = "xiaoneng.notify.sms.RecordingSmsBackend"


class OutgoingText(str):
    """The text to send (a ``str``), carrying the copy that may be stored as ``shown``."""

    shown: str

    def __new__(cls, text: str, *, shown: str | None = None) -> OutgoingText:
        made = super().__new__(cls, text)
        made.shown = text if shown is None else shown
        return made


@runtime_checkable
class SmsBackend(Protocol):
    """Send one text message; return normally only when the gateway accepted it."""

    def send(self, *, phone: str, text: str) -> None: ...


class RecordingSmsBackend:
    """Records each message in ``SmsRecord`` so an operator or a test sees what would be sent,
    with its one-time secrets masked: the record is a stored copy like any other."""

    def send(self, *, phone: str, text: str) -> None:
        from xiaoneng.notify.models import SmsRecord

        SmsRecord.objects.create(phone=phone, text=getattr(text, "shown", text))


def sms_backend() -> SmsBackend:
    """A new instance of the configured backend (read on every call, so settings can change)."""
    path = getattr(settings, "XIAONENG_SMS_BACKEND", DEFAULT_SMS_BACKEND) or DEFAULT_SMS_BACKEND
    return import_string(path)()
