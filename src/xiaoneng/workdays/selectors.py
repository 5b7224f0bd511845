"""Reading the calendar and the clocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from xiaoneng.web.compiled import compiled_rows_for
from xiaoneng.workdays.arithmetic import WorkCalendar
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import clock_period, office_tz
from xiaoneng.workdays.models import CalendarOverride, CalendarYear, Clock
from xiaoneng.workdays.periods import (
    Period,
    Progress,
    end_of_day,
    period_checkpoints,
    period_progress,
)

# From this day of the year on, a missing schedule for next year is an emergency: the State
# Council usually publishes it in late October or November, and cases opened in December
# already run into January.
NEXT_YEAR_WARNING_FROM = (11, 1)
# The first year the chinesecalendar package (and therefore an official import) covers.
FIRST_OFFICIAL_YEAR = 2004
DEFAULT_PREWARN_WORKDAYS = 1
DEFAULT_YELLOW_GRACE_WORKDAYS = 5


def calendar_official_years() -> list[int]:
    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def calendar_missing_years(today: date) -> list[int]:
    """Years from 2004 through next year whose official schedule is not loaded."""
    official = set(calendar_official_years())
    return [year for year in range(FIRST_OFFICIAL_YEAR, today.year + 2) if year not in official]


def year_ranges(years: Iterable[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for year in sorted(years):
        if ranges and ranges[-1][1] == year - 1:
            ranges[-1] = (ranges[-1][0], year)
        else:
            ranges.append((year, year))
    return ranges


@dataclass(frozen=True)
class CalendarStatus:
    """What the administrator's home page and ``calendar status`` show about coverage."""

    today: date
    official_years: list[int]
    missing_years: list[int]
    current_year_missing: bool
    next_year_missing: bool
    # True when the missing schedule already makes live deadlines provisional (current year),
    # or soon will (next year, from 1 November).
    warning: bool
    override_count: int
    covered_ranges: list[tuple[int, int]] = field(default_factory=list)

    @property
    def level(self) -> str:
        if self.current_year_missing:
            return "error"
        return "warning" if self.warning else "ok"


def calendar_status(today: date | None = None) -> CalendarStatus:
    today = today or timezone.localdate()
    official = calendar_official_years()
    missing = calendar_missing_years(today)
    current_missing = today.year in missing
    next_missing = today.year + 1 in missing
    late_in_year = (today.month, today.day) >= NEXT_YEAR_WARNING_FROM
    return CalendarStatus(
        today=today,
        official_years=official,
        missing_years=missing,
        current_year_missing=current_missing,
        next_year_missing=next_missing,
        warning=current_missing or (next_missing and late_in_year),
        override_count=CalendarOverride.objects.filter(unit__isnull=True).count(),
        covered_ranges=year_ranges(official),
    )


def calendar_overrides(*, year: int | None = None, unit_id: int | None = None) -> QuerySet:
    """The overrides of one calendar (national, or a unit's local days) for the editing page."""
    rows = CalendarOverride.objects.filter(unit_id=unit_id)  # type: ignore[misc]  # None: national
    if year is not None:
        rows = rows.filter(day__year=year)
    return rows.order_by("day")


# -- clocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """A moment a sweep must look at a clock: prewarn, progress_50/75, due (yellow), red."""

    kind: str
    at: datetime


def _policy_settings(clock: Clock) -> tuple[int, list[int], int]:
    version = clock.policy_version
    if version is None:
        return DEFAULT_PREWARN_WORKDAYS, [], DEFAULT_YELLOW_GRACE_WORKDAYS
    return (
        version.prewarn_workdays,
        [int(fraction) for fraction in version.prewarn_fractions or []],
        version.yellow_grace_workdays,
    )


def clock_thresholds(
    clock: Clock, *, period: Period | None = None, calendar: WorkCalendar | None = None
) -> list[Threshold]:
    """Pre-warnings, the due moment and the red-card moment (due + grace working days)."""
    calendar = calendar or get_calendar(clock.unit_id)
    period = period or clock_period(clock, calendar)
    prewarn, fractions, grace = _policy_settings(clock)
    tz = office_tz()
    points = period_checkpoints(
        calendar, period, tz=tz, prewarn_workdays=prewarn, fractions=fractions
    )
    red_day = calendar.add_workdays(period.due_date, grace)
    points.append(("red", end_of_day(red_day, tz, clock.closing_time)))
    return [Threshold(kind, at) for kind, at in points]


def clock_progress(clock: Clock, *, now: datetime | None = None) -> Progress:
    """Elapsed and remaining time, pauses excluded; frozen while paused, final once stopped."""
    calendar = get_calendar(clock.unit_id)
    at = now or timezone.now()
    if clock.stopped_at is not None:
        at = min(at, clock.stopped_at)
    return period_progress(calendar, clock_period(clock, calendar), now=at, tz=office_tz())


def clocks_due_for_check(*, now: datetime, limit: int = 500) -> QuerySet:
    """Running clocks whose next check has come, oldest first (through the ``ClockCheck``
    rows' index on next check and clock)."""
    return (
        Clock.objects.filter(next_check__next_check_at__lte=now, state=Clock.State.RUNNING)
        .select_related("policy_version")
        .prefetch_related("pauses", "extensions")
        .order_by("next_check__next_check_at", "id")[:limit]
    )


def clocks_of(*, owner_type: str, owner_id: int, stage: str | None = None) -> QuerySet:
    clocks = Clock.objects.filter(owner_type=owner_type, owner_id=owner_id)
    if stage is not None:
        clocks = clocks.filter(stage=stage)
    return clocks.select_related("policy_version__policy").prefetch_related("pauses", "extensions")


def _open_clocks(owner_type: str, owner_id: int, stage: str) -> QuerySet:
    return (
        clocks_of(owner_type=owner_type, owner_id=owner_id, stage=stage)
        .exclude(state=Clock.State.STOPPED)
        .order_by("-id")[:1]
    )


def clock_open_for(*, owner_type: str, owner_id: int, stage: str) -> Clock | None:
    # Asked by every step that starts, stops or checks a case's clock: the statement is
    # compiled once per connection (building it cost more Python than running it).
    found = compiled_rows_for("workdays.clock_open_for", _open_clocks, owner_type, owner_id, stage)
    return found[0] if found else None
