"""Periods with pauses, restarts and extensions, on top of :mod:`arithmetic`. Pure Python.

A period starts at a moment, counts ``limit + extension`` units (working days, calendar days,
months or hours) and ends at a due moment: the end of the last day in the office's time zone
(or the office closing time), or, for hours, the exact moment on the clock.

Pauses (e.g. waiting for the requester to supplement materials) do not count. Day-based periods
count a pause from day P to day R as the days in (P, R]: the pause day was partly used, the
resume day is a fresh start, as the start day is (民法典 art. 201). A pause that begins on or
after the due day changes nothing — pausing an overdue clock must not rescue it. A pause that
ends with ``restart`` begins the whole period again from the resume moment (重新计算).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from xiaoneng.workdays.arithmetic import (
    CalendarRangeError,
    WorkCalendar,
    add_hours,
    add_months_raw,
)


class Counting(StrEnum):
    WORKDAYS = "workdays"
    DAYS = "days"
    MONTHS = "months"
    HOURS = "hours"


DAY_BASED = frozenset({Counting.WORKDAYS, Counting.DAYS, Counting.MONTHS})


@dataclass(frozen=True)
class PauseSpan:
    start: datetime
    end: datetime | None
    restart: bool = False


@dataclass(frozen=True)
class AppliedPause:
    """A pause and the units it added to the period (0 when it began after the due day)."""

    start: datetime
    end: datetime | None
    restart: bool
    added_days: int
    added_time: timedelta


@dataclass(frozen=True)
class Period:
    counting: Counting
    limit: int
    extension: int
    count_start: bool
    start: datetime
    # Where counting (re)started: ``start`` unless a pause ended with a restart.
    effective_start: datetime
    due_date: date
    due_at: datetime
    # The due moment before any pause was applied (for explanations).
    unpaused_due_at: datetime
    pauses: tuple[AppliedPause, ...]
    paused: bool
    provisional: bool
    # Day-based periods: the last day before any art. 203 roll forward (the due day when the
    # last day is a working day). None for hours.
    last_day: date | None = None

    @property
    def total(self) -> int:
        return self.limit + self.extension


def local_date(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


def end_of_day(day: date, tz: tzinfo, closing_time: time | None = None) -> datetime:
    """The last moment of ``day`` in ``tz``, or the office closing time on that day."""
    if closing_time is not None:
        return datetime.combine(day, closing_time, tzinfo=tz)
    return datetime.combine(day, time.max, tzinfo=tz)


def start_of_day(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz)


def add_units(
    cal: WorkCalendar, counting: Counting, start: date, n: int, *, count_start: bool
) -> date:
    """The last day of an ``n``-unit day-based period starting on ``start``."""
    if counting == Counting.WORKDAYS:
        return cal.add_workdays(start, n, count_start=count_start)
    if counting == Counting.DAYS:
        return cal.add_days(start, n, count_start=count_start)
    if counting == Counting.MONTHS:
        return cal.add_months(start, n, count_start=count_start)
    raise ValueError(f"{counting} is not a day-based unit")


def units_between(cal: WorkCalendar, counting: Counting, a: date, b: date) -> int:
    """Units in (a, b]: working days for working-day periods, calendar days otherwise."""
    if counting == Counting.WORKDAYS:
        return cal.workdays_between(a, b)
    return (b - a).days


def compute_period(
    cal: WorkCalendar,
    *,
    counting: Counting,
    start: datetime,
    limit: int,
    count_start: bool = False,
    extension: int = 0,
    pauses: Sequence[PauseSpan] = (),
    tz: tzinfo,
    closing_time: time | None = None,
) -> Period:
    """The due moment of a period; ``start`` and pause moments must be aware datetimes."""
    counting = Counting(counting)
    if limit < 0 or extension < 0:
        raise ValueError("limit and extension must not be negative")
    total = limit + extension
    ordered = sorted(pauses, key=lambda p: p.start)
    # Only pauses after the last completed restart matter; the restart is the new start.
    effective_start = start
    first_relevant = 0
    for index, pause in enumerate(ordered):
        if pause.restart and pause.end is not None:
            effective_start = pause.end
            first_relevant = index + 1
    applied: list[AppliedPause] = [
        AppliedPause(p.start, p.end, p.restart, 0, timedelta(0)) for p in ordered[:first_relevant]
    ]
    paused = False
    if counting == Counting.HOURS:
        due_at = add_hours(effective_start, total)
        unpaused = due_at
        for pause in ordered[first_relevant:]:
            if pause.end is None:
                paused = True
                applied.append(AppliedPause(pause.start, None, pause.restart, 0, timedelta(0)))
                break
            added = pause.end - pause.start if pause.start < due_at else timedelta(0)
            due_at += added
            applied.append(AppliedPause(pause.start, pause.end, pause.restart, 0, added))
        due_at = due_at.astimezone(tz)
        # Refused like a day-based period that ends beyond the calendar: a due moment there
        # could never be checked against working days, reminders or statistics.
        if not cal.covers(due_at.date()):
            raise CalendarRangeError("the result falls outside the calendar")
        return Period(
            counting=counting,
            limit=limit,
            extension=extension,
            count_start=count_start,
            start=start,
            effective_start=effective_start,
            due_date=due_at.date(),
            due_at=due_at,
            unpaused_due_at=unpaused.astimezone(tz),
            pauses=tuple(applied),
            paused=paused,
            provisional=False,
        )

    start_day = local_date(effective_start, tz)
    due_date = add_units(cal, counting, start_day, total, count_start=count_start)
    unpaused_due = due_date
    # Calendar-day and month periods shift their *unrolled* last day, then roll again (art.
    # 203), so that a pause across a holiday is not counted twice.
    if total == 0:
        raw_end = start_day
    elif counting == Counting.DAYS:
        raw_end = start_day + timedelta(days=total - (1 if count_start else 0))
    elif counting == Counting.MONTHS:
        raw_end = add_months_raw(start_day, total) - timedelta(days=1 if count_start else 0)
    else:
        raw_end = due_date
    for pause in ordered[first_relevant:]:
        if pause.end is None:
            paused = True
            applied.append(AppliedPause(pause.start, None, pause.restart, 0, timedelta(0)))
            break
        pause_day = local_date(pause.start, tz)
        resume_day = local_date(pause.end, tz)
        added = units_between(cal, counting, pause_day, resume_day) if pause_day < due_date else 0
        if added > 0:
            if counting == Counting.WORKDAYS:
                due_date = cal.add_workdays(due_date, added)
            else:
                raw_end += timedelta(days=added)
                due_date = cal.roll_forward(raw_end)
        applied.append(AppliedPause(pause.start, pause.end, pause.restart, added, timedelta(0)))
    if counting == Counting.WORKDAYS:
        raw_end = due_date
    return Period(
        counting=counting,
        limit=limit,
        extension=extension,
        count_start=count_start,
        start=start,
        effective_start=effective_start,
        due_date=due_date,
        due_at=end_of_day(due_date, tz, closing_time),
        unpaused_due_at=end_of_day(unpaused_due, tz, closing_time),
        pauses=tuple(applied),
        paused=paused,
        provisional=cal.is_provisional_span(start_day, due_date),
        last_day=raw_end,
    )


@dataclass(frozen=True)
class Progress:
    """How much of a period is used and left at a moment, pauses excluded.

    ``remaining_units`` is in the period's own unit (hours for hour periods, rounded down);
    it is 0 on the due day and negative once the due day has passed.
    """

    counting: Counting
    total: int
    elapsed_units: int
    remaining_units: int
    remaining_time: timedelta
    overdue: bool
    paused: bool


def units_left(
    cal: WorkCalendar, counting: Counting | str, due_at: datetime, *, at: datetime, tz: tzinfo
) -> int:
    """The units left at ``at`` until ``due_at``, in the period's own unit: whole hours
    (rounded down) for hour periods, else the working or calendar days in (today, due day].
    0 on the due day, negative once the due day (or hour) has passed. The one rule for
    "remaining time": ``period_progress`` and every list that shows it use this."""
    if counting == Counting.HOURS:
        return int((due_at - at).total_seconds() // 3600)
    return units_between(cal, Counting(counting), local_date(at, tz), local_date(due_at, tz))


def period_progress(cal: WorkCalendar, period: Period, *, now: datetime, tz: tzinfo) -> Progress:
    # A paused period is frozen at the moment it was paused.
    open_pause = period.pauses[-1] if period.paused else None
    at = open_pause.start if open_pause is not None else now
    remaining_time = period.due_at - at
    # The due moment is the end (or closing time) of the due day, so its local date is the day.
    remaining = units_left(cal, period.counting, period.due_at, at=at, tz=tz)
    if period.counting == Counting.HOURS:
        elapsed = period.total - remaining if remaining_time.total_seconds() > 0 else period.total
        elapsed = max(0, min(period.total, elapsed))
    else:
        elapsed = max(0, min(period.total, period.total - remaining))
    return Progress(
        counting=period.counting,
        total=period.total,
        elapsed_units=elapsed,
        remaining_units=remaining,
        remaining_time=remaining_time,
        overdue=at > period.due_at,
        paused=period.paused,
    )


def period_checkpoints(
    cal: WorkCalendar,
    period: Period,
    *,
    tz: tzinfo,
    prewarn_workdays: int = 1,
    fractions: Sequence[int] = (),
) -> list[tuple[str, datetime]]:
    """The moments a sweep should look at the period: pre-warnings and the due moment.

    ``fractions`` are percentages of the period (e.g. 50, 75). Pre-warnings are counted back
    from the due day so that pauses already applied are respected.
    """
    points: list[tuple[str, datetime]] = []
    start = period.effective_start
    if period.counting == Counting.HOURS:
        span = period.due_at - start
        for fraction in fractions:
            points.append((f"progress_{fraction}", start + span * fraction / 100))
    else:
        start_day = local_date(start, tz)
        due_day = period.due_date
        if prewarn_workdays > 0:
            warn_day = cal.add_workdays(due_day, -prewarn_workdays)
            if warn_day > start_day:
                points.append(("prewarn", start_of_day(warn_day, tz)))
        for fraction in fractions:
            if period.counting == Counting.WORKDAYS:
                left = period.total - period.total * fraction // 100
                if 0 < left < period.total:
                    day = cal.add_workdays(due_day, -left)
                    points.append((f"progress_{fraction}", start_of_day(day + timedelta(1), tz)))
            else:
                span_days = (due_day - start_day).days
                day = start_day + timedelta(days=span_days * fraction // 100)
                if start_day < day < due_day:
                    points.append((f"progress_{fraction}", start_of_day(day, tz)))
    points.append(("due", period.due_at))
    points.sort(key=lambda item: item[1])
    return points
