"""The pure working-day arithmetic against a day-by-day reference and real schedules."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from xiaoneng.workdays.arithmetic import (
    CalendarRangeError,
    DayKind,
    WorkCalendar,
    add_hours,
    fixed_statutory_holidays,
)
from xiaoneng.workdays.periods import Counting, compute_period, end_of_day

from .official import official_calendar, package_years

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_OFFICIAL_YEAR = max(package_years())


def reference_is_workday(day: date) -> bool:
    """Independent of the index: the package itself, then the provisional rule after it."""
    if day.year <= LAST_OFFICIAL_YEAR:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5 and day not in fixed_statutory_holidays(day.year)


def test_agrees_with_brute_force_reference_2004_2026() -> None:
    cal = official_calendar()
    first, last = date(2004, 1, 1), date(2026, 12, 31)
    horizon = (last - first).days + 90
    days = [first + timedelta(days=i) for i in range(horizon)]
    flags = [reference_is_workday(day) for day in days]
    mismatches = []
    for i in range((last - first).days + 1):
        # Walk forward day by day from each start and collect the next 30 working days.
        expected: list[date] = []
        j = i
        while len(expected) < 30:
            j += 1
            if flags[j]:
                expected.append(days[j])
        start = days[i]
        got = [cal.add_workdays(start, n) for n in range(1, 31)]
        if got != expected:
            mismatches.append(start)
        # Counting the start day shifts the result back by one exactly when it is a workday.
        counted = cal.add_workdays(start, 1, count_start=True)
        if counted != (start if flags[i] else expected[0]):
            mismatches.append(start)
    assert mismatches == []


def test_workdays_between_matches_reference_counts() -> None:
    cal = official_calendar()
    start = date(2025, 1, 1)
    for offset in range(0, 400, 7):
        end = start + timedelta(days=offset)
        expected = sum(
            reference_is_workday(start + timedelta(days=k)) for k in range(1, offset + 1)
        )
        assert cal.workdays_between(start, end) == expected
        assert cal.workdays_between(end, start) == -expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # National Day 2026: 10/1–10/7 off, Saturday 10/10 worked (调休).
        (date(2026, 9, 30), 5, date(2026, 10, 13)),
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        # Sunday 2026-09-20 is a make-up day for National Day.
        (date(2026, 9, 19), 1, date(2026, 9, 20)),
        # Spring Festival 2026: 2/15–2/23 off, Saturdays 2/14 and 2/28 worked.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 13), 5, date(2026, 2, 27)),
        (date(2026, 2, 13), 6, date(2026, 2, 28)),
        # Spring Festival 2025: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 worked.
        (date(2025, 1, 24), 1, date(2025, 1, 26)),
        (date(2025, 1, 27), 1, date(2025, 2, 5)),
        (date(2025, 2, 7), 1, date(2025, 2, 8)),
        (date(2025, 2, 7), 2, date(2025, 2, 10)),
        # National Day 2025: 10/1–10/8 off, Sunday 9/28 and Saturday 10/11 worked.
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        (date(2025, 9, 30), 3, date(2025, 10, 11)),
        (date(2025, 9, 30), 4, date(2025, 10, 13)),
    ],
)
def test_named_working_day_cases(start: date, n: int, expected: date) -> None:
    assert official_calendar().add_workdays(start, n) == expected


def test_period_starting_on_a_makeup_day() -> None:
    cal = official_calendar()
    makeup = date(2026, 10, 10)
    assert cal.day_kind(makeup) == DayKind.MAKEUP
    # Not counted (art. 201): the next working day is Monday 10/12.
    assert cal.add_workdays(makeup, 1) == date(2026, 10, 12)
    # Counted when the policy says so: the make-up Saturday is day 1.
    assert cal.add_workdays(makeup, 1, count_start=True) == makeup
    assert cal.add_workdays(makeup, 2, count_start=True) == date(2026, 10, 12)
    # A start on a holiday can never count.
    assert cal.add_workdays(date(2026, 10, 3), 1, count_start=True) == date(2026, 10, 8)


def test_calendar_day_period_ending_on_a_holiday_rolls_forward() -> None:
    cal = official_calendar()
    # 9/30 + 3 days ends on 10/3 (国庆节) → next working day 10/8 (民法典 art. 203).
    assert cal.add_days(date(2026, 9, 30), 3) == date(2026, 10, 8)
    assert cal.add_days(date(2026, 9, 23), 10) == date(2026, 10, 8)
    # A period ending on a make-up Saturday ends there: it is a working day.
    assert cal.add_days(date(2026, 10, 5), 5) == date(2026, 10, 10)
    # Counting the start day ends one day earlier.
    assert cal.add_days(date(2026, 9, 28), 3, count_start=True) == date(2026, 9, 30)


def test_months_use_the_corresponding_day() -> None:
    cal = official_calendar()
    assert cal.add_months(date(2025, 3, 14), 3) == date(2025, 6, 16)  # 6/14 is a Saturday
    # No 2/30: the month's last day, Saturday 2/28 — a make-up working day, so it stands.
    assert cal.add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert cal.add_months(date(2025, 12, 1), 3) == date(2026, 3, 2)  # 3/1 is a Sunday


def test_day_kinds_and_names() -> None:
    cal = WorkCalendar(
        {date(2026, 10, 1): False, date(2026, 10, 10): True},
        {2026},
        names={
            date(2026, 10, 1): "国庆节",
            date(2026, 10, 10): "国庆节",
        },
    )
    assert cal.day_kind(date(2026, 10, 1)) == DayKind.HOLIDAY
    assert cal.day_name(date(2026, 10, 1)) == "国庆节"
    assert cal.day_kind(date(2026, 10, 10)) == DayKind.MAKEUP
    assert cal.day_kind(date(2026, 10, 11)) == DayKind.WEEKEND
    assert cal.day_kind(date(2026, 10, 12)) == DayKind.WORKDAY
    assert cal.next_workday(date(2026, 9, 30)) == date(2026, 10, 2)
    assert cal.previous_workday(date(2026, 10, 2)) == date(2026, 9, 30)
    assert cal.roll_forward(date(2026, 10, 1)) == date(2026, 10, 2)


def test_year_without_schedule_is_provisional_with_fixed_holidays() -> None:
    cal = official_calendar()
    assert not cal.is_provisional(date(2026, 12, 31))
    assert cal.is_provisional(date(2027, 1, 4))
    # 2027: 1/1 元旦 (Friday), 5/1–5/2 劳动节, 10/1–10/3 国庆节 are known without a schedule.
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.day_kind(date(2027, 10, 1)) == DayKind.HOLIDAY
    assert cal.day_name(date(2027, 10, 1)) == "国庆节"
    assert cal.add_workdays(date(2027, 9, 30), 1) == date(2027, 10, 4)
    assert cal.is_provisional_span(date(2026, 12, 1), date(2027, 1, 4))


def test_negative_and_zero_additions() -> None:
    cal = official_calendar()
    assert cal.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert cal.add_workdays(date(2026, 10, 8), 0) == date(2026, 10, 8)
    assert cal.add_days(date(2026, 10, 8), -10) == date(2026, 9, 28)


def test_out_of_range_is_an_error() -> None:
    cal = WorkCalendar({}, set(), first=date(2020, 1, 1), last=date(2020, 12, 31))
    with pytest.raises(CalendarRangeError):
        cal.add_workdays(date(2019, 12, 31), 1)
    with pytest.raises(CalendarRangeError):
        cal.add_workdays(date(2020, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        cal.add_days(date(2020, 12, 30), 5)


def test_hours_run_on_the_clock() -> None:
    start = datetime(2026, 10, 1, 23, 30, tzinfo=SHANGHAI)
    assert add_hours(start, 2) == datetime(2026, 10, 2, 1, 30, tzinfo=SHANGHAI)
    period = compute_period(
        official_calendar(), counting=Counting.HOURS, start=start, limit=2, tz=SHANGHAI
    )
    assert period.due_at == datetime(2026, 10, 2, 1, 30, tzinfo=SHANGHAI)
    assert not period.provisional


def test_due_moment_is_end_of_day_or_closing_time() -> None:
    start = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    cal = official_calendar()
    period = compute_period(cal, counting=Counting.WORKDAYS, start=start, limit=5, tz=SHANGHAI)
    assert period.due_at == end_of_day(date(2026, 10, 13), SHANGHAI)
    assert period.due_at.hour == 23
    assert period.due_at.microsecond == 999999
    from datetime import time

    closing = compute_period(
        cal,
        counting=Counting.WORKDAYS,
        start=start,
        limit=5,
        tz=SHANGHAI,
        closing_time=time(17, 30),
    )
    assert closing.due_at == datetime(2026, 10, 13, 17, 30, tzinfo=SHANGHAI)
