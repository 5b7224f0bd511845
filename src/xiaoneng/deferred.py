"""Inserts held back until the end of a batch, then written with one query per model.

Bulk work such as the sweeper creates thousands of timeline events and outbox messages in one
transaction; writing each row as it is made costs a round trip per row. Inside
``deferred_inserts()`` the writers below hand their rows to a buffer instead, and the buffer is
written when the block ends, still inside the caller's transaction. Outside the block every row
is written at once, exactly as before. Rows written this way get no primary key until the block
ends, so only callers that do not use the returned row's key may defer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import Model

M = TypeVar("M", bound=Model)

_buffer: ContextVar[dict[type[Model], list[Model]] | None] = ContextVar(
    "deferred_inserts", default=None
)


def insert(rows: Iterable[Model]) -> list[Model]:
    """Write the rows now, or hold them for the enclosing ``deferred_inserts`` block."""
    rows = list(rows)
    pending = _buffer.get()
    if pending is None:
        if len(rows) == 1:
            rows[0].save(force_insert=True)
            return rows
        return type(rows[0]).objects.bulk_create(rows) if rows else rows
    for row in rows:
        pending.setdefault(type(row), []).append(row)
    return rows


@contextmanager
def deferred_inserts() -> Iterator[None]:
    if not connection.in_atomic_block:
        raise RuntimeError("deferred_inserts must run inside the transaction of the changes")
    outer = _buffer.get()
    if outer is not None:
        # The outer block writes; a block that fails takes its rows back out of the buffer.
        marks = {model: len(rows) for model, rows in outer.items()}
        try:
            yield
        except BaseException:
            for model in list(outer):
                del outer[model][marks.get(model, 0) :]
            raise
        return
    pending: dict[type[Model], list[Model]] = {}
    token = _buffer.set(pending)
    try:
        yield
    finally:
        _buffer.reset(token)
    small = {model: rows for model, rows in pending.items() if len(rows) < COPY_FROM}
    if connection.vendor == "postgresql" and len(small) > 1:
        # A registration's event and outbox rows: one statement for all the tables.
        write_together(small)
        pending = {model: rows for model, rows in pending.items() if model not in small}
    for model, rows in pending.items():
        write(model, rows)


# Below this many rows a plain multi-row INSERT costs no more than setting up a COPY.
COPY_FROM = 50


def insert_fields(model: type[Model]) -> list[models.Field]:
    """The columns an INSERT writes: keys the database assigns (and generated columns) are
    left to it."""
    return list(_plan(model).fields)


class _Plan:
    """What every INSERT of one model repeats, worked out once per model and vendor (a
    registration writes its case, clocks, event and outbox rows through here: re-deriving the
    fields, their kinds and the SQL per statement was a tenth of a create's Python)."""

    __slots__ = ("fields", "head", "one", "prepared", "statements")

    def __init__(self, model: type[Model]) -> None:
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if not getattr(field, "db_returning", False) and not getattr(field, "generated", False)
        ]
        # (field, attname, whether a value of an exact simple type is stored as it is)
        self.prepared = [(field, field.attname, _is_plain(field)) for field in self.fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({columns})"
        self.one = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self.statements: dict[int, str] = {}

    def values_sql(self, count: int) -> str:
        sql = self.statements.get(count)
        if sql is None:
            sql = self.head + " VALUES " + ", ".join([self.one] * count)
            if count < COPY_FROM:  # the sizes a registration and a small batch take
                self.statements[count] = sql
        return sql


_PLANS: dict[tuple[type[Model], str], _Plan] = {}


def _plan(model: type[Model]) -> _Plan:
    key = (model, connection.vendor)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _Plan(model)
    return plan


def _row_values(plan: _Plan, row: Model, as_is: bool) -> list[object]:
    """A row's values as the database takes them: plain columns as they are, any other field
    (JSON, encrypted, auto_now, blind index) prepared by Django as an INSERT would. ``as_is``:
    only psycopg takes the attributes as they are; SQLite needs Django's preparation (an aware
    datetime would be stored with its offset and sort apart from Django's own)."""
    values = row.__dict__
    found: list[object] = []
    for field, attname, plain in plan.prepared:
        value = values[attname]
        if as_is and plain and _as_is(value):
            found.append(value)
        else:
            found.append(field.get_db_prep_save(field.pre_save(row, True), connection))
    return found


def insert_sql(model: type[Model], rows: Sequence[Model]) -> tuple[str, list[Any]]:
    """One multi-row ``INSERT`` of ``rows`` (no ``RETURNING``), as SQL and parameters. On
    PostgreSQL from ``COPY_FROM`` rows on, one array per column (``SELECT … FROM unnest``): the
    statement has a parameter per column, not per value, which the driver would otherwise
    scan for one by one (a batch's 500 cases: 16 000 placeholders)."""
    plan = _plan(model)
    as_is = connection.vendor == "postgresql"
    if as_is and len(rows) >= COPY_FROM:
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in plan.fields)
        sql = f"{plan.head} SELECT * FROM unnest({arrays})"
        values = [_row_values(plan, row, as_is) for row in rows]
        return sql, [list(column) for column in zip(*values, strict=True)]
    if len(rows) == 1:
        return plan.values_sql(1), _row_values(plan, rows[0], as_is)
    return plan.values_sql(len(rows)), [
        value for row in rows for value in _row_values(plan, row, as_is)
    ]


def insert_returning(
    model: type[Model], rows: Sequence[Model], *, key: str, ignore_conflicts: bool = False
) -> dict[object, int]:
    """Insert ``rows`` with one statement and set their primary keys; returns {value of the
    unique column ``key``: primary key} for the rows written. With ``ignore_conflicts`` a row
    that would break a unique constraint is skipped (``ON CONFLICT DO NOTHING``) and keeps no
    key: the caller finds what stood in its way."""
    if not rows:
        return {}
    sql, params = insert_sql(model, rows)
    quote = connection.ops.quote_name
    pk, column = model._meta.pk, model._meta.get_field(key)
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    sql += f" RETURNING {quote(column.column)}, {quote(pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written: dict[object, int] = dict(cursor.fetchall())
    for row in rows:
        ident = written.get(getattr(row, column.attname))
        if ident is not None:
            setattr(row, pk.attname, ident)
            row._state.adding = False
            row._state.db = connection.alias
    return written


def write_together(pending: dict[type[Model], list[Model]]) -> None:
    """Several tables' rows in one statement (PostgreSQL: each ``INSERT`` a CTE)."""
    parts: list[str] = []
    params: list[Any] = []
    for index, (model, rows) in enumerate(pending.items()):
        sql, values = insert_sql(model, rows)
        parts.append(f"w{index} AS ({sql})")
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute("WITH " + ", ".join(parts) + " SELECT 1", params)


def insert_keyed(model: type[Model], rows: Sequence[Model]) -> None:
    """Insert rows and set their primary keys, for models no signal receiver listens to
    (a written statement sends no ``pre_save``/``post_save``; a model's own ``save()`` is not
    called either). On PostgreSQL below ``COPY_FROM`` rows (a registration's two clocks): one
    written ``INSERT … VALUES … RETURNING id``, the keys given back in the rows' order as
    Django's ``bulk_create`` relies on too, without its SQL compiler. From ``COPY_FROM`` rows
    on, the keys are drawn from the table's sequence in one query, in the rows' order, and the
    rows go in by ``COPY`` with them: no multi-row ``INSERT`` for the driver to build and parse
    (a batch's 1 000 clocks), no ``RETURNING``. On SQLite Django's ``save``/``bulk_create``."""
    if not rows:
        return
    if connection.vendor == "postgresql" and len(rows) < COPY_FROM:
        _insert_returning_keys(model, rows)
        return
    if connection.vendor != "postgresql":
        if len(rows) == 1:
            rows[0].save(force_insert=True)
        else:
            model.objects.bulk_create(rows)
        return
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(rows)],
        )
        keys = [row[0] for row in cursor.fetchall()]
    for row, key in zip(rows, keys, strict=True):
        setattr(row, pk.attname, key)
        row._state.adding, row._state.db = False, connection.alias
    write(model, rows, keys=True)


def _insert_returning_keys(model: type[Model], rows: Sequence[Model]) -> None:
    """The rows in one written ``INSERT … RETURNING`` of the key (PostgreSQL): each row's
    values prepared as ``insert_sql`` does (``auto_now`` fields set on the instance as
    ``save`` would), its key and saved state set as ``bulk_create`` sets them."""
    for row in rows:
        # What bulk_create checks first: no unsaved related object behind a foreign key.
        row._prepare_related_fields_for_save(operation_name="bulk_create")
    sql, params = insert_sql(model, rows)
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} RETURNING {connection.ops.quote_name(pk.column)}", params)
        keys = [found[0] for found in cursor.fetchall()]
    for row, key in zip(rows, keys, strict=True):
        setattr(row, pk.attname, key)
        row._state.adding, row._state.db = False, connection.alias


def write(model: type[Model], rows: Sequence[Model], *, keys: bool = False) -> None:
    """Insert rows whose keys nobody reads back: with ``COPY`` on PostgreSQL (each row a tuple
    of prepared values, no SQL built per row), else with multi-row ``INSERT``s. ``keys``: the
    rows carry their primary keys already (``insert_keyed``)."""
    if connection.vendor != "postgresql" or len(rows) < COPY_FROM:
        model.objects.bulk_create(rows, batch_size=1000)
        return
    # Keys the database assigns (and generated columns) are left to it, unless given.
    fields = [
        field
        for field in model._meta.concrete_fields
        if (keys and field.primary_key)
        or (not getattr(field, "db_returning", False) and not getattr(field, "generated", False))
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # Plain columns are read off the row as they are (psycopg adapts them); any other field
    # (JSON, encrypted, auto_now, custom) is prepared by Django as an INSERT would.
    plain = [_is_plain(field) for field in fields]
    attnames = [field.attname for field in fields]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = row.__dict__
                copy.write_row(
                    [
                        value
                        if simple and _as_is(value)
                        else field.get_db_prep_save(field.pre_save(row, True), connection)
                        for field, attname, simple in zip(fields, attnames, plain, strict=True)
                        for value in (values[attname],)
                    ]
                )


_PLAIN = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.ForeignKey,
    models.DateTimeField,
)


# Values psycopg stores exactly as Django would (a naive datetime or a lazy string is not).
_AS_IS = frozenset({str, int, bool})


def _as_is(value: object) -> bool:
    if value is None or type(value) in _AS_IS:
        return True
    return type(value) is datetime and value.tzinfo is not None


def _is_plain(field: models.Field) -> bool:
    """A field whose stored value is the attribute itself (exact types: a subclass such as an
    encrypted text field may transform it)."""
    if type(field) not in _PLAIN:
        return False
    return not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False)


def write_rows(table: str, columns: list[str], rows: list[tuple[object, ...]]) -> None:
    """Insert rows given as tuples of database values (no model instances, no per-field
    preparation): ``COPY`` on PostgreSQL from ``COPY_FROM`` rows on, else multi-row
    ``INSERT``s. Values must already be what the column stores (JSON as text, aware datetimes);
    for the bulk writers that build their rows straight from columns (the sweeper)."""
    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
            with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datetimefield_value
        # SQLite caps a statement's parameters (999 on old builds): chunks that stay below.
        size = max(1, 900 // len(columns))
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {name} ({quoted}) VALUES {', '.join([marks] * len(chunk))}",
                [
                    adapt(value) if isinstance(value, datetime) else value
                    for row in chunk
                    for value in row
                ],
            )


# Per model: (name, attname, default, callable default, related) of each concrete field in
# the order of Model.__init__'s positional arguments.
_LAYOUTS: dict[type[Model], list[tuple[str, str, object, bool, bool]]] = {}


def _layout(model: type[Model]) -> list[tuple[str, str, object, bool, bool]]:
    layout = []
    for field in model._meta.concrete_fields:
        if field.has_default():
            default, call = field.default, callable(field.default)
        else:
            default, call = field.get_default(), False
        layout.append((field.name, field.attname, default, call, field.is_relation))
    _LAYOUTS[model] = layout
    return layout


def new_row(model: type[M], /, **values: Any) -> M:
    """``model(**values)`` for rows made by the hundred (a batch's cases, clocks, messages):
    every concrete field passed positionally, defaults resolved from a per-model layout, so
    Django's constructor skips its keyword matching and ``get_default`` per missing field
    (most of a row's cost at these counts). Related fields take an instance (or None) by
    name or a key by attname; only concrete fields are accepted."""
    layout = _LAYOUTS.get(model) or _layout(model)
    args: list[object] = []
    related: list[tuple[str, object]] = []
    taken = 0
    for name, attname, default, call, is_relation in layout:
        if is_relation and name in values:
            target = values[name]
            related.append((name, target))
            args.append(None if target is None else target.pk)
            taken += 1
        elif attname in values:
            args.append(values[attname])
            taken += 1
        else:
            args.append(default() if call else default)  # type: ignore[operator]
    if taken != len(values):
        known = {name for name, *_rest in layout} | {attname for _n, attname, *_r in layout}
        raise TypeError(f"{model.__name__} has no field(s) {sorted(set(values) - known)}")
    row = model(*args)
    for name, target in related:
        if target is not None:
            model._meta.get_field(name).set_cached_value(row, target)  # type: ignore[union-attr]
    return row
