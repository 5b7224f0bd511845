"""Workdays services: the calendar and the clocks (``from xiaoneng.workdays.services import …``)."""

from xiaoneng.workdays.services.calendar import (
    LoadResult,
    calendar_load,
    calendar_override_delete,
    calendar_override_set,
    calendar_year_set_official,
    clocks_recalculate,
)
from xiaoneng.workdays.services.clocks import (
    clock_extend,
    clock_pause,
    clock_resume,
    clock_schedule_next,
    clock_start,
    clock_stop,
)

__all__ = [
    "LoadResult",
    "calendar_load",
    "calendar_override_delete",
    "calendar_override_set",
    "calendar_year_set_official",
    "clock_extend",
    "clock_pause",
    "clock_resume",
    "clock_schedule_next",
    "clock_start",
    "clock_stop",
    "clocks_recalculate",
]
