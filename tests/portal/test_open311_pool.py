"""An Open311 request for a school waits in that school's intake pool (待受理)."""

from __future__ import annotations

import json

import pytest

from tests.portal.test_open311 import post
from xiaoneng.cases.models import Case
from xiaoneng.cases.pool import pool_visible_to
from xiaoneng.cases.services import case_accept

pytestmark = pytest.mark.django_db


def test_open311_request_for_a_school_lands_in_its_pool(client, api_key, users) -> None:
    response = post(
        client,
        api_key=api_key,
        service_code="enrolment",
        description="学校报名系统打不开。",
        phone="13700000009",
        **{"attribute[kind]": "complaint", "attribute[unit]": "school-1"},
    )
    assert response.status_code == 201, response.content
    number = json.loads(response.content)[0]["service_request_id"]
    case = Case.objects.get(number=number)
    assert case.channel == "open311"
    assert case.unit.code == "school-1"
    assert case.policy_version.policy.code == "bureau-complaint"
    assert pool_visible_to(users["school_handler"]).filter(pk=case.pk).exists()
    assert not pool_visible_to(users["intake"]).filter(pk=case.pk).exists()
    case = case_accept(case=case, by=users["school_handler"])
    assert case.first_contact.user == users["school_handler"]
