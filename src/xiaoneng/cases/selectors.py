"""Reading cases: timelines, what a person may do, duplicates."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from xiaoneng.cases.models import Case, CaseEvent, Decision, ExtensionRequest
from xiaoneng.cases.states import ALLOWED_FROM, OPEN_STATES
from xiaoneng.fieldcrypt.datakeys import blind_index_candidates


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
