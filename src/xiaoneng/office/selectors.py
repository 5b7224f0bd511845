"""Reads of the office pages, shaped so each page costs a fixed number of queries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from xiaoneng.cases.deadlines import with_case_clocks
from xiaoneng.cases.models import Case, CaseAssist
from xiaoneng.cases.permissions import cases_visible_to

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

CASE_PAGE_RELATED = (
    "category",
    "unit",
    "unit_concerned",
    "lead_department__head",
    "post__a_holder",
    "post__b_holder",
    "post__department__head",
    "handler__user",
    "first_contact__user",
    "policy_version__policy",
    "reply_drafted_by__user",
    "merged_into",
)


def _count_of(queryset: QuerySet, field: str) -> Coalesce:
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def case_for_page(user: User, pk: int) -> Case:
    """The case with everything its page shows in one row, within the person's scope (else 404).

    Same scope as ``cases.permissions.case_for_user``; the clocks come as annotations and the
    number of assisting departments as a count, so the page skips that query when there are none.
    """
    queryset = with_case_clocks(cases_visible_to(user), ("sign_for", "reply", "rating"))
    queryset = queryset.select_related(*CASE_PAGE_RELATED).annotate(
        assist_count=_count_of(CaseAssist.objects.filter(case_id=OuterRef("pk")), "case_id")
    )
    case = queryset.filter(pk=pk).first()
    if case is None:
        raise Http404
    return case
