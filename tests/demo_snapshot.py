"""The demo bureau, built once per test process and copied into each test that asks for it.

Building the demo organisation through the services (``demo_load``) takes about a second: a
few hundred rows, each written by a service with its audit row. Most tests want exactly the
same rows, so the first test of a process that needs them builds them the slow way and records
what the build changed: the rows it inserted, updated or deleted, table by table. Every later
test that starts from the same database state gets those rows written back with one
``INSERT … VALUES`` per table (a few milliseconds) inside its own transaction, which rolls
them back at its end exactly as it rolled back the rows of a build.

The recording is only reused when the result would be the same as a build:

* the database must be in the state the recording was taken from (row count and highest
  primary key of every table: a test whose fixtures wrote rows before asking for the bureau
  gets a recording of its own, or a build when that state is new);
* the test must run inside a transaction (``transaction=True`` tests and live servers commit
  and flush, so they build the slow way, with the commit-time effects of a real build);
* a test whose clock travels (time-machine) reuses only a recording made while the clock read
  the same minute, and never one made later than its own "now" (a build in the past has past
  timestamps; copied rows must not lie in a test's future);
* the active language and the settings must be those of the recording (the services store
  some texts in the language active at the time, and settings change what they do).

Rows keep their primary keys, so a test sees the ids a build would have given on SQLite (where
a rolled-back transaction hands out the same ids again); on PostgreSQL the sequences are moved
past the copied rows.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.functional import LazyObject, Promise

Row = tuple

# XIAONENG_TEST_BUILD_DEMO=1 builds the bureau in every test, as before (to compare or to
# rule the recording out when a test behaves oddly).
COPY = os.environ.get("XIAONENG_TEST_BUILD_DEMO", "") in {"", "0"}


@dataclass
class TableChanges:
    table: str
    pk: str
    columns: list[str]
    inserted: list[Row] = field(default_factory=list)
    updated: list[Row] = field(default_factory=list)
    deleted: list[object] = field(default_factory=list)


@dataclass
class Recording:
    changes: list[TableChanges]
    # What ``time.time()`` read when the build ended (the travelled time, when travelling).
    made_at: float = 0.0


def _tables() -> dict[str, str]:
    """Every table of a model that exists in the database, with its primary-key column."""
    existing = set(connection.introspection.table_names())
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table in existing:
            tables.setdefault(meta.db_table, meta.pk.column)
    return dict(sorted(tables.items()))


_table_cache: dict[str, dict[str, str]] = {}


def tables() -> dict[str, str]:
    key = connection.alias
    if key not in _table_cache:
        _table_cache[key] = _tables()
    return _table_cache[key]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def state() -> tuple:
    """Row count and highest primary key of every table, in one query."""
    parts = []
    for table, pk in tables().items():
        parts.append(f"(SELECT COUNT(*) FROM {_q(table)})")
        parts.append(f"(SELECT MAX({_q(pk)}) FROM {_q(table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def _read_all() -> dict[str, tuple[list[str], dict[object, Row]]]:
    contents = {}
    with connection.cursor() as cursor:
        for table, pk in tables().items():
            cursor.execute(f"SELECT * FROM {_q(table)}")
            columns = [column[0] for column in cursor.description]
            at = columns.index(pk)
            contents[table] = (columns, {row[at]: tuple(row) for row in cursor.fetchall()})
    return contents


def _settings_key() -> str:
    """What the build may depend on besides the database: the language and the settings."""
    values = []
    # The names of the configured object: ``dir(settings)`` grows as the lazy wrapper caches.
    for name in sorted(dir(settings._wrapped)):
        if name.isupper():
            value = getattr(settings, name)
            if isinstance(value, LazyObject | Promise):  # evaluated, for a stable text
                value = str(value)
            values.append(f"{name}={value!r}")
    values.append(f"language={translation.get_language()}")
    return hashlib.sha256("\n".join(values).encode()).hexdigest()


def _diff(before: dict, after: dict) -> Recording:
    """What the build changed, stamped with the (possibly travelled) time it ended."""
    changes = []
    for table, pk in tables().items():
        columns, old = before[table]
        _columns, new = after[table]
        entry = TableChanges(table=table, pk=pk, columns=columns)
        for key, row in new.items():
            if key not in old:
                entry.inserted.append(row)
            elif old[key] != row:
                entry.updated.append(row)
        entry.deleted = [key for key in old if key not in new]
        if entry.inserted or entry.updated or entry.deleted:
            changes.append(entry)
    return Recording(changes=changes, made_at=time.time())


def _write(recording: Recording) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for entry in recording.changes:
            table, pk = _q(entry.table), _q(entry.pk)
            if entry.deleted:
                cursor.executemany(
                    f"DELETE FROM {table} WHERE {pk} = %s", [(key,) for key in entry.deleted]
                )
            if entry.updated:
                at = entry.columns.index(entry.pk)
                assignments = ", ".join(f"{_q(column)} = %s" for column in entry.columns)
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",
                    [(*row, row[at]) for row in entry.updated],
                )
            if entry.inserted:
                names = ", ".join(_q(column) for column in entry.columns)
                marks = ", ".join(["%s"] * len(entry.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})", entry.inserted
                )
        if connection.vendor == "postgresql":
            _move_sequences(cursor, [entry for entry in recording.changes if entry.inserted])


def _move_sequences(cursor, entries: list[TableChanges]) -> None:
    """Let the next row of each table get a key above the copied ones (never move one back)."""
    for entry in entries:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [entry.table, entry.pk])
        (sequence,) = cursor.fetchone()
        if sequence is None:
            continue
        at = entry.columns.index(entry.pk)
        highest = max(row[at] for row in entry.inserted)
        cursor.execute(
            f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {sequence})))",
            [sequence, highest],
        )


_recordings: dict[tuple, Recording] = {}


def _travelled_minute() -> int | None:
    """The minute the clock reads while it travels (time-machine), else None: a recording made
    in one travelled minute serves only tests travelling to that minute."""
    try:
        import time_machine
    except ImportError:  # pragma: no cover - time-machine is a test dependency
        return None
    if not time_machine.escape_hatch.is_travelling():
        return None
    return int(time.time() // 60)


def load_recorded(name: str, build: Callable[[], object]) -> str:
    """Run ``build`` (named ``name``) the first time from this database state, recording what
    it wrote; copy the recording in later; returns "built", "recorded" or "copied".

    Only for builds whose whole effect is rows in the database, the same from the same rows,
    settings and language (the demo bureau; a seeded demo history)."""
    if not connection.in_atomic_block or not COPY:
        build()
        return "built"
    travelled = _travelled_minute()
    key = (
        name,
        connection.vendor,
        connection.settings_dict["NAME"],
        state(),
        _settings_key(),
        travelled,
    )
    recording = _recordings.get(key)
    # A travelling test may start earlier in the minute than the one that recorded.
    if recording is not None and (travelled is None or recording.made_at <= time.time()):
        _write(recording)
        return "copied"
    before = _read_all()
    build()
    _recordings[key] = _diff(before, _read_all())
    return "recorded"


def load_demo_bureau() -> str:
    """Give the current test the demo bureau; returns "built", "recorded" or "copied"."""
    from xiaoneng.demo.services import demo_load

    return load_recorded("demo_load", demo_load)


def load_demo_guides() -> str:
    """The demo's service guides and commitments (``demo_guides_load``), recorded like the
    bureau: needs the bureau first."""
    from xiaoneng.demo.guides import demo_guides_load

    return load_recorded("demo_guides_load", demo_guides_load)


def load_demo_history(*, cases: int, days: int, seed: int) -> str:
    """A seeded demo history (``demo_history_load``), recorded like the bureau: the first test
    of a process that asks for it from a given state builds it, later ones copy it in. The
    history is laid out back from the moment it is built, so a copy is a few minutes older
    than a build would be; the tests using it compare figures with lists, not with dates."""
    from xiaoneng.demo.history import demo_history_load

    return load_recorded(
        f"demo_history_load({cases}, {days}, {seed})",
        lambda: demo_history_load(cases=cases, days=days, seed=seed),
    )
