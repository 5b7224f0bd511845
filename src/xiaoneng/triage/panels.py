"""What triage adds to the case pages of other apps (the office intake, the intake pool, the
case page): context functions whose result a small template include of this app shows. The
pages call them; triage never reaches into their views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import cases_visible_to
from xiaoneng.org.actors import User
from xiaoneng.org.models import Department
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.triage.models import Suggestion
from xiaoneng.triage.selectors import (
    Similar,
    reason_texts,
    similar_cases,
    similar_for_many,
    suggestion_of,
)
from xiaoneng.triage.similarity import DUPLICATE

# The pool shows the near-duplicates of this many cases at most (one scan each).
POOL_SIMILAR_LIMIT = 50


@dataclass(frozen=True)
class SuggestedRow:
    department: Department | None
    code: str
    confidence: float
    percent: int
    reasons: list[str]


def _reasons(item: dict[str, Any]) -> list[str]:
    """The reasons in the reader's language; suggestions stored before their parts were kept
    show the text as stored."""
    if "words" not in item:
        return list(item.get("reasons", []))
    return reason_texts(item["words"], [tuple(pair) for pair in item.get("similar", [])])


def _rows(suggestion: Suggestion | None) -> list[SuggestedRow]:
    if suggestion is None:
        return []
    departments = Department.objects.in_bulk([i.get("department_id") for i in suggestion.items])
    return [
        SuggestedRow(
            department=departments.get(item.get("department_id")),
            code=item.get("department", ""),
            confidence=item.get("confidence", 0.0),
            percent=round(100 * item.get("confidence", 0.0)),
            reasons=_reasons(item),
        )
        for item in suggestion.items
    ]


def _visible(user: User, found: list[Similar]) -> list[Similar]:
    if not found:
        return []
    ids = set(
        cases_visible_to(user)
        .filter(pk__in=[s.case.pk for s in found])
        .values_list("pk", flat=True)
    )
    return [s for s in found if s.case.pk in ids]


def may_merge(user: User) -> bool:
    return Role.EFFICIENCY_OFFICE in user_roles(user)


def case_panel(case: Case, user: User) -> dict[str, Any]:
    """``triage`` for ``triage/_case_panel.html``: the stored suggestion and the case's
    near-duplicates the person may see, and whether they may merge (并案)."""
    suggestion = suggestion_of(case)
    similar = _visible(user, similar_cases(case)) if case.is_open else []
    return {
        "case": case,
        "suggestion": suggestion,
        "suggested": _rows(suggestion),
        "similar": similar,
        "likely": DUPLICATE,
        "may_merge": may_merge(user) and case.is_open,
    }


def pool_panel(cases: list[Case], user: User) -> dict[int, dict[str, Any]]:
    """For each pooled case: its suggestion and its near-duplicates the person may see, for
    ``triage/_pool_cell.html``; three queries whatever the rows."""
    ids = [case.pk for case in cases]
    suggestions = {
        s.case_id: s for s in Suggestion.objects.filter(case_id__in=ids).select_related("top")
    }
    similar = similar_for_many(cases)
    shown = _visible(user, [s for found in similar.values() for s in found])
    visible = {s.case.pk for s in shown}
    office = may_merge(user)
    return {
        case.pk: {
            "case": case,
            "suggested": _top(suggestions.get(case.pk)),
            "similar": [s for s in similar.get(case.pk, []) if s.case.pk in visible],
            "likely": DUPLICATE,
            "may_merge": office,
        }
        for case in cases
    }


def _top(suggestion: Suggestion | None) -> list[SuggestedRow]:
    if suggestion is None or not suggestion.items or suggestion.top is None:
        return []
    item = suggestion.items[0]
    confidence = item.get("confidence", 0.0)
    return [
        SuggestedRow(
            department=suggestion.top,
            code=item.get("department", ""),
            confidence=confidence,
            percent=round(100 * confidence),
            reasons=_reasons(item),
        )
    ]
