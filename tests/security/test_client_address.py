"""One client-address rule for the audit log, the portal's rate limits and the sign-in lockout."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from tests.portal.conftest import submit_form
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Category
from xiaoneng.web.client import client_address

NGINX = "127.0.0.1"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_nginx(settings) -> None:
    settings.XIAONENG_TRUSTED_PROXIES = [NGINX, "10.20.0.0/16"]


def test_direct_client_is_its_peer_address_and_its_header_is_ignored(settings) -> None:
    settings.XIAONENG_TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_forwarded_client_counts(behind_nginx) -> None:
    assert client_address(_request(NGINX, "198.51.100.1")) == "198.51.100.1"
    # A client-supplied header is kept by nginx on the left; only the hop nginx saw counts.
    assert client_address(_request(NGINX, "6.6.6.6, 198.51.100.1")) == "198.51.100.1"
    # Two trusted hops (a load balancer, then nginx): the first untrusted address from the right.
    assert client_address(_request(NGINX, "198.51.100.1, 10.20.3.4")) == "198.51.100.1"
    # No header, or a malformed last hop: the proxy itself is the best address known.
    assert client_address(_request(NGINX)) == NGINX
    assert client_address(_request(NGINX, "not-an-address")) == NGINX


def test_a_spoofed_header_from_an_untrusted_address_is_ignored(behind_nginx) -> None:
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert client_address(_request("::ffff:203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_no_valid_peer_address_gives_none() -> None:
    assert client_address(_request("")) is None
    assert client_address(_request("garbage")) is None


def _submit(client, category: Category, **extra):
    return client.post(reverse("portal:submit"), submit_form(category), **extra)


@pytest.mark.django_db
def test_audit_rows_record_the_client_behind_the_proxy(client, demo_org, behind_nginx) -> None:
    category = Category.objects.get(code="enrolment")
    before = AuditEntry.objects.count()
    response = _submit(client, category, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 302
    rows = AuditEntry.objects.order_by("id")[before:]
    assert rows
    assert {row.ip for row in rows} == {"198.51.100.1"}

    before = AuditEntry.objects.count()
    spoofed = _submit(
        client, category, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert spoofed.status_code == 302
    assert {row.ip for row in AuditEntry.objects.order_by("id")[before:]} == {"203.0.113.7"}


@pytest.mark.django_db
def test_rate_limits_count_each_client_behind_the_proxy(
    client, demo_org, behind_nginx, settings
) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.XIAONENG_RATE_SUBMIT = (1, 3600)
    category = Category.objects.get(code="enrolment")
    first = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert _submit(client, category, **first).status_code == 302
    assert _submit(client, category, **first).status_code == 429
    other = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert _submit(client, category, **other).status_code == 302
    # Directly, a forged header does not buy a fresh allowance.
    direct = {"REMOTE_ADDR": "203.0.113.7"}
    assert _submit(client, category, **direct).status_code == 302
    forged = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "198.51.100.3"}
    assert _submit(client, category, **forged).status_code == 429
    cache.clear()


@pytest.mark.django_db
def test_lockouts_count_the_client_behind_the_proxy(client, behind_nginx) -> None:
    client.post(
        reverse("office:login"),
        {"username": "nobody", "password": "Wrong#pass1"},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    client.post(
        reverse("office:login"),
        {"username": "nobody", "password": "Wrong#pass1"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {"198.51.100.1", "203.0.113.7"}
