"""Metrics: a period's scorecard and the ranking, read from the assessment rollups."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from xiaoneng.api.auth import require_scope
from xiaoneng.api.errors import ApiError
from xiaoneng.api.schemas import Error, Id
from xiaoneng.assessment.metrics import Figures, MetricValues
from xiaoneng.assessment.selectors import Period, ranking, scorecard
from xiaoneng.org.selectors import user_roles

router = Router()
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error}
MAX_DAYS = 3660
STAFF_ROLES = {"leader", "efficiency_office", "inspector"}


class MetricFilters(Schema):
    date_from: date = Field(..., alias="from", description="First day of the period")
    date_to: date = Field(..., alias="to", description="Last day of the period (inclusive)")
    unit: Id | None = None


class RankingFilters(MetricFilters):
    by: Literal["department", "unit"] = "department"


class FiguresOut(Schema):
    received: int
    dispatched: int
    signed: int
    signed_on_time: int
    replied: int
    replied_on_time: int
    reply_workdays: int
    rated: int
    satisfied: int
    basically: int
    unsatisfied: int
    resolved: int
    unrated: int
    returned: int
    reopened: int
    repeat: int


class MetricsOut(Schema):
    on_time_sign_for_rate: float | None
    on_time_completion_rate: float | None
    satisfaction_rate: float | None
    resolution_rate: float | None
    return_rate: float | None
    reopen_rate: float | None
    repeat_complaint_rate: float | None
    average_reply_workdays: float | None
    composite_score: float | None


class ScorecardOut(Schema):
    start: date = Field(..., description="First day of the period")
    end: date = Field(..., description="Last day of the period (inclusive)")
    unit: int | None
    figures: FiguresOut
    metrics: MetricsOut


class RankOut(Schema):
    rank: int
    id: int
    name: str
    figures: FiguresOut
    metrics: MetricsOut


def _scope(request: HttpRequest, filters: MetricFilters) -> tuple[Period, int | None]:
    caller = require_scope(request, "metrics:read")
    if caller.client is None and not user_roles(caller.user) & STAFF_ROLES:
        raise ApiError(403, "forbidden", _("Your role does not allow this action."))
    if filters.date_to < filters.date_from:
        raise ApiError(400, "bad_period", _("The end of the period is before its start."))
    if (filters.date_to - filters.date_from).days > MAX_DAYS:
        raise ApiError(400, "bad_period", _("Choose a period of at most ten years."))
    unit = filters.unit
    if caller.client is not None and caller.client.unit_id is not None:
        if unit is not None and unit != caller.client.unit_id:
            raise ApiError(403, "out_of_scope", _("This key may only read its own unit."))
        unit = caller.client.unit_id
    return Period(filters.date_from, filters.date_to), unit


def _figures(f: Figures) -> dict[str, int]:
    return f.as_dict()


def _metrics(m: MetricValues) -> dict[str, float | None]:
    return dict(m.__dict__)


@router.get("/metrics/scorecard", response={200: ScorecardOut, **ERRORS}, tags=["metrics"])
def metrics_scorecard(request: HttpRequest, filters: Query[MetricFilters]):
    period, unit = _scope(request, filters)
    card = scorecard(period, unit_id=unit)
    return {
        "start": period.start,
        "end": period.end,
        "unit": unit,
        "figures": _figures(card.figures),
        "metrics": _metrics(card.metrics),
    }


@router.get("/metrics/ranking", response={200: list[RankOut], **ERRORS}, tags=["metrics"])
def metrics_ranking(request: HttpRequest, filters: Query[RankingFilters]):
    period, unit = _scope(request, filters)
    return [
        {
            "rank": row.rank,
            "id": row.id,
            "name": row.name,
            "figures": _figures(row.figures),
            "metrics": _metrics(row.metrics),
        }
        for row in ranking(period, by=filters.by, unit_id=unit)
    ]
