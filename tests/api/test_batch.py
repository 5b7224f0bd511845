"""POST /api/v1/cases:batch: up to 500 cases in one transaction, all or nothing, each item
idempotent (issue #25)."""

from __future__ import annotations

import pytest

from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.cases.models import Case

pytestmark = pytest.mark.django_db


def items(new_case, count: int, start: int = 0) -> list[dict]:
    return [
        {**new_case, "external_number": f"batch-{n}", "content": f"{new_case['content']} {n}"}
        for n in range(start, start + count)
    ]


def test_a_batch_registers_every_item_in_order(hotline, new_case) -> None:
    response = hotline.post("/cases:batch", {"items": items(new_case, 5)})
    assert response.status_code == 201, response.content
    results = response.json()["items"]
    assert [r["created"] for r in results] == [True] * 5
    cases = [Case.objects.get(pk=r["case"]["id"]) for r in results]
    assert [c.external_number for c in cases] == [f"batch-{n}" for n in range(5)]
    numbers = [int(c.number[-5:]) for c in cases]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 5
    assert all(r["tracking_secret"] and r["case"]["due_at"] for r in results)
    assert AuditEntry.objects.filter(action="case.register").count() == 5
    assert AuditEntry.objects.filter(action="api.call").count() == 1
    assert audit_chain_verify().ok


def test_a_repeated_batch_returns_the_same_cases(hotline, new_case) -> None:
    batch = items(new_case, 3)
    batch[0] = {**batch[0], "external_number": "", "idempotency_key": "row-0"}
    first = hotline.post("/cases:batch", {"items": batch}).json()["items"]
    again = hotline.post("/cases:batch", {"items": batch})
    assert again.status_code == 200
    assert [r["case"]["id"] for r in again.json()["items"]] == [r["case"]["id"] for r in first]
    assert all(r["created"] is False for r in again.json()["items"])
    assert Case.objects.count() == 3
    # One new item among known ones: only it is created.
    more = hotline.post("/cases:batch", {"items": [*batch, *items(new_case, 1, start=9)]})
    assert more.status_code == 201
    assert [r["created"] for r in more.json()["items"]] == [False, False, False, True]


def test_a_refused_item_registers_nothing_and_is_named(hotline, new_case) -> None:
    batch = items(new_case, 3)
    batch[1] = {**batch[1], "category": "no-such"}
    response = hotline.post("/cases:batch", {"items": batch})
    assert response.status_code == 400
    assert "items.1.category" in response.json()["fields"]
    batch[1] = {**batch[1], "category": new_case["category"], "channel": "online"}
    batch[2] = {**batch[2], "channel": "online", "requester_phone": ""}
    response = hotline.post("/cases:batch", {"items": batch})
    assert response.status_code == 400
    assert response.json()["message_en"].startswith("Item 2:")
    assert not Case.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="case.").exists()
    assert audit_chain_verify().ok


def test_batch_size_is_limited(hotline, new_case) -> None:
    assert hotline.post("/cases:batch", {"items": []}).status_code == 400
    response = hotline.post("/cases:batch", {"items": items(new_case, 501)})
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_batch_needs_the_create_scope(staff_api, users, new_case) -> None:
    for name in ("sysadmin", "secadmin", "auditor"):
        response = staff_api(name).post("/cases:batch", {"items": items(new_case, 1)})
        assert response.status_code in (401, 403), name
    assert not Case.objects.exists()


def test_a_batch_is_written_set_wise_whatever_its_size(hotline, new_case) -> None:
    """The statements of a batch do not grow with its items (issue #25, set-wise); sizes kept
    under SQLite's parameter limit, past which Django splits an INSERT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hotline.post("/cases:batch", {"items": items(new_case, 2, start=900)})
    counts = []
    for start, size in ((0, 3), (100, 12)):
        with CaptureQueriesContext(connection) as queries:
            response = hotline.post("/cases:batch", {"items": items(new_case, size, start)})
        assert response.status_code == 201, response.content
        counts.append(len(queries))
    assert counts[0] == counts[1], "\n".join(q["sql"][:100] for q in queries)
    cases = Case.objects.filter(external_number__startswith="batch-").order_by("number")
    numbers = [int(c.number[-5:]) for c in cases]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), "no gaps"
    assert audit_chain_verify().ok


def test_repeats_inside_one_batch_give_the_first_case(hotline, new_case) -> None:
    batch = items(new_case, 2)
    batch.append({**batch[0]})  # the same external number again
    batch.append({**batch[1], "external_number": "", "idempotency_key": "k"})
    batch.append({**batch[1], "external_number": "", "idempotency_key": "k"})
    response = hotline.post("/cases:batch", {"items": batch})
    assert response.status_code == 201, response.content
    results = response.json()["items"]
    assert [r["created"] for r in results] == [True, True, False, True, False]
    assert results[2]["case"]["id"] == results[0]["case"]["id"]
    assert results[4]["case"]["id"] == results[3]["case"]["id"]
    assert results[2]["tracking_secret"] is None
    assert Case.objects.count() == 3
    assert audit_chain_verify().ok


def test_an_idempotency_key_reused_with_another_body_refuses_the_batch(hotline, new_case) -> None:
    batch = items(new_case, 2)
    batch[0] = {**batch[0], "idempotency_key": "k"}
    batch[1] = {**batch[1], "idempotency_key": "k"}
    response = hotline.post("/cases:batch", {"items": batch})
    assert response.status_code == 409, response.content
    assert not Case.objects.exists()


def test_triage_reads_a_batch_at_once_after_the_commit(
    hotline, new_case, django_capture_on_commit_callbacks
) -> None:
    """Every case of a batch gets its suggestion and its repeat check after the commit, in
    statements that do not grow with the batch (one reading for all, not one each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoneng.triage.models import Suggestion

    with django_capture_on_commit_callbacks(execute=True):
        hotline.post("/cases:batch", {"items": items(new_case, 2, start=900)})
    counts = []
    for start, size in ((0, 3), (100, 12)):
        with django_capture_on_commit_callbacks() as callbacks:
            response = hotline.post("/cases:batch", {"items": items(new_case, size, start)})
        ids = [r["case"]["id"] for r in response.json()["items"]]
        assert not Suggestion.objects.filter(case_id__in=ids).exists()
        with CaptureQueriesContext(connection) as queries:
            for callback in callbacks:
                callback()
        counts.append(len(queries))
        read = Suggestion.objects.filter(case_id__in=ids)
        assert read.count() == size
        assert not read.filter(repeat_checked_at=None).exists()
    assert counts[0] == counts[1], "\n".join(q["sql"][:100] for q in queries)


def test_a_large_batch_s_clocks_are_keyed_and_audited_each(
    hotline, new_case, django_capture_on_commit_callbacks
) -> None:
    """From 50 rows on PostgreSQL the clocks' keys are drawn from the sequence and the clocks
    copied (``deferred.insert_keyed``), the cases go in as one array per column
    (``deferred.insert_sql``): each clock's audit row names its own key, each case is whole."""
    from xiaoneng.triage.models import Suggestion
    from xiaoneng.workdays.models import Clock

    with django_capture_on_commit_callbacks(execute=True):
        response = hotline.post("/cases:batch", {"items": items(new_case, 60)})
    assert response.status_code == 201, response.content
    ids = [r["case"]["id"] for r in response.json()["items"]]
    clocks = list(Clock.objects.filter(owner_type="cases.case", owner_id__in=ids).order_by("id"))
    assert len(clocks) == 120
    assert [c.owner_id for c in clocks[::2]] == ids, "in the order of the items"
    assert {c.stage for c in clocks} == {"reply", "intake"}
    started = AuditEntry.objects.filter(action="workdays.clock.start")
    assert set(started.values_list("object_id", flat=True)) >= {str(c.pk) for c in clocks}
    assert audit_chain_verify().ok
    cases = {case.pk: case for case in Case.objects.filter(pk__in=ids)}
    for n, case_id in enumerate(ids):
        case = cases[case_id]
        assert case.external_number == f"batch-{n}"
        assert case.content.endswith(f" {n}")
        assert case.requester_phone == new_case["requester_phone"]
        assert case.requester_phone_index
        assert case.registered_at is not None
        assert not case.number.startswith("~")
    # Triage held the 60 cases as ids until the commit, then read them back and read them.
    assert Suggestion.objects.filter(case_id__in=ids, repeat_checked_at__isnull=False).count() == 60
    # The sequence moved past the copied keys: the next clock gets a new one.
    more = hotline.post("/cases", {**new_case, "external_number": "after-the-batch"})
    assert more.status_code == 201
    assert Clock.objects.filter(owner_id=more.json()["case"]["id"]).count() == 2
