"""E-mail through Django's SMTP backend to a local ``aiosmtpd`` server started by the test: the
same text as the SMS and the inbox, a recipient refused for good, a server down and retried."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from xiaoneng.notify.models import Notification
from xiaoneng.notify.relay import RelayResult, outbox_relay
from xiaoneng.sealing import MASK, Secret

pytestmark = pytest.mark.django_db

TEMPLATE = "您的诉求%(number)s已受理，查询码%(code)s，密码%(secret)s。"
PARAMS = {"number": "XN2026-0001", "code": "Q7K2", "secret": Secret("s3cr3t-x9")}


class Mailbox:
    """An aiosmtpd handler: keeps what it accepts, refuses recipients at refused.example."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_settings(settings) -> int:
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return port


@pytest.fixture
def smtp_server(smtp_settings) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_settings)
    controller.start()
    yield mailbox
    controller.stop()


def body_of(message: Message) -> str:
    text = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    return text.rstrip("\r\n")


def test_email_leaves_through_smtp_with_the_same_text(smtp_server, enqueue) -> None:
    row = enqueue(
        channel="email",
        kind="case.registered",
        subject="诉求已受理 XN2026-0001",
        body=TEMPLATE,
        params=PARAMS,
        address="parent@example.cn",
    )
    assert outbox_relay() == RelayResult(sent=1)
    (message,) = smtp_server.messages
    assert smtp_server.envelopes == [("xiaoneng@bureau.example", ["parent@example.cn"])]
    assert str(message["Subject"]) != ""
    assert body_of(message) == "您的诉求XN2026-0001已受理，查询码Q7K2，密码s3cr3t-x9。"
    row.refresh_from_db()
    assert row.status == "sent"
    assert row.sealed == ""
    # The inbox copy and the stored body are the same template, the secret masked.
    assert row.body == f"您的诉求XN2026-0001已受理，查询码Q7K2，密码{MASK}。"


def test_refused_recipient_fails_at_once_with_a_clear_reason(smtp_server, enqueue) -> None:
    row = enqueue(channel="email", address="nobody@refused.example")
    assert outbox_relay() == RelayResult(failed=1)
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED
    assert row.attempts == 1
    assert row.last_error == "DeliveryError: the mail server refused the recipient (550)"
    assert smtp_server.messages == []


def test_server_down_is_retried_with_backoff_then_sent(smtp_settings, enqueue) -> None:
    row = enqueue(
        channel="email", subject="提醒", body="XN2026-0001 待签收", address="a@example.cn"
    )
    now = timezone.now()
    assert outbox_relay(now=now) == RelayResult(retried=1)
    row.refresh_from_db()
    assert row.status == "pending"
    assert row.next_attempt_at == now + timedelta(minutes=1)
    assert row.last_error.startswith("ConnectionRefusedError")
    # The mail server comes back: the next due attempt delivers.
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_settings)
    controller.start()
    try:
        assert outbox_relay(now=now + timedelta(minutes=1)) == RelayResult(sent=1)
    finally:
        controller.stop()
    assert body_of(mailbox.messages[0]) == "XN2026-0001 待签收"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
