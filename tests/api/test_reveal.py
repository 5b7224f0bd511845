"""Revealing a requester through the API: a scope, a permission, a reason, an audit row."""

from __future__ import annotations

import pytest

from tests.api.conftest import ALL_SCOPES, Api
from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

REASON = "回访需核实联系电话"


@pytest.fixture
def case_id(hotline, new_case) -> int:
    response = hotline.post("/cases", new_case)
    assert response.status_code == 201, response.content.decode()
    return response.json()["case"]["id"]


def _client(*, name: str, scopes: list[str], roles: list[str]) -> Api:
    client = apiclient_create(name=name, scopes=scopes, roles=roles, by=None)
    return Api(apikey_issue(client=client, by=None).plaintext)


def _reveals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="case.reveal_requester"))


def test_a_supervisor_session_reveals_with_a_reason_and_is_audited(staff_api, case_id) -> None:
    office = staff_api("xiaoneng")
    masked = office.get(f"/cases/{case_id}").json()
    assert "13912345678" not in str(masked)
    response = office.post(f"/cases/{case_id}/reveal-requester", {"reason": REASON})
    assert response.status_code == 200, response.content.decode()
    assert response.json() == {"name": "张家长", "phone": "13912345678", "email": ""}
    assert "no-store" in response["Cache-Control"]
    [entry] = _reveals()
    assert entry.summary == {"number": entry.summary["number"], "reason": REASON, "via": "api"}


def test_a_client_needs_the_scope_and_a_permitted_account(case_id) -> None:
    without_scope = _client(name="甲系统", scopes=ALL_SCOPES, roles=["efficiency_office"])
    response = without_scope.post(f"/cases/{case_id}/reveal-requester", {"reason": REASON})
    assert response.status_code == 403
    assert response.json()["code"] == "missing_scope"
    not_permitted = _client(name="乙系统", scopes=[*ALL_SCOPES, "cases:reveal"], roles=["intake"])
    response = not_permitted.post(f"/cases/{case_id}/reveal-requester", {"reason": REASON})
    assert response.status_code == 403
    assert _reveals() == []
    permitted = _client(
        name="效能监察系统", scopes=[*ALL_SCOPES, "cases:reveal"], roles=["efficiency_office"]
    )
    response = permitted.post(f"/cases/{case_id}/reveal-requester", {"reason": REASON})
    assert response.status_code == 200
    assert response.json()["phone"] == "13912345678"
    [entry] = _reveals()
    assert entry.summary["via"] == "api:效能监察系统"


def test_no_reason_no_reveal(staff_api, case_id) -> None:
    office = staff_api("xiaoneng")
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = office.post(f"/cases/{case_id}/reveal-requester", body)
        assert response.status_code in (400, 422), body
        assert response.json()["code"]
        assert "13912345678" not in response.content.decode()
    assert _reveals() == []


def test_other_units_and_anonymous_reports_reveal_nothing(staff_api, hotline, new_case) -> None:
    created = hotline.post("/cases", new_case).json()["case"]["id"]
    response = staff_api("school_handler").post(
        f"/cases/{created}/reveal-requester", {"reason": REASON}
    )
    assert response.status_code == 404
    report = {**new_case, "kind": "report", "external_number": "12345-2026-0002"}
    report.update(requester_name="", requester_phone="", is_anonymous=True)
    response = hotline.post("/cases", report)
    assert response.status_code == 201, response.content.decode()
    anonymous = response.json()["case"]["id"]
    response = staff_api("xiaoneng").post(
        f"/cases/{anonymous}/reveal-requester", {"reason": REASON}
    )
    assert response.status_code == 403
    assert _reveals() == []
