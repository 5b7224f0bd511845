"""Deadlines in the office's time zone: the Django-aware layer over the pure arithmetic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, tzinfo

from django.utils import timezone

from xiaoneng.workdays.arithmetic import WorkCalendar
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import (
    Counting,
    PauseSpan,
    Period,
    compute_period,
    end_of_day,
    start_of_day,
)


def office_tz() -> tzinfo:
    """Asia/Shanghai (settings.TIME_ZONE): deadlines end by the office's clock, not UTC."""
    return timezone.get_default_timezone()


def due_moment(day: date, closing_time: time | None = None) -> datetime:
    """The aware moment a deadline falling on ``day`` expires: 23:59:59.999999 or closing time."""
    return end_of_day(day, office_tz(), closing_time)


def as_moment(value: date | datetime) -> datetime:
    """An aware moment: a bare date is the start of that day in the office's time zone."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, office_tz())
    return start_of_day(value, office_tz())


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment, office_tz()).date()


def deadline_compute(
    *,
    start: date | datetime,
    limit: int,
    counting: Counting | str = Counting.WORKDAYS,
    count_start: bool = False,
    unit_id: int | None = None,
    closing_time: time | None = None,
    calendar: WorkCalendar | None = None,
) -> Period:
    """The period for bare arguments (the ``deadline`` command, previews in forms)."""
    return compute_period(
        calendar or get_calendar(unit_id),
        counting=Counting(counting),
        start=as_moment(start),
        limit=limit,
        count_start=count_start,
        tz=office_tz(),
        closing_time=closing_time,
    )


def clock_period(
    clock: Clock,
    calendar: WorkCalendar | None = None,
    *,
    extra_units: int = 0,
    pauses: Sequence[PauseSpan] | None = None,
    extension_units: int | None = None,
) -> Period:
    """The period of a clock from its stored start, pauses and extensions; ``extra_units``
    adds an extension not (yet) granted, to show what it would give. A list that has read
    the pauses and the extended units of many clocks at once passes them (``pauses``,
    ``extension_units``) instead of a query per clock."""
    if pauses is None:
        pauses = [
            PauseSpan(start=pause.paused_at, end=pause.resumed_at, restart=pause.restart)
            for pause in clock.pauses.all()
        ]
    if extension_units is None:
        extension_units = clock.extension_units
    return compute_period(
        calendar or get_calendar(clock.unit_id),
        counting=Counting(clock.counting),
        start=clock.started_at,
        limit=clock.limit,
        count_start=clock.count_start,
        extension=extension_units + extra_units,
        pauses=pauses,
        tz=office_tz(),
        closing_time=clock.closing_time,
    )
