"""Sections that other apps add to the office case page.

The case page belongs to the engine (cases), which imports no feature. A feature that shows
something on it (emergencies: the urgent request's alerts and incident; triage: similar
requests) registers a section in its ``AppConfig.ready``; the page builds each section's
context and includes its template, in the order they were registered.
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
