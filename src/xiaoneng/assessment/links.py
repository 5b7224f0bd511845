"""Links from a figure to the office case list of exactly the records it counts.

Every number on the dashboards, rankings, scorecard and bulletins opens the case list with the
filters of ``assessment/records.py``; the list states its total, and the drill-down tests check
that it equals the number.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from xiaoneng.assessment.bulletin_text import Count, Sentence
from xiaoneng.assessment.records import COUNTED
from xiaoneng.assessment.selectors import Period


def cases_url(period: Period | None = None, **filters: Any) -> str:
    """The office case list with these filters; the period's dates refer to registration."""
    params = {k: v for k, v in filters.items() if v not in (None, "", 0)}
    if period is not None:
        params["date_from"] = period.start.isoformat()
        params["date_to"] = period.end.isoformat()
    return f"{reverse('office:case_list')}?{urlencode(params)}"


def counted_url(period: Period, counted: str, **scope: Any) -> str:
    """The office case list of exactly the records a figure counts (assessment/records.py):
    the figure's dates, unit and department as the rollups took them."""
    return cases_url(period, counted=counted, **scope)


def count_links(period: Period, **scope: Any) -> dict[str, str]:
    """A link for every count of a scope (a scorecard, a ranking row)."""
    return {name: counted_url(period, name, **scope) for name in COUNTED}


def cards_url(period: Period, **scope: Any) -> str:
    return cases_url(period, event="carded", **scope)


LinkedPart = tuple[str, int | None, str | None]  # text, or a number and its list (None: no link)


def linked_sentence(sentence: Sentence, period: Period, *, live: bool = True) -> list[LinkedPart]:
    """A sentence of a bulletin or scorecard for a page: each count with the case list of what
    it counts. ``live=False`` (the figures changed since they were frozen) leaves the numbers
    unlinked, since today's lists would no longer match them."""
    parts: list[LinkedPart] = []
    for part in sentence:
        if not isinstance(part, Count):
            parts.append((part, None, None))
        elif live and part.filters is not None and part.listing == "tasks":
            url = f"{reverse('targets:list')}?{urlencode(part.filters)}"
            parts.append(("", part.n, url))
        elif live and part.filters is not None and part.listing == "internal":
            params = {
                **part.filters,
                "date_from": period.start.isoformat(),
                "date_to": period.end.isoformat(),
            }
            parts.append(("", part.n, f"{reverse('internal:list')}?{urlencode(params)}"))
        elif live and part.filters is not None:
            window = Period(*part.window) if part.window else period
            parts.append(("", part.n, cases_url(window, **part.filters)))
        else:
            parts.append((str(part.n), None, None))
    return parts
