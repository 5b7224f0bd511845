"""Delivery channels: a name → deliver function registry the relay uses.

A deliver function returns normally when the message left (or, for the inbox, is in place) and
raises any exception otherwise; the relay turns an exception into a failed attempt.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail

from xiaoneng.notify.models import Notification
from xiaoneng.notify.sms import OutgoingText, sms_backend
from xiaoneng.sealing import unseal

Deliver = Callable[[Notification], None]

_channels: dict[str, Deliver] = {}


def register(name: str, deliver: Deliver) -> None:
    _channels[name] = deliver


def channel_for(name: str) -> Deliver:
    try:
        return _channels[name]
    except KeyError:
        raise LookupError(f"no delivery channel named {name!r}") from None


def message_text(notification: Notification) -> str:
    """The body as it leaves: the template with the sealed secrets filled in, else the body."""
    if not notification.sealed:
        return notification.body
    params = {**notification.params, **unseal(notification.sealed)}
    return notification.template % params


def deliver_inbox(notification: Notification) -> None:
    """The row itself is the in-app message: nothing leaves the system."""


def deliver_email(notification: Notification) -> None:
    send_mail(
        subject=notification.subject,
        message=message_text(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient_address],
        fail_silently=False,
    )


def deliver_sms(notification: Notification) -> None:
    shown = notification.body or notification.subject
    text = message_text(notification) or shown
    sms_backend().send(phone=notification.recipient_address, text=OutgoingText(text, shown=shown))


register(Notification.Channel.INBOX, deliver_inbox)
register(Notification.Channel.EMAIL, deliver_email)
register(Notification.Channel.SMS, deliver_sms)
