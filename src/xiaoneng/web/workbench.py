"""Sections a feature adds to the workbench (工作台) on the office home page.

The office shell draws its case groups itself; a feature whose work is not a case (internal
matters, …) registers a provider in its ``AppConfig.ready()``. A provider answers, for one
person, the sections they have (or none); the home page draws each like a case group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


@dataclass(frozen=True)
class SectionItem:
    url: str
    text: str
    meta: tuple[str, ...] = ()
    css: str = ""  # a deadline colour class (dl-yellow, …)
    level_label: str = ""


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
