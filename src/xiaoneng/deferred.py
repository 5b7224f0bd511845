"""Inserts held back until the end of a batch, then written with one query per model.

Bulk work such as the sweeper creates thousands of timeline events and outbox messages in one
transaction; writing each row as it is made costs a round trip per row. Inside
``deferred_inserts()`` the writers below hand their rows to a buffer instead, and the buffer is
written when the block ends, still inside the caller's transaction. Outside the block every row
is written at once, exactly as before. Rows written this way get no primary key until the block
ends, so only callers that do not use the returned row's key may defer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection
from django.db.models import Model

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
    for model, rows in pending.items():
        model.objects.bulk_create(rows, batch_size=1000)
