"""Every intake channel can mark a request urgent: the API, Open311, the referral import (the
portal and the office are in test_urgent_requests.py and test_urgent_office.py)."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import Api
from tests.portal.test_open311 import post
from tests.referrals.files import HEADER, row, write_xlsx
from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.cases.models import Case, Urgency
from xiaoneng.emergencies.models import Alert
from xiaoneng.portal.services import open311_key_create
from xiaoneng.referrals.services import referral_import_run

pytestmark = pytest.mark.django_db


def _hotline() -> Api:
    client = apiclient_create(
        name="12345热线", scopes=["cases:create", "cases:read"], unit=None, by=None
    )
    return Api(apikey_issue(client=client, by=None).plaintext)


CASE = {
    "channel": "hotline",
    "kind": "help",
    "category": "other",
    "title": "学生放学未回家",
    "content": "孩子放学后一直未回家，联系不上。",
    "requester_name": "张家长",
    "requester_phone": "13912345678",
}


def test_api_marks_urgent_or_not(users) -> None:
    api = _hotline()
    response = api.post("/cases", {**CASE, "urgent": True, "external_number": "U-1"})
    assert response.status_code == 201, response.content
    assert response.json()["case"]["urgent"] is True
    case = Case.objects.get(external_number="U-1")
    assert case.urgency == Urgency.MARKED
    assert case.policy_version.policy.code == "urgent"
    assert Alert.objects.filter(case=case).exists()
    # Absent: the words decide (失踪 is not in this text; nothing suggests it).
    quiet = api.post("/cases", {**CASE, "content": "咨询转学手续", "external_number": "U-2"})
    assert quiet.json()["case"]["urgent"] is False
    refused = api.post("/cases", {**CASE, "urgent": "maybe", "external_number": "U-3"})
    assert refused.status_code == 400


def test_open311_attribute_urgent(client, users) -> None:
    _key, raw = open311_key_create(name="test-client")
    response = post(
        client,
        api_key=raw,
        service_code="other",
        description="学校门口路灯坏了",
        phone="13700000009",
        **{"attribute[kind]": "complaint", "attribute[urgent]": "true"},
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=json.loads(response.content)[0]["service_request_id"])
    assert case.urgent
    assert case.urgency == Urgency.MARKED


def test_referral_import_urgent_column(users, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "r.xlsx",
        [row("RX1", urgent="紧急"), row("RX2", urgent="一般"), row("RX3", urgent="也许")],
        header=[*HEADER, "紧急程度"],
    )
    report = referral_import_run(by=users["intake"], file=path, mode="good-rows")
    assert report.created == 2
    assert Case.objects.get(external_number="RX1").urgency == Urgency.MARKED
    assert not Case.objects.get(external_number="RX2").urgent
    assert not Case.objects.filter(external_number="RX3").exists()
