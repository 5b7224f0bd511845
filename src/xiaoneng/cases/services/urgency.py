"""Whether a request being registered is urgent, and the mark on its timeline (the office,
the portal, the API, Open311 and the referral import all register through ``case_register``).
See ``cases/urgency.py`` for the suggestion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import facts
from xiaoneng.cases.models import Case, Category, Kind, Urgency
from xiaoneng.cases.services.steps import record
from xiaoneng.cases.urgency import urgency_suggest
from xiaoneng.errors import DomainError

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor


@dataclass(frozen=True)
class UrgencyDecision:
    value: str  # Urgency, or "" when not urgent
    words: tuple[str, ...] = ()
    by_category: bool = False


def urgency_decide(
    *, kind: str, category: Category, text: str, urgent: bool | None
) -> UrgencyDecision:
    if urgent and kind == Kind.APPLICATION:
        raise DomainError(
            _("An application runs on its statutory time limits; it cannot be marked urgent.")
        )
    suggestion = urgency_suggest(kind=kind, category=category, text=text)
    if urgent or (urgent is None and suggestion.urgent):
        return UrgencyDecision(
            Urgency.MARKED if urgent else Urgency.SUGGESTED,
            words=suggestion.words,
            by_category=suggestion.by_category,
        )
    return UrgencyDecision("")


def urgent_mark(case: Case, *, by: Actor, urgency: UrgencyDecision, at: Any) -> facts.CaseFact:
    """The urgent mark on the staff timeline (the public sees the case like any other), and
    the fact on which the alerts start (emergencies), for the caller to announce: a
    registration announces its batch's facts together, so their alerts are written at once."""
    data = {
        "urgency": urgency.value,
        "words": list(urgency.words),
        "by_category": urgency.by_category,
    }
    record(case, action="mark_urgent", user=by, data=data, at=at, public=False)
    return facts.CaseFact(kind=facts.URGENT_REQUEST, case=case, key=f"register:{case.pk}")
