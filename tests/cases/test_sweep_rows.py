"""The sweeper's row writers: signals once per clock and level whoever inserts them, events and
inbox rows written as tuples exactly as the model path writes them (COPY on PostgreSQL,
multi-row INSERT on SQLite; the suite runs on both)."""

from __future__ import annotations

import gc
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, CaseEvent, Signal
from xiaoneng.cases.services import case_dispatch
from xiaoneng.cases.services.events import EventRow, case_events_record_bulk
from xiaoneng.cases.sweep_rows import (
    CASE_COLUMNS,
    array_literal,
    case_instance,
    case_rows,
    signals_insert,
    with_ids,
)
from xiaoneng.cases.sweeps import _no_cycle_collection, sweep
from xiaoneng.deferred import COPY_FROM
from xiaoneng.notify.bulk import InboxMessage, notifications_enqueue_inbox
from xiaoneng.notify.models import Notification


def _signal_rows(case, clock) -> list[tuple]:
    now = timezone.now()
    return [
        (clock.pk, case.pk, case.unit_id, level, now, None)
        for level in ("prewarn", "yellow", "red")
    ]


@pytest.mark.django_db
def test_a_signal_goes_in_once_and_only_the_new_ones_are_returned(
    users, hotline_case, basic
) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    clock = clocks.current(case=case, stage=clocks.REPLY)
    rows = _signal_rows(case, clock)
    with transaction.atomic():
        first = signals_insert(rows[:1])
    assert list(first) == [(clock.pk, "prewarn")]
    assert first[(clock.pk, "prewarn")] == Signal.objects.get(clock=clock, level="prewarn").pk
    with transaction.atomic():
        second = signals_insert(rows)
    # The pre-warning was there: only the two new ones went in, each once.
    assert sorted(level for _clock, level in second) == ["red", "yellow"]
    assert Signal.objects.filter(clock=clock).count() == 3


@pytest.mark.django_db
def test_a_signal_raised_behind_the_sweepers_back_is_not_told_twice(
    users, hotline_case, basic
) -> None:
    """The sweeper read the clock's signals, then another writer raised one: the insert skips
    it, and the sweep writes no second event, message or violation for it."""
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    clock = clocks.current(case=case, stage=clocks.REPLY)
    later = clocks.thresholds(clock).grace_due_at + timedelta(hours=1)
    sweep(now=later)
    events = CaseEvent.objects.filter(case=case, action="signal_red").count()
    messages = Notification.objects.filter(kind="case.red").count()
    # The red signal exists; a stale sweeper that did not see it inserts again: nothing new.
    with transaction.atomic():
        assert signals_insert(_signal_rows(case, clock)) == {}
    assert CaseEvent.objects.filter(case=case, action="signal_red").count() == events
    assert Notification.objects.filter(kind="case.red").count() == messages
    assert case.violations.filter(source_key=f"red:{clock.pk}").count() == 1


@pytest.mark.django_db
def test_events_and_messages_written_as_rows_read_back_like_the_model_path(
    users, hotline_case
) -> None:
    """More rows than COPY_FROM, so PostgreSQL takes the COPY path; SQLite the chunked INSERT."""
    case = hotline_case
    now = timezone.now()
    count = COPY_FROM + 80
    before = AuditEntry.objects.count()
    with transaction.atomic():
        case_events_record_bulk(
            [
                EventRow(
                    case_id=case.pk,
                    number=case.number,
                    unit_id=case.unit_id,
                    state=case.state,
                    action="signal_prewarn",
                    data={"stage": "reply", "signal": index, "名称": "预警"},
                    at=now,
                )
                for index in range(count)
            ]
        )
        written = notifications_enqueue_inbox(
            messages=[
                InboxMessage(
                    user_ids=[users["head"].pk, users["handler_a"].pk],
                    kind="case.prewarn",
                    subject="预警：即将到期",
                    body=f"{case.number} {case.title}",
                    link=case.get_absolute_url(),
                    object_type="cases.case",
                    object_id=str(case.pk),
                    case_number=case.number,
                    unit_id=case.unit_id,
                )
                for _ in range(count // 2)
            ],
            now=now,
        )
    events = list(CaseEvent.objects.filter(case=case, action="signal_prewarn").order_by("id"))
    assert len(events) == count
    assert events[7].data == {"stage": "reply", "signal": 7, "名称": "预警"}
    assert events[7].at == now
    assert events[7].actor_id is None
    assert not events[7].public
    assert events[7].from_state == events[7].to_state == case.state
    assert AuditEntry.objects.count() - before == count
    audit = AuditEntry.objects.filter(action="case.signal_prewarn").order_by("-id").first()
    assert audit.object_type == "cases.case"
    assert audit.object_id == str(case.pk)
    assert audit.summary["number"] == case.number
    assert audit_chain_verify().ok
    assert written == 2 * (count // 2)
    inbox = Notification.objects.filter(kind="case.prewarn", recipient_user=users["head"])
    row = inbox.first()
    assert inbox.count() == count // 2
    assert row.channel == "inbox"
    assert row.status == "pending"
    assert row.attempts == 0
    assert row.link == case.get_absolute_url()
    assert row.subject == "预警：即将到期"
    assert row.params == {}
    assert row.secret_params == []
    assert row.next_attempt_at == now


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_writers_inserting_the_same_signals_at_once_insert_each_once(
    users, hotline_case, basic
) -> None:
    """Two transactions insert the same signals at the same moment: ``ON CONFLICT DO NOTHING``
    makes the second wait for the first and skip every row, so each goes in once."""
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    clock = clocks.current(case=case, stage=clocks.REPLY)
    rows = _signal_rows(case, clock)
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def writer(index: int) -> None:
        try:
            with transaction.atomic():
                barrier.wait()
                results[index] = signals_insert(rows)
        except BaseException as exc:  # inspected below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(result, dict) for result in results), results
    assert sorted(len(result) for result in results) == [0, 3]
    assert Signal.objects.filter(clock=clock).count() == 3


@pytest.mark.django_db
def test_signals_keep_their_times_through_the_array_literal(users, hotline_case, basic) -> None:
    """Raised and grace times go in as text in one array literal: read back to the microsecond,
    and a missing grace time as NULL."""
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    clock = clocks.current(case=case, stage=clocks.REPLY)
    raised = timezone.now().replace(microsecond=123456)
    grace = raised + timedelta(days=3, microseconds=7)
    with transaction.atomic():
        signals_insert(
            [
                (clock.pk, case.pk, case.unit_id, "prewarn", raised, None),
                (clock.pk, case.pk, None, "yellow", raised, grace),
            ]
        )
    stored = {s.level: s for s in Signal.objects.filter(clock=clock)}
    assert stored["prewarn"].raised_at == raised
    assert stored["prewarn"].grace_due_at is None
    assert stored["yellow"].grace_due_at == grace
    assert stored["yellow"].unit_id is None


@pytest.mark.django_db
def test_an_array_literal_reads_back_as_its_values() -> None:
    """Numbers, NULL, times and strings with commas, quotes, backslashes and braces survive the
    literal (on PostgreSQL, through the database; elsewhere as text)."""
    at = timezone.now()
    words = ["a,b", 'say "hi"', "back\\slash", "{braces}", "NULL", "警告"]
    assert array_literal([1, None, "yellow"]) == '{1,NULL,"yellow"}'
    assert array_literal([at]) == '{"' + at.isoformat() + '"}'
    with pytest.raises(TypeError, match="no array literal"):
        array_literal([1.5])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s::text[], %s::timestamptz[], %s::bigint[]",
                [array_literal(words), array_literal([at, None]), array_literal([7, None])],
            )
            assert cursor.fetchone() == (words, [at, None], [7, None])


@pytest.mark.django_db
def test_with_ids_filters_like_in(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    assert list(with_ids(Case.objects.all(), "id", [case.pk, 0])) == [case]
    assert list(with_ids(Case.objects.all(), "id", [])) == []


def test_a_batch_runs_without_the_cycle_collector_and_gives_it_back() -> None:
    assert gc.isenabled()
    with _no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with _no_cycle_collection():
            pass
        assert not gc.isenabled()  # Left as the caller had it.
    finally:
        gc.enable()


@pytest.mark.django_db
def test_a_case_built_from_its_row_matches_the_read_one_and_loads_the_rest_on_use(
    users, hotline_case, basic
) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    built = case_instance(case_rows([case.pk])[case.pk])
    read = Case.objects.get(pk=case.pk)
    assert built == read
    assert not built._state.adding
    for column in CASE_COLUMNS:
        assert getattr(built, column) == getattr(read, column)
    # A column the sweeper does not read is deferred, not a default standing in for it.
    assert "tracking_code" in built.get_deferred_fields()
    assert built.tracking_code == read.tracking_code
    assert built.lead_department == read.lead_department
