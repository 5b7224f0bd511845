"""Keyset pagination: pages of a list ordered by a moment and the id, without COUNT or OFFSET.

A page is fetched as the rows after the last one shown, ordered by (moment, id), one row more
than the page holds to tell whether another page follows. The position travels between requests
as a cursor in one of two spellings: ``plain_cursor`` ("ISO moment|id", the office list's links)
and ``opaque_cursor`` (base64 of the same pair, the API's ``next_cursor``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Key:
    """Where a page ends: the row's moment and id."""

    moment: datetime
    pk: int


def key_of(row: Model, column: str) -> Key:
    return Key(getattr(row, column), row.pk)


def keyset(
    queryset: QuerySet[M], *, column: str, descending: bool, after: Key | None
) -> QuerySet[M]:
    """The rows after ``after`` (all of them without a key) ordered by (column, id)."""
    if after is not None:
        op = "lt" if descending else "gt"
        queryset = queryset.filter(
            Q(**{f"{column}__{op}": after.moment})
            | Q(**{column: after.moment, f"pk__{op}": after.pk})
        )
    prefix = "-" if descending else ""
    return queryset.order_by(f"{prefix}{column}", f"{prefix}pk")


def first_rows(queryset: QuerySet[M] | Sequence[Any], limit: int) -> tuple[list[Any], bool]:
    """Up to ``limit`` rows, and whether there are more (one row more is read to know)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def plain_cursor(key: Key) -> str:
    return f"{key.moment.isoformat()}|{key.pk}"


def parse_plain_cursor(text: str) -> Key | None:
    """The key of a plain cursor, or None when the text is not one."""
    moment_text, _sep, pk_text = text.rpartition("|")
    moment = parse_datetime(moment_text)
    if moment is None or not pk_text.isdigit():
        return None
    return Key(moment, int(pk_text))


def opaque_cursor(key: Key) -> str:
    raw = json.dumps([key.moment.isoformat(), key.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_opaque_cursor(cursor: str) -> Key | None:
    """The key of an opaque cursor, or None when the text is not one this code gave out."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = parse_datetime(at)
    except (ValueError, TypeError, UnicodeError):
        return None
    if moment is None or not isinstance(pk, int):
        return None
    return Key(moment, pk)
