"""A WorkCalendar straight from the chinesecalendar package, without the database."""

from __future__ import annotations

from datetime import date
from functools import cache

from chinese_calendar import constants

from xiaoneng.workdays.arithmetic import WorkCalendar


def package_years() -> set[int]:
    return {day.year for day in (*constants.holidays, *constants.workdays)}


@cache
def official_calendar() -> WorkCalendar:
    overrides: dict[date, bool] = dict.fromkeys(constants.holidays, False)
    overrides.update(dict.fromkeys(constants.workdays, True))
    return WorkCalendar(overrides, package_years())
