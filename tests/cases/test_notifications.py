"""A failing SMS gateway never undoes a case change; the message waits and is sent later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.notify.backends import FlakySmsBackend
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_register
from xiaoneng.notify.models import Notification, SmsRecord
from xiaoneng.notify.relay import outbox_relay

pytestmark = pytest.mark.django_db


def test_failing_gateway_keeps_the_case_and_retries(settings, users, category) -> None:
    settings.XIAONENG_SMS_BACKEND = "tests.notify.backends.FlakySmsBackend"
    FlakySmsBackend.broken = True
    registered = case_register(
        by=users["intake"],
        channel="phone",
        kind="inquiry",
        category=category,
        content="咨询入学政策",
        requester_name="李家长",
        requester_phone="13700001111",
    )
    first = outbox_relay()
    assert first.retried >= 1
    assert Case.objects.filter(pk=registered.case.pk).exists()
    sms = Notification.objects.get(channel="sms", kind="case.registered")
    assert sms.status == Notification.Status.PENDING
    assert sms.attempts == 1
    assert "13700001111" not in sms.last_error

    FlakySmsBackend.broken = False
    outbox_relay(now=timezone.now() + timedelta(hours=1))
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT
    # The phone is encrypted at rest: compared after decryption.
    assert [r.phone for r in SmsRecord.objects.all()].count("13700001111") == 1
    # Nothing is sent twice.
    outbox_relay(now=timezone.now() + timedelta(hours=2))
    assert [r.phone for r in SmsRecord.objects.all()].count("13700001111") == 1


def test_staff_notifications_carry_no_personal_data(users, hotline_case) -> None:
    for note in Notification.objects.exclude(channel="sms"):
        assert "13912345678" not in f"{note.subject} {note.body}"
        assert "张家长" not in f"{note.subject} {note.body}"
