"""Open311 refuses bad input with its own error format instead of a server error or a silent
cut, and a title made from the description carries no personal data."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from xiaoneng.cases.models import Case
from xiaoneng.notify.models import Notification

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


def _error(response, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    data = json.loads(response.content)
    assert len(data) == 1
    assert data[0]["code"] == status
    return data[0]["description"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("start_date", "2026-13-01"),
        ("end_date", "2026-02-30T00:00:00Z"),
        ("start_date", "2026-12-01T25:00:00Z"),
        ("start_date", "0001-01-01"),
        ("end_date", "9999-12-31T23:59:59+14:00"),
    ],
)
def test_impossible_dates_are_a_400_in_the_open311_format(client, demo_org, name, value) -> None:
    response = client.get(f"{BASE}/requests.json", {name: value}, headers={"Accept-Language": "en"})
    assert name in _error(response, 400)
    response = client.get(f"{BASE}/requests.xml", {name: value})
    assert response.status_code == 400
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    assert root.find("error/code").text == "400"


def test_nul_characters_in_any_parameter_are_a_400(client, demo_org) -> None:
    for params in ({"service_code": "enrol\x00ment"}, {"service_request_id": "XN\x00"}):
        response = client.get(f"{BASE}/requests.json", params)
        assert "NUL" in _error(response, 400) or "空字符" in _error(response, 400)
    response = client.get(f"{BASE}/services/enrol%00ment.json")
    assert 400 <= response.status_code < 500


def _post(client, api_key: str, **data: str):
    fields = {"api_key": api_key, "service_code": "enrolment", "phone": "13700000009", **data}
    return client.post(f"{BASE}/requests.json", fields, headers={"Accept-Language": "en"})


def test_an_overlong_description_is_refused_not_cut(client, api_key) -> None:
    description = "报名系统打不开。" * 44_000  # about 1 MB
    message = _error(_post(client, api_key, description=description), 400)
    assert "description" in message
    assert "5000" in message
    assert not Case.objects.exists()
    # Just inside the limit is accepted whole.
    response = _post(client, api_key, description="长" * 5000)
    assert response.status_code == 201
    assert len(Case.objects.get().content) == 5000


def test_nul_characters_in_a_posted_field_are_refused(client, api_key) -> None:
    for field in ("description", "first_name", "service_code", "attribute[kind]"):
        data = {"description": "报名系统打不开。", field: "报名\x00系统"}
        assert "NUL" in _error(_post(client, api_key, **data), 400)
    assert not Case.objects.exists()


def test_a_body_over_the_upload_limit_is_a_413(client, api_key) -> None:
    response = _post(client, api_key, description="x" * 2_700_000)
    assert "too large" in _error(response, 413)
    assert not Case.objects.exists()


def test_a_title_made_from_the_description_carries_no_personal_data(client, api_key) -> None:
    description = (
        "我是王小明，电话 138 0013 8000，邮箱 wxm@example.cn，孩子入学报名系统一直打不开。"
    )
    response = _post(client, api_key, description=description, last_name="王", first_name="小明")
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.content == description  # the words themselves are kept for the staff
    for value in ("138 0013 8000", "13800138000", "wxm@example.cn", "王小明", "小明"):
        assert value not in case.title
    assert case.title.startswith("我是***，电话 ***")
    staff_messages = Notification.objects.filter(channel="inbox")
    assert staff_messages.exists()
    for message in staff_messages:
        assert "138 0013 8000" not in message.body
        assert "王小明" not in message.body
