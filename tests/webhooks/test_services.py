"""Endpoint management services: URL rules, permissions, audit rows without the secret."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.webhooks.conftest import plan_settled
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.webhooks.delivery import MAX_ATTEMPTS, webhook_deliveries_send
from xiaoneng.webhooks.models import WebhookDelivery, WebhookEndpoint
from xiaoneng.webhooks.services import (
    webhook_delivery_retry,
    webhook_endpoint_create,
    webhook_endpoint_deactivate,
    webhook_endpoint_rotate_secret,
    webhook_url_validate,
)

pytestmark = pytest.mark.django_db


def _audit_text(action: str) -> str:
    entry = AuditEntry.objects.filter(action=action).order_by("-id").first()
    assert entry is not None
    return json.dumps(entry.summary, ensure_ascii=False)


def test_create_returns_secret_once_and_audits_without_it(users) -> None:
    endpoint, secret = webhook_endpoint_create(
        by=users["sysadmin"],
        name="hotline",
        url="https://hooks.example.cn/xn",
        event_types=["close", "register", "close"],
    )
    assert secret.startswith("whsec_")
    assert len(secret) > 40
    assert endpoint.secret == secret
    assert endpoint.event_types == ["close", "register"]
    assert endpoint.created_by == users["sysadmin"]
    assert secret not in _audit_text("webhooks.endpoint.create")
    _, other = webhook_endpoint_create(by=users["sysadmin"], name="b", url="https://b.example.cn/")
    assert other != secret


@pytest.mark.parametrize("user", ["xiaoneng", "secadmin", "auditor", "handler_a", "leader"])
def test_only_the_sysadmin_manages_webhooks(users, user) -> None:
    with pytest.raises(PermissionDenied):
        webhook_endpoint_create(by=users[user], name="x", url="https://x.example.cn/")
    endpoint, _ = webhook_endpoint_create(by=users["sysadmin"], name="x", url="https://x.cn/")
    with pytest.raises(PermissionDenied):
        webhook_endpoint_rotate_secret(endpoint=endpoint, by=users[user])
    with pytest.raises(PermissionDenied):
        webhook_endpoint_deactivate(endpoint=endpoint, by=users[user])
    assert WebhookEndpoint.objects.get().is_active


def test_plain_http_is_refused_with_a_clear_message(settings) -> None:
    settings.DEBUG = False
    with translation.override("en"), pytest.raises(DomainError) as refused:
        webhook_url_validate("http://hooks.example.cn/xn")
    assert "https://" in str(refused.value)
    assert "仅本机地址" in str(refused.value)
    assert webhook_url_validate(" https://hooks.example.cn/xn ") == "https://hooks.example.cn/xn"
    for loopback in ("http://127.0.0.1:8080/h", "http://localhost/h", "http://[::1]:9/h"):
        assert webhook_url_validate(loopback) == loopback
    settings.DEBUG = True
    assert webhook_url_validate("http://hooks.example.cn/xn") == "http://hooks.example.cn/xn"


@pytest.mark.parametrize(
    "url", ["", "ftp://x.example.cn/", "not a url", "https://user:pw@x.example.cn/"]
)
def test_invalid_urls_are_refused(url) -> None:
    with pytest.raises(DomainError):
        webhook_url_validate(url)


def test_create_refuses_bad_input(users) -> None:
    by = users["sysadmin"]
    with pytest.raises(DomainError):
        webhook_endpoint_create(by=by, name="  ", url="https://x.cn/")
    with pytest.raises(DomainError):
        webhook_endpoint_create(by=by, name="x", url="https://x.cn/", event_types=["nonsense"])
    webhook_endpoint_create(by=by, name="x", url="https://x.cn/")
    with pytest.raises(DomainError):
        webhook_endpoint_create(by=by, name="x", url="https://y.cn/")
    assert WebhookEndpoint.objects.count() == 1


def test_rotate_secret_replaces_it_and_signs_with_the_new_one(users) -> None:
    endpoint, old = webhook_endpoint_create(by=users["sysadmin"], name="x", url="https://x.cn/")
    new = webhook_endpoint_rotate_secret(endpoint=endpoint, by=users["sysadmin"])
    endpoint.refresh_from_db()
    assert new != old
    assert endpoint.secret == new
    assert endpoint.secret_rotated_at is not None
    text = _audit_text("webhooks.endpoint.rotate_secret")
    assert new not in text
    assert old not in text


def test_deactivate_twice_is_refused(users) -> None:
    endpoint, _ = webhook_endpoint_create(by=users["sysadmin"], name="x", url="https://x.cn/")
    webhook_endpoint_deactivate(endpoint=endpoint, by=users["sysadmin"])
    assert AuditEntry.objects.filter(action="webhooks.endpoint.deactivate").count() == 1
    with pytest.raises(DomainError):
        webhook_endpoint_deactivate(endpoint=endpoint, by=users["sysadmin"])
    with pytest.raises(DomainError):
        webhook_endpoint_rotate_secret(endpoint=endpoint, by=users["sysadmin"])


def test_retry_now_only_for_failed_deliveries(users, receiver, register) -> None:
    webhook_endpoint_create(by=users["sysadmin"], name="x", url=receiver.url)
    register()
    now = timezone.now()
    plan_settled(now)
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(DomainError):
        webhook_delivery_retry(delivery=delivery, by=users["sysadmin"])
    receiver.status = 500
    at = now
    for _ in range(MAX_ATTEMPTS):
        webhook_deliveries_send(now=at)
        at = WebhookDelivery.objects.get().next_attempt_at
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    with pytest.raises(PermissionDenied):
        webhook_delivery_retry(delivery=delivery, by=users["xiaoneng"])
    webhook_delivery_retry(delivery=delivery, by=users["sysadmin"])
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert AuditEntry.objects.filter(action="webhooks.delivery.retry").count() == 1
    receiver.status = 200
    assert webhook_deliveries_send(now=timezone.now() + timedelta(seconds=1)).delivered == 1
