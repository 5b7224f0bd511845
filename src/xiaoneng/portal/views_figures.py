"""The public figures: the monthly page and the open-data endpoint figures.json.

Both read the assessment's figures (assessment/selectors.py over the rollups, formulas in
assessment/metrics.py); figures.json answers with the same names and numbers as
``GET /api/v1/metrics/scorecard`` plus each metric's numerator, denominator and definition.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xiaoneng.assessment import selectors
from xiaoneng.assessment.concerned import ConcernedRow, concerned_ranking
from xiaoneng.assessment.definitions import definition_url, metric_rows
from xiaoneng.errors import error_body
from xiaoneng.org.models import Unit
from xiaoneng.portal import figures as figures_selectors
from xiaoneng.portal import ratelimit

MAX_DAYS = 3660


class BadParameters(Exception):
    def __init__(self, code: str, message: Any) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message


def _unit(code: str) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code[:32], is_active=True).first()
    if unit is None:
        raise BadParameters("bad_unit", _("There is no unit with this code."))
    return unit


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadParameters(
            "bad_period", _("Give the dates as YYYY-MM-DD, for example 2026-11-01.")
        ) from None


def _period(params: Any) -> selectors.Period:
    month, start, end = params.get("month", ""), params.get("from", ""), params.get("to", "")
    if month and (start or end):
        raise BadParameters("bad_period", _("Give either a month or a from and to date, not both."))
    if month:
        try:
            return selectors.parse_month(month)
        except ValueError:
            raise BadParameters(
                "bad_period", _("Give the month as YYYY-MM, for example 2026-11.")
            ) from None
    if start or end:
        if not (start and end):
            raise BadParameters("bad_period", _("Give both a from and a to date."))
        period = selectors.Period(_date(start), _date(end))
        if period.end < period.start:
            raise BadParameters("bad_period", _("The end of the period is before its start."))
        if (period.end - period.start).days > MAX_DAYS:
            raise BadParameters("bad_period", _("Choose a period of at most ten years."))
        return period
    today = timezone.localdate()
    return selectors.month_period(today.year, today.month)


def figures_data(
    period: selectors.Period, unit: Unit | None, *, absolute: Any = None
) -> dict[str, Any]:
    """The body of figures.json (public aggregates only: counts and rates, no case)."""
    card = selectors.scorecard(period, unit_id=unit.pk if unit else None)
    parts = {
        row["name"]: {
            "label": str(row["label"]),
            "numerator": row["numerator"],
            "denominator": row["denominator"],
            "numerator_counts": row["numerator_counts"],
            "denominator_count": row["denominator_count"],
            "definition": definition_url(row["name"], absolute=absolute),
        }
        for row in metric_rows(card.figures, card.metrics)
    }
    return {
        "units_concerned": [
            _concerned(row) for row in concerned_ranking(period, unit_id=unit.pk if unit else None)
        ],
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "unit": unit.code if unit else None,
        "unit_name": unit.short_label if unit else None,
        "figures": card.figures.as_dict(),
        "metrics": dict(card.metrics.__dict__),
        "parts": parts,
    }


def _concerned(row: ConcernedRow) -> dict[str, Any]:
    """Requests about one unit (涉及单位): the same counts and metrics, by the unit concerned."""
    return {
        "unit": row.code,
        "unit_name": row.name,
        "complaints": row.complaints,
        "complaints_per_1000_pupils": row.per_thousand,
        "categories": [{"category": name, "received": n} for _id, name, n in row.categories],
        "figures": row.figures.as_dict(),
        "metrics": dict(row.metrics.__dict__),
    }


def _json(body: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


@login_not_required
@require_GET
def figures_json(request: HttpRequest) -> HttpResponse:
    verdict = ratelimit.hit(request, "figures")
    if not verdict.allowed:
        response = _json(
            error_body(
                "rate_limited", _("Too many requests from your address. Please try again later.")
            ),
            status=429,
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        period = _period(request.GET)
        unit = _unit(request.GET.get("unit", ""))
    except BadParameters as exc:
        return _json(error_body(exc.code, exc.message), status=400)
    response = _json(figures_data(period, unit, absolute=request.build_absolute_uri))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    verdict = ratelimit.hit(request, "figures")
    if not verdict.allowed:
        response = render(request, "portal/too_many.html", status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        unit = _unit(request.GET.get("unit", ""))
    except BadParameters:
        unit = None
    report = figures_selectors.monthly_figures(month=request.GET.get("month", ""), unit=unit)
    context = {
        "report": report,
        "units": figures_selectors.public_units(),
        "json_query": f"month={report.month_label}" + (f"&unit={unit.code}" if unit else ""),
    }
    return render(request, "portal/figures.html", context)
