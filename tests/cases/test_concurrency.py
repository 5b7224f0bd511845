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
