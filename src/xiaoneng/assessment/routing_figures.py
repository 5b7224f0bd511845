"""The figures of the suggested lead department on the dashboard: how often the final lead
department is the one triage suggested first, and how often dispatches that followed the
suggestion were returned (退回) compared with those that overrode it.

Triage stores each suggestion and the choice made at the first dispatch; it sits beside
assessment in the feature layer and never imports it, so the figures are computed here from
``triage.selectors.settled_suggestions`` (one query) as emergencies' and internal matters'
figures are. The same classification of the same rows gives the counts and the cases each
count opens in the office case list (``routing=…``), so a number and its list always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.assessment.metrics import (
    followed_return_rate,
    overridden_return_rate,
    suggestion_accuracy,
)
from xiaoneng.assessment.selectors import Period
from xiaoneng.cases.models import Case
from xiaoneng.triage.selectors import settled_suggestions

ROUTING_COUNTED = (
    "suggested",
    "accurate",
    "followed",
    "followed_returned",
    "overridden",
    "overridden_returned",
)


def routing_choices() -> list[tuple[str, Any]]:
    labels = {
        "suggested": _("Dispatched with a suggested department"),
        "accurate": _("Final lead department as suggested"),
        "followed": _("Dispatch followed the suggestion"),
        "followed_returned": _("Followed the suggestion, then returned"),
        "overridden": _("Dispatch overrode the suggestion"),
        "overridden_returned": _("Overrode the suggestion, then returned"),
    }
    return [(name, labels[name]) for name in ROUTING_COUNTED]


def _buckets(top: int | None, chosen: int | None, final: int | None, returns: int) -> set[str]:
    """The counts one first dispatch is in."""
    if top is None or chosen is None:
        return set()  # "don't know": no suggestion to judge
    found = {"suggested"}
    if final == top:
        found.add("accurate")
    side = "followed" if chosen == top else "overridden"
    found.add(side)
    if returns:
        found.add(f"{side}_returned")
    return found


def _classified(period: Period, unit_id: int | None) -> dict[str, list[int]]:
    start, end = period.moments()
    rows = settled_suggestions(unit_ids=[unit_id] if unit_id else None, start=start, end=end)
    found: dict[str, list[int]] = {name: [] for name in ROUTING_COUNTED}
    for case_id, top, chosen, final, _state, returns in rows:
        for name in _buckets(top, chosen, final, returns):
            found[name].append(case_id)
    return found


def routing_url(period: Period, counted: str, unit_id: int | None = None) -> str:
    """The office case list of exactly the cases a routing count is made of."""
    params: dict[str, Any] = {
        "routing": counted,
        "date_from": period.start.isoformat(),
        "date_to": period.end.isoformat(),
    }
    if unit_id:
        params["unit"] = unit_id
    return f"{reverse('office:case_list')}?{urlencode(params)}"


@dataclass(frozen=True)
class RoutingFigures:
    counts: dict[str, int]
    links: dict[str, str]

    @property
    def accuracy(self) -> float | None:
        return suggestion_accuracy(self.counts)

    @property
    def followed_return_rate(self) -> float | None:
        return followed_return_rate(self.counts)

    @property
    def overridden_return_rate(self) -> float | None:
        return overridden_return_rate(self.counts)


def routing_figures(period: Period, *, unit_id: int | None = None) -> RoutingFigures:
    """The figures of the cases first dispatched in the period (of the receiving unit)."""
    classified = _classified(period, unit_id)
    return RoutingFigures(
        counts={name: len(ids) for name, ids in classified.items()},
        links={name: routing_url(period, name, unit_id) for name in ROUTING_COUNTED},
    )


def routing_filter(cases: QuerySet[Case], data: dict[str, Any]) -> QuerySet[Case]:
    """The cases behind a routing count: the figure's dates (of the first dispatch) and unit."""
    start, end = data.get("date_from"), data.get("date_to")
    if start is None or end is None:
        return cases.none()  # a routing figure always names its period
    ids = _classified(Period(start, end), data.get("unit"))[data["routing"]]
    return cases.filter(pk__in=ids)
