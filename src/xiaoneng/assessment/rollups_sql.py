"""Rebuilding the rollups set-wise in the database: ``xiaoneng rollups rebuild``.

The same contributions as ``contributions.py`` (which stays the definition, and feeds the
incremental rollups and the live check), computed for every case at once by a few
``INSERT … SELECT … GROUP BY`` statements instead of case by case in Python:

1. ``xn_rollup_rank``: for each calendar a reply clock uses, the number of working days up to
   each day of the span the clocks cover (built from the cached ``WorkCalendar``: a few
   thousand rows), so that "working days in (a, b]" is ``rank(b) - rank(a)``, as in
   ``WorkCalendar.workdays_between``; a day outside the calendar has no row and makes the clock
   count 0 working days, as ``CalendarRangeError`` does.
2. ``assessment_casecount``: one statement unions what each case contributes — its
   registration (and whether it repeats an earlier complaint: the case just before it with the
   same phone index and category, within 90 days), each sign-for clock paired with the
   dispatch of the same rank, each counted event with the lead department of the latest
   dispatch before it (a window over the case's events) — and groups it by case and key.
3. ``assessment_rollup`` is the sum of those rows by key; ``assessment_casefact`` their JSON
   per case, as ``rollups._flatten`` writes it; ``assessment_repeatcomplaint`` the new links.

The SQL runs on PostgreSQL and on SQLite (window functions, JSON functions); the local day of
a moment is the database's conversion to the office's time zone, as Django's ``TruncDate``
does. ``tests/assessment/test_rollups_sql.py`` compares it with the per-case computation on a
varied history, on both databases.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from xiaoneng.assessment.contributions import (
    DISPATCH_ACTIONS,
    REPEAT_WINDOW_DAYS,
    REPLY_ACTIONS,
    UNRATED_ACTIONS,
)
from xiaoneng.assessment.models import MEASURES
from xiaoneng.cases.models import Satisfaction
from xiaoneng.triage.models import RepeatAlert
from xiaoneng.workdays.arithmetic import CalendarRangeError
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import office_tz

RANK_TABLE = "xn_rollup_rank"
# Triage's repeat alerts count as repeats too (``contributions.repeat_links_of``).
ALERTS = RepeatAlert._meta.db_table
CASE_OWNER = "cases.case"


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _tz_name() -> str:
    name = str(office_tz())
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", name):
        raise ValueError(f"unexpected time zone name {name!r}")
    return name


def _local_day(column: str) -> str:
    """The office's calendar day of a stored moment, as SQL."""
    tz = _tz_name()
    if _postgres():
        return f"(({column}) AT TIME ZONE '{tz}')::date"
    return f"django_datetime_cast_date({column}, '{tz}', 'UTC')"


def _json_int(column: str, key: str) -> str:
    if _postgres():
        return (
            f"(CASE WHEN jsonb_typeof({column}->'{key}') = 'number' "
            f"THEN ({column}->>'{key}')::bigint END)"
        )
    return (
        f"(CASE WHEN json_type({column}, '$.{key}') = 'integer' "
        f"THEN json_extract({column}, '$.{key}') END)"
    )


def _json_text(column: str, key: str) -> str:
    if _postgres():
        return f"({column}->>'{key}')"
    return (
        f"(CASE WHEN json_type({column}, '$.{key}') = 'text' "
        f"THEN json_extract({column}, '$.{key}') END)"
    )


def _json_truthy(column: str, key: str) -> str:
    """Python's truth of a JSON value (true, a non-zero number, a non-empty string)."""
    if _postgres():
        kind, text = f"jsonb_typeof({column}->'{key}')", f"({column}->>'{key}')"
        return (
            f"(({kind} = 'boolean' AND {text} = 'true') OR ({kind} = 'number' AND "
            f"{text}::numeric <> 0) OR ({kind} = 'string' AND {text} <> ''))"
        )
    kind, value = f"json_type({column}, '$.{key}')", f"json_extract({column}, '$.{key}')"
    return (
        f"({kind} = 'true' OR ({kind} IN ('integer', 'real') AND {value} <> 0) OR "
        f"({kind} = 'text' AND {value} <> ''))"
    )


def _days_apart(later: str, earlier: str) -> str:
    if _postgres():
        return f"({later} - {earlier} <= interval '{REPEAT_WINDOW_DAYS} days')"
    return f"(julianday({later}) - julianday({earlier}) <= {REPEAT_WINDOW_DAYS})"


def _in(values: Any) -> str:
    return "(" + ", ".join(f"'{value}'" for value in sorted(values)) + ")"


# -- the working-day ranks ---------------------------------------------------------------------


def _rank_rows() -> list[tuple[int, date, int]]:
    """(calendar, day, working days up to the day) over the span the reply clocks cover."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT COALESCE(k.unit_id, 0), MIN({_local_day("k.started_at")}),
                   MAX({_local_day("k.stopped_at")}),
                   MIN({_local_day("p.paused_at")}), MAX({_local_day("p.resumed_at")})
            FROM workdays_clock k LEFT JOIN workdays_clockpause p ON p.clock_id = k.id
            WHERE k.owner_type = %s AND k.stage = 'reply' AND k.stopped_at IS NOT NULL
            GROUP BY COALESCE(k.unit_id, 0)
            """,
            [CASE_OWNER],
        )
        spans = cursor.fetchall()
    rows: list[tuple[int, date, int]] = []
    for unit, *days in spans:
        known = [_as_date(day) for day in days if day is not None]
        first, last = min(known) - timedelta(days=1), max(known) + timedelta(days=1)
        calendar = get_calendar(unit or None)
        anchor: date | None = None
        day = first
        while day <= last:
            if calendar.covers(day):
                anchor = anchor or day
                with suppress(CalendarRangeError):
                    rows.append((unit, day, calendar.workdays_between(anchor, day)))
            day += timedelta(days=1)
    return rows


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _fill_ranks() -> None:
    rows = _rank_rows()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RANK_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {RANK_TABLE} "
            "(unit_id bigint NOT NULL, day date NOT NULL, rank integer NOT NULL, "
            "PRIMARY KEY (unit_id, day))"
        )
        if rows and _postgres():
            with cursor.cursor.copy(f"COPY {RANK_TABLE} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        elif rows:
            cursor.executemany(f"INSERT INTO {RANK_TABLE} VALUES (%s, %s, %s)", rows)
        cursor.execute(f"ANALYZE {RANK_TABLE}")


# -- the per-case rows -------------------------------------------------------------------------


def _measures(**values: str) -> str:
    """The 16 measure columns of one branch of the union, 0 where not given."""
    unknown = set(values) - set(MEASURES)
    if unknown:
        raise ValueError(sorted(unknown))
    return ", ".join(f"{values.get(name, '0')} AS {name}" for name in MEASURES)


COUNTED_ACTIONS = REPLY_ACTIONS | UNRATED_ACTIONS | {"rate", "close", "request_return", "reopen"}


def _counts_sql() -> str:
    day = _local_day
    greatest = "GREATEST" if _postgres() else "MAX"
    lead = _json_int("e.data", "lead")
    rank = RANK_TABLE
    # A case repeats an earlier complaint when triage raised a repeat alert for it, or when
    # the case just before it with the same phone index and category came within the window
    # (no phone index: never), as ``contributions.repeat_links_of`` says.
    earlier = "LAG(c.id) OVER same_phone"
    repeat = (
        f"CASE WHEN ra.case_id IS NOT NULL OR (c.requester_phone_index <> '' AND {earlier} "
        f"IS NOT NULL AND {_days_apart('c.registered_at', 'LAG(c.registered_at) OVER same_phone')}"
        ") THEN 1 ELSE 0 END"
    )
    received = f"""
        SELECT c.id AS case_id, {day("c.registered_at")} AS day,
               c.lead_department_id AS dept, {_measures(received="1", repeat=repeat)}
        FROM cases_case c LEFT JOIN {ALERTS} ra ON ra.case_id = c.id
        WINDOW same_phone AS (PARTITION BY c.requester_phone_index, c.category_id
                              ORDER BY c.registered_at, c.id)
    """
    signs = f"""
        SELECT sc.case_id, {day("sc.started_at")} AS day,
               COALESCE(d.lead, c.lead_department_id) AS dept,
               {_measures(dispatched="1", signed="sc.signed", signed_on_time="sc.on_time")}
        FROM sign_clocks sc JOIN cases_case c ON c.id = sc.case_id
        LEFT JOIN dispatches d ON d.case_id = sc.case_id AND d.n = sc.n
    """
    events = f"""
        SELECT ev.case_id, {day("ev.at")} AS day, ev.dept,
               {
        _measures(
            replied="ev.replied",
            replied_on_time="ev.replied_on_time",
            reply_workdays="ev.reply_workdays",
            rated="ev.rated",
            satisfied="ev.satisfied",
            basically="ev.basically",
            unsatisfied="ev.unsatisfied",
            resolved="ev.resolved",
            unrated="ev.unrated",
            returned="ev.returned",
            reopened="ev.reopened",
        )
    }
        FROM counted ev
    """
    sums = ", ".join(f"SUM(u.{name}) AS {name}" for name in MEASURES)
    # Every measure is 0 or more: a row of zeros adds nothing, and a key whose rows are all
    # zeros is not written (as the per-case path leaves out empty counts).
    positive = " + ".join(f"u.{name}" for name in MEASURES)
    return f"""
    WITH
    sign_clocks AS (
        SELECT k.owner_id AS case_id, k.started_at,
               ROW_NUMBER() OVER (PARTITION BY k.owner_id ORDER BY k.id) AS n,
               CASE WHEN s.at IS NOT NULL THEN 1 ELSE 0 END AS signed,
               CASE WHEN s.at IS NOT NULL AND k.stopped_at <= k.due_at THEN 1 ELSE 0 END
                   AS on_time
        FROM workdays_clock k
        LEFT JOIN (SELECT DISTINCT case_id, at FROM cases_caseevent WHERE action = 'sign_for') s
               ON s.case_id = k.owner_id AND s.at = k.stopped_at
        WHERE k.owner_type = '{CASE_OWNER}' AND k.stage = 'sign_for'
    ),
    dispatches AS (
        SELECT e.case_id, NULLIF({lead}, 0) AS lead,
               ROW_NUMBER() OVER (PARTITION BY e.case_id ORDER BY e.at, e.id) AS n
        FROM cases_caseevent e WHERE e.action IN {_in(DISPATCH_ACTIONS)}
    ),
    pause_days AS (
        SELECT p.clock_id, SUM(pe.rank - ps.rank) AS days,
               SUM(CASE WHEN ps.rank IS NULL OR pe.rank IS NULL THEN 1 ELSE 0 END) AS outside
        FROM workdays_clockpause p JOIN workdays_clock k ON k.id = p.clock_id
        LEFT JOIN {rank} ps ON ps.unit_id = COALESCE(k.unit_id, 0)
             AND ps.day = {day("p.paused_at")}
        LEFT JOIN {rank} pe ON pe.unit_id = COALESCE(k.unit_id, 0)
             AND pe.day = {day("COALESCE(p.resumed_at, k.stopped_at)")}
        WHERE k.owner_type = '{CASE_OWNER}' AND k.stage = 'reply' AND k.stopped_at IS NOT NULL
        GROUP BY p.clock_id
    ),
    reply_clocks AS (
        SELECT k.id, k.owner_id AS case_id, k.stopped_at,
               ROW_NUMBER() OVER (PARTITION BY k.owner_id, k.stopped_at ORDER BY k.id DESC)
                   AS pick,
               CASE WHEN k.stopped_at <= k.due_at THEN 1 ELSE 0 END AS on_time,
               CAST(CASE WHEN rs.rank IS NULL OR re.rank IS NULL OR COALESCE(pd.outside, 0) > 0
                    THEN 0
                    ELSE {greatest}(0, re.rank - rs.rank - COALESCE(pd.days, 0)) END
                    AS integer) AS workdays
        FROM workdays_clock k
        LEFT JOIN {rank} rs ON rs.unit_id = COALESCE(k.unit_id, 0)
             AND rs.day = {day("k.started_at")}
        LEFT JOIN {rank} re ON re.unit_id = COALESCE(k.unit_id, 0)
             AND re.day = {day("k.stopped_at")}
        LEFT JOIN pause_days pd ON pd.clock_id = k.id
        WHERE k.owner_type = '{CASE_OWNER}' AND k.stage = 'reply' AND k.stopped_at IS NOT NULL
    ),
    {_led_sql()},
    counted AS (
        SELECT e.case_id, e.at, e.dept,
               CASE WHEN e.action IN {_in(REPLY_ACTIONS)} THEN 1 ELSE 0 END AS replied,
               CASE WHEN e.action IN {_in(REPLY_ACTIONS)} THEN COALESCE(rc.on_time, 0)
                    ELSE 0 END AS replied_on_time,
               CASE WHEN e.action IN {_in(REPLY_ACTIONS)} THEN COALESCE(rc.workdays, 0)
                    ELSE 0 END AS reply_workdays,
               CASE WHEN e.action = 'rate' THEN 1 ELSE 0 END AS rated,
               CASE WHEN e.action = 'rate' AND e.satisfaction = '{Satisfaction.SATISFIED.value}'
                    THEN 1 ELSE 0 END AS satisfied,
               CASE WHEN e.action = 'rate' AND e.satisfaction = '{Satisfaction.BASICALLY.value}'
                    THEN 1 ELSE 0 END AS basically,
               CASE WHEN e.action = 'rate' AND COALESCE(e.satisfaction, '')
                    NOT IN ('{Satisfaction.SATISFIED.value}', '{Satisfaction.BASICALLY.value}')
                    THEN 1 ELSE 0 END AS unsatisfied,
               e.resolved,
               CASE WHEN e.action IN {_in(UNRATED_ACTIONS)}
                         OR (e.action = 'close' AND e.from_state = 'replied')
                    THEN 1 ELSE 0 END AS unrated,
               CASE WHEN e.action = 'request_return' THEN 1 ELSE 0 END AS returned,
               CASE WHEN e.action = 'reopen' THEN 1 ELSE 0 END AS reopened
        FROM led e
        LEFT JOIN reply_clocks rc ON e.action IN {_in(REPLY_ACTIONS)}
             AND rc.case_id = e.case_id AND rc.stopped_at = e.at AND rc.pick = 1
        WHERE e.action IN {_in(COUNTED_ACTIONS)}
    ),
    united AS ({received} UNION ALL {signs} UNION ALL {events}),
    summed AS (
        SELECT u.case_id, u.day, COALESCE(u.dept, 0) AS dept, {sums}
        FROM united u WHERE {positive} > 0
        GROUP BY u.case_id, u.day, COALESCE(u.dept, 0)
    )
    INSERT INTO assessment_casecount (
        case_id, day, unit_id, department_id, channel, kind, category_id, concerned_unit_id,
        {", ".join(MEASURES)}
    )
    SELECT s.case_id, s.day, COALESCE(d.unit_id, c.unit_id), s.dept, c.channel, c.kind,
           c.category_id, COALESCE(c.unit_concerned_id, 0), {", ".join(f"s.{m}" for m in MEASURES)}
    FROM summed s JOIN cases_case c ON c.id = s.case_id
    LEFT JOIN org_department d ON d.id = s.dept
    """


def _led_sql() -> str:
    """``led``: the events the rollups count and the dispatches, each with the lead department
    of the latest dispatch up to it (``dept``; none before the first dispatch), the rating's
    satisfaction and whether it says resolved. The other events are left out before the
    windows: they neither lead nor count."""
    lead = _json_int("e.data", "lead")
    narrowed = f"""
        SELECT e.id, e.case_id, e.at, e.action, e.from_state,
               CASE WHEN e.action IN {_in(DISPATCH_ACTIONS)} THEN NULLIF({lead}, 0) END
                   AS new_lead,
               CASE WHEN e.action = 'rate' THEN {_json_text("e.data", "satisfaction")} END
                   AS satisfaction,
               CASE WHEN e.action = 'rate' AND {_json_truthy("e.data", "resolved")}
                    THEN 1 ELSE 0 END AS resolved
        FROM cases_caseevent e
        WHERE e.action IN {_in(COUNTED_ACTIONS | DISPATCH_ACTIONS)}
    """
    return f"""
    marked AS ({narrowed}),
    grouped AS (
        SELECT m.*, COUNT(m.new_lead) OVER (PARTITION BY m.case_id ORDER BY m.at, m.id
                                            ROWS UNBOUNDED PRECEDING) AS grp
        FROM marked m
    ),
    led AS (
        SELECT g.*, MAX(g.new_lead) OVER (PARTITION BY g.case_id, g.grp) AS dept
        FROM grouped g
    )"""


def _rollups_sql() -> str:
    keys = "day, unit_id, department_id, channel, kind, category_id"
    return (
        f"INSERT INTO assessment_rollup ({keys}, {', '.join(MEASURES)}) "
        f"SELECT {keys}, {', '.join(f'SUM({m})' for m in MEASURES)} "
        f"FROM assessment_casecount GROUP BY {keys}"
    )


FACT_ORDER = 'day, unit_id, department_id, channel COLLATE "C", kind COLLATE "C", category_id'


def _facts_sql() -> str:
    if _postgres():
        # The JSON written as text and parsed once per case: ×3 less CPU than building jsonb
        # values item by item. The items are aggregated in the order the sorted subquery
        # gives them (``_flatten``'s order: Python compares strings by code point, as "C"
        # does); the rebuild runs this statement without parallel workers, so one sort feeds
        # one aggregate.
        measures = ", ".join(f"""CASE WHEN {m} <> 0 THEN '"{m}":' || {m} END""" for m in MEASURES)
        item = (
            "'[\"' || to_char(day, 'YYYY-MM-DD') || '\",' || unit_id || ',' || department_id "
            "|| ',' || to_json(channel)::text || ',' || to_json(kind)::text || ',' || "
            f"category_id || ',{{' || concat_ws(',', {measures}) || '}}]'"
        )
        return f"""
        INSERT INTO assessment_casefact (case_id, contributions)
        SELECT case_id, ('[' || string_agg(item, ',') || ']')::jsonb
        FROM (SELECT case_id, {item} AS item FROM assessment_casecount
              ORDER BY case_id, {FACT_ORDER}) items
        GROUP BY case_id
        """
    counts = ", ".join(f"'{m}', NULLIF({m}, 0)" for m in MEASURES)
    return f"""
    INSERT INTO assessment_casefact (case_id, contributions)
    SELECT case_id, json_group_array(json(item)) FROM (
        SELECT case_id, json_array(day, unit_id, department_id, channel, kind, category_id,
                                   json_patch('{{}}', json_object({counts}))) AS item
        FROM assessment_casecount
        ORDER BY case_id, day, unit_id, department_id, channel, kind, category_id
    ) GROUP BY case_id
    """


def _repeats_sql() -> str:
    """The links: a triage alert's earlier case where there is an alert (its link wins), else
    the phone rule's; none for a case that has a link already."""
    return f"""
    INSERT INTO assessment_repeatcomplaint (case_id, earlier_id, created_at)
    SELECT l.case_id, l.earlier_id, %s FROM (
        SELECT ra.case_id, ra.earlier_id FROM {ALERTS} ra
        UNION ALL
        SELECT o.id, o.earlier_id FROM (
            SELECT c.id, c.registered_at,
                   LAG(c.id) OVER w AS earlier_id, LAG(c.registered_at) OVER w AS earlier_at
            FROM cases_case c
            WHERE c.requester_phone_index <> ''
            WINDOW w AS (PARTITION BY c.requester_phone_index, c.category_id
                         ORDER BY c.registered_at, c.id)
        ) o
        WHERE o.earlier_id IS NOT NULL AND {_days_apart("o.registered_at", "o.earlier_at")}
          AND NOT EXISTS (SELECT 1 FROM {ALERTS} ra WHERE ra.case_id = o.id)
    ) l
    WHERE NOT EXISTS (SELECT 1 FROM assessment_repeatcomplaint r WHERE r.case_id = l.case_id)
    """


# The tables the rebuild reads; their statistics must be fresh for the planner to hash and sort.
READ_TABLES = ("cases_case", "cases_caseevent", "workdays_clock", "workdays_clockpause")
# A table whose rows changed by more than this share since its last ANALYZE is analysed again
# (autovacuum's own default threshold is 10 %).
STALE_SHARE = 0.1


def _stale_statistics(cursor: Any, tables: tuple[str, ...]) -> list[str]:
    """The tables without statistics, or changed by more than ``STALE_SHARE`` since their last
    ANALYZE: ANALYZE samples a fixed number of rows, a few seconds whatever the size, so it is
    skipped where autovacuum (or an earlier rebuild) already did it. Statistics copied with
    the database (``CREATE DATABASE … TEMPLATE``) count: the copy has no activity counters
    yet, but its ``pg_stats`` rows are those of the template's last ANALYZE."""
    cursor.execute(
        "SELECT t.relname, t.n_mod_since_analyze, t.n_live_tup, "
        "COALESCE(t.last_analyze, t.last_autoanalyze) IS NOT NULL OR EXISTS (SELECT 1 FROM "
        "pg_stats s WHERE s.schemaname = t.schemaname AND s.tablename = t.relname) "
        "FROM pg_stat_user_tables t WHERE t.relname = ANY(%s)",
        [list(tables)],
    )
    fresh = {
        name
        for name, changed, live, analysed in cursor.fetchall()
        if analysed and changed <= STALE_SHARE * max(live, 1)
    }
    return [table for table in tables if table not in fresh]


# Memory for the rebuild's sorts and hashes (one statement sorts every event of every case):
# spilling them to disk costs more than the memory, for one administrator's transaction.
REBUILD_WORK_MEM = "256MB"


# The tables a rebuild writes after emptying them.
WRITTEN_TABLES = ("assessment_casecount", "assessment_rollup", "assessment_casefact")


def _drop_indexes(cursor: Any) -> list[str]:
    """Drop the keys and indexes of the emptied tables; returns the statements that create
    them again, as they were (names and definitions from the catalog). Built once from the
    written rows, sorted, an index costs a fraction of what millions of inserts one by one
    into it cost. The tables are empty and locked by ``TRUNCATE`` until the transaction ends,
    and nothing references them, so no one sees them without their indexes."""
    cursor.execute(
        """
        SELECT 'ALTER TABLE ' || k.conrelid::regclass || ' DROP CONSTRAINT '
                   || quote_ident(k.conname),
               'ALTER TABLE ' || k.conrelid::regclass || ' ADD CONSTRAINT '
                   || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
        FROM pg_constraint k
        WHERE k.conrelid = ANY(%(tables)s::regclass[]) AND k.contype IN ('p', 'u')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.confrelid = k.conrelid)
        UNION ALL
        SELECT 'DROP INDEX ' || i.indexrelid::regclass, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%(tables)s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        {"tables": list(WRITTEN_TABLES)},
    )
    pairs = cursor.fetchall()
    for drop, _create in pairs:
        cursor.execute(drop)
    return [create for _drop, create in pairs]


def rebuild_statements(indexes: list[str]) -> list[tuple[str, str, list[Any] | None]]:
    """The rebuild's statements in order, as (step, SQL, parameters): run by
    ``rollups_rebuild_sql``, explained one by one by ``bench/rollup.py --explain``.
    ``indexes``: what ``rebuild_prepare`` dropped, created again after the inserts."""
    serial = [("one process", "SET LOCAL max_parallel_workers_per_gather = 0", None)]
    return [
        ("per-case rows", _counts_sql(), None),
        ("rollups", _rollups_sql(), None),
        *(serial if _postgres() else []),
        ("case facts", _facts_sql(), None),
        ("repeat links", _repeats_sql(), [timezone.now()]),
        *(("indexes", create, None) for create in indexes),
    ]


class StepTimes:
    """Seconds each step of a rebuild took: wall time, and with ``clock`` also that clock's
    (``bench/rollup.py`` passes the database backend's CPU time, which a loaded machine does
    not inflate)."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self.clock = clock
        self.wall: dict[str, float] = {}
        self.other: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        wall, other = time.perf_counter(), self.clock() if self.clock else 0.0
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
            if self.clock:
                self.other[name] = self.other.get(name, 0.0) + self.clock() - other


def rebuild_prepare(cursor: Any, timings: StepTimes) -> list[str]:
    """What runs before the statements, once the written tables are empty: the working-day
    ranks, the session's settings for long statements, fresh statistics, the written tables'
    indexes dropped (returns the statements that create them again)."""
    with timings.step("working-day ranks"):
        _fill_ranks()
    if not _postgres():
        return []
    # One statement reads every case: longer than a request's timeout at scale. Memory for
    # the sorts and hashes and for building the indexes.
    cursor.execute("SET LOCAL statement_timeout = 0")
    cursor.execute(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'")
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{REBUILD_WORK_MEM}'")
    # Fresh statistics, so that the planner hashes and sorts rather than loops (a bulk load
    # such as bench-data leaves none).
    with timings.step("analyze"):
        stale = _stale_statistics(cursor, READ_TABLES)
        if stale:
            cursor.execute(f"ANALYZE {', '.join(stale)}")
    with timings.step("drop the indexes"):
        return _drop_indexes(cursor)


def rollups_rebuild_sql(steps: StepTimes | None = None) -> int:
    """Write the per-case rows, the rollups, the case facts and the repeat links of every case
    from the case tables, set-wise. The caller holds the cursor and emptied the three tables
    inside its transaction; returns the number of cases. ``steps``, when given, receives the
    time each statement took."""
    timings = steps or StepTimes()
    with connection.cursor() as cursor:
        indexes = rebuild_prepare(cursor, timings)
        for name, sql, params in rebuild_statements(indexes):
            with timings.step(name):
                cursor.execute(sql, params)
        cursor.execute(f"DROP TABLE IF EXISTS {RANK_TABLE}")
        cursor.execute("SELECT COUNT(*) FROM cases_case")
        (count,) = cursor.fetchone()
    return int(count)
