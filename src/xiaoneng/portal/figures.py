"""The public monthly figures: cases received, on-time completion and satisfaction, per unit.

Nothing is computed here: every figure is the assessment's (assessment/metrics.py over the
rollups, through assessment/selectors.py), for the same month as on the office dashboard and
in the bulletins, so the portal, the dashboard, the bulletin, the exports and the API say the
same numbers. This module only chooses the month and lays out the page and the charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.assessment import selectors
from xiaoneng.assessment.concerned import ConcernedRow, concerned_ranking
from xiaoneng.assessment.definitions import metric_rows
from xiaoneng.org.models import Unit
from xiaoneng.web.charts import Chart, bar_chart

MONTHS_SHOWN = 12

Month = tuple[int, int]


@dataclass
class Report:
    month: Month
    months: list[Month]
    period: selectors.Period
    card: selectors.Scorecard
    rows: list[tuple[Any, selectors.RankRow]] = field(default_factory=list)
    definitions: list[dict[str, Any]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    unit: Unit | None = None
    schools: list[ConcernedRow] = field(default_factory=list)

    @property
    def month_label(self) -> str:
        return f"{self.month[0]}-{self.month[1]:02d}"

    @property
    def month_choices(self) -> list[str]:
        return [f"{y}-{m:02d}" for y, m in reversed(self.months)]

    @property
    def total(self) -> selectors.Scorecard:
        return self.card


def _shift(month: Month, by: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + by
    return index // 12, index % 12 + 1


def parse_month(value: str, *, today: date | None = None) -> Month:
    """The month asked for, or the current month when it is missing, malformed or future."""
    today = today or timezone.localdate()
    try:
        period = selectors.parse_month(value)
    except ValueError:
        return today.year, today.month
    chosen = (period.start.year, period.start.month)
    return chosen if chosen <= (today.year, today.month) else (today.year, today.month)


def public_units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).order_by("sort_order", "id"))


def monthly_figures(*, month: str = "", unit: Unit | None = None) -> Report:
    chosen = parse_month(month)
    months = [_shift(chosen, -offset) for offset in range(MONTHS_SHOWN - 1, -1, -1)]
    period = selectors.month_period(*chosen)
    unit_id = unit.pk if unit else None
    card = selectors.scorecard(period, unit_id=unit_id)
    report = Report(month=chosen, months=months, period=period, card=card, unit=unit)
    report.definitions = metric_rows(card.figures, card.metrics)
    ranked = {row.id: row for row in selectors.ranking(period, by="unit", unit_id=unit_id)}
    report.rows = [(u, ranked[u.pk]) for u in public_units() if u.pk in ranked]
    report.schools = concerned_ranking(period, unit_id=unit_id)
    points = selectors.trend(end=period.end, months=MONTHS_SHOWN, unit_id=unit_id)
    labels = [f"{p.year}-{p.month:02d}" for p in points]
    received = [(label, float(p.figures.received)) for label, p in zip(labels, points, strict=True)]
    top = max([value for _label, value in received] + [1.0])
    month = _("Month")
    report.charts = [
        bar_chart(
            _("Cases received"), "", received, top, x_label=month, y_label=_("Number of cases")
        ),
        bar_chart(
            _("On-time completion rate (%)"),
            "%",
            [
                (label, p.metrics.on_time_completion_rate)
                for label, p in zip(labels, points, strict=True)
            ],
            100.0,
            x_label=month,
        ),
        bar_chart(
            _("Satisfaction rate (%)"),
            "%",
            [(label, p.metrics.satisfaction_rate) for label, p in zip(labels, points, strict=True)],
            100.0,
            x_label=month,
        ),
    ]
    return report
