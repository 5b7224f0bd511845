"""What other apps add to the case pages.

The case pages belong to the engine (cases), which imports no feature. A feature that shows
something on them registers it in its ``AppConfig.ready``: a section of the case page
(emergencies: the urgent request's alerts and incident; triage: the suggestion and similar
requests), something after the intake pool's table, the duplicate hint of the intake form, or a
reader of the lead department for dispatch. Registered in order, shown in that order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xiaoneng.cases.models import Case, CaseEvent
    from xiaoneng.org.actors import User

SectionContext = Callable[..., "dict[str, Any] | None"]


@dataclass(frozen=True)
class CaseSection:
    name: str
    template: str
    context: SectionContext  # (case=, user=, events=) -> the template's ``section``, or None


_SECTIONS: dict[str, CaseSection] = {}


def case_section_register(*, name: str, template: str, context: SectionContext) -> None:
    """Add (or replace, by name) a section of the case page."""
    _SECTIONS[name] = CaseSection(name=name, template=template, context=context)


def case_sections(*, case: Case, user: User, events: Sequence[CaseEvent]) -> list[dict[str, Any]]:
    """Each registered section with its context; a section whose context is None is left out."""
    shown = []
    for section in _SECTIONS.values():
        context = section.context(case=case, user=user, events=events)
        if context is not None:
            shown.append({"name": section.name, "template": section.template, "context": context})
    return shown


# -- the intake pool, the intake form's duplicate hint and the dispatch suggestion --------------

# Templates included after the intake pool's table, with its ``cases`` (e.g. triage's loader,
# which fills each row's ``pool-cell-<id>`` slot).
_POOL_EXTRAS: dict[str, str] = {}
# Finds the requests like the one being typed: (text=, phone=) -> rows for ``template``.
_DUPLICATE_FINDERS: dict[str, tuple[Callable[..., list[Any]], str]] = {}
# Reads the lead department from the request: (case) -> department id or None.
_LEAD_SUGGESTERS: dict[str, Callable[[Case], int | None]] = {}


def pool_extra_register(*, name: str, template: str) -> None:
    _POOL_EXTRAS[name] = template


def pool_extras() -> list[str]:
    return list(_POOL_EXTRAS.values())


def duplicate_finder_register(*, name: str, find: Callable[..., list[Any]], template: str) -> None:
    """Replaces the engine's own duplicate hint (same phone or same opening words)."""
    _DUPLICATE_FINDERS[name] = (find, template)


def duplicate_finder() -> tuple[Callable[..., list[Any]], str] | None:
    return next(iter(_DUPLICATE_FINDERS.values()), None)


def lead_suggester_register(*, name: str, suggest: Callable[[Case], int | None]) -> None:
    _LEAD_SUGGESTERS[name] = suggest


def lead_suggestions(case: Case) -> list[int]:
    """The departments the registered readers suggest, in registration order."""
    found = (suggest(case) for suggest in _LEAD_SUGGESTERS.values())
    return [department_id for department_id in found if department_id is not None]
