"""The organisation as the track page names it: the case's lead department (with its unit and
head), its handler, the departments its timeline names and the bureau whose contacts the page
shows, kept in Django's cache for ``ORG_SECONDS``.

Read with the case, these five joins cost PostgreSQL more than the rest of a first lookup's
statements together (planning a nine-table join for every case: about 2 ms of the server's CPU
against 0.4 ms for the case with its category). They are a few dozen rows that every case
shares, so they are read by id once and kept. A renamed department or a new head shows on the
page within ``ORG_SECONDS``, well inside the page's own bound (``tracking.CACHE_SECONDS``, which
already keeps such names for a cached case). The rows are kept whole and named at show time, so
each language gets its own labels.
"""

from __future__ import annotations

from django.core.cache import cache

from xiaoneng.cases.models import Case
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.web.compiled import compiled_rows, compiled_rows_for

ORG_SECONDS = 60
_PREFIX = "xn:track:org:v1"


# What the page names of an account: its name (``str(user)``). Nothing else of the account
# goes into the cache (a shared Redis one with ``XIAONENG_CACHE_URL``): no password hash, no
# sign-in times.
_ACCOUNT = ("full_name", "username")
_DEPARTMENT_FIELDS = (
    *("name", "name_en", "unit", "head", "head__user"),
    *("unit__name", "unit__name_en", "unit__short_name"),
    *(f"head__user__{name}" for name in _ACCOUNT),
)
_STAFF_FIELDS = ("user", *(f"user__{name}" for name in _ACCOUNT))


def _department(pk: int) -> Department | None:
    found = compiled_rows_for(
        "portal.org_department",
        lambda marker: (
            Department.objects.select_related("unit", "head__user")
            .only(*_DEPARTMENT_FIELDS)
            .filter(pk=marker)
            .order_by()
        ),
        pk,
    )
    return found[0] if found else None


def _staff(pk: int) -> Staff | None:
    found = compiled_rows_for(
        "portal.org_staff",
        lambda marker: (
            Staff.objects.select_related("user").only(*_STAFF_FIELDS).filter(pk=marker).order_by()
        ),
        pk,
    )
    return found[0] if found else None


def lead_and_handler(case: Case) -> tuple[Department | None, Staff | None]:
    """The case's lead department (its unit and head read with it) and its handler (with the
    account that names them), from the cache when read in the last ``ORG_SECONDS``: one cache
    read, and a query for each one not kept."""
    lead_id: int | None = case.lead_department_id
    handler_id: int | None = case.handler_id
    lead_key, handler_key = f"{_PREFIX}:department:{lead_id}", f"{_PREFIX}:staff:{handler_id}"
    wanted = [key for key, pk in ((lead_key, lead_id), (handler_key, handler_id)) if pk]
    if not wanted:
        return None, None
    found = cache.get_many(wanted)
    lead, handler = found.get(lead_key), found.get(handler_key)
    read: dict[str, object] = {}
    if lead_id and not isinstance(lead, Department):
        lead = read[lead_key] = _department(lead_id)
    if handler_id and not isinstance(handler, Staff):
        handler = read[handler_key] = _staff(handler_id)
    if read:
        cache.set_many({key: row for key, row in read.items() if row is not None}, ORG_SECONDS)
    return lead, handler


def _bureau_row() -> Unit | None:
    found = compiled_rows(
        "portal.bureau",
        lambda: Unit.objects.filter(kind=Unit.Kind.BUREAU, parent=None).order_by("pk")[:1],
    )
    return found[0] if found else None


def bureau(*, kept: bool = False) -> Unit | None:
    """The bureau whose contacts the public pages show (the top unit). With ``kept``, from the
    cache when read in the last ``ORG_SECONDS`` (the track page: no query for a first lookup)."""
    if not kept:
        return _bureau_row()
    key = f"{_PREFIX}:bureau"
    found = cache.get(key)
    if isinstance(found, Unit):
        return found
    row = _bureau_row()
    if row is not None:
        cache.set(key, row, ORG_SECONDS)
    return row


def departments(ids: list[int]) -> dict[int, Department]:
    """The departments ``ids`` (with their unit and head), from the cache when read in the last
    ``ORG_SECONDS``: one cache read, and a query for each one not kept."""
    keys = {f"{_PREFIX}:department:{pk}": pk for pk in ids}
    found = cache.get_many(list(keys)) if keys else {}
    kept: dict[int, Department] = {}
    read: dict[str, Department] = {}
    for key, pk in keys.items():
        row = found.get(key)
        if not isinstance(row, Department):
            row = _department(pk)
            if row is None:
                continue
            read[key] = row
        kept[pk] = row
    if read:
        cache.set_many(read, ORG_SECONDS)
    return kept
