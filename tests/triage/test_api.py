"""POST /api/v1/triage/suggestions: the exact body, the scope, the unit rules."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import Api
from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db
URL = "/triage/suggestions"


def _api(scopes: list[str], unit: str | None = None) -> Api:
    client = apiclient_create(
        name=f"客户端{len(scopes)}{unit}",
        scopes=scopes,
        roles=["intake"],
        unit=Unit.objects.get(code=unit) if unit else None,
        by=None,
    )
    return Api(apikey_issue(client=client, by=None).plaintext)


def test_suggestions_exactly_so(demo_org) -> None:
    response = _api(["cases:read"]).post(
        URL, {"text": "学校违规收取资料费和校服费", "unit": "bureau"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"suggestions"}
    first = body["suggestions"][0]
    assert set(first) == {"department", "confidence", "reasons"}
    assert first["department"] == "finance"
    assert 0 < first["confidence"] <= 1
    assert len(body["suggestions"]) <= 3
    assert first["reasons"]


def test_dont_know_is_an_empty_list(demo_org) -> None:
    response = _api(["cases:read"]).post(URL, {"text": "今天天气不错"})
    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


def test_bad_input_is_a_clear_400_and_unknown_unit_refused(demo_org) -> None:
    api = _api(["cases:read"])
    assert api.post(URL, {"unit": "bureau"}).status_code in (400, 422)
    assert api.post(URL, {"text": "x" * 20_001}).status_code in (400, 422)
    response = api.post(URL, {"text": "资料费", "unit": "nowhere"})
    assert response.status_code in (400, 409)
    assert response.json()["message"]


def test_scope_and_unit_of_the_key(demo_org) -> None:
    assert _api(["catalog:read"]).post(URL, {"text": "资料费"}).status_code == 403
    school = _api(["cases:read"], unit="school-1")
    assert school.post(URL, {"text": "食堂饭菜不卫生"}).status_code == 200
    assert school.post(URL, {"text": "食堂", "unit": "bureau"}).status_code == 403
    assert Api().post(URL, {"text": "资料费"}).status_code == 401


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_administrators_are_refused(users, username) -> None:
    client = Client(enforce_csrf_checks=False)
    client.force_login(users[username])
    response = Api(client=client).post(URL, {"text": "资料费"})
    assert response.status_code in (401, 403)


def test_staff_session_may_ask(users) -> None:
    client = Client()
    client.force_login(users["intake"])
    response = Api(client=client).post(URL, {"text": "孩子入学划片咨询"})
    assert response.status_code == 200
    assert response.json()["suggestions"][0]["department"] == "basic"
