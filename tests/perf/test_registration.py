"""Registration without a queue (issue #25): the day's number is taken in one statement at the
end, the audit chain's head is never waited for inside a transaction, and under eight writers
at once every number is unique and the chain stays whole."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from xiaoneng.audit.models import AuditChainHead, AuditEntry, AuditQueued
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.audit.services import audit_integrate, log_action
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_register
from xiaoneng.periodic import registered_jobs

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs it there"
)


def register(by, n: int) -> Case:
    return case_register(
        by=by,
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        content=f"家长反映学校违规收费，请核实。{n}",
        requester_phone="13912345678",
        external_number=f"perf-{n}",
        in_person=False,
    ).case


def sequence(case: Case) -> int:
    return int(case.number.rsplit("-", 1)[1])


@pytest.mark.django_db
def test_a_rolled_back_registration_leaves_no_gap(users) -> None:
    first = register(users["intake"], 1)

    def failing() -> None:
        with transaction.atomic():
            register(users["intake"], 2)
            raise RuntimeError("the caller's transaction fails")

    with pytest.raises(RuntimeError):
        failing()
    second = register(users["intake"], 3)
    assert sequence(second) == sequence(first) + 1
    assert first.number.startswith(f"XN{timezone.localdate():%Y%m%d}-")
    assert not Case.objects.filter(number__startswith="~").exists()
    # The number is in every row written with it: the event's audit row and the SMS.
    entry = AuditEntry.objects.get(action="case.register", object_id=str(second.pk))
    assert entry.summary["number"] == second.number


@pytest.mark.django_db
def test_entries_left_queued_are_sealed_by_verify_and_the_periodic_job(capsys) -> None:
    # As after a process that stopped between its commit and the integration.
    with transaction.atomic():
        log_action(action="test.sealed")
    AuditQueued.objects.create(created_at=timezone.now(), action="test.left", summary={"i": 1})
    assert "audit.integrate" in {job.name for job in registered_jobs()}
    call_command("audit", "verify")
    assert "2" in capsys.readouterr().out.splitlines()[0]
    assert not AuditQueued.objects.exists()
    left = AuditEntry.objects.get(action="test.left")
    assert left.prev_hash == AuditEntry.objects.get(action="test.sealed").entry_hash
    assert audit_integrate() == 0


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_writer_never_waits_for_the_chain_head() -> None:
    with transaction.atomic():
        log_action(action="test.first")  # The chain's head row exists from the first entry on.
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        try:
            with transaction.atomic():
                log_action(action="test.holder")
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(10)
    with transaction.atomic():
        began = time.monotonic()
        log_action(action="test.queued")
        waited = time.monotonic() - began
        assert AuditQueued.objects.filter(action="test.queued").exists()
        threading.Timer(0.3, release.set).start()
    # The commit's integrator waited for the holder's commit, outside any transaction.
    thread.join()
    assert waited < 0.2
    assert not AuditQueued.objects.exists()
    _first, held, queued = AuditEntry.objects.order_by("id")
    assert (held.action, queued.action) == ("test.holder", "test.queued")
    assert queued.prev_hash == held.entry_hash
    assert audit_chain_verify().ok


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_eight_writers_at_once_unique_numbers_whole_chain(users) -> None:
    writers, each = 8, 5
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                register(users["intake"], index * 100 + i)
        except BaseException as exc:  # the test reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    cases = list(Case.objects.filter(external_number__startswith="perf-"))
    assert len(cases) == writers * each
    # Unique and without gaps: 1 … 40 for the day.
    assert sorted(sequence(case) for case in cases) == list(range(1, writers * each + 1))
    assert not AuditQueued.objects.exists()
    assert AuditEntry.objects.filter(action="case.register").count() == writers * each
    report = audit_chain_verify()
    assert report.ok, report.reason
    assert AuditChainHead.objects.get().count == AuditEntry.objects.count() == report.rows


@pytest.mark.django_db
def test_a_failed_block_takes_its_entries_out_of_the_outer_batch() -> None:
    from xiaoneng.audit.services import audit_batch

    def failing() -> None:
        with transaction.atomic(), audit_batch():
            log_action(action="test.dropped")
            raise RuntimeError("rolled back")

    with transaction.atomic(), audit_batch():
        log_action(action="test.kept")
        with pytest.raises(RuntimeError):
            failing()
        log_action(action="test.after")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["test.kept", "test.after"]
