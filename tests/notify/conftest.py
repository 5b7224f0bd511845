"""Fixtures for the notification tests: a local-memory mailbox and test SMS backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.db import transaction

from tests.notify.backends import FlakySmsBackend
from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import notification_enqueue


@pytest.fixture(autouse=True)
def _locmem_mail(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "xiaoneng@bureau.example"


@pytest.fixture
def flaky_sms(settings) -> Iterator[type[FlakySmsBackend]]:
    settings.XIAONENG_SMS_BACKEND = "tests.notify.backends.FlakySmsBackend"
    FlakySmsBackend.broken = True
    yield FlakySmsBackend
    FlakySmsBackend.broken = True


@pytest.fixture
def enqueue() -> Callable[..., Notification]:
    """Enqueue one message in a transaction of its own, as a service would."""

    def make(**fields: object) -> Notification:
        fields.setdefault("kind", "test.message")
        fields.setdefault("subject", "Subject")
        fields.setdefault("body", "Body")
        with transaction.atomic():
            return notification_enqueue(**fields)

    return make
