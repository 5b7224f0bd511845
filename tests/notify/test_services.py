"""Writing to the outbox: only inside the change's transaction, deduplicated, marked read."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.factories import UnitFactory, UserFactory
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError
from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import (
    notification_enqueue,
    notification_mark_read,
    notification_retry,
    notifications_enqueue_for_users,
    notifications_mark_all_read,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_enqueue_outside_a_transaction_is_refused() -> None:
    user = UserFactory()
    with pytest.raises(RuntimeError):
        notification_enqueue(channel="inbox", kind="x", subject="s", body="b", user=user)
    with pytest.raises(RuntimeError):
        notifications_enqueue_for_users(users=[user], kind="x", subject="s", body="b")
    assert not Notification.objects.exists()


def test_message_of_a_rolled_back_change_does_not_exist() -> None:
    user = UserFactory()

    def change_that_fails() -> None:
        with transaction.atomic():
            notification_enqueue(channel="inbox", kind="x", subject="s", body="b", user=user)
            notification_enqueue(
                channel="sms", kind="x", subject="s", body="b", address="13912345678"
            )
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        change_that_fails()
    assert not Notification.objects.exists()


def test_enqueue_records_the_object_its_unit_and_lazy_text() -> None:
    from django.utils.translation import gettext_lazy, override

    unit = UnitFactory()
    with override("en"), transaction.atomic():
        row = notification_enqueue(
            channel="sms",
            kind="case.registered",
            subject=gettext_lazy("Pending"),
            body="您的诉求已受理",
            address=" 13912345678 ",
            obj=unit,
            case_number="XN2026000001",
        )
    row.refresh_from_db()
    assert (row.object_type, row.object_id, row.unit_id) == ("org.unit", str(unit.pk), None)
    assert row.subject == "Pending"
    assert row.recipient_address == "13912345678"
    assert row.masked_recipient == "139****5678"
    assert row.status == Notification.Status.PENDING
    assert row.attempts == 0
    assert row.next_attempt_at == row.created_at
    assert "13912345678" not in str(row)


def test_enqueue_refuses_a_message_without_recipient() -> None:
    with transaction.atomic():
        with pytest.raises(ValueError, match="needs a user"):
            notification_enqueue(channel="inbox", kind="x", subject="s", body="b")
        with pytest.raises(ValueError, match="needs an address"):
            notification_enqueue(channel="sms", kind="x", subject="s", body="b")
        with pytest.raises(ValueError, match="unknown"):
            notification_enqueue(channel="pigeon", kind="x", subject="s", body="b", address="a")


def test_enqueue_for_users_deduplicates_and_adds_email_rows() -> None:
    with_mail = UserFactory(email="chen@bureau.example")
    without_mail = UserFactory(email="")
    gone = UserFactory(is_active=False, email="gone@bureau.example")
    with transaction.atomic():
        rows = notifications_enqueue_for_users(
            users=[with_mail, without_mail, None, with_mail, gone, without_mail],
            kind="case.dispatched",
            subject="A case to sign for",
            body="XN1 学校违规收费",
            channels=("inbox", "email"),
            case_number="XN1",
            unit_id=7,
        )
    assert len(rows) == 3
    inbox = Notification.objects.filter(channel="inbox")
    assert sorted(inbox.values_list("recipient_user", flat=True)) == sorted(
        [with_mail.pk, without_mail.pk]
    )
    email = Notification.objects.get(channel="email")
    assert email.recipient_user == with_mail
    assert email.recipient_address == "chen@bureau.example"
    assert set(Notification.objects.values_list("unit_id", "case_number")) == {(7, "XN1")}


def test_enqueue_for_users_refuses_sms() -> None:
    with transaction.atomic(), pytest.raises(ValueError, match="inbox and email"):
        notifications_enqueue_for_users(
            users=[UserFactory()], kind="x", subject="s", body="b", channels=("sms",)
        )


def test_only_the_recipient_marks_a_message_read(enqueue) -> None:
    owner, other = UserFactory(), UserFactory()
    row = enqueue(channel="inbox", user=owner)
    with pytest.raises(DomainError):
        notification_mark_read(notification=row, user=other)
    row.refresh_from_db()
    assert row.read_at is None
    notification_mark_read(notification=row, user=owner)
    row.refresh_from_db()
    first = row.read_at
    assert first is not None
    notification_mark_read(notification=row, user=owner)
    row.refresh_from_db()
    assert row.read_at == first


def test_mark_all_read_touches_only_the_users_unread_inbox(enqueue) -> None:
    owner, other = UserFactory(email="o@bureau.example"), UserFactory()
    for _ in range(3):
        enqueue(channel="inbox", user=owner)
    enqueue(channel="email", user=owner)
    theirs = enqueue(channel="inbox", user=other)
    assert notifications_mark_all_read(user=owner) == 3
    assert notifications_mark_all_read(user=owner) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Notification.objects.get(channel="email").read_at is None


def test_retry_requeues_a_failed_message_with_an_audit_row(enqueue) -> None:
    operator = UserFactory()
    row = enqueue(channel="sms", address="13912345678")
    with pytest.raises(DomainError):
        notification_retry(notification=row, by=operator)
    Notification.objects.filter(pk=row.pk).update(status="failed", attempts=6, last_error="x")
    row = notification_retry(notification=row, by=operator)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    entry = AuditEntry.objects.get(action="notify.retry")
    assert entry.object_id == str(row.pk)
    assert entry.actor_id == operator.pk
    assert entry.summary == {"channel": "sms", "kind": "test.message", "attempts": 6}
    assert "13912345678" not in str(entry.summary)
