"""The SMS gateway adapter interface and its default backend, which only records messages.

A gateway is an importable class with a ``send`` method, named in settings; ``"aliyun"`` and
``"tencent"`` name the two providers' adapters shipped here (``sms_aliyun``, ``sms_tencent``)::

    XIAONENG_SMS_BACKEND = "aliyun"  # or "tencent", "recording", "mybureau.sms.GatewaySmsBackend"

``send`` raises any exception when the gateway refuses or cannot be reached; the relay then
counts a failed attempt and tries again later. ``text`` is the message as the recipient must
read it, one-time secrets included (see ``sealing.py``): a gateway must not log or keep it.
It is an ``OutgoingText`` whose ``shown`` attribute is the same message with the secrets
masked, the copy to keep when a backend keeps one; ``kind`` is the message's kind and
``params`` its template parameters in clear (secrets included), which a provider that sends only
approved templates needs. ``send`` may return the provider's message id, which is recorded on
the outbox row so that its delivery receipt can be fetched later (``receipts.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_SMS_BACKEND = "xiaoneng.notify.sms.RecordingSmsBackend"
# Short names accepted in XIAONENG_SMS_BACKEND.
SMS_BACKEND_ALIASES = {
    "recording": DEFAULT_SMS_BACKEND,
    "aliyun": "xiaoneng.notify.sms_aliyun.AliyunSmsBackend",
    "tencent": "xiaoneng.notify.sms_tencent.TencentSmsBackend",
}


class OutgoingText(str):
    """The text to send (a ``str``), carrying the copy that may be stored as ``shown``."""

    shown: str
    kind: str
    params: dict[str, str]

    def __new__(
        cls,
        text: str,
        *,
        shown: str | None = None,
        kind: str = "",
        params: dict[str, str] | None = None,
    ) -> OutgoingText:
        made = super().__new__(cls, text)
        made.shown = text if shown is None else shown
        made.kind = kind
        made.params = dict(params or {})
        return made

    def __repr__(self) -> str:
        # Only the masked copy: an OutgoingText that strays into a log shows no secret.
        return f"OutgoingText({self.shown!r})"


class SmsError(Exception):
    """A provider refused a message or could not be reached, with a clear reason.

    ``code`` is the provider's own code (``isv.BUSINESS_LIMIT_CONTROL``, ``LimitExceeded…``);
    ``permanent`` says that sending the same message again cannot succeed (a wrong number, a
    template the provider has not approved): the relay then marks it failed at once instead of
    retrying. The message never contains the text sent."""

    def __init__(self, reason: str, *, code: str = "", permanent: bool = False) -> None:
        super().__init__(f"{reason} [{code}]" if code else reason)
        self.reason = reason
        self.code = code
        self.permanent = permanent


@dataclass(frozen=True)
class SmsReceipt:
    """A delivery receipt: whether the handset got the message, when, and the provider's code."""

    delivered: bool
    at: datetime | None = None
    code: str = ""


@runtime_checkable
class SmsBackend(Protocol):
    """Send one text message; return normally only when the gateway accepted it."""

    def send(self, *, phone: str, text: str) -> str | None: ...


class RecordingSmsBackend:
    """Records each message in ``SmsRecord`` so an operator or a test sees what would be sent,
    with its one-time secrets masked: the record is a stored copy like any other."""

    def send(self, *, phone: str, text: str) -> None:
        from xiaoneng.notify.models import SmsRecord

        SmsRecord.objects.create(phone=phone, text=getattr(text, "shown", text))


def sms_backend() -> SmsBackend:
    """A new instance of the configured backend (read on every call, so settings can change)."""
    path = getattr(settings, "XIAONENG_SMS_BACKEND", DEFAULT_SMS_BACKEND) or DEFAULT_SMS_BACKEND
    return import_string(SMS_BACKEND_ALIASES.get(path, path))()
