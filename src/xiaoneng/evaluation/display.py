"""The questionnaire as a page shows it: each frozen item in the visitor's language, with what
was filled in and the error against it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from xiaoneng.evaluation.models import localised

SCALE_POINTS = ("1", "2", "3", "4", "5")


def questionnaire_rows(
    items: Sequence[Mapping[str, Any]],
    given: Mapping[str, Sequence[str]] | None = None,
    errors: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    given, errors = given or {}, errors or {}
    texts = {item["key"]: localised(item["text"]) for item in items}
    rows = []
    for item in items:
        options = item["options"]
        if item["kind"] == "scale":
            labels = options or [{"zh": "", "en": ""}] * 5
            options = [{"value": p, **label} for p, label in zip(SCALE_POINTS, labels, strict=True)]
        condition = item.get("show_if")
        rows.append(
            {
                "key": item["key"],
                "name": f"q-{item['key']}",
                "kind": item["kind"],
                "text": texts[item["key"]],
                "required": item["required"],
                "options": [
                    {
                        "value": o["value"],
                        "label": localised(o),
                        "checked": o["value"] in given.get(item["key"], []),
                    }
                    for o in options
                ],
                "value": (given.get(item["key"]) or [""])[0],
                "error": errors.get(item["key"], ""),
                "show_if": condition,
                "condition_text": texts.get(condition["key"], "") if condition else "",
            }
        )
    return rows
