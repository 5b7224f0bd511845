"""Two people acting at once, and two sweepers at once: exactly one wins, nothing is doubled."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection

from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, Signal
from xiaoneng.cases.services import case_dispatch, case_sign_for
from xiaoneng.cases.states import State
from xiaoneng.cases.sweeps import sweep
from xiaoneng.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls: Callable[[], object]) -> list[object]:
    """Start the calls at the same moment in threads; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def runner(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as exc:  # the test inspects it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_people_sign_at_once_exactly_one_wins(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    results = run_together(
        lambda: case_sign_for(case=case, by=users["handler_a"]),
        lambda: case_sign_for(case=case, by=users["head"]),
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert "已签收" in str(losers[0])
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS
    assert case.events.filter(action="sign_for").count() == 1


def test_two_sweepers_raise_each_signal_once(users, hotline_case, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    clock = clocks.current(case=case, stage=clocks.REPLY)
    marks = clocks.thresholds(clock)
    later = marks.grace_due_at + timedelta(hours=1)
    run_together(lambda: sweep(now=later), lambda: sweep(now=later))
    levels = sorted(Signal.objects.filter(clock=clock).values_list("level", flat=True))
    assert levels == ["prewarn", "red", "yellow"]
    from xiaoneng.accountability.models import Violation

    assert Violation.objects.filter(source_key=f"red:{clock.pk}").count() == 1
    assert Violation.objects.filter(kind="late_sign_for", case=case).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several sweeper processes need PostgreSQL"
)
def test_sweeper_processes_share_the_work_and_raise_each_signal_once(
    users, category, basic
) -> None:
    """Three sweeper processes (``xiaoneng sweep --workers 3``) in small batches, so that each
    takes clocks the others skip: every due clock is checked once, every signal raised once,
    one violation per red card, and the audit chain is whole with nothing left queued."""
    from xiaoneng.accountability.models import Violation
    from xiaoneng.audit.models import AuditQueued
    from xiaoneng.audit.selectors import audit_chain_verify
    from xiaoneng.cases.services import case_register
    from xiaoneng.cases.sweeps import sweep_parallel
    from xiaoneng.workdays.models import Clock

    made = []
    for index in range(24):
        registered = case_register(
            by=users["intake"],
            channel="hotline",
            kind="complaint",
            category=category,
            title=f"并发{index}",
            content="家长反映学校食堂卫生问题，请核查。",
            requester_name="张家长",
            requester_phone="13912345678",
        )
        made.append(case_dispatch(case=registered.case, by=users["intake"], lead=basic))
    later = clocks.thresholds(clocks.current(case=made[0], stage=clocks.REPLY)).grace_due_at
    now = later + timedelta(hours=1)
    due = Clock.objects.filter(
        owner_type="cases.case", state="running", next_check__next_check_at__lte=now
    ).count()
    result = sweep_parallel(workers=3, now=now, batch=4)
    assert result.checked == due >= 48
    signals = Signal.objects.filter(case__in=made)
    assert signals.count() == sum(result.raised.values()) == 3 * 48
    pairs = list(signals.values_list("clock_id", "level"))
    assert len(pairs) == len(set(pairs))
    red = Violation.objects.filter(kind="red_card", case__in=made)
    assert red.count() == len(set(red.values_list("source_key", flat=True))) == 48
    # Nothing is left to do, and a second parallel run raises nothing.
    again = sweep_parallel(workers=3, now=now + timedelta(minutes=1), batch=4)
    assert sum(again.raised.values()) == 0
    assert not AuditQueued.objects.exists()
    report = audit_chain_verify()
    assert report.ok, report.reason
