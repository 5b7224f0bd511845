"""Fixtures for the API: integration clients with keys, and a caller helper."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.org.models import Unit

ALL_SCOPES = [
    "cases:create",
    "cases:read",
    "cases:act",
    "catalog:read",
    "metrics:read",
    "notifications:read",
]


class Api:
    """A test client that talks JSON to /api/v1/ with an API key or a session."""

    def __init__(self, key: str | None = None, client: Client | None = None) -> None:
        self.key = key
        self.client = client or Client()

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        headers.update(extra or {})
        return headers

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None, raw=None):
        data = raw if raw is not None else ({} if body is None else body)
        return self.client.post(
            f"/api/v1{path}",
            data,
            content_type="application/json",
            headers=self._headers(headers),
        )


@pytest.fixture
def hotline_client(demo_org):
    """The hotline centre: bureau-wide, registers and dispatches as first-contact officer."""
    return apiclient_create(name="12345 热线平台", scopes=ALL_SCOPES, roles=["intake"], by=None)


@pytest.fixture
def hotline(hotline_client) -> Api:
    return Api(apikey_issue(client=hotline_client, by=None).plaintext)


@pytest.fixture
def school_client(demo_org):
    return apiclient_create(
        name="第一中学校务系统",
        scopes=["cases:create", "cases:read", "catalog:read"],
        unit=Unit.objects.get(code="school-1"),
        by=None,
    )


@pytest.fixture
def school(school_client) -> Api:
    return Api(apikey_issue(client=school_client, by=None).plaintext)


@pytest.fixture
def staff_api(users):
    def make(username: str) -> Api:
        client = Client()
        client.force_login(users[username])
        return Api(client=client)

    return make


@pytest.fixture
def new_case() -> dict[str, Any]:
    return {
        "channel": "hotline",
        "kind": "complaint",
        "category": "enrolment",
        "title": "学校违规收取择校费",
        "content": "家长反映第一中学在招生时违规收取择校费，请核查。",
        "requester_name": "张家长",
        "requester_phone": "13912345678",
        "external_number": "12345-2026-0001",
    }
