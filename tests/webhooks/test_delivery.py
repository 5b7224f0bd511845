"""Fan-out of case events and signed delivery to a real HTTP receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.webhooks.conftest import plan_settled
from xiaoneng.org.models import Unit
from xiaoneng.webhooks.delivery import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    SETTLE_SECONDS,
    webhook_deliveries_plan,
    webhook_deliveries_send,
    webhook_signature_verify,
)
from xiaoneng.webhooks.models import WebhookCursor, WebhookDelivery
from xiaoneng.webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db


def endpoint(users, receiver, **extra):
    values = {"name": "hotline-centre", "url": receiver.url}
    values.update(extra)
    created, secret = webhook_endpoint_create(by=users["sysadmin"], **values)
    return created, secret


def test_delivery_is_signed_and_verifiable(users, receiver, register) -> None:
    hook, secret = endpoint(users, receiver)
    case = register()
    now = timezone.now()
    assert plan_settled(now) == 1
    result = webhook_deliveries_send(now=now + timedelta(seconds=10))
    assert (result.delivered, result.retried, result.failed) == (1, 0, 0)
    [request] = receiver.requests
    delivery = WebhookDelivery.objects.get()
    headers = request.headers
    assert request.path == "/hook"
    assert headers["content-type"].startswith("application/json")
    assert headers["x-xiaoneng-event"] == "register"
    assert headers["x-xiaoneng-delivery"] == str(delivery.pk)
    timestamp = headers["x-xiaoneng-timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert headers["x-xiaoneng-signature"] == f"sha256={expected}"
    sent_at = int(timestamp)
    signature = headers["x-xiaoneng-signature"]
    assert webhook_signature_verify(secret, timestamp, request.body, signature, now=sent_at)
    assert not webhook_signature_verify(
        secret, timestamp, request.body + b" ", signature, now=sent_at
    )
    assert not webhook_signature_verify(
        "whsec_other", timestamp, request.body, signature, now=sent_at
    )
    assert not webhook_signature_verify(
        secret, timestamp, request.body, signature, now=sent_at + 301
    )
    payload = json.loads(request.body)
    assert payload["type"] == "register"
    assert payload["case"]["number"] == case.number
    assert payload["case"]["unit"] == "bureau"
    assert payload["case"]["state"] == case.state
    assert payload["transition"]["to"] == "registered"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None
    assert hook.deliveries.count() == 1


def test_payload_carries_no_personal_data(users, receiver, register, basic_dept) -> None:
    from xiaoneng.cases.services import case_dispatch

    endpoint(users, receiver)
    case = register(
        requester_name="欧阳独特名",
        requester_phone="13700001111",
        requester_email="unique.person@example.cn",
        requester_id_number="110101199001011234",
        title="独特标题ZQX",
        content="独特内容XYZW，请核查。",
        person_concerned="被反映人ABC",
    )
    case_dispatch(case=case, by=users["intake"], lead=basic_dept, note="内部备注QQQ")
    now = timezone.now()
    assert plan_settled(now) == 2
    webhook_deliveries_send(now=now + timedelta(seconds=10))
    assert len(receiver.requests) == 2
    case.refresh_from_db()
    assert (case.requester_name, case.requester_phone) == ("欧阳独特名", "13700001111")
    assert case.events.filter(note="内部备注QQQ").exists()
    stored = json.dumps(
        list(WebhookDelivery.objects.values_list("payload", flat=True)), ensure_ascii=False
    )
    for request in receiver.requests:
        text = request.body.decode()
        for secret_value in (
            "欧阳独特名",
            "13700001111",
            "unique.person",
            "110101199001011234",
            "独特标题ZQX",
            "独特内容XYZW",
            "被反映人ABC",
            "内部备注QQQ",
        ):
            assert secret_value not in text
            assert secret_value not in stored
    dispatched = json.loads(receiver.requests[1].body)
    assert dispatched["type"] == "dispatch"
    assert dispatched["case"]["lead_department"] == "basic"
    assert "reply" in dispatched["case"]["due"] or "sign_for" in dispatched["case"]["due"]


def test_failing_receiver_is_retried_with_backoff_then_delivered(users, receiver, register) -> None:
    endpoint(users, receiver)
    register()
    now = timezone.now()
    plan_settled(now)
    receiver.status = 500
    first = webhook_deliveries_send(now=now)
    assert (first.delivered, first.retried, first.failed) == (0, 1, 0)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    assert (delivery.attempts, delivery.last_status_code) == (1, 500)
    assert delivery.next_attempt_at == now + timedelta(minutes=BACKOFF_MINUTES[0])
    assert "500" in delivery.last_error
    # Not due yet: nothing is sent.
    assert webhook_deliveries_send(now=now + timedelta(seconds=30)).retried == 0
    assert len(receiver.requests) == 1
    receiver.status = 500
    second = webhook_deliveries_send(now=now + timedelta(minutes=1))
    assert second.retried == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + timedelta(minutes=1 + BACKOFF_MINUTES[1])
    receiver.status = 204
    later = now + timedelta(minutes=1 + BACKOFF_MINUTES[1])
    assert webhook_deliveries_send(now=later).delivered == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 204)
    assert delivery.last_error == ""
    assert len(receiver.requests) == 3
    # The same delivery id on every attempt, so the receiver can de-duplicate.
    assert {r.headers["x-xiaoneng-delivery"] for r in receiver.requests} == {str(delivery.pk)}


def test_failed_after_max_attempts(users, receiver, register) -> None:
    endpoint(users, receiver)
    register()
    now = timezone.now()
    plan_settled(now)
    receiver.status = 503
    at = now
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        result = webhook_deliveries_send(now=at)
        outcomes.append((result.retried, result.failed))
        delivery = WebhookDelivery.objects.get()
        at = delivery.next_attempt_at
    assert outcomes == [(1, 0)] * (MAX_ATTEMPTS - 1) + [(0, 1)]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert webhook_deliveries_send(now=at + timedelta(days=2)).failed == 0
    assert len(receiver.requests) == MAX_ATTEMPTS


def test_unreachable_receiver_records_the_error(users, register) -> None:
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on this port now
    webhook_endpoint_create(by=users["sysadmin"], name="gone", url=f"http://127.0.0.1:{port}/")
    register()
    now = timezone.now()
    plan_settled(now)
    assert webhook_deliveries_send(now=now).retried == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status_code is None
    assert delivery.last_error


def test_send_twice_delivers_once(users, receiver, register) -> None:
    endpoint(users, receiver)
    register()
    register()
    now = timezone.now()
    assert plan_settled(now) == 2
    assert webhook_deliveries_send(now=now).delivered == 2
    assert webhook_deliveries_send(now=now + timedelta(days=1)).delivered == 0
    assert len(receiver.requests) == 2


def test_plan_again_from_the_start_creates_no_duplicates(users, receiver, register) -> None:
    endpoint(users, receiver)
    register()
    now = timezone.now()
    assert plan_settled(now) == 1
    WebhookCursor.objects.update(last_event_id=0, horizon_id=None, horizon_at=None)
    plan_settled(now + timedelta(minutes=1))
    assert WebhookDelivery.objects.count() == 1


def test_events_wait_for_the_settle_delay(users, receiver, register) -> None:
    endpoint(users, receiver)
    register()
    now = timezone.now()
    assert webhook_deliveries_plan(now=now).deliveries == 0
    # An event written after the horizon was taken waits for the next horizon.
    register()
    assert webhook_deliveries_plan(now=now + timedelta(seconds=1)).deliveries == 0
    settled = now + timedelta(seconds=SETTLE_SECONDS)
    assert webhook_deliveries_plan(now=settled).deliveries == 1
    assert webhook_deliveries_plan(now=settled + timedelta(seconds=1)).deliveries == 0
    later = settled + timedelta(seconds=SETTLE_SECONDS)
    assert webhook_deliveries_plan(now=later).deliveries == 1
    assert WebhookDelivery.objects.count() == 2


def test_plan_works_in_batches(users, receiver, register) -> None:
    endpoint(users, receiver)
    for _ in range(3):
        register()
    now = timezone.now()
    webhook_deliveries_plan(now=now)
    later = now + timedelta(seconds=SETTLE_SECONDS)
    assert webhook_deliveries_plan(now=later, limit=2).deliveries == 2
    assert webhook_deliveries_plan(now=later, limit=2).deliveries == 1
    assert WebhookDelivery.objects.count() == 3


def test_unit_restriction(users, receiver, register) -> None:
    school = Unit.objects.get(code="school-1")
    endpoint(users, receiver, unit=school)
    bureau_case = register(by="intake")
    school_case = register(by="school_handler")
    assert (bureau_case.unit.code, school_case.unit_id) == ("bureau", school.pk)
    now = timezone.now()
    assert plan_settled(now) == 1
    webhook_deliveries_send(now=now)
    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["case"]["number"] == school_case.number
    assert body["case"]["unit"] == "school-1"


def test_event_type_subset(users, receiver, register, basic_dept) -> None:
    from xiaoneng.cases.services import case_dispatch

    endpoint(users, receiver, event_types=["dispatch"])
    case = register()
    case_dispatch(case=case, by=users["intake"], lead=basic_dept)
    assert plan_settled(timezone.now()) == 1
    assert WebhookDelivery.objects.get().event_type == "dispatch"


def test_new_endpoint_gets_no_history_and_inactive_gets_nothing(users, receiver, register) -> None:
    register()
    hook, _ = endpoint(users, receiver)
    assert plan_settled(timezone.now()) == 0
    from xiaoneng.webhooks.services import webhook_endpoint_deactivate

    webhook_endpoint_deactivate(endpoint=hook, by=users["sysadmin"])
    register()
    assert plan_settled(timezone.now() + timedelta(minutes=1)) == 0


def test_deactivating_fails_pending_deliveries(users, receiver, register) -> None:
    from xiaoneng.webhooks.services import webhook_endpoint_deactivate

    hook, _ = endpoint(users, receiver)
    register()
    now = timezone.now()
    plan_settled(now)
    webhook_endpoint_deactivate(endpoint=hook, by=users["sysadmin"])
    assert webhook_deliveries_send(now=now + timedelta(minutes=1)).delivered == 0
    assert WebhookDelivery.objects.get().status == "failed"
    assert receiver.requests == []


def test_redirect_is_not_followed(users, receiver, register) -> None:
    endpoint(users, receiver)
    register()
    now = timezone.now()
    plan_settled(now)
    receiver.status = 302
    assert webhook_deliveries_send(now=now).retried == 1
    assert WebhookDelivery.objects.get().last_status_code == 302
    assert len(receiver.requests) == 1


def test_time_budget_hands_unsent_deliveries_back(users, receiver, register) -> None:
    endpoint(users, receiver)
    register()
    register()
    now = timezone.now()
    plan_settled(now)
    result = webhook_deliveries_send(now=now, budget_seconds=-1)
    assert (result.delivered, result.retried, result.failed) == (0, 0, 0)
    assert receiver.requests == []
    # Due again at once, not after the lease.
    assert set(WebhookDelivery.objects.values_list("status", "next_attempt_at")) == {
        ("pending", now)
    }
    assert webhook_deliveries_send(now=now, budget_seconds=60).delivered == 2
