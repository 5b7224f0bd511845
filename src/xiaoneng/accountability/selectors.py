"""Read-only queries of accountability. ``violations_counting`` and ``signals_counting`` are
what every figure (assessment, bulletins) must count: confirmed violations only, cards not
revoked on appeal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from xiaoneng.accountability.access import (
    appeals_visible_to,
    sanctions_visible_to,
    violations_visible_to,
)
from xiaoneng.accountability.appeals import appeal_deadline, signals_counting, violations_counting
from xiaoneng.accountability.models import Appeal, Sanction, Violation
from xiaoneng.org.models import Staff

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

__all__ = [
    "appeal_deadline",
    "person_record",
    "signals_counting",
    "unit_record",
    "violation_list",
    "violations_counting",
]


def violation_list(user: User, *, filters: dict[str, Any] | None = None) -> QuerySet[Violation]:
    filters = filters or {}
    qs = violations_visible_to(user).select_related("case", "department", "staff__user")
    for field in ("status", "kind", "grade"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    return qs


def person_record(user: User, staff: Staff) -> dict[str, Any]:
    violations = (
        violations_visible_to(user)
        .filter(Q(staff=staff) | Q(parts__staff=staff))
        .distinct()
        .select_related("case")
    )
    sanctions = sanctions_visible_to(user).filter(staff=staff).select_related("violation")
    appeals = appeals_visible_to(user).filter(Q(person=staff) | Q(filed_by=staff))
    return {"violations": violations, "sanctions": sanctions, "appeals": appeals}


def unit_record(user: User, unit_id: int) -> dict[str, Any]:
    violations = (
        violations_visible_to(user).filter(unit_id=unit_id).select_related("case", "staff__user")
    )
    sanctions = (
        sanctions_visible_to(user)
        .filter(unit_id=unit_id)
        .select_related("violation", "staff__user")
    )
    appeals = appeals_visible_to(user).filter(unit_id=unit_id)
    return {"violations": violations, "sanctions": sanctions, "appeals": appeals}


def pending_appeals() -> QuerySet[Appeal]:
    return Appeal.objects.filter(status__in=(Appeal.Status.PENDING, Appeal.Status.ESCALATED))


def live_sanctions() -> QuerySet[Sanction]:
    return Sanction.objects.filter(revoked=False)
