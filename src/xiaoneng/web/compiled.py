"""Queries a page sends again and again, compiled to SQL once per connection.

Turning a rich queryset into SQL (its annotations, windows, ``CASE`` and subqueries) can cost
more Python than running it: the workbench's ranked query spent about half of the page's time
in Django's compiler, although for one person it is the same SQL with the same parameters on
every visit. ``compiled_rows`` keeps the SQL, its parameters and the compiler (which turns a
row into objects as the ORM would) under a key, and on the next call runs the SQL directly.

The key must name everything the SQL and its parameters are made of (the person, their roles,
the posts they act for, …): two calls with the same key get the same SQL. Nothing read from
the database is kept, only the statement; the rows are read fresh each time. The statements
live on the connection object (one per thread and alias), so they go with it, and at most
``KEPT`` of them are kept per connection.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet, prefetch_related_objects
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

KEPT = 256
_ON_CONNECTION = "_xiaoneng_compiled_rows"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    compiler: SQLCompiler
    places: tuple[int, ...] = ()  # where the values of ``compiled_rows_for`` go in ``params``
    prefetch: tuple[Any, ...] = ()  # the queryset's prefetch_related lookups


def _compiled(
    key: Hashable, build: Callable[[], QuerySet[Any]], using: str, markers: tuple[object, ...] = ()
) -> _Compiled:
    connection = connections[using]
    kept: OrderedDict[Hashable, _Compiled] | None = getattr(connection, _ON_CONNECTION, None)
    if kept is None:
        kept = OrderedDict()
        setattr(connection, _ON_CONNECTION, kept)
    found = kept.get(key)
    if found is not None:
        kept.move_to_end(key)
        return found
    queryset = build()
    compiler = queryset.query.get_compiler(using=using)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # ``none()`` or an empty ``__in``: nothing can match, no query
        sql, params = "", ()
    if sql and any(list(params).count(marker) != 1 for marker in markers):
        raise ValueError(f"each value of {key!r} must come out as exactly one parameter")
    places = tuple(list(params).index(marker) for marker in markers) if sql else ()
    prefetch = tuple(getattr(queryset, "_prefetch_related_lookups", ()))
    found = _Compiled(sql, tuple(params), compiler, places, prefetch)
    kept[key] = found
    while len(kept) > KEPT:
        kept.popitem(last=False)
    return found


def compiled_rows(
    key: Hashable, build: Callable[[], QuerySet[M]], *, using: str = DEFAULT_DB_ALIAS
) -> list[M]:
    """``list(build())``, with the SQL of ``build()`` compiled only the first time ``key`` is
    seen on this connection: the objects (with their ``select_related`` relations and their
    annotations) are made from the rows as Django's model iterable makes them."""
    compiled = _compiled(key, build, using)
    if not compiled.sql:
        return []
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        rows = cursor.fetchall()
    if not rows:
        return []
    return objects_from_rows(compiled.compiler, rows, using)


# Stand-ins for the values of a statement compiled once for every value (``compiled_rows_for``):
# the statement is built with them, and each must come out as exactly one parameter.
_MARKER_TEXT = "\x00xiaoneng-compiled-value-{}\x00"
_MARKER_INT = -7_300_000_000_000_000_000


def _marker(index: int, value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"compiled_rows_for takes text and whole numbers, not {value!r}")
    return _MARKER_TEXT.format(index) if isinstance(value, str) else _MARKER_INT - index


def compiled_rows_for(
    key: Hashable,
    build: Callable[..., QuerySet[M]],
    *values: int | str,
    using: str = DEFAULT_DB_ALIAS,
) -> list[M]:
    """``list(build(*values))``, with the SQL compiled only the first time ``key`` is seen on
    this connection, for whatever ``values`` (text or whole numbers): the statement is compiled
    with a stand-in for each value, and each later call sends it with the values in their
    places. ``key`` names everything else the statement is made of. A value that does not come
    out as exactly one parameter of the statement (a value used twice, or turned into
    something else) is refused when the statement is first compiled. The queryset's
    ``prefetch_related`` lookups are read for the objects as the ORM reads them (their own
    statements, compiled each time)."""
    markers = tuple(_marker(index, value) for index, value in enumerate(values))
    compiled = _compiled((key, len(values)), lambda: build(*markers), using, markers)
    if not compiled.sql:
        return []
    params = list(compiled.params)
    for place, value in zip(compiled.places, values, strict=True):
        params[place] = value
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    found = objects_from_rows(compiled.compiler, rows, using)
    if compiled.prefetch:
        prefetch_related_objects(found, *compiled.prefetch)
    return found


def objects_from_rows(compiler: SQLCompiler, rows: list[Any], using: str) -> list[Any]:
    """The model objects of ``rows`` read with ``compiler``'s SQL, made as Django's model
    iterable makes them: the model's fields, its ``select_related`` relations and the
    annotations."""
    klass_info = compiler.klass_info
    assert klass_info is not None  # a model query
    select = compiler.select
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    model = klass_info["model"]
    populators = get_related_populators(klass_info, select, using)
    annotations = list((compiler.annotation_col_map or {}).items())
    found: list[Any] = []
    for row in compiler.results_iter([rows]):
        obj = model.from_db(using, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, at in annotations:
            setattr(obj, name, row[at])
        found.append(obj)
    return found
