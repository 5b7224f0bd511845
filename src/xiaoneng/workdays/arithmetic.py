"""Working-day arithmetic over a precomputed index. Pure Python: no Django, no database.

A :class:`WorkCalendar` covers a fixed span of days (2000-01-01 … 2100-12-31 by default). It is
built once from the day overrides (statutory holidays and make-up working days, 调休) and the
set of years whose official schedule is known; after that every question is a few list lookups:

* ``_work[i]`` is 1 when day ``i`` (offset from the first day) is a working day;
* ``_rank[i]`` is the number of working days strictly before day ``i``;
* ``_ords[k]`` is the proleptic ordinal of the ``k``-th working day.

So "the n-th working day after d" is ``_ords[_rank[i] + _work[i] + n - 1]`` — no loop over days.

Counting rules (民法典 arts. 201–203): the start day is not counted unless the caller says so;
a calendar-day or month period whose last day is not a working day ends on the next working
day. For a year without an official schedule the calendar uses weekends plus the fixed-date
statutory holidays (元旦, 劳动节, 国庆节 — the lunar ones cannot be known) and every answer that
touches such a year is *provisional*.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable, Iterator, Mapping
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, timedelta
from enum import StrEnum
from itertools import accumulate, compress

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)

NEW_YEAR = "元旦"
LABOUR_DAY = "劳动节"
NATIONAL_DAY = "国庆节"


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    # A Saturday or Sunday worked in exchange for a bridge day off (调休).
    MAKEUP = "makeup"


class CalendarRangeError(ValueError):
    """A date, or the result of an addition, falls outside the days the calendar covers."""


def fixed_statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays whose dates do not depend on the lunar calendar.

    Labour Day was three days until 2007, one day from 2008 and two days from 2025 (State
    Council decree of 2024); the other lunar holidays are only known once the schedule is out.
    """
    days = {date(year, 1, 1): NEW_YEAR}
    may_days = (1, 2, 3) if year < 2008 else (1,) if year < 2025 else (1, 2)
    days.update({date(year, 5, day): LABOUR_DAY for day in may_days})
    days.update({date(year, 10, day): NATIONAL_DAY for day in (1, 2, 3)})
    return days


def _is_weekend(ordinal: int) -> bool:
    # date.fromordinal(1) is a Monday, so (ordinal + 6) % 7 is date.weekday().
    return (ordinal + 6) % 7 >= 5


def add_hours(start: datetime, hours: float) -> datetime:
    """``start`` plus ``hours`` of elapsed time on the clock, regardless of working days.

    Aware datetimes are added in UTC so that a zone with daylight saving would not skew the
    elapsed time (Asia/Shanghai has none today, but the arithmetic should not rely on it).
    """
    try:
        if start.tzinfo is None:
            return start + timedelta(hours=hours)
        return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(start.tzinfo)
    except OverflowError:  # beyond year 9999: far outside any calendar
        raise CalendarRangeError("the result falls outside the calendar") from None


def add_months_raw(start: date, n: int) -> date:
    """The corresponding day ``n`` months later (民法典 art. 202); the month's last day if none."""
    month_index = start.year * 12 + start.month - 1 + n
    year, month = divmod(month_index, 12)
    if not MINYEAR <= year <= MAXYEAR:
        raise CalendarRangeError("the result falls outside the calendar")
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


class WorkCalendar:
    """An immutable index of working days; every method is O(1) except the iterators."""

    __slots__ = (
        "_base",
        "_holidays",
        "_names",
        "_ords",
        "_rank",
        "_size",
        "_work",
        "first",
        "last",
        "official_years",
    )

    def __init__(
        self,
        overrides: Mapping[date, bool],
        official_years: Iterable[int],
        *,
        first: date = FIRST_DAY,
        last: date = LAST_DAY,
        names: Mapping[date, str] | None = None,
    ) -> None:
        """Build the index.

        ``overrides`` maps a day to whether it is a working day, overriding the weekend rule
        (``False`` for a holiday, ``True`` for a make-up working day). ``names`` optionally
        gives each overridden day's name (e.g. "国庆节") for explanations.
        """
        if last < first:
            raise ValueError("last must not be before first")
        self.first = first
        self.last = last
        self.official_years = frozenset(official_years)
        base = first.toordinal()
        size = last.toordinal() - base + 1
        work = bytearray(b"\x01") * size
        # Blank out Saturdays and Sundays with two strided slices instead of a per-day loop.
        first_saturday = (5 - first.weekday()) % 7
        for offset in (first_saturday, (first_saturday + 1) % 7):
            count = len(range(offset, size, 7))
            work[offset::7] = bytes(count)
        holidays: dict[date, str] = {}
        for year in range(first.year, last.year + 1):
            if year not in self.official_years:
                holidays.update(fixed_statutory_holidays(year))
        names = names or {}
        for day, is_work in overrides.items():
            if is_work:
                holidays.pop(day, None)
            else:
                holidays[day] = names.get(day, holidays.get(day, ""))
        for day in holidays:
            i = day.toordinal() - base
            if 0 <= i < size:
                work[i] = 0
        for day, is_work in overrides.items():
            i = day.toordinal() - base
            if is_work and 0 <= i < size:
                work[i] = 1
        self._base = base
        self._size = size
        self._work = bytes(work)
        self._rank = list(accumulate(self._work, initial=0))
        self._ords = list(compress(range(base, base + size), self._work))
        self._holidays = holidays
        self._names = dict(names)

    # -- lookups ------------------------------------------------------------------------------

    def _index(self, day: date) -> int:
        i = day.toordinal() - self._base
        if not 0 <= i < self._size:
            raise CalendarRangeError(f"{day.isoformat()} is outside the calendar")
        return i

    def _workday_at(self, k: int) -> date:
        if not 0 <= k < len(self._ords):
            raise CalendarRangeError("the result falls outside the calendar")
        return date.fromordinal(self._ords[k])

    def covers(self, day: date) -> bool:
        return 0 <= day.toordinal() - self._base < self._size

    def is_workday(self, day: date) -> bool:
        return bool(self._work[self._index(day)])

    def is_provisional(self, day: date) -> bool:
        """True when ``day`` lies in a year whose official schedule is not loaded."""
        return day.year not in self.official_years

    def is_provisional_span(self, start: date, end: date) -> bool:
        low, high = min(start.year, end.year), max(start.year, end.year)
        return any(year not in self.official_years for year in range(low, high + 1))

    def day_kind(self, day: date) -> DayKind:
        weekend = _is_weekend(day.toordinal())
        if self.is_workday(day):
            return DayKind.MAKEUP if weekend else DayKind.WORKDAY
        if day in self._holidays:
            return DayKind.HOLIDAY
        return DayKind.WEEKEND

    def day_name(self, day: date) -> str:
        """The holiday a day belongs to (for make-up days: the holiday it is worked for)."""
        return self._names.get(day) or self._holidays.get(day, "")

    def next_workday(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        i = self._index(day)
        return self._workday_at(self._rank[i + 1])

    def previous_workday(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        return self._workday_at(self._rank[self._index(day)] - 1)

    def roll_forward(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next working day (art. 203)."""
        return self._workday_at(self._rank[self._index(day)])

    # -- arithmetic ---------------------------------------------------------------------------

    def add_workdays(self, start: date, n: int, *, count_start: bool = False) -> date:
        """The ``n``-th working day after ``start``; ``n < 0`` counts back, ``0`` is ``start``.

        With ``count_start`` a working start day is itself day 1 (a non-working start day can
        never count).
        """
        i = start.toordinal() - self._base
        if not 0 <= i < self._size:
            raise CalendarRangeError(f"{start.isoformat()} is outside the calendar")
        if n > 0:
            k = self._rank[i] + n - 1 if count_start else self._rank[i + 1] + n - 1
        elif n < 0:
            k = self._rank[i] + n
        else:
            return date.fromordinal(start.toordinal())
        ords = self._ords
        if not 0 <= k < len(ords):
            raise CalendarRangeError("the result falls outside the calendar")
        return date.fromordinal(ords[k])

    def workdays_between(self, a: date, b: date) -> int:
        """The number of working days in (a, b]; negative when ``b`` is before ``a``.

        This is the inverse of :meth:`add_workdays`: ``workdays_between(d, add_workdays(d, n))
        == n`` for every ``n >= 0``.
        """
        return self._rank[self._index(b) + 1] - self._rank[self._index(a) + 1]

    def add_days(self, start: date, n: int, *, count_start: bool = False) -> date:
        """``n`` calendar days after ``start``, ending on the next working day if need be.

        Only forward periods roll forward (art. 203); ``n <= 0`` is plain date arithmetic.
        """
        if n <= 0:
            return self._checked(start.toordinal() + n)
        end = start.toordinal() + n - (1 if count_start else 0)
        return self.roll_forward(self._checked(end))

    def add_months(self, start: date, n: int, *, count_start: bool = False) -> date:
        """``n`` months after ``start`` (art. 202), ending on the next working day if need be."""
        end = add_months_raw(start, n)
        if n <= 0:
            return self._checked(end.toordinal())
        if count_start:
            end -= timedelta(days=1)
        return self.roll_forward(self._checked(end.toordinal()))

    def _checked(self, ordinal: int) -> date:
        if not 0 <= ordinal - self._base < self._size:
            raise CalendarRangeError("the result falls outside the calendar")
        return date.fromordinal(ordinal)

    # -- iteration (explanations only; never used by the arithmetic) ---------------------------

    def iter_days(self, start: date, end: date) -> Iterator[tuple[date, DayKind]]:
        """Every day from ``start`` to ``end`` inclusive with its kind."""
        for ordinal in range(start.toordinal(), end.toordinal() + 1):
            day = date.fromordinal(ordinal)
            yield day, self.day_kind(day)
