"""Reading a filled questionnaire against the version it was given on.

``answers_read`` takes the frozen items and what was submitted (each key with its list of
values) and returns the answer rows to store, or raises ``AnswerErrors`` naming every question
that is wrong, in the visitor's language. A question whose condition is not met is not asked:
whatever was sent for it is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from xiaoneng.errors import DomainError

TEXT_MAX = 2000


@dataclass(frozen=True)
class AnswerRow:
    key: str
    choice: str = ""
    score: int | None = None
    text: str = ""


class AnswerErrors(DomainError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers need your attention."))
        self.errors = errors


def is_asked(item: Mapping[str, Any], given: Mapping[str, Sequence[str]]) -> bool:
    condition = item.get("show_if")
    if not condition:
        return True
    return bool(set(given.get(condition["key"], [])) & set(condition["values"]))


def _read_one(item: Mapping[str, Any], values: list[str]) -> tuple[list[AnswerRow], str]:
    key, kind = item["key"], item["kind"]
    if not values:
        return [], _("Please answer this question.") if item["required"] else ""
    if kind == "text":
        text = values[0].strip()
        if len(text) > TEXT_MAX:
            return [], _("Please keep the answer under %(n)d characters.") % {"n": TEXT_MAX}
        return [AnswerRow(key=key, text=text)], ""
    if kind == "scale":
        if len(values) != 1 or values[0] not in {"1", "2", "3", "4", "5"}:
            return [], _("Please choose one point of the scale.")
        return [AnswerRow(key=key, score=int(values[0]))], ""
    allowed = {o["value"] for o in item["options"]}
    if not set(values) <= allowed or (kind == "single" and len(values) != 1):
        return [], _("Please choose among the options given.")
    return [AnswerRow(key=key, choice=value) for value in dict.fromkeys(values)], ""


def answers_read(
    items: Sequence[Mapping[str, Any]], submitted: Mapping[str, Sequence[str]]
) -> list[AnswerRow]:
    given = {key: [v for v in values if str(v).strip()] for key, values in submitted.items()}
    kept: dict[str, list[str]] = {}
    rows: list[AnswerRow] = []
    errors: dict[str, str] = {}
    for item in items:
        if not is_asked(item, kept):
            continue
        values = [str(v) for v in given.get(item["key"], [])]
        read, error = _read_one(item, values)
        if error:
            errors[item["key"]] = error
            continue
        kept[item["key"]] = values
        rows += read
    if errors:
        raise AnswerErrors(errors)
    if not rows:
        raise AnswerErrors({"": _("Please answer at least one question.")})
    return rows
