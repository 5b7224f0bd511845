"""Each metric of DESIGN §7 on crafted data, with values computed by hand."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from xiaoneng.accountability.models import Violation
from xiaoneng.assessment import metrics
from xiaoneng.assessment.contributions import reply_workdays
from xiaoneng.assessment.metrics import Figures
from xiaoneng.assessment.selectors import Period, card_counts, confirmed_violations
from xiaoneng.cases.models import Signal
from xiaoneng.workdays.arithmetic import WorkCalendar
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.models import Clock, ClockPause


def test_rates_by_hand() -> None:
    f = Figures(
        received=40,
        dispatched=20,
        signed=19,
        signed_on_time=17,
        replied=16,
        replied_on_time=12,
        reply_workdays=80,
        rated=10,
        satisfied=6,
        basically=2,
        unsatisfied=2,
        resolved=7,
        unrated=5,
        returned=3,
        reopened=2,
        repeat=4,
    )
    assert metrics.on_time_sign_for_rate(f) == 85.0  # 17/20
    assert metrics.on_time_completion_rate(f) == 75.0  # 12/16
    assert metrics.satisfaction_rate(f) == 80.0  # (6+2)/10, the 5 unrated not counted
    assert metrics.resolution_rate(f) == 70.0  # 7/10
    assert metrics.return_rate(f) == 15.0  # 3/20
    assert metrics.reopen_rate(f) == 12.5  # 2/16
    assert metrics.repeat_complaint_rate(f) == 10.0  # 4/40
    assert metrics.average_reply_workdays(f) == 5.0  # 80/16
    # (30·85 + 35·70 + 35·80) / 100 = 25.5 + 24.5 + 28 = 78.0
    assert metrics.composite_score(f) == 78.0
    # Other weights: (50·85 + 0·70 + 50·80) / 100 = 82.5
    assert metrics.composite_score(f, (50, 0, 50)) == 82.5


def test_no_rated_cases() -> None:
    f = Figures(dispatched=4, signed_on_time=3, replied=2, replied_on_time=2, unrated=2)
    assert metrics.satisfaction_rate(f) is None
    assert metrics.resolution_rate(f) is None
    # Only the response rate is left: the score is that rate, weights renormalised.
    assert metrics.composite_score(f) == 75.0


def test_all_overdue() -> None:
    f = Figures(dispatched=3, signed_on_time=0, replied=3, replied_on_time=0)
    assert metrics.on_time_sign_for_rate(f) == 0.0
    assert metrics.on_time_completion_rate(f) == 0.0


def test_nothing_at_all() -> None:
    values = metrics.metric_values(Figures())
    assert all(value is None for value in values.__dict__.values())


def test_rounding() -> None:
    assert metrics.on_time_completion_rate(Figures(replied=3, replied_on_time=2)) == 66.7


@pytest.mark.django_db
def test_reply_workdays_excludes_suspension_across_the_period(demo_org) -> None:
    """Started Mon 2026-11-02, suspended Wed 11-04 to Tue 11-10, replied Fri 11-13 (a period
    boundary at 11-08 falls inside the suspension): working days (11-02, 11-13] = 9, less
    (11-04, 11-10] = 4 → 5."""
    tz = timezone.get_current_timezone()
    clock = Clock(
        started_at=datetime(2026, 11, 2, 9, tzinfo=tz),
        stopped_at=datetime(2026, 11, 13, 15, tzinfo=tz),
        due_at=datetime(2026, 11, 20, 17, tzinfo=tz),
    )
    pause = ClockPause(
        paused_at=datetime(2026, 11, 4, 10, tzinfo=tz),
        resumed_at=datetime(2026, 11, 10, 10, tzinfo=tz),
    )
    calendar = get_calendar(None)
    assert isinstance(calendar, WorkCalendar)
    assert reply_workdays(clock, [], calendar) == 9
    assert reply_workdays(clock, [pause], calendar) == 5
    # Suspended until the reply (pause never resumed before the clock stopped).
    open_pause = ClockPause(paused_at=datetime(2026, 11, 4, 10, tzinfo=tz), resumed_at=None)
    assert reply_workdays(clock, [open_pause], calendar) == 2


@pytest.mark.django_db
def test_revoked_cards_and_unconfirmed_violations_do_not_count(make_case, flow, basic) -> None:
    case = flow(make_case(), until="sign")
    clock = Clock.objects.filter(owner_type="cases.case", owner_id=case.pk).first()
    now = timezone.now()
    other = Clock.objects.create(
        owner_type="test",
        owner_id=1,
        stage="reply",
        counting="workdays",
        limit=1,
        started_at=now,
        due_at=now,
    )
    Signal.objects.create(
        clock=clock, case=case, unit_id=case.unit_id, level="yellow", raised_at=now
    )
    Signal.objects.create(
        clock=clock, case=case, unit_id=case.unit_id, level="red", raised_at=now, revoked=True
    )
    Signal.objects.create(clock=other, case=case, unit_id=case.unit_id, level="red", raised_at=now)
    period = Period(now.date() - timedelta(days=1), now.date() + timedelta(days=1))
    cards = card_counts(period)
    assert (cards["yellow"], cards["red"]) == (1, 1)
    for status, key in (
        (Violation.Status.CONFIRMED, "a"),
        (Violation.Status.DISMISSED, "b"),
        (Violation.Status.REVOKED, "c"),
        (Violation.Status.PENDING, "d"),
    ):
        Violation.objects.create(
            kind="inspection",
            status=status,
            source_key=key,
            case=case,
            department=basic,
            unit_id=case.unit_id,
            description="x",
            created_at=now,
        )
    assert [v.source_key for v in confirmed_violations(period)] == ["a"]
