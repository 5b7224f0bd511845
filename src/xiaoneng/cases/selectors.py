"""Reading cases: timelines, what a person may do, duplicates."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from xiaoneng.cases.models import Case, CaseEvent, Decision, ExtensionRequest
from xiaoneng.cases.states import ALLOWED_FROM, OPEN_STATES


def case_timeline(*, case: Case, public_only: bool = False) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor").order_by("at", "id")
    return events.filter(public=True) if public_only else events


def open_cases() -> QuerySet[Case]:
    return Case.objects.filter(state__in=OPEN_STATES)


def possible_duplicates(*, phone: str = "", content: str = "", days: int = 90) -> QuerySet[Case]:
    """Cases from the same phone, or with the same opening words, in the last ``days`` days."""
    since = timezone.now() - timedelta(days=days)
    recent = Case.objects.filter(registered_at__gte=since)
    if phone:
        return recent.filter(requester_phone=phone).order_by("-registered_at")[:10]
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
