"""Build :class:`WorkCalendar` objects from the database and keep them in the process.

The national calendar and each unit's local calendar (national days plus the unit's own) are
built once per *calendar token*: a random value in ``CalendarState`` that every change to the
calendar replaces inside its transaction. Asking for a calendar therefore costs one indexed
single-row query; a change made by another process is seen on the next request.

The same table holds a second row, the *configuration token* (``CONFIG_STATE``), for the other
things every registration reads and that rarely change: time-limit policies, categories, API
keys and their roles, staff, posts and absences (``config_cached``). The services and model
signals that change them call ``config_touch`` in their transaction; ``calendar_pinned`` reads
both tokens with one query, once per call (issue #25).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from django.db import connections, router

from xiaoneng.workdays.arithmetic import WorkCalendar
from xiaoneng.workdays.models import CalendarOverride, CalendarState, CalendarYear


@dataclass
class _Cache:
    token: str | None = None
    national: tuple[dict[date, bool], dict[date, str], frozenset[int]] | None = None
    calendars: dict[int | None, WorkCalendar] = field(default_factory=dict)


_cache = _Cache()
_lock = threading.Lock()


# The rows of ``CalendarState``: the calendar's token and the configuration's.
CALENDAR_STATE = 1
CONFIG_STATE = 2

# (calendar token, configuration token) while pinned.
_pinned: ContextVar[tuple[str, str] | None] = ContextVar("calendar_pinned", default=None)


def _read_tokens(*pks: int) -> dict[int, str]:
    # Read on every use of a calendar or a cached configuration value: written SQL, because
    # building this one-row query with the ORM cost several times more Python than running it.
    connection = connections[router.db_for_read(CalendarState)]
    table = connection.ops.quote_name(CalendarState._meta.db_table)
    marks = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, token FROM {table} WHERE id IN ({marks})", list(pks))
        return dict(cursor.fetchall())


def _tokens() -> tuple[str, str]:
    rows = _read_tokens(CALENDAR_STATE, CONFIG_STATE)
    return rows.get(CALENDAR_STATE, ""), rows.get(CONFIG_STATE, "")


def calendar_token() -> str:
    pinned = _pinned.get()
    if pinned is not None:
        return pinned[0]
    return _read_tokens(CALENDAR_STATE).get(CALENDAR_STATE, "")


def config_token() -> str:
    pinned = _pinned.get()
    if pinned is not None:
        return pinned[1]
    return _read_tokens(CONFIG_STATE).get(CONFIG_STATE, "")


@contextmanager
def calendar_pinned() -> Iterator[None]:
    """Read the calendar and configuration tokens once (one query) for a batch of work (the
    sweeper's batch of clocks, an API call) instead of once per use; a change committed
    meanwhile is seen by the next batch."""
    if _pinned.get() is not None:
        yield
        return
    token = _pinned.set(_tokens())
    try:
        yield
    finally:
        _pinned.reset(token)


def _touch(pk: int) -> None:
    token = uuid.uuid4().hex
    if not CalendarState.objects.filter(pk=pk).update(token=token):
        CalendarState.objects.create(pk=pk, token=token)
    pinned = _pinned.get()
    if pinned is not None:
        # The rest of the pinned work sees its own change.
        _pinned.set((token, pinned[1]) if pk == CALENDAR_STATE else (pinned[0], token))


def calendar_touch() -> None:
    """Mark the calendar as changed; call inside the transaction that changes it."""
    _touch(CALENDAR_STATE)


def config_touch() -> None:
    """Mark the cached configuration (policies, categories, keys, staff, posts, absences) as
    changed; call inside the transaction that changes it."""
    _touch(CONFIG_STATE)


T = TypeVar("T")


@dataclass
class _ConfigCache:
    token: str | None = None
    values: dict[Hashable, object] = field(default_factory=dict)


_config = _ConfigCache()


def config_cached(key: Hashable, build: Callable[[], T], *, keep_none: bool = True) -> T:
    """``build()``, kept in the process until the configuration token changes. What it
    returns is shared by every request of the process: read it, never change it. With
    ``keep_none`` false a None is not kept (lookups by untrusted input, such as a key)."""
    token = config_token()
    with _lock:
        if _config.token != token:
            _config.token = token
            _config.values = {}
        if key in _config.values:
            return _config.values[key]  # type: ignore[return-value]
    value = build()
    if value is None and not keep_none:
        return value
    with _lock:
        if _config.token == token:
            _config.values[key] = value
    return value


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
    """Forget every cached calendar and configuration value (tests that write overrides
    without the services)."""
    with _lock:
        _config.token = None
        _config.values = {}
        _cache.token = None
        _cache.national = None
        _cache.calendars = {}
