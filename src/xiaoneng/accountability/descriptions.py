"""Violation descriptions the system writes, in the reader's language.

A person's description (an inspection finding, a conduct finding) is stored as typed and shown
as typed. A description the system writes (a late sign-for, a red card, an unfiled denial) is a
catalog message with parameters: the violation keeps the message's id and its parameters, and
every page renders them again in the reader's language (``Violation.description_label``). The
``description`` column keeps a rendering in the office's default language for what reads the
text as such: the official documents (公文) and the admin.

A parameter is kept as it is (a case number, an incident's title, a time) unless it is

* a label of the catalogs (a choice's name, wrapped by ``label``): ``{"label": msgid}``,
  translated when shown;
* a list of strings (the materials a second notice asks for): joined with the list separator
  of the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext

Param = str | int | list[str] | dict[str, str]


def label(text: Promise | str) -> dict[str, str]:
    """A parameter that is one of the catalog's messages (a choice's lazy name): kept as its
    message id, translated wherever the description is shown."""
    with translation.override(None):  # no catalog: the message id itself
        return {"label": str(text)}


@dataclass(frozen=True)
class Described:
    """A description the system writes: a catalog message (marked with ``gettext_noop``) and
    its parameters."""

    message: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def render(self) -> str:
        """The description in the active language."""
        return render(self.message, dict(self.params))

    def stored(self) -> str:
        """The description in the office's default language, as the ``description`` column
        keeps it."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.render()


def _param(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("label"), str):
        return gettext(value["label"])
    if isinstance(value, list):
        return pgettext("list of names", ", ").join(str(item) for item in value)
    return value


def render(message: str, params: Mapping[str, Any]) -> str:
    """The message in the active language with its parameters (their labels translated)."""
    text = gettext(message)
    if not params:
        return text
    return text % {name: _param(value) for name, value in params.items()}
