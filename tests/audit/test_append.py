"""The append path written as SQL: the rows stored are the rows sealed, column for column."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from xiaoneng.audit.context import ActionContext, reset_context, set_context
from xiaoneng.audit.models import AuditChainHead, AuditEntry
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.audit.services import _ENTRY_COLUMNS, audit_batch, log_action
from xiaoneng.deferred import insert_fields

pytestmark = pytest.mark.django_db


def test_the_written_append_names_every_column_of_the_model() -> None:
    # A column added to AuditEntry must be added to the written statement too.
    assert list(_ENTRY_COLUMNS) == [field.column for field in insert_fields(AuditEntry)]


@pytest.mark.parametrize("ip", ["10.1.2.3", "2001:db8::1", ""])
def test_rows_are_stored_as_sealed(ip: str) -> None:
    token = set_context(ActionContext(request_id="req-append", ip=ip or None))
    try:
        with transaction.atomic(), audit_batch():
            entries = [
                log_action(action="test.plain", summary={"n": 1, "名": "值", "ok": True}),
                log_action(
                    action="test.nested",
                    unit_id=7,
                    summary={"list": [1, "二", None, {"deep": False}], "empty": {}},
                ),
                # Not plain JSON: turned into its JSON form before sealing.
                log_action(
                    action="test.converted",
                    summary={"day": datetime.date(2026, 12, 7), "pair": (1, 2), "d": Decimal(3)},
                ),
            ]
    finally:
        reset_context(token)
    stored = {row.pk: row for row in AuditEntry.objects.filter(pk__in=[e.pk for e in entries])}
    assert len(stored) == 3
    for entry in entries:
        row = stored[entry.pk]
        for name in _ENTRY_COLUMNS:
            if name != "ip":
                assert getattr(row, name) == getattr(entry, name), name
        assert row.ip == (ip or None)
    assert entries[2].summary == {"day": "2026-12-07", "pair": [1, 2], "d": "3"}
    head = AuditChainHead.objects.get(pk=1)
    assert head.last_hash == entries[-1].entry_hash
    assert head.count == AuditEntry.objects.count()
    assert audit_chain_verify().ok


def test_a_summary_is_copied_not_kept() -> None:
    summary = {"items": [1, 2], "note": "before"}
    with transaction.atomic(), audit_batch():
        entry = log_action(action="test.copy", summary=summary)
        # The caller changes its dict before the batch seals and stores the row.
        summary["note"] = "after"
        summary["items"].append(3)
    assert entry.summary == {"items": [1, 2], "note": "before"}
    assert AuditEntry.objects.get(pk=entry.pk).summary == entry.summary
    assert audit_chain_verify().ok


def test_an_append_is_two_statements_on_postgresql_three_elsewhere() -> None:
    with transaction.atomic():
        log_action(action="test.first")  # the head exists from here on
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), audit_batch():
        for n in range(3):
            log_action(action="test.counted", summary={"n": n})
    statements = [
        query["sql"]
        for query in queries.captured_queries
        if "SAVEPOINT" not in query["sql"]  # the test's own transaction nests the atomic block
    ]
    assert statements[0].startswith(
        'SELECT id, last_hash, count, key_id FROM "audit_auditchainhead"'
    )
    if connection.vendor == "postgresql":
        assert len(statements) == 2, statements
        assert "FOR UPDATE SKIP LOCKED" in statements[0]
        assert statements[1].startswith("WITH appended AS (INSERT INTO")
    else:
        assert len(statements) == 3, statements
        assert statements[1].startswith('INSERT INTO "audit_auditentry"')
        assert statements[2].startswith('UPDATE "audit_auditchainhead"')
    assert audit_chain_verify().ok
