"""Delivery channels: a name → deliver function registry the relay uses.

A deliver function returns normally when the message left (or, for the inbox, is in place) and
raises any exception otherwise; the relay turns an exception into a failed attempt, or into a
failure for good at once when the exception says ``permanent`` (a refused number or recipient).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail

from xiaoneng.notify.models import Notification
from xiaoneng.notify.sms import OutgoingText, SmsError, sms_backend
from xiaoneng.sealing import unseal

Deliver = Callable[[Notification], None]


class DeliveryError(SmsError):
    """A channel's failure with a clear reason; ``permanent`` when trying again cannot help."""


_channels: dict[str, Deliver] = {}


def register(name: str, deliver: Deliver) -> None:
    _channels[name] = deliver


def channel_for(name: str) -> Deliver:
    try:
        return _channels[name]
    except KeyError:
        raise LookupError(f"no delivery channel named {name!r}") from None


def message_params(notification: Notification) -> dict[str, str]:
    """The template parameters as they leave, the sealed secrets opened, with ``subject`` and
    ``case_number``: what a provider that sends only approved templates fills them with."""
    return {
        "subject": notification.subject,
        "case_number": notification.case_number,
        **notification.params,
        **unseal(notification.sealed),
    }


def message_text(notification: Notification) -> str:
    """The body as it leaves: the template with the sealed secrets filled in, else the body."""
    if not notification.sealed:
        return notification.body
    params = {**notification.params, **unseal(notification.sealed)}
    return notification.template % params


def deliver_inbox(notification: Notification) -> None:
    """The row itself is the in-app message: nothing leaves the system."""


def deliver_email(notification: Notification) -> None:
    """Through ``EMAIL_BACKEND`` (SMTP in production): the subject, and the same text as the
    SMS and the inbox. A recipient every server refused for good (5xx) fails at once."""
    try:
        send_mail(
            subject=notification.subject,
            message=message_text(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient_address],
            fail_silently=False,
        )
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _message in exc.recipients.values()]
        permanent = bool(codes) and all(500 <= int(code) < 600 for code in codes)
        raise DeliveryError(
            f"the mail server refused the recipient ({', '.join(map(str, codes))})",
            permanent=permanent,
        ) from None


def deliver_sms(notification: Notification) -> None:
    shown = notification.body or notification.subject
    text = message_text(notification) or shown
    backend = sms_backend()
    message_id = backend.send(
        phone=notification.recipient_address,
        text=OutgoingText(
            text, shown=shown, kind=notification.kind, params=message_params(notification)
        ),
    )
    provider = str(getattr(backend, "provider", "") or "")
    if message_id or provider:
        # Kept with the row (the relay saves its own fields after this): the receipt is
        # fetched later with this id (receipts.py).
        notification.provider = provider[:16]
        notification.provider_message_id = str(message_id or "")[:64]
        Notification.objects.filter(pk=notification.pk).update(
            provider=notification.provider, provider_message_id=notification.provider_message_id
        )


register(Notification.Channel.INBOX, deliver_inbox)
register(Notification.Channel.EMAIL, deliver_email)
register(Notification.Channel.SMS, deliver_sms)
