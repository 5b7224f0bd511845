"""Office pages of the webhooks: the sysadmin only; the secret shown once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.webhooks.conftest import plan_settled
from xiaoneng.audit.models import AuditEntry
from xiaoneng.webhooks.delivery import MAX_ATTEMPTS, webhook_deliveries_send
from xiaoneng.webhooks.models import WebhookDelivery, WebhookEndpoint
from xiaoneng.webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db

FORBIDDEN = ["xiaoneng", "secadmin", "auditor", "intake", "head", "leader", "inspector"]


@pytest.fixture(autouse=True)
def _no_lockout_bookkeeping(settings) -> None:
    # force_login's request has no client address; with django-axes on, PostgreSQL refuses the
    # "unknown" address in its access log. Lockouts are not what these tests are about.
    settings.AXES_ENABLED = False


@pytest.fixture
def hook(users) -> WebhookEndpoint:
    return webhook_endpoint_create(by=users["sysadmin"], name="x", url="https://x.example.cn/")[0]


def _urls(hook: WebhookEndpoint, delivery_pk: int = 1) -> dict[str, str]:
    return {
        "GET": reverse("webhooks:endpoint_list"),
        "LOG": reverse("webhooks:delivery_log"),
        "DEACTIVATE": reverse("webhooks:endpoint_deactivate", args=[hook.pk]),
        "ROTATE": reverse("webhooks:endpoint_rotate", args=[hook.pk]),
        "RETRY": reverse("webhooks:delivery_retry", args=[delivery_pk]),
    }


def test_anonymous_is_sent_to_login(client, hook) -> None:
    for url in _urls(hook).values():
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302
            assert "login" in response["Location"]
    hook.refresh_from_db()
    assert hook.is_active


@pytest.mark.parametrize("username", FORBIDDEN)
def test_other_roles_are_forbidden(client, users, hook, username) -> None:
    client.force_login(users[username])
    urls = _urls(hook)
    assert client.get(urls["GET"]).status_code == 403
    assert client.get(urls["LOG"]).status_code == 403
    for key in ("DEACTIVATE", "ROTATE", "RETRY"):
        assert client.post(urls[key]).status_code == 403
    hook.refresh_from_db()
    assert hook.is_active


def test_create_shows_the_secret_once(client, users) -> None:
    client.force_login(users["sysadmin"])
    url = reverse("webhooks:endpoint_list")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"name": "hotline", "url": "https://hooks.example.cn/xn", "event_types": ["register"]},
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert endpoint.event_types == ["register"]
    listing = client.get(url).content.decode()
    assert "hooks.example.cn" in listing
    assert endpoint.secret not in listing


def test_create_with_plain_http_shows_the_error(client, users, settings) -> None:
    settings.DEBUG = False
    client.force_login(users["sysadmin"])
    response = client.post(
        reverse("webhooks:endpoint_list"),
        {"name": "h", "url": "http://hooks.example.cn/xn", "language": "en"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not WebhookEndpoint.objects.exists()


def test_rotate_and_deactivate(client, users, hook) -> None:
    client.force_login(users["sysadmin"])
    old = hook.secret
    urls = _urls(hook)
    assert client.get(urls["ROTATE"]).status_code == 405
    response = client.post(urls["ROTATE"])
    hook.refresh_from_db()
    assert response.status_code == 200
    assert hook.secret != old
    assert hook.secret in response.content.decode()
    assert client.post(urls["DEACTIVATE"]).status_code == 302
    hook.refresh_from_db()
    assert not hook.is_active
    # A second deactivation comes back as a message, not an error page.
    assert client.post(urls["DEACTIVATE"]).status_code == 302
    assert AuditEntry.objects.filter(action__startswith="webhooks.").count() == 3
    assert client.post(reverse("webhooks:endpoint_rotate", args=[hook.pk + 99])).status_code == 404


def test_delivery_log_filter_retry_and_query_count(
    client, users, receiver, register, django_assert_max_num_queries
) -> None:
    webhook_endpoint_create(by=users["sysadmin"], name="a", url=receiver.url)
    webhook_endpoint_create(by=users["sysadmin"], name="b", url=receiver.url + "/b")
    for _ in range(5):
        register()
    now = timezone.now()
    assert plan_settled(now) == 10
    receiver.status = 500
    at = now
    for _ in range(MAX_ATTEMPTS):
        webhook_deliveries_send(now=at)
        at += timedelta(days=1)
    assert WebhookDelivery.objects.filter(status="failed").count() == 10
    receiver.status = 200
    client.force_login(users["sysadmin"])
    url = reverse("webhooks:delivery_log")
    client.get(url)  # warm the session and role caches
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 10
    with django_assert_max_num_queries(10):
        response = client.get(url, {"status": "delivered"})
    assert len(response.context["page"].object_list) == 0
    endpoint = WebhookEndpoint.objects.get(name="a")
    response = client.get(url, {"status": "failed", "endpoint": endpoint.pk})
    assert len(response.context["page"].object_list) == 5
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint).first()
    assert client.get(reverse("webhooks:delivery_retry", args=[delivery.pk])).status_code == 405
    response = client.post(reverse("webhooks:delivery_retry", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    # Retrying a pending delivery is refused with a message, not a 500.
    assert client.post(reverse("webhooks:delivery_retry", args=[delivery.pk])).status_code == 302
    assert webhook_deliveries_send(now=timezone.now() + timedelta(seconds=1)).delivered == 1
