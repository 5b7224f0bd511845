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
