"""Sections a feature adds to the workbench (工作台) on the office home page.

The office shell draws its case groups itself; a feature whose work is not a case (internal
matters, …) registers a provider in its ``AppConfig.ready()``. A provider answers, for one
person, the sections they have (or none); the home page draws each like a case group, its
items in the order of ``urgency_key`` (red card, yellow card, pre-warning, then the soonest
due) with the time left beside each, as the case groups are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


class Urgent(Protocol):
    """A deadline as ``cases.deadlines.Deadline`` gives it: its severity (red 5, yellow 4,
    pre-warning 3, on time 2, paused 1, stopped 0) and its due moment."""

    @property
    def severity(self) -> int: ...

    @property
    def due_at(self) -> datetime | None: ...


def urgency_key(deadline: Urgent, pk: int) -> tuple[int, float, int]:
    """Red card, yellow card, pre-warning, then the soonest due; paused and stopped clocks and
    work without a deadline last (the order of the workbench's case groups)."""
    due = deadline.due_at.timestamp() if deadline.due_at is not None else float("inf")
    return (-deadline.severity, due, pk)


@dataclass(frozen=True)
class SectionItem:
    url: str
    text: str
    meta: tuple[str, ...] = ()
    css: str = ""  # a deadline colour class (dl-yellow, …)
    level_label: str = ""
    level: str = ""  # the deadline's level code (red, yellow, prewarn, …), for tests and CSS
    remaining: str = ""  # the time left, "剩余 3 个工作日" (workdays.remaining)
    overdue: bool = False


@dataclass
class Section:
    code: str
    label: str
    count: int = 0
    items: list[SectionItem] = field(default_factory=list)
    more_url: str = ""


Provider = Callable[["User"], list[Section]]

_providers: list[Provider] = []


def register_section(provider: Provider) -> None:
    """Add ``provider``'s sections to every workbench; registering it again does nothing."""
    if provider not in _providers:
        _providers.append(provider)


def workbench_sections(user: User) -> list[Section]:
    """Every registered provider's sections for this person, in the order of registration."""
    sections: list[Section] = []
    for provider in _providers:
        sections.extend(provider(user))
    return sections
