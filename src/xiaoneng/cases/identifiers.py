"""Case numbers (sortable by date) and public tracking codes with their secrets."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from django.db import connection

from xiaoneng.cases.models import Case, CaseCounter

# No 0/O, 1/I/L: codes are read out over the phone.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def next_case_number(day: date) -> str:
    """XN20261128-00042: the day and its sequence. Must run inside the registering transaction."""
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(day=day)
    counter.value += 1
    counter.save(update_fields=["value"])
    return f"XN{day:%Y%m%d}-{counter.value:05d}"


# One statement: bump the day's counter (creating it) and write the number into the case. The
# counter row stays locked from here to the commit, so the registration ends right after it.
_ASSIGN_SQL = """
WITH bumped AS (
    INSERT INTO cases_casecounter (day, value) VALUES (%s, 1)
    ON CONFLICT (day) DO UPDATE SET value = cases_casecounter.value + 1
    RETURNING value
)
UPDATE cases_case SET number = %s || CASE WHEN bumped.value < 100000
    THEN lpad(bumped.value::text, 5, '0') ELSE bumped.value::text END
FROM bumped WHERE cases_case.id = %s
RETURNING cases_case.number
"""


_BUMP_SQL = """
INSERT INTO cases_casecounter (day, value) VALUES (%s, 1)
ON CONFLICT (day) DO UPDATE SET value = cases_casecounter.value + 1
RETURNING value
"""


_BUMP_BLOCK_SQL = """
INSERT INTO cases_casecounter (day, value) VALUES (%s, %s)
ON CONFLICT (day) DO UPDATE SET value = cases_casecounter.value + EXCLUDED.value
RETURNING value
"""


def provisional_number(tracking_code: str) -> str:
    """What a case's number column holds between its insert and ``case_number_assign``
    (inside the registering transaction, so nobody else ever sees it)."""
    return f"~{tracking_code}"


def case_number_assign(case: Case, day: date) -> str:
    """Give a just-inserted case the next number of ``day``, as the last step of its
    registration: the day's counter is locked for one statement and the commit, not for the
    whole registration. Numbers have no gaps: a registration that rolls back takes its bump of
    the counter with it. Returns the number and sets it on ``case``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_ASSIGN_SQL, [day, f"XN{day:%Y%m%d}-", case.pk])
            (number,) = cursor.fetchone()
    else:
        # SQLite has one writer at a time: the bump, then the case.
        with connection.cursor() as cursor:
            cursor.execute(_BUMP_SQL, [day])
            (value,) = cursor.fetchone()
        number = f"XN{day:%Y%m%d}-{value:05d}"
        Case.objects.filter(pk=case.pk).update(number=number)
    case.number = number
    return str(number)


# A block of numbers for many new cases of one day: the counter bumped by their count, each
# case numbered by its place in the block, in one statement.
_ASSIGN_BLOCK_SQL = """
WITH bumped AS (
    INSERT INTO cases_casecounter (day, value) VALUES (%s, %s)
    ON CONFLICT (day) DO UPDATE SET value = cases_casecounter.value + EXCLUDED.value
    RETURNING value
), wanted (id, place) AS (VALUES {rows})
UPDATE cases_case SET number = %s || CASE WHEN bumped.value - %s + wanted.place < 100000
    THEN lpad((bumped.value - %s + wanted.place)::text, 5, '0')
    ELSE (bumped.value - %s + wanted.place)::text END
FROM bumped, wanted WHERE cases_case.id = wanted.id
RETURNING cases_case.id, cases_case.number
"""


def _format(day: date, value: int) -> str:
    return f"XN{day:%Y%m%d}-{value:05d}"


def case_numbers_assign(cases: list[Case], days: list[date]) -> None:
    """Number just-inserted cases (``days[i]`` is the day of ``cases[i]``), in their order,
    as the last step of their registration: one statement per day on PostgreSQL (two on
    SQLite), the day's counter locked from there to the commit. No gaps: a rollback takes the
    bump with it."""
    by_day: dict[date, list[Case]] = {}
    for case, day in zip(cases, days, strict=True):
        by_day.setdefault(day, []).append(case)
    for day, block in by_day.items():
        if len(block) == 1 and connection.vendor == "postgresql":
            case_number_assign(block[0], day)
            continue
        count = len(block)
        if connection.vendor == "postgresql":
            rows = ", ".join(["(%s::bigint, %s::int)"] * count)
            params: list[object] = [day, count]
            for place, case in enumerate(block, start=1):
                params += [case.pk, place]
            params += [f"XN{day:%Y%m%d}-", count, count, count]
            with connection.cursor() as cursor:
                cursor.execute(_ASSIGN_BLOCK_SQL.format(rows=rows), params)
                numbers = dict(cursor.fetchall())
            for case in block:
                case.number = numbers[case.pk]
            continue
        with connection.cursor() as cursor:
            cursor.execute(_BUMP_BLOCK_SQL, [day, count])
            (last,) = cursor.fetchone()
            first = last - count + 1
            for place, case in enumerate(block):
                case.number = _format(day, first + place)
            rows = ", ".join(["(%s, %s)"] * count)
            cursor.execute(
                f"UPDATE cases_case SET number = v.column2 FROM (VALUES {rows}) AS v "
                "WHERE cases_case.id = v.column1",
                [value for case in block for value in (case.pk, case.number)],
            )


def random_code(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_tracking_code() -> str:
    return random_code(10)


def new_tracking_secret() -> str:
    return random_code(8)


def secret_hash(code: str, secret: str) -> str:
    return hashlib.sha256(f"{code}:{secret.strip().upper()}".encode()).hexdigest()


def secret_matches(code: str, secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(code, secret), stored_hash)
