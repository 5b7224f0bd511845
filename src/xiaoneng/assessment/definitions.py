"""How each metric is defined, in words a reader understands, beside its numerator and
denominator. The formulas themselves are in metrics.py; this module only names and explains
them for the pages (portal figures, office dashboard) and for figures.json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.assessment.metrics import PARTS, Figures, MetricValues, denominator, numerator


@dataclass(frozen=True)
class Definition:
    name: str
    label: Any
    text: Any


DEFINITIONS = [
    Definition(
        "on_time_sign_for_rate",
        _("On-time sign-for rate"),
        _(
            "Dispatches signed for by their deadline, out of the dispatches made in the period "
            "(a redispatch after a return counts again)."
        ),
    ),
    Definition(
        "on_time_completion_rate",
        _("On-time completion rate"),
        _(
            "Replies given by the deadline of their reply clock (extensions included), out of "
            "the replies given in the period."
        ),
    ),
    Definition(
        "satisfaction_rate",
        _("Satisfaction rate"),
        _(
            "Ratings of satisfied or basically satisfied, out of the ratings given in the "
            "period. Replies closed without a rating are counted in neither."
        ),
    ),
    Definition(
        "resolution_rate",
        _("Resolution rate"),
        _("Ratings saying the problem was resolved, out of the ratings given in the period."),
    ),
    Definition(
        "return_rate",
        _("Return rate"),
        _("Return requests made in the period, out of the dispatches made in the period."),
    ),
    Definition(
        "reopen_rate",
        _("Reopen rate"),
        _("Cases reopened in the period, out of the replies given in the period."),
    ),
    Definition(
        "repeat_complaint_rate",
        _("Repeat-complaint rate"),
        _(
            "Requests from the same phone about the same category as one received within the "
            "90 days before, out of the requests received in the period."
        ),
    ),
    Definition(
        "average_reply_workdays",
        _("Average working days to reply"),
        _(
            "Working days from dispatch to reply, suspended days left out, summed and divided "
            "by the replies given in the period."
        ),
    ),
    Definition(
        "composite_score",
        _("Composite score"),
        _(
            "Weighted mean of the on-time sign-for rate, the resolution rate and the "
            "satisfaction rate (weights set by the efficiency office); a rate without any "
            "count is left out."
        ),
    ),
]


def definition_url(name: str, *, absolute: Any = None) -> str:
    """The public page explaining a metric: an anchor on the portal figures page."""
    url = f"{reverse('portal:figures')}#def-{name}"
    return absolute(url) if absolute else url


def metric_rows(figures: Figures, metrics: MetricValues) -> list[dict[str, Any]]:
    """Each metric with its value, numerator, denominator and definition, in display order."""
    rows = []
    for definition in DEFINITIONS:
        has_parts = definition.name in PARTS
        rows.append(
            {
                "name": definition.name,
                "label": definition.label,
                "text": definition.text,
                "value": getattr(metrics, definition.name),
                "numerator": numerator(figures, definition.name) if has_parts else None,
                "denominator": denominator(figures, definition.name) if has_parts else None,
                "numerator_counts": list(PARTS[definition.name][0]) if has_parts else [],
                "denominator_count": PARTS[definition.name][1] if has_parts else None,
            }
        )
    return rows
