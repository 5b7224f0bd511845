"""POST /api/v1/cases answers from memory (issue #25): a lean 201 with the number, tracking code,
secret, state, due time and link; the call's audit row joins the request's transaction."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Case

pytestmark = pytest.mark.django_db

# On PostgreSQL, 7 statements (35 before issue #25, 25 after its first round): the calendar
# and configuration tokens (one query: the key, its roles, the category, the staff, the policy
# and the intake post are cached per process), the case (ON CONFLICT DO NOTHING: the external
# number's check, no savepoint), its two clocks, the day's number, the event and outbox rows,
# the chain head, the chain rows with the head's update; the clock's next-check row
# (``workdays_clockcheck``) joins the event and outbox statement. SQLite takes four more (the
# number and the chain rows and head: two statements each; the event, outbox and next-check
# rows: three). The request's own
# transaction is a savepoint pair more inside a test's transaction. The triage reading of the
# request (its suggestion and the repeat check) runs after the registration commits (#24).
CREATE_STATEMENTS = {"postgresql": 7, "sqlite": 11}
TEST_SAVEPOINT_PAIR = 2


def test_the_201_is_lean_and_holds_what_the_requester_needs(hotline, new_case) -> None:
    response = hotline.post("/cases", new_case)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["case"]["id"])
    assert body["created"] is True
    assert body["tracking_secret"]
    assert body["case"] == {
        "id": case.pk,
        "number": case.number,
        "tracking_code": case.tracking_code,
        "state": "registered",
        "unit": case.unit_id,
        "urgent": False,
        "due_at": body["case"]["due_at"],
        "url": f"/api/v1/cases/{case.pk}",
    }
    assert body["case"]["due_at"]
    # No personal data and no content in the answer.
    assert "13912345678" not in response.content.decode()
    assert new_case["content"] not in response.content.decode()
    again = hotline.post("/cases", new_case)
    assert again.status_code == 200
    assert again.json()["case"] == body["case"]
    assert again.json()["tracking_secret"] is None


def test_create_stays_within_its_query_budget(hotline, new_case) -> None:
    hotline.post("/cases", {**new_case, "external_number": "warm-up"})
    with CaptureQueriesContext(connection) as queries:
        response = hotline.post("/cases", new_case)
    assert response.status_code == 201
    budget = CREATE_STATEMENTS[connection.vendor] + TEST_SAVEPOINT_PAIR
    assert len(queries) <= budget, "\n".join(q["sql"][:120] for q in queries)
    # The full case is not read back.
    assert not [q for q in queries if 'FROM "cases_caseevent"' in q["sql"]]
    assert not [q for q in queries if 'FROM "cases_case"' in q["sql"]]


def test_triage_reads_the_request_after_the_commit(
    hotline, new_case, django_capture_on_commit_callbacks
) -> None:
    from xiaoneng.triage.models import Suggestion

    with django_capture_on_commit_callbacks(execute=True):
        case_id = hotline.post("/cases", new_case).json()["case"]["id"]
        assert not Suggestion.objects.filter(case_id=case_id).exists()
    suggestion = Suggestion.objects.get(case_id=case_id)
    assert suggestion.repeat_checked_at is not None


def test_the_call_is_audited_in_the_same_chain_step_as_the_case(hotline, new_case) -> None:
    case_id = hotline.post("/cases", new_case).json()["case"]["id"]
    register = AuditEntry.objects.get(action="case.register", object_id=str(case_id))
    call = AuditEntry.objects.filter(action="api.call").latest("id")
    assert call.prev_hash == register.entry_hash
    assert call.summary["status"] == 201
    assert call.summary["path"] == "/api/v1/cases"


def test_a_refused_call_is_audited_and_changes_nothing(hotline, new_case) -> None:
    response = hotline.post("/cases", {**new_case, "category": "no-such"})
    assert response.status_code == 400
    assert not Case.objects.exists()
    call = AuditEntry.objects.filter(action="api.call").latest("id")
    assert call.summary["status"] == 400
