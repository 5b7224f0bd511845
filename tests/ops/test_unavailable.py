"""A database failure during a request: a clear 503 (HTML or JSON), nothing half-written."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import translation

from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.cases.models import Case

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@contextmanager
def database_fails(when=lambda sql: True):
    """Make the connection fail like a server that went away (Django's query hook)."""

    def wrapper(execute, sql, params, many, context):
        if when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def test_office_page_gets_a_503_page_without_traceback(users) -> None:
    client = Client(raise_request_exception=False)
    sign_in(client, users["intake"])
    with database_fails(), translation.override("en"):
        response = client.get("/cases/", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "Service unavailable" in html
    assert "Traceback" not in html
    assert "OperationalError" not in html
    assert response["Retry-After"] == "30"


def test_api_gets_json_503(demo_org) -> None:
    client = apiclient_create(name="hotline", scopes=["cases:read"], roles=["intake"], by=None)
    key = apikey_issue(client=client, by=None).plaintext
    with database_fails():
        response = Client(raise_request_exception=False).get(
            "/api/v1/cases", headers={"Authorization": f"Bearer {key}"}
        )
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


def test_a_failure_half_way_through_a_change_leaves_nothing(demo_org) -> None:
    client = apiclient_create(
        name="hotline", scopes=["cases:create", "cases:read"], roles=["intake"], by=None
    )
    key = apikey_issue(client=client, by=None).plaintext
    before = Case.objects.count()
    body = {
        "channel": "hotline",
        "kind": "complaint",
        "category": "enrolment",
        "title": "t",
        "content": "c",
        "requester_name": "张家长",
        "requester_phone": "13912345678",
    }
    # The case row is inserted, then the audit insert finds the database gone.
    with database_fails(when=lambda sql: 'INSERT INTO "audit_' in sql):
        response = Client(raise_request_exception=False).post(
            "/api/v1/cases",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )
    assert response.status_code == 503
    assert Case.objects.count() == before
