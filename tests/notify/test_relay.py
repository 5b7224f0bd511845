"""The relay: each channel delivers, failures back off and retry, give up visibly, never undo."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.factories import UserFactory
from xiaoneng import periodic
from xiaoneng.audit.models import AuditEntry
from xiaoneng.notify.models import Notification, SmsRecord
from xiaoneng.notify.relay import (
    RelayResult,
    backoff,
    error_text,
    outbox_relay,
    outbox_relay_until_caught_up,
)
from xiaoneng.notify.services import notification_enqueue
from xiaoneng.org.models import Unit
from xiaoneng.org.services import unit_create

pytestmark = pytest.mark.django_db


def test_relay_delivers_every_channel(enqueue) -> None:
    staff = UserFactory(email="chen@bureau.example")
    inbox = enqueue(channel="inbox", user=staff, subject="A case to sign for")
    email = enqueue(channel="email", address="parent@example.cn", subject="XN1", body="已受理")
    sms = enqueue(channel="sms", address="13912345678", subject="XN1", body="您的诉求XN1已受理")
    result = outbox_relay()
    assert result == RelayResult(sent=3, retried=0, failed=0)
    for row in (inbox, email, sms):
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
        assert row.sent_at is not None
    assert inbox.read_at is None  # Delivered to the inbox is not read.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.body, message.to) == ("XN1", "已受理", ["parent@example.cn"])
    assert message.from_email == "xiaoneng@bureau.example"
    record = SmsRecord.objects.get()
    assert (record.phone, record.text) == ("13912345678", "您的诉求XN1已受理")
    assert outbox_relay() == RelayResult()  # Nothing is delivered twice.
    assert len(mail.outbox) == 1


def test_relay_takes_only_due_messages_oldest_first_up_to_the_limit(enqueue) -> None:
    rows = [enqueue(channel="sms", address=f"1391234567{i}", body=str(i)) for i in range(5)]
    later = rows[0]
    Notification.objects.filter(pk=later.pk).update(
        next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    assert outbox_relay(limit=2).sent == 2
    assert sorted(SmsRecord.objects.values_list("text", flat=True)) == ["1", "2"]
    assert outbox_relay().sent == 2
    assert outbox_relay(now=timezone.now() + timedelta(hours=2)).sent == 1


def test_failing_channel_retries_later_and_the_change_stays(flaky_sms) -> None:
    with transaction.atomic():
        unit = unit_create(code="s9", name="第九中学", kind="school", by=None)
        notification_enqueue(
            channel="sms",
            kind="unit.created",
            subject="s",
            body="hello",
            address="13912345678",
            obj=unit,
        )
    now = timezone.now()
    assert outbox_relay(now=now) == RelayResult(retried=1)
    row = Notification.objects.get()
    assert row.status == "pending"
    assert row.attempts == 1
    assert row.next_attempt_at == now + timedelta(minutes=1)
    assert row.last_error.startswith("ConnectionError: gateway refused 139****5678")
    assert "13912345678" not in row.last_error
    assert not SmsRecord.objects.exists()
    # The change that enqueued the message is committed and audited regardless.
    assert Unit.objects.filter(code="s9").exists()
    assert AuditEntry.objects.filter(action="org.unit.create").exists()

    assert outbox_relay(now=now + timedelta(seconds=30)) == RelayResult()  # Not due yet.
    flaky_sms.broken = False
    assert outbox_relay(now=now + timedelta(minutes=2)) == RelayResult(sent=1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert SmsRecord.objects.get().text == "hello"


def test_after_the_last_attempt_the_message_fails_visibly(flaky_sms, settings, enqueue) -> None:
    settings.XIAONENG_NOTIFY_MAX_ATTEMPTS = 3
    row = enqueue(channel="sms", address="13912345678")
    now = timezone.now()
    waits = []
    for _ in range(2):
        assert outbox_relay(now=now).retried == 1
        row.refresh_from_db()
        waits.append(row.next_attempt_at - now)
        now = row.next_attempt_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=5)]
    assert outbox_relay(now=now) == RelayResult(failed=1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error
    # Failed is final: later relays leave it alone until an operator requeues it.
    assert outbox_relay(now=now + timedelta(days=1)) == RelayResult()

    out = StringIO()
    call_command("notify_failed", stdout=out)
    listing = out.getvalue()
    assert f"#{row.pk} " in listing
    assert "139****5678" in listing
    assert "13912345678" not in listing

    call_command("notify_failed", "--retry", str(row.pk), stdout=StringIO())
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    assert AuditEntry.objects.filter(action="notify.retry", object_id=str(row.pk)).exists()
    flaky_sms.broken = False
    assert outbox_relay(now=now + timedelta(days=1)).sent == 1


def test_a_failing_channel_does_not_stop_the_batch(flaky_sms, enqueue) -> None:
    enqueue(channel="sms", address="13912345678")
    enqueue(channel="email", address="parent@example.cn")
    assert outbox_relay() == RelayResult(sent=1, retried=1)
    assert len(mail.outbox) == 1


def test_email_rejected_by_the_server_is_a_failed_attempt(settings, enqueue) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    row = enqueue(channel="email", address="parent@example.cn")
    assert outbox_relay().retried == 1
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.last_error


def test_backoff_schedule_and_error_text(settings) -> None:
    assert [backoff(n).total_seconds() // 60 for n in range(1, 8)] == [1, 5, 15, 60, 240, 240, 240]
    settings.XIAONENG_NOTIFY_BACKOFF_MINUTES = [2]
    assert backoff(4) == timedelta(minutes=2)
    text = error_text(ValueError("refused chen.jing@bureau.example and +86 139 1234 5678"))
    assert text == "ValueError: refused c***@bureau.example and 861****5678"
    assert len(error_text(ValueError("x" * 1000))) == 200


def test_relay_is_a_periodic_job_and_a_command(enqueue) -> None:
    assert "notify.relay" in {job.name for job in periodic.registered_jobs()}
    enqueue(channel="sms", address="13912345678")
    out = StringIO()
    call_command("relay", stdout=out)
    assert out.getvalue().strip() == "Notifications: 1 sent, 0 to retry later, 0 failed."
    assert str(RelayResult(sent=1)) == "sent 1, retried 0, failed 0"


def test_the_periodic_relay_drains_a_burst_in_rounds(enqueue) -> None:
    for i in range(5):
        enqueue(channel="sms", address=f"1391234567{i}", body=str(i))
    assert outbox_relay_until_caught_up(limit=2, seconds=0) == RelayResult(sent=2)
    assert outbox_relay_until_caught_up(limit=2) == RelayResult(sent=3)
    assert SmsRecord.objects.count() == 5
    assert outbox_relay_until_caught_up(limit=2) == RelayResult()
