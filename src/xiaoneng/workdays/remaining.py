"""The time left on a running clock, as a person reads it: "剩余 3 个工作日", "剩余 5 小时",
"已超期 2 个工作日".

The count comes from ``periods.units_left`` (the rule ``period_progress`` uses for the case's
remaining units), on the clock's stored due moment, which already includes its pauses and
extensions: no second deadline computation. Lists pass one calendar for all their rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.utils.translation import gettext, ngettext

from xiaoneng.workdays.arithmetic import CalendarRangeError, WorkCalendar
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.periods import Counting, units_left


@dataclass(frozen=True)
class TimeLeft:
    """Units left in the clock's own unit (negative: overdue) and whole hours left.

    On the due day (0 days left) the hours say how long is left; an overdue clock whose due
    day is today (or whose lateness counts no working day yet, at a weekend) says it in hours.
    """

    counting: str
    units: int
    hours: int
    overdue: bool

    @property
    def in_hours(self) -> bool:
        return self.counting == Counting.HOURS or self.units == 0

    @property
    def text(self) -> str:
        if self.overdue:
            if self.in_hours:
                n = max(1, -self.hours)
                return ngettext("%(n)s hour overdue", "%(n)s hours overdue", n) % {"n": n}
            n = -self.units
            if self.counting == Counting.WORKDAYS:
                return ngettext("%(n)s working day overdue", "%(n)s working days overdue", n) % {
                    "n": n
                }
            return ngettext("%(n)s day overdue", "%(n)s days overdue", n) % {"n": n}
        if self.in_hours:
            if self.hours < 1:
                return gettext("Less than an hour left")
            return ngettext("%(n)s hour left", "%(n)s hours left", self.hours) % {"n": self.hours}
        if self.counting == Counting.WORKDAYS:
            return ngettext("%(n)s working day left", "%(n)s working days left", self.units) % {
                "n": self.units
            }
        return ngettext("%(n)s day left", "%(n)s days left", self.units) % {"n": self.units}


def time_left(
    *,
    due_at: datetime,
    counting: str,
    calendar: WorkCalendar,
    now: datetime,
    tz: tzinfo | None = None,
) -> TimeLeft | None:
    """The time left on a running clock due at ``due_at``; None beyond the calendar's range."""
    tz = tz or office_tz()
    counting = counting or Counting.WORKDAYS
    try:
        units = units_left(calendar, counting, due_at, at=now, tz=tz)
    except (CalendarRangeError, ValueError):
        return None
    hours = units_left(calendar, Counting.HOURS, due_at, at=now, tz=tz)
    return TimeLeft(counting=str(counting), units=units, hours=hours, overdue=now > due_at)
