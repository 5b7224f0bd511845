"""Open311 GeoReport v2: every endpoint in JSON and XML against the spec's field lists."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone

from xiaoneng.cases.models import Case, Category
from xiaoneng.portal.models import Open311Key

from .conftest import staff_reply

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
ATTRIBUTE_FIELDS = {
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
POST_FIELDS = {"service_request_id", "token", "service_notice", "account_id"}
ISO_TZ = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\+|-)\d{2}:\d{2}$")


def get_json(client, path, **params):
    response = client.get(f"{BASE}/{path}.json", params)
    assert response["Content-Type"].startswith("application/json")
    return response, json.loads(response.content)


def get_xml(client, path, **params):
    response = client.get(f"{BASE}/{path}.xml", params)
    assert response["Content-Type"].startswith("text/xml")
    return response, ET.fromstring(response.content)


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def fields(element: ET.Element) -> set[str]:
    return {child.tag for child in element}


@pytest.fixture
def posted(client, api_key) -> dict:
    response = post(
        client,
        api_key=api_key,
        service_code="enrolment",
        description="孩子入学报名系统一直打不开。",
        first_name="某",
        last_name="家长",
        phone="13700000001",
        jurisdiction_id="example-city",
        **{"attribute[kind]": "inquiry", "attribute[unit]": "school-1"},
    )
    assert response.status_code == 201, response.content
    return json.loads(response.content)[0]


def test_discovery(client, demo_org) -> None:
    response, data = get_json(client, "discovery")
    assert response.status_code == 200
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    response, root = get_xml(client, "discovery")
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")


def test_services_json_and_xml(client, demo_org) -> None:
    _response, data = get_json(client, "services")
    assert len(data) == Category.objects.filter(is_active=True).count()
    for service in data:
        assert set(service) == SERVICE_FIELDS
        assert service["group"] == "教育"
    assert {"service_code": "enrolment", "service_name": "招生入学"}.items() <= data[1].items()
    _response, root = get_xml(client, "services")
    assert root.tag == "services"
    assert all(fields(service) == SERVICE_FIELDS for service in root.findall("service"))


def test_service_definition_json_and_xml(client, demo_org) -> None:
    _response, data = get_json(client, "services/enrolment")
    assert data["service_code"] == "enrolment"
    for attribute in data["attributes"]:
        assert set(attribute) == ATTRIBUTE_FIELDS
        assert all(set(value) == {"key", "name"} for value in attribute["values"])
    _response, root = get_xml(client, "services/enrolment")
    assert root.tag == "service_definition"
    for attribute in root.findall("attributes/attribute"):
        assert fields(attribute) == ATTRIBUTE_FIELDS
        assert root.find("attributes/attribute/values/value/key") is not None
    response, data = get_json(client, "services/nonesuch")
    assert response.status_code == 404
    assert data == [{"code": 404, "description": data[0]["description"]}]
    response, root = get_xml(client, "services/nonesuch")
    assert response.status_code == 404
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"


def test_post_needs_a_valid_api_key(client, demo_org) -> None:
    data = {"service_code": "enrolment", "description": "x", "phone": "13700000001"}
    for response in (post(client, **data), post(client, api_key="wrong", **data)):
        assert response.status_code == 403
        assert json.loads(response.content)[0]["code"] == 403
    response = post(client, "xml", api_key="wrong", **data)
    assert response.status_code == 403
    assert ET.fromstring(response.content).find("error/code").text == "403"
    assert not Case.objects.exists()


def test_post_errors_are_400(client, api_key) -> None:
    assert post(client, api_key=api_key, description="x", phone="1").status_code == 400
    response = post(client, api_key=api_key, service_code="nonesuch", description="x")
    assert response.status_code == 400
    response = post(client, api_key=api_key, service_code="enrolment", description="没有联系方式")
    assert response.status_code == 400
    assert json.loads(response.content)[0]["description"]


def test_post_then_read_back_by_id_and_token(client, posted) -> None:
    assert set(posted) == POST_FIELDS
    case = Case.objects.get(number=posted["service_request_id"])
    assert case.channel == "open311"
    assert case.first_contact is None
    assert case.kind == "inquiry"
    assert case.unit_concerned.code == "school-1"
    assert posted["token"] == case.tracking_code

    _response, rows = get_json(client, f"tokens/{posted['token']}")
    assert rows == [{"service_request_id": case.number, "token": case.tracking_code}]
    _response, root = get_xml(client, f"tokens/{posted['token']}")
    assert root.find("request/service_request_id").text == case.number

    _response, rows = get_json(client, f"requests/{case.number}")
    (row,) = rows
    assert set(row) == REQUEST_FIELDS
    assert row["status"] == "open"
    assert row["service_code"] == "enrolment"
    assert row["description"] == ""  # free text only with consent to publish
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert ISO_TZ.match(row[name]), row[name]
        assert row[name].endswith("+08:00")
    _response, root = get_xml(client, f"requests/{case.number}")
    assert root.tag == "service_requests"
    assert fields(root.find("request")) == REQUEST_FIELDS
    response, _data = get_json(client, "requests/XN20000101-99999")
    assert response.status_code == 404
    response, _data = get_json(client, "tokens/NOSUCHTOKEN")
    assert response.status_code == 404


def test_post_in_xml_with_consent(client, api_key) -> None:
    response = post(
        client,
        "xml",
        api_key=api_key,
        service_code="fees",
        description="食堂收费过高，电话13700000002",
        email="a@b.cn",
        **{"attribute[consent_publish]": "true"},
    )
    assert response.status_code == 201
    root = ET.fromstring(response.content)
    assert fields(root.find("request")) == POST_FIELDS
    number = root.find("request/service_request_id").text
    _response, rows = get_json(client, f"requests/{number}")
    assert rows[0]["description"] == "食堂收费过高，电话***"


def test_requests_list_filters(client, users, basic, posted, api_key) -> None:
    case = Case.objects.get(number=posted["service_request_id"])
    _response, rows = get_json(client, "requests")
    assert [row["service_request_id"] for row in rows] == [case.number]
    _response, root = get_xml(client, "requests")
    assert [r.find("service_request_id").text for r in root.findall("request")] == [case.number]

    _response, rows = get_json(client, "requests", status="closed")
    assert rows == []
    _response, rows = get_json(client, "requests", service_code="fees")
    assert rows == []
    _response, rows = get_json(client, "requests", service_code="fees,enrolment", status="open")
    assert len(rows) == 1
    old = (timezone.now() - timedelta(days=200)).isoformat()
    _response, rows = get_json(client, "requests", start_date=old, end_date=old)
    assert rows == []
    _response, rows = get_json(client, "requests", service_request_id=case.number, status="closed")
    assert len(rows) == 1  # service_request_id overrides the other filters
    response, _data = get_json(client, "requests", start_date="yesterday")
    assert response.status_code == 400
    response, _data = get_json(client, "requests", status="pending")
    assert response.status_code == 400

    staff_reply(case, users, basic, text="已修复报名系统。")
    _response, rows = get_json(client, f"requests/{case.number}")
    assert rows[0]["agency_responsible"] == "示例市教育局 基础教育科"


def test_post_is_rate_limited(client, settings, api_key) -> None:
    settings.XIAONENG_RATE_OPEN311_POST = (1, 3600)
    data = {"service_code": "fees", "description": "收费", "email": "a@b.cn", "api_key": api_key}
    assert post(client, **data).status_code == 201
    response = post(client, **data)
    assert response.status_code == 429
    assert response["Retry-After"]
    assert json.loads(response.content)[0]["code"] == 429


def test_jurisdiction_is_checked_when_configured(client, settings, demo_org) -> None:
    settings.XIAONENG_OPEN311_JURISDICTION = "example-city"
    response, _data = get_json(client, "services", jurisdiction_id="elsewhere")
    assert response.status_code == 404
    response, _data = get_json(client, "services", jurisdiction_id="example-city")
    assert response.status_code == 200


def test_key_command_prints_the_key_once(capsys, demo_org) -> None:
    call_command("open311-key", "create", "city-app")
    out = capsys.readouterr().out.strip()
    key = Open311Key.objects.get(name="city-app")
    assert len(out) >= 32
    assert out not in key.key_hash
    assert key.is_active
    call_command("open311-key", "list")
    listing = capsys.readouterr().out
    assert "city-app" in listing
    assert out not in listing
    call_command("open311-key", "deactivate", "city-app")
    key.refresh_from_db()
    assert not key.is_active
