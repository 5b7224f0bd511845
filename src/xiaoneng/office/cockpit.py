"""驾驶舱: a leader's page of the month's key figures with their trend, the cards raised this
week, overdue supervision orders, open emergency incidents and hotspots.

Nothing here computes a figure: the month's figures are ``assessment.selectors.scorecard`` (the
dashboard's own), the trend is ``assessment.selectors.trend``, the cards are ``card_counts``, the
open overdue cases ``open_overdue``, the hotspots the dashboard's ``hotspots`` with its link; the
orders and incidents are the lists their own pages show (``orders_for_list``, ``board``). Every
count links to the page that lists exactly what it counts: the case list's drill-down filters
(assessment/links.py), the overdue orders, the incident board.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.assessment import selectors
from xiaoneng.assessment.links import cards_url, cases_url, counted_url
from xiaoneng.assessment.records import COUNTED
from xiaoneng.assessment.views import hotspot_link
from xiaoneng.emergencies.selectors import board
from xiaoneng.supervision.selectors import orders_for_list
from xiaoneng.web.charts import Chart, bar_chart

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

TREND_MONTHS = 6
SHOWN = 5


@dataclass(frozen=True)
class Part:
    """A count and the list of exactly what it counts."""

    n: int
    url: str


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    value: float | int | None
    unit: str = ""
    count: Part | None = None  # the figure itself, when it is a count
    parts: tuple[Part, ...] = ()  # numerator and denominator of a rate
    previous: float | int | None = None
    previous_count: Part | None = None

    @property
    def change(self) -> float | int | None:
        """This month less last month: a count's difference, or a rate's in points."""
        if self.value is None or self.previous is None:
            return None
        if isinstance(self.value, int) and isinstance(self.previous, int):
            return self.value - self.previous
        return round(float(self.value) - float(self.previous), 1)

    @property
    def direction(self) -> str:
        change = self.change
        if change is None or change == 0:
            return "flat"
        return "up" if change > 0 else "down"


@dataclass
class Cockpit:
    month: selectors.Period
    previous: selectors.Period
    week: selectors.Period
    kpis: list[Kpi]
    charts: list[Chart]
    cards: dict[str, Any]
    card_links: dict[str, str]
    orders: list[Any]
    orders_url: str
    incidents: list[Any]
    incidents_url: str
    hotspots: list[tuple[Any, str, str, int]]
    hotspots_more: bool


def month_of(day: date) -> selectors.Period:
    return selectors.month_period(day.year, day.month)


def _rate(
    code: str, label: Any, metric: str, numerator: str, denominator: str, ctx: dict[str, Any]
) -> Kpi:
    card, before, month = ctx["card"], ctx["before"], ctx["month"]
    f = card.figures
    # The numerator as the drill-down counts it (``satisfied_or_basically`` sums two counts).
    top = sum(getattr(f, name) for name in COUNTED[numerator])
    return Kpi(
        code=code,
        label=str(label),
        value=getattr(card.metrics, metric),
        unit="%",
        parts=(
            Part(top, counted_url(month, numerator)),
            Part(getattr(f, denominator), counted_url(month, denominator)),
        ),
        previous=getattr(before.metrics, metric),
    )


def _kpis(month: selectors.Period, previous: selectors.Period) -> list[Kpi]:
    card = selectors.scorecard(month)
    before = selectors.scorecard(previous)
    ctx = {"card": card, "before": before, "month": month}
    f = card.figures
    return [
        Kpi(
            code="received",
            label=str(_("Received")),
            value=f.received,
            count=Part(f.received, counted_url(month, "received")),
            previous=before.figures.received,
            previous_count=Part(before.figures.received, counted_url(previous, "received")),
        ),
        _rate(
            "sign-for",
            _("On-time sign-for rate"),
            "on_time_sign_for_rate",
            "signed_on_time",
            "dispatched",
            ctx,
        ),
        _rate(
            "completion",
            _("On-time completion rate"),
            "on_time_completion_rate",
            "replied_on_time",
            "replied",
            ctx,
        ),
        _rate(
            "satisfaction",
            _("Satisfaction rate"),
            "satisfaction_rate",
            "satisfied_or_basically",
            "rated",
            ctx,
        ),
        Kpi(
            code="composite",
            label=str(_("Composite score")),
            value=card.metrics.composite_score,
            previous=before.metrics.composite_score,
        ),
    ]


def _charts(month: selectors.Period) -> list[Chart]:
    points = selectors.trend(end=month.end, months=TREND_MONTHS)
    labels = [point.label[2:] for point in points]
    received = [(label, float(p.figures.received)) for label, p in zip(labels, points, strict=True)]
    completion = [
        (label, p.metrics.on_time_completion_rate) for label, p in zip(labels, points, strict=True)
    ]
    satisfaction = [
        (label, p.metrics.satisfaction_rate) for label, p in zip(labels, points, strict=True)
    ]
    return [
        bar_chart(str(_("Cases received")), "", received, max([v for _l, v in received] + [1.0])),
        bar_chart(str(_("On-time completion rate (%)")), "%", completion, 100.0),
        bar_chart(str(_("Satisfaction rate (%)")), "%", satisfaction, 100.0),
    ]


def cockpit_for(user: User, *, today: date, month: selectors.Period | None = None) -> Cockpit:
    month = month or month_of(today)
    previous = month_of(month.start - timedelta(days=1))
    week = selectors.Period(today - timedelta(days=today.weekday()), today)
    cards = selectors.card_counts(week)
    orders = orders_for_list(user, overdue=True)
    incidents = board(user)
    alerts = list(selectors.hotspots(month).order_by("-created_at", "-id")[: SHOWN + 1])
    hotspots = [
        (alert, selectors.unit_name(alert.unit_id), *hotspot_link(alert))
        for alert in alerts[:SHOWN]
    ]
    overdue = selectors.open_overdue()
    kpis = _kpis(month, previous)
    kpis.insert(
        4,
        Kpi(
            code="overdue",
            label=str(_("Open overdue cases now")),
            value=overdue,
            count=Part(overdue, cases_url(None, overdue="on")),
        ),
    )
    return Cockpit(
        month=month,
        previous=previous,
        week=week,
        kpis=kpis,
        charts=_charts(month),
        cards=cards,
        card_links={level: cards_url(week, level=level) for level in ("yellow", "red")},
        orders=orders,
        orders_url=f"{reverse('supervision:order_list')}?overdue=1",
        incidents=incidents,
        incidents_url=reverse("emergencies:board"),
        hotspots=hotspots,
        hotspots_more=len(alerts) > SHOWN,
    )
