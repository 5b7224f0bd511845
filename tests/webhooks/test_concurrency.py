"""Two senders (and two planners) at the same moment: every event reaches a receiver once.

On PostgreSQL the threads hold separate connections and really race on the row locks; on
SQLite the IMMEDIATE transactions serialise them.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.webhooks.conftest import plan_settled
from xiaoneng.webhooks.delivery import (
    SETTLE_SECONDS,
    webhook_deliveries_plan,
    webhook_deliveries_send,
)
from xiaoneng.webhooks.models import WebhookDelivery
from xiaoneng.webhooks.services import webhook_endpoint_create


def _race(target: Callable[[], object], count: int = 2) -> list[object]:
    start = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(target())
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    return results


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_deliver_each_event_once(users, receiver, register) -> None:
    webhook_endpoint_create(by=users["sysadmin"], name="one", url=receiver.url)
    webhook_endpoint_create(by=users["sysadmin"], name="two", url=receiver.url + "/two")
    for _ in range(12):
        register()
    now = timezone.now()
    assert plan_settled(now) == 24
    results = _race(lambda: webhook_deliveries_send(now=now))
    assert sum(result.delivered for result in results) == 24
    seen = Counter(request.headers["x-xiaoneng-delivery"] for request in receiver.requests)
    assert len(seen) == 24
    assert set(seen.values()) == {1}
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("delivered", 1)}


@pytest.mark.django_db(transaction=True)
def test_two_planners_at_once_plan_each_event_once(users, receiver, register) -> None:
    webhook_endpoint_create(by=users["sysadmin"], name="one", url=receiver.url)
    for _ in range(5):
        register()
    now = timezone.now()
    _race(lambda: webhook_deliveries_plan(now=now))
    later = now + timedelta(seconds=SETTLE_SECONDS)
    _race(lambda: webhook_deliveries_plan(now=later))
    assert WebhookDelivery.objects.count() == 5
    assert len(set(WebhookDelivery.objects.values_list("event_id", flat=True))) == 5
