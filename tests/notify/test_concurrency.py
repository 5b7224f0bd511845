"""Two relays at the same moment deliver every message exactly once."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from tests.factories import UserFactory
from xiaoneng.notify.models import Notification, SmsRecord
from xiaoneng.notify.relay import RelayResult, outbox_relay
from xiaoneng.notify.services import notification_enqueue


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_deliver_each_message_exactly_once(settings) -> None:
    settings.XIAONENG_SMS_BACKEND = "tests.notify.backends.SlowSmsBackend"
    staff = UserFactory()
    with transaction.atomic():
        for i in range(30):
            notification_enqueue(
                channel="sms", kind="t", subject="s", body=f"sms {i}", address=f"139000000{i:02d}"
            )
            notification_enqueue(
                channel="email", kind="t", subject=f"mail {i}", body="b", address=f"p{i}@e.cn"
            )
            notification_enqueue(channel="inbox", kind="t", subject="s", body="b", user=staff)
    start = threading.Barrier(2)
    results: list[RelayResult] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(outbox_relay())
        except BaseException as exc:  # Reported by the main thread.
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(result.sent for result in results) == 90
    assert all(result.retried == result.failed == 0 for result in results)
    texts = list(SmsRecord.objects.values_list("text", flat=True))
    assert sorted(texts) == sorted(f"sms {i}" for i in range(30))
    subjects = [message.subject for message in mail.outbox]
    assert sorted(subjects) == sorted(f"mail {i}" for i in range(30))
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
