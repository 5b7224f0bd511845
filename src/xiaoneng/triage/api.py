"""The triage endpoints of /api/v1/: suggested lead departments and a case's near-duplicates.

The api shell mounts the router ``build_router`` makes, handing it its own scope check and
its rule of which cases a caller may see, so the API has one rule for both (triage never
imports the shell).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Router, Schema

from xiaoneng.cases.models import Case
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Unit
from xiaoneng.triage.selectors import bureau, similar_cases, suggest

MAX_TEXT = 20_000


class SuggestionIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT, description="The request's title and content")
    unit: str | None = Field(
        None, max_length=32, description="Receiving unit's code (default: the bureau)"
    )


class SuggestedOut(Schema):
    department: str = Field(..., description="Department code, as in the organisation")
    confidence: float = Field(..., ge=0, le=1)
    reasons: list[str]


class SuggestionsOut(Schema):
    suggestions: list[SuggestedOut] = Field(
        ..., description="Best first, at most three; empty when the model does not know"
    )


class SimilarOut(Schema):
    id: int
    number: str
    score: float = Field(..., ge=0, le=1)
    reasons: list[str]


CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Case id")]


def build_router(
    *,
    require_scope: Callable[[HttpRequest, str], Any],
    cases_for: Callable[[Any], QuerySet[Case]],
    errors: dict[int, Any],
) -> Router:
    router = Router(tags=["triage"])

    @router.post(
        "/triage/suggestions",
        response={200: SuggestionsOut, **errors},
        summary="Suggest the lead department of a request",
    )
    def triage_suggestions(request: HttpRequest, payload: SuggestionIn) -> dict[str, Any]:
        """Up to three departments of the receiving unit, best first, each with its confidence
        (0–1) and reasons (the words that weighed most, similar past cases and where they
        went). An empty list means "don't know": dispatch by hand."""
        caller = require_scope(request, "cases:read")
        unit = _unit(caller, payload.unit)
        found, _version = suggest(payload.text, unit=unit)
        return {
            "suggestions": [
                {"department": s.department.code, "confidence": s.confidence, "reasons": s.reasons}
                for s in found
            ]
        }

    @router.get(
        "/cases/{case_id}/similar",
        response={200: list[SimilarOut], **errors},
        summary="Near-duplicates of a case",
    )
    def case_similar(request: HttpRequest, case_id: CaseId) -> list[dict[str, Any]]:
        """Open cases of the last 90 days about the same matter (same person, or similar text,
        the same school or place weighing more), best first, among the cases the caller sees."""
        caller = require_scope(request, "cases:read")
        visible = cases_for(caller)
        case = visible.select_related("unit").filter(pk=case_id).first()
        if case is None:
            raise Http404
        found = similar_cases(case)
        seen = set(visible.filter(pk__in=[s.case.pk for s in found]).values_list("pk", flat=True))
        return [
            {"id": s.case.pk, "number": s.case.number, "score": s.score, "reasons": s.reasons}
            for s in found
            if s.case.pk in seen
        ]

    return router


def _unit(caller: Any, code: str | None) -> Unit:
    client = getattr(caller, "client", None)
    own = getattr(client, "unit_id", None)
    unit = Unit.objects.filter(code=code).first() if code else None
    if code and unit is None:
        raise DomainError(_("No unit with this code."))
    if own is not None:
        if unit is not None and unit.pk != own:
            raise PermissionDenied(_("This key may only ask about its own unit."))
        unit = Unit.objects.get(pk=own)
    unit = unit or bureau()
    if unit is None:
        raise DomainError(_("No unit is set up to receive requests."))
    return unit
