"""Reading cases: timelines, what a person may do, duplicates, the case page's row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xiaoneng.cases.deadlines import CASE_OWNER, CLOCK_FIELDS, with_case_clocks
from xiaoneng.cases.models import (
    Case,
    CaseAssist,
    CaseEvent,
    Decision,
    ExtensionRequest,
    ReplyTemplate,
)
from xiaoneng.cases.permissions import cases_visible_to
from xiaoneng.cases.states import ALLOWED_FROM, OPEN_STATES
from xiaoneng.fieldcrypt.datakeys import blind_index_candidates
from xiaoneng.privacy import case_names, case_personal_values
from xiaoneng.privacy import public_reply as public_text
from xiaoneng.workdays.models import Clock

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def case_timeline(*, case: Case, public_only: bool = False) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor").order_by("at", "id")
    return events.filter(public=True) if public_only else events


def open_cases() -> QuerySet[Case]:
    return Case.objects.filter(state__in=OPEN_STATES)


def possible_duplicates(
    *, phone: str = "", content: str = "", id_number: str = "", days: int = 90
) -> QuerySet[Case]:
    """Cases from the same phone (or ID number), or with the same opening words, in the last
    ``days`` days. Phones and ID numbers are encrypted: they are matched through their keyed
    blind index, normalised (138-0013-8000 and +86 13800138000 are the same phone)."""
    since = timezone.now() - timedelta(days=days)
    recent = Case.objects.filter(registered_at__gte=since)
    if phone:
        indexes = blind_index_candidates(phone, kind="phone")
        return recent.filter(requester_phone_index__in=indexes).order_by("-registered_at")[:10]
    if id_number:
        indexes = blind_index_candidates(id_number, kind="id_number")
        return recent.filter(requester_id_index__in=indexes).order_by("-registered_at")[:10]
    snippet = content.strip()[:20]
    if len(snippet) >= 8:
        return recent.filter(content__contains=snippet).order_by("-registered_at")[:10]
    return Case.objects.none()


def extensions_awaiting_decision() -> QuerySet[ExtensionRequest]:
    """Extension requests a decider can act on now: pending, on a case in a state where the
    decision may be taken (the services withdraw the others; this keeps any queue honest)."""
    return ExtensionRequest.objects.filter(
        decision=Decision.PENDING, case__state__in=ALLOWED_FROM["decide_extension"]
    )


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
    "reply_draft__author__user",
    "merged_into",
)


def _count_of(queryset: QuerySet, field: str) -> Coalesce:
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def attach_latest_clocks(
    rows: list[Case], stages: Iterable[str] = ("sign_for", "reply")
) -> list[Case]:
    """Set on each row the latest clock of each stage (``reply_due_at``, ``sign_for_state``, …:
    what ``with_case_clocks`` annotates) read for these rows only, in one query, instead of a
    subquery per row, stage and field. For a page of rows already fetched."""
    stages = tuple(stages)
    latest: dict[tuple[int, str], tuple[Any, ...]] = {}
    if rows:
        clocks = Clock.objects.filter(
            owner_type=CASE_OWNER, owner_id__in=[case.pk for case in rows], stage__in=stages
        ).order_by("id")
        for owner_id, stage, *fields in clocks.values_list("owner_id", "stage", *CLOCK_FIELDS):
            latest[(owner_id, stage)] = tuple(fields)
    empty = (None,) * len(CLOCK_FIELDS)
    for case in rows:
        for stage in stages:
            values = latest.get((case.pk, stage), empty)
            for name, value in zip(CLOCK_FIELDS, values, strict=True):
                setattr(case, f"{stage}_{name}", value)
    return rows


def case_for_page(user: User, pk: int) -> Case:
    """The case with everything its page shows in one row, within the person's scope (else 404).

    Same scope as ``cases.permissions.case_for_user``; the clocks come as annotations and the
    number of assisting departments as a count, so the page skips that query when there are none.
    """
    queryset = with_case_clocks(cases_visible_to(user), ("sign_for", "reply", "rating"))
    queryset = queryset.select_related(*CASE_PAGE_RELATED).annotate(
        assist_count=_count_of(CaseAssist.objects.filter(case_id=OuterRef("pk")), "case_id")
    )
    # get(), not first(): no ordering (compiled over every selected column) for one row.
    try:
        return queryset.get(pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


# -- the reply as the public reads it ----------------------------------------------------------
#
# The one builder of the public's view of a reply: the portal's tracking page and results
# board read it, and the reply composer's preview shows the same, so what a handler previews is
# what the public gets.


def public_reply(case: Case, text: str | None = None) -> str:
    """The reply (``text``, default the issued reply) as the requester reads it on the tracking
    page: the requester's and the person concerned's names, phone, e-mail and ID number masked,
    and a salutation that names the person made plain ("您好：").
    Other numbers stay (an office's phone the reply gives is meant to be read)."""
    return public_text(
        case.reply_text if text is None else text, case_personal_values(case), patterns=False
    )


def published_reply(case: Case, text: str | None = None) -> str:
    """The reply as the public results board shows it (with the requester's consent): the
    names masked, and every ID number, phone number and e-mail address."""
    return public_text(case.reply_text if text is None else text, case_names(case))


def reply_templates_for(case: Case) -> dict[str, list[ReplyTemplate]]:
    """The texts the reply composer offers for ``case``, by kind: its unit's active templates
    for its category or for every category. One query."""
    found: dict[str, list[ReplyTemplate]] = {kind: [] for kind in ReplyTemplate.Kind.values}
    rows = ReplyTemplate.objects.filter(unit_id=case.unit_id, is_active=True).filter(
        Q(category__isnull=True) | Q(category_id=case.category_id)
    )
    for template in rows.select_related("category").order_by("category_id", "title", "id"):
        found[template.kind].append(template)
    return found
