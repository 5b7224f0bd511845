"""The sweeper's batch read as columns and its signals written as rows (no model instances).

A crossing clock used to cost about a millisecond of Python, most of it Django building model
instances: the clock with its pauses, extensions and policy (prefetched per clock), the case
with four joined rows, the signal, the event, three to seven outbox rows. Here the clocks come
back as the columns the threshold arithmetic reads (``SweptClock``, which the workdays
selectors accept like a clock), the cases as the columns a card needs (``CaseRow``), the people
told from maps read once per batch, and the signals go in with one
``INSERT … ON CONFLICT DO NOTHING RETURNING``: a signal another writer already raised is
neither doubled nor announced again, whatever this sweeper believed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import DEFERRED, BooleanField, QuerySet, Sum
from django.db.models.expressions import RawSQL

from xiaoneng.cases.models import Case, Signal
from xiaoneng.org.models import Department, Post, Staff
from xiaoneng.org.selectors import post_acting_holder
from xiaoneng.workdays.models import Clock, ClockExtension, ClockPause

# The columns of a due clock the thresholds need (``due_for_check`` selects them, locked).
CLOCK_COLUMNS = (
    "id", "owner_type", "owner_id", "stage", "policy_version_id", "unit_id", "counting",
    "limit", "count_start", "closing_time", "started_at",
)  # fmt: skip
CASE_COLUMNS = (
    "id", "number", "title", "unit_id", "state", "kind", "return_count", "handler_id",
    "lead_department_id", "post_id", "updated_at",
)  # fmt: skip


class PauseRow(NamedTuple):
    paused_at: datetime
    resumed_at: datetime | None
    restart: bool


class _Rows:
    """What ``clock.pauses.all()`` gives the period arithmetic."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[PauseRow]) -> None:
        self.rows = rows

    def all(self) -> list[PauseRow]:
        return self.rows


@dataclass(eq=False)
class SweptClock:
    """A due clock as the columns the threshold arithmetic reads (``clock_period`` and
    ``clock_thresholds`` take it like a ``Clock``)."""

    pk: int
    owner_type: str
    owner_id: int
    stage: str
    policy_version: Any
    unit_id: int | None
    counting: str
    limit: int
    count_start: bool
    closing_time: time | None
    started_at: datetime
    pauses: _Rows
    extension_units: int
    next_check_at: datetime | None = None
    state: str = Clock.State.RUNNING.value


class CaseRow(NamedTuple):
    id: int
    number: str
    title: str
    unit_id: int | None
    state: str
    kind: str
    return_count: int
    handler_id: int | None
    lead_department_id: int | None
    post_id: int | None
    updated_at: datetime


def array_literal(values: Iterable[object]) -> str:
    """A PostgreSQL array literal (``{1,NULL,"text"}``) of numbers, ``None``, aware datetimes
    and strings, for a ``%s::type[]`` parameter: built with one ``join`` instead of psycopg's
    per-element list dumper (about 5 µs an element on this machine) or Django's preparation
    of every value of an ``__in`` lookup. Datetimes go in as ISO 8601 with their offset;
    strings quoted, their backslashes and double quotes escaped."""
    parts = []
    for value in values:
        if type(value) is int:
            parts.append(str(value))
        elif value is None:
            parts.append("NULL")
        elif isinstance(value, datetime):
            parts.append(f'"{value.isoformat()}"')
        elif isinstance(value, str):
            parts.append('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"')
        else:
            raise TypeError(f"no array literal for {type(value).__name__}")
    return "{" + ",".join(parts) + "}"


def with_ids(queryset: QuerySet[Any, Any], column: str, ids: list[int]) -> QuerySet[Any, Any]:
    """``queryset`` filtered on ``column IN ids``: on PostgreSQL as ``= ANY`` of one array
    literal (Django prepares each of the batch's values of an ``__in`` apart: 8 % of the
    sweeper's Python), elsewhere the plain lookup."""
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{column}__in": ids})
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    where = RawSQL(
        f"{table}.{connection.ops.quote_name(column)} = ANY(%s::bigint[])",
        [array_literal(ids)],
        output_field=BooleanField(),
    )
    return queryset.filter(where)


def swept_clocks(rows: list[tuple[Any, ...]]) -> list[SweptClock]:
    """The due clocks' rows with their pauses, extension units and policy versions: three
    queries for the batch whatever its size."""
    ids = [row[0] for row in rows]
    pauses: dict[int, list[PauseRow]] = defaultdict(list)
    for clock_id, *pause in (
        with_ids(ClockPause.objects.all(), "clock_id", ids)
        .order_by("paused_at", "id")
        .values_list("clock_id", "paused_at", "resumed_at", "restart")
    ):
        pauses[clock_id].append(PauseRow(*pause))
    extensions = dict(
        with_ids(ClockExtension.objects.all(), "clock_id", ids)
        .values("clock_id")
        .annotate(units=Sum("units"))
        .values_list("clock_id", "units")
    )
    version_model = Clock._meta.get_field("policy_version").related_model
    versions = version_model._default_manager.in_bulk({row[4] for row in rows if row[4]})
    clocks = []
    for pk, owner_type, owner_id, stage, version_id, *rest in rows:
        unit_id, counting, limit, count_start, closing_time, started_at = rest
        clocks.append(
            SweptClock(
                pk=pk,
                owner_type=owner_type,
                owner_id=owner_id,
                stage=stage,
                policy_version=versions.get(version_id),
                unit_id=unit_id,
                counting=counting,
                limit=limit,
                count_start=count_start,
                closing_time=closing_time,
                started_at=started_at,
                pauses=_Rows(pauses.get(pk, [])),
                extension_units=int(extensions.get(pk) or 0),
            )
        )
    return clocks


def case_rows(ids: Iterable[int]) -> dict[int, CaseRow]:
    return {
        row[0]: CaseRow(*row)
        for row in with_ids(Case.objects.all(), "id", list(set(ids))).values_list(*CASE_COLUMNS)
    }


# For each of the case model's concrete fields in order, where ``CaseRow`` holds its value
# (None: a column the sweeper does not read).
_CASE_LAYOUT: list[int | None] = []


def case_instance(row: CaseRow) -> Case:
    """The case as a model instance with the row's columns and every other field deferred
    (loaded from the database on first use), for the cards' fact handlers: no second read of
    the batch's cases."""
    if not _CASE_LAYOUT:
        position = {name: index for index, name in enumerate(CASE_COLUMNS)}
        _CASE_LAYOUT.extend(position.get(f.attname) for f in Case._meta.concrete_fields)
    values = [DEFERRED if index is None else row[index] for index in _CASE_LAYOUT]
    return Case.from_db(connection.alias, CASE_COLUMNS, values)


@dataclass
class People:
    """The staff a batch's cards reach, read once per batch: handlers, the lead departments
    and their heads, posts (the acting holder is looked up per case, as a case service would)."""

    staff: dict[int, Staff] = field(default_factory=dict)
    departments: dict[int, Department] = field(default_factory=dict)
    posts: dict[int, Post] = field(default_factory=dict)

    @classmethod
    def of(cls, cases: Iterable[CaseRow]) -> People:
        cases = list(cases)
        departments = Department.objects.select_related("head__user").in_bulk(
            {c.lead_department_id for c in cases if c.lead_department_id}
        )
        staff = Staff.objects.select_related("user").in_bulk(
            {c.handler_id for c in cases if c.handler_id}
        )
        posts = Post.objects.select_related(
            "a_holder__user", "b_holder__user", "department__head__user"
        ).in_bulk({c.post_id for c in cases if c.post_id})
        return cls(staff=staff, departments=departments, posts=posts)

    def of_case(self, case: CaseRow) -> list[Staff | None]:
        """The handler, the post's acting holder and the lead department's head
        (``notifications.department_people``)."""
        handler = self.staff.get(case.handler_id) if case.handler_id else None
        department = self.departments.get(case.lead_department_id or 0)
        if department is None:
            return [handler]
        people: list[Staff | None] = [handler, department.head]
        post = self.posts.get(case.post_id or 0)
        if post is not None and post.department_id == department.pk:
            people.append(post_acting_holder(post=post, at=case.updated_at).staff)
        return people


def signals_insert(
    rows: list[tuple[int, int, int | None, str, datetime, datetime | None]],
) -> dict[tuple[int, str], int]:
    """Insert (clock, case, unit, level, raised at, grace due) signals, each once per clock and
    level: ``ON CONFLICT DO NOTHING RETURNING`` tells which went in. One statement per 1 000
    rows on PostgreSQL (arrays), per 120 on SQLite (its parameter cap). Returns the key of
    each signal that went in by its (clock, level)."""
    inserted: dict[tuple[int, str], int] = {}
    table = Signal._meta.db_table
    columns = "clock_id, case_id, unit_id, level, raised_at, grace_due_at, revoked"
    tail = "ON CONFLICT (clock_id, level) DO NOTHING RETURNING clock_id, level, id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for start in range(0, len(rows), 1000):
                chunk = rows[start : start + 1000]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT a, b, c, d, e, f, false FROM "
                    "unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], "
                    "%s::timestamptz[], %s::timestamptz[]) AS t(a, b, c, d, e, f) " + tail,
                    [array_literal(column) for column in zip(*chunk, strict=True)],
                )
                inserted.update(((clock, level), pk) for clock, level, pk in cursor.fetchall())
            return inserted
        adapt = connection.ops.adapt_datetimefield_value
        for start in range(0, len(rows), 120):
            chunk = rows[start : start + 120]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {marks} " + tail,
                [
                    value
                    for clock, case, unit, level, raised, grace in chunk
                    for value in (clock, case, unit, level, adapt(raised), adapt(grace), False)
                ],
            )
            inserted.update(((clock, level), pk) for clock, level, pk in cursor.fetchall())
    return inserted
