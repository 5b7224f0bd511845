"""The audit log: hash chain, tamper detection, append-only trigger, and concurrent writers."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from tests.factories import UnitFactory
from xiaoneng.audit.context import ActionContext, reset_context, set_context
from xiaoneng.audit.models import GENESIS_HASH, AuditEntry
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.audit.services import log_action

pytestmark = pytest.mark.django_db


def write(n: int, **kwargs) -> list[AuditEntry]:
    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(log_action(action="test.write", summary={"i": i, "名": "值"}, **kwargs))
    return entries


def tamper(sql: str, params: list) -> None:
    """Change the table the way someone with database-owner rights could, past the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only"
            )
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only"
            )


@pytest.mark.django_db(transaction=True)
def test_log_action_refuses_to_run_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        log_action(action="test.naked")


def test_entries_chain_from_genesis() -> None:
    first, second, third = write(3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert audit_chain_verify().ok
    assert audit_chain_verify().rows == 3


def test_object_unit_and_request_context_are_recorded() -> None:
    unit = UnitFactory()
    token = set_context(ActionContext(request_id="req-12345678", ip="10.1.2.3"))
    try:
        with transaction.atomic():
            entry = log_action(action="org.unit.touch", obj=unit, unit_id=unit.pk)
    finally:
        reset_context(token)
    entry.refresh_from_db()
    assert (entry.object_type, entry.object_id) == ("org.unit", str(unit.pk))
    assert entry.unit_id == unit.pk
    assert entry.request_id == "req-12345678"
    assert entry.ip == "10.1.2.3"


def test_secrets_never_reach_the_summary() -> None:
    with transaction.atomic():
        entry = log_action(
            action="test.secret", summary={"password": "hunter2", "api_token": "x", "kept": 1}
        )
    assert entry.summary == {"kept": 1}


def test_altered_row_is_named() -> None:
    entries = write(5)
    tamper("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["forged", entries[2].pk])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_id == entries[2].pk


def test_deleted_middle_row_is_named_by_its_successor() -> None:
    entries = write(5)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_id == entries[2].pk


def test_deleted_last_row_is_detected_against_the_head() -> None:
    entries = write(3)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    report = audit_chain_verify()
    assert not report.ok


def test_verify_command_ok_and_broken(capsys) -> None:
    entries = write(2)
    call_command("audit", "verify")
    assert "2" in capsys.readouterr().out
    tamper("UPDATE audit_auditentry SET summary = %s WHERE id = %s", ['{"i": 99}', entries[0].pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert str(entries[0].pk) in capsys.readouterr().err


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_trigger_refuses_update_and_delete() -> None:
    (entry,) = write(1)
    for sql in (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.write"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain() -> None:
    threads, per_thread = 6, 15
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    log_action(action="test.concurrent", summary={"thread": n, "i": i})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    report = audit_chain_verify()
    assert report.ok
    assert report.rows == threads * per_thread
