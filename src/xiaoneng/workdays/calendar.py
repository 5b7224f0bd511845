"""Build :class:`WorkCalendar` objects from the database and keep them in the process.

The national calendar and each unit's local calendar (national days plus the unit's own) are
built once per *calendar token*: a random value in ``CalendarState`` that every change to the
calendar replaces inside its transaction. Asking for a calendar therefore costs one indexed
single-row query; a change made by another process is seen on the next request.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from xiaoneng.workdays.arithmetic import WorkCalendar
from xiaoneng.workdays.models import CalendarOverride, CalendarState, CalendarYear


@dataclass
class _Cache:
    token: str | None = None
    national: tuple[dict[date, bool], dict[date, str], frozenset[int]] | None = None
    calendars: dict[int | None, WorkCalendar] = field(default_factory=dict)


_cache = _Cache()
_lock = threading.Lock()


_pinned: ContextVar[str | None] = ContextVar("calendar_pinned", default=None)


def calendar_token() -> str:
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    return CalendarState.objects.filter(pk=1).values_list("token", flat=True).first() or ""


@contextmanager
def calendar_pinned() -> Iterator[None]:
    """Read the calendar token once for a batch of work (the sweeper's batch of clocks) instead
    of once per clock; a change committed meanwhile is seen by the next batch."""
    if _pinned.get() is not None:
        yield
        return
    token = _pinned.set(
        CalendarState.objects.filter(pk=1).values_list("token", flat=True).first() or ""
    )
    try:
        yield
    finally:
        _pinned.reset(token)


def calendar_touch() -> None:
    """Mark the calendar as changed; call inside the transaction that changes it."""
    token = uuid.uuid4().hex
    if not CalendarState.objects.filter(pk=1).update(token=token):
        CalendarState.objects.create(pk=1, token=token)


def _overrides(unit_id: int | None) -> tuple[dict[date, bool], dict[date, str]]:
    rows = CalendarOverride.objects.filter(unit_id=unit_id).values_list("day", "kind", "name")
    workdays = {day: kind == CalendarOverride.Kind.MAKEUP_WORKDAY for day, kind, _ in rows}
    names = {day: name for day, _, name in rows if name}
    return workdays, names


def get_calendar(unit_id: int | None = None) -> WorkCalendar:
    """The calendar for a unit (its local days on top of the national ones), or the national."""
    token = calendar_token()
    with _lock:
        if _cache.token != token:
            _cache.token = token
            _cache.national = None
            _cache.calendars = {}
        calendar = _cache.calendars.get(unit_id)
        if calendar is not None:
            return calendar
        if _cache.national is None:
            workdays, names = _overrides(None)
            years = frozenset(CalendarYear.objects.values_list("year", flat=True))
            _cache.national = (workdays, names, years)
        workdays, names, years = _cache.national
        if unit_id is not None:
            local_workdays, local_names = _overrides(unit_id)
            workdays = {**workdays, **local_workdays}
            names = {**names, **local_names}
        calendar = WorkCalendar(workdays, years, names=names)
        _cache.calendars[unit_id] = calendar
        return calendar


def calendar_cache_clear() -> None:
    """Forget every cached calendar (tests that write overrides without the services)."""
    with _lock:
        _cache.token = None
        _cache.national = None
        _cache.calendars = {}
