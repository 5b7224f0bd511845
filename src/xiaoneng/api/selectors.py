"""What a caller may see: cases in scope, filtered and paged by an opaque cursor."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from xiaoneng.api.auth import Principal
from xiaoneng.api.errors import ApiError
from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import cases_visible_to, has_case_scope
from xiaoneng.org.selectors import staff_for
from xiaoneng.web.pagination import (
    Key,
    first_rows,
    key_of,
    keyset,
    opaque_cursor,
    parse_opaque_cursor,
)

CASE_RELATED = ("category", "unit", "lead_department", "handler__user", "first_contact__user")


def cases_for(caller: Principal) -> QuerySet[Case]:
    """Staff: what the office shows them. A client: its unit's cases and the ones it registered,
    or every case for a client without a unit scope; none when its service account has no case
    scope (an administrator role given to it later, or no case role at all)."""
    client = caller.client
    if client is None:
        return cases_visible_to(caller.user)
    if not has_case_scope(caller.user):
        return Case.objects.none()
    if client.unit_id is None:
        return Case.objects.all()
    staff = staff_for(caller.user)
    scope = Q(unit_id=client.unit_id)
    if staff is not None:
        scope |= Q(first_contact=staff)
    return Case.objects.filter(scope)


def case_for(caller: Principal, pk: int, *, for_update: bool = False) -> Case:
    """One case in the caller's scope, or 404: whether it exists elsewhere is not revealed."""
    # get(), not first(): the case list's ordering (and compiling it over every selected column)
    # is not needed for one row.
    try:
        return cases_for(caller).select_related(*CASE_RELATED, "post").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


def decode_cursor(cursor: str) -> Key:
    key = parse_opaque_cursor(cursor)
    if key is None:
        raise ApiError(
            400,
            "invalid",
            _("The request is not valid; see the fields."),
            fields={"cursor": _("Not a cursor this API gave out.")},
        )
    return key


def case_page(
    queryset: QuerySet[Case], *, cursor: str | None, limit: int
) -> tuple[list[Case], str | None]:
    """Newest first by (registered_at, id); the cursor points after the last case returned."""
    after = decode_cursor(cursor) if cursor else None
    rows = keyset(queryset, column="registered_at", descending=True, after=after)
    page, more = first_rows(rows.select_related(*CASE_RELATED), limit)
    return page, opaque_cursor(key_of(page[-1], "registered_at")) if more and page else None


def case_filter(queryset: QuerySet[Case], filters: dict[str, Any]) -> QuerySet[Case]:
    lookups = {
        "state": "state",
        "unit": "unit_id",
        "lead_department": "lead_department_id",
        "channel": "channel",
        "kind": "kind",
        "category": "category__code",
        "registered_after": "registered_at__gte",
        "registered_before": "registered_at__lt",
        "external_number": "external_number",
    }
    wanted = {lookups[name]: value for name, value in filters.items() if value is not None}
    return queryset.filter(**wanted) if wanted else queryset
