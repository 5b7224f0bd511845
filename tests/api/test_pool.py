"""Cases registered through the API wait in their receiving unit's intake pool (待受理)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.cases.models import Case
from xiaoneng.org.services import absence_record

pytestmark = pytest.mark.django_db


def test_school_client_submission_lands_in_the_school_pool(school, staff_api, new_case):
    created = school.post("/cases", {**new_case, "channel": "api", "external_number": ""})
    assert created.status_code == 201, created.content
    case = Case.objects.get(pk=created.json()["case"]["id"])
    assert case.unit.code == "school-1"
    assert case.first_contact is None
    listed = school.get("/cases/pool").json()["items"]
    assert [item["id"] for item in listed] == [case.pk]
    # The bureau's first-contact officer does not see the school's pool; the school's does.
    assert staff_api("intake").get("/cases/pool").json()["items"] == []
    assert [i["id"] for i in staff_api("school_handler").get("/cases/pool").json()["items"]] == [
        case.pk
    ]


def test_hotline_client_submission_is_accepted_by_the_b_holder(
    hotline, staff_api, users, staff_of, new_case
):
    created = hotline.post("/cases", new_case).json()["case"]
    case = Case.objects.get(pk=created["id"])
    assert case.unit.code == "bureau"
    assert case.first_contact is None
    assert case.policy_version.policy.code == "hotline-complaint"
    now = timezone.now()
    absence_record(
        staff=staff_of("intake"),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
        kind="business_trip",
        by=users["sysadmin"],
    )
    response = staff_api("intake_b").post(f"/cases/{case.pk}/accept")
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.first_contact == staff_of("intake_b")
    again = staff_api("xiaoneng").post(f"/cases/{case.pk}/accept")
    assert again.status_code == 409
    assert "林晓燕" in again.json()["message_zh"]


def test_outsiders_cannot_accept_and_administrators_see_no_pool(hotline, staff_api, new_case):
    case_id = hotline.post("/cases", new_case).json()["case"]["id"]
    assert staff_api("handler_a").post(f"/cases/{case_id}/accept").status_code in {403, 404}
    for admin in ("sysadmin", "secadmin", "auditor"):
        response = staff_api(admin).get("/cases/pool")
        # Like GET /cases: the administrators' scope holds no case content at all.
        assert response.status_code in {200, 403}, admin
        if response.status_code == 200:
            assert response.json()["items"] == [], admin
