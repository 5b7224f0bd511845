"""Read-only figures for pages, bulletins and the API. The scorecard, ranking and trend read
only the rollup table (and names of units and departments); cards, violations, sanctions,
hotspots and open overdue cases come from their own tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xiaoneng.accountability.models import Sanction, Violation
from xiaoneng.assessment.metrics import (
    DEFAULT_WEIGHTS,
    Figures,
    MetricValues,
    composite_with_evaluation,
    metric_values,
)
from xiaoneng.assessment.models import MEASURES, AssessmentSettings, HotspotAlert, Rollup
from xiaoneng.cases.models import Case, Channel, Signal
from xiaoneng.evaluation.selectors import approved_scores
from xiaoneng.org.models import Department, Unit
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.models import Clock


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def moments(self) -> tuple[datetime, datetime]:
        tz = office_tz()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(start, following - timedelta(days=1))


MONTH_FORMAT = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> Period:
    """``YYYY-MM`` → that month, the same date range (office time zone) on every surface.
    Raises ValueError for anything else."""
    match = MONTH_FORMAT.match(text or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise ValueError(text)
    return month_period(int(match[1]), int(match[2]))


def weights() -> tuple[int, int, int]:
    row = AssessmentSettings.objects.filter(pk=1).first()
    if row is None:
        return DEFAULT_WEIGHTS
    return (row.weight_response, row.weight_resolution, row.weight_satisfaction)


DEFAULT_EVALUATION_WEIGHT = 20


def evaluation_weight() -> int:
    row = AssessmentSettings.objects.filter(pk=1).first()
    return DEFAULT_EVALUATION_WEIGHT if row is None else row.weight_evaluation


def _rollups(
    period: Period,
    *,
    unit_id: int | None = None,
    department_id: int | None = None,
    channels: list[str] | None = None,
) -> QuerySet[Rollup]:
    rows = Rollup.objects.filter(day__gte=period.start, day__lte=period.end)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    if channels:
        rows = rows.filter(channel__in=channels)
    return rows


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in MEASURES}


def figures_for(
    period: Period,
    *,
    unit_id: int | None = None,
    department_id: int | None = None,
    channels: list[str] | None = None,
) -> Figures:
    """Summed counts of the period: one aggregate query on the rollup table."""
    totals = _rollups(
        period, unit_id=unit_id, department_id=department_id, channels=channels
    ).aggregate(**_sums())
    return Figures(**{name: totals[name] or 0 for name in MEASURES})


@dataclass
class Scorecard:
    period: Period
    figures: Figures
    metrics: MetricValues


def scorecard(
    period: Period, *, unit_id: int | None = None, department_id: int | None = None
) -> Scorecard:
    figures = figures_for(period, unit_id=unit_id, department_id=department_id)
    return Scorecard(period=period, figures=figures, metrics=metric_values(figures, weights()))


@dataclass
class RankRow:
    rank: int
    id: int
    name: str
    figures: Figures
    metrics: MetricValues
    # The composite of the people served in the latest approved round (evaluation app), folded
    # into ``metrics.composite_score`` by the evaluation weight.
    evaluation_score: float | None = None


def ranking(period: Period, *, by: str = "department", unit_id: int | None = None) -> list[RankRow]:
    """Departments (or units) ranked by composite score, best first; no score ranks last."""
    column = "department_id" if by == "department" else "unit_id"
    rows = _rollups(period, unit_id=unit_id)
    if by == "department":
        rows = rows.exclude(department_id=0)
    grouped = rows.values(column).annotate(**_sums())
    names = department_labels() if by == "department" else unit_labels()
    chosen = weights()
    evaluated = approved_scores(period.start, period.end)[
        "department" if by == "department" else "unit"
    ]
    share = evaluation_weight()
    entries = []
    for row in grouped:
        figures = Figures(**{name: row[name] or 0 for name in MEASURES})
        values = metric_values(figures, chosen)
        score = evaluated.get(row[column])
        values = replace(
            values,
            composite_score=composite_with_evaluation(values.composite_score, score, share),
        )
        entries.append((row[column], figures, values, score))
    entries.sort(key=lambda e: (e[2].composite_score is None, -(e[2].composite_score or 0), e[0]))
    return [
        RankRow(
            rank=i, id=pk, name=names.get(pk, str(pk)), figures=f, metrics=m, evaluation_score=e
        )
        for i, (pk, f, m, e) in enumerate(entries, start=1)
    ]


@dataclass
class TrendPoint:
    year: int
    month: int
    figures: Figures
    metrics: MetricValues

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


def trend(
    *, end: date, months: int = 12, unit_id: int | None = None, department_id: int | None = None
) -> list[TrendPoint]:
    first = date(end.year, end.month, 1)
    for _step in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    period = Period(first, month_period(end.year, end.month).end)
    grouped = (
        _rollups(period, unit_id=unit_id, department_id=department_id)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**_sums())
    )
    by_month = {(r["month"].year, r["month"].month): r for r in grouped}
    points = []
    cursor = first
    chosen = weights()
    for _step in range(months):
        row = by_month.get((cursor.year, cursor.month), {})
        figures = Figures(**{name: row.get(name) or 0 for name in MEASURES})
        points.append(
            TrendPoint(cursor.year, cursor.month, figures, metric_values(figures, chosen))
        )
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return points


@dataclass
class ChannelLine:
    received: int
    handled: int


@dataclass
class SpeechScorecard:
    """The speech's scorecard: hotline and efficiency-office referrals received and handled,
    the share handled within the prescribed time, the satisfaction rate."""

    period: Period
    hotline: ChannelLine
    efficiency_office: ChannelLine
    on_time_share: float | None
    satisfaction_rate: float | None
    figures: Figures = field(default_factory=Figures)


REFERRAL_CHANNELS = [Channel.HOTLINE.value, Channel.EFFICIENCY_OFFICE.value]


def speech_scorecard(period: Period, *, unit_id: int | None = None) -> SpeechScorecard:
    grouped = {
        row["channel"]: row
        for row in _rollups(period, unit_id=unit_id, channels=REFERRAL_CHANNELS)
        .values("channel")
        .annotate(**_sums())
    }
    both = Figures()
    lines = {}
    for channel in REFERRAL_CHANNELS:
        row = grouped.get(channel, {})
        figures = Figures(**{name: row.get(name) or 0 for name in MEASURES})
        both.add(figures)
        lines[channel] = ChannelLine(received=figures.received, handled=figures.replied)
    values = metric_values(both)
    return SpeechScorecard(
        period=period,
        hotline=lines[Channel.HOTLINE.value],
        efficiency_office=lines[Channel.EFFICIENCY_OFFICE.value],
        on_time_share=values.on_time_completion_rate,
        satisfaction_rate=values.satisfaction_rate,
        figures=both,
    )


# -- beside the rollups -------------------------------------------------------------------------


def card_counts(period: Period, *, unit_id: int | None = None) -> dict[str, Any]:
    """Yellow and red cards raised in the period, revoked cards left out, per unit."""
    start, end = period.moments()
    signals = Signal.objects.filter(
        raised_at__gte=start, raised_at__lt=end, revoked=False, level__in=["yellow", "red"]
    )
    if unit_id is not None:
        signals = signals.filter(unit_id=unit_id)
    per_unit: dict[int | None, dict[str, int]] = {}
    for row in signals.values("unit_id", "level").annotate(n=Count("pk")):
        per_unit.setdefault(row["unit_id"], {"yellow": 0, "red": 0})[row["level"]] = row["n"]
    names: dict[int | None, str] = dict(unit_labels().items())
    rows = [
        {"unit_id": pk, "unit": names.get(pk, "—"), **counts}
        for pk, counts in sorted(per_unit.items(), key=lambda item: item[0] or 0)
    ]
    return {
        "yellow": sum(r["yellow"] for r in rows),
        "red": sum(r["red"] for r in rows),
        "rows": rows,
    }


def confirmed_violations(period: Period, *, unit_id: int | None = None) -> QuerySet[Violation]:
    """Confirmed violations recorded in the period; pending, dismissed, revoked never count."""
    start, end = period.moments()
    rows = Violation.objects.filter(
        status=Violation.Status.CONFIRMED, created_at__gte=start, created_at__lt=end
    )
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return rows.select_related("department").order_by("created_at", "pk")


def decided_sanctions(period: Period, *, unit_id: int | None = None) -> QuerySet[Sanction]:
    start, end = period.moments()
    rows = Sanction.objects.filter(
        decided_at__gte=start,
        decided_at__lt=end,
        revoked=False,
        violation__status=Violation.Status.CONFIRMED,
    )
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return rows.select_related("violation", "staff__department").order_by("decided_at", "pk")


def hotspots(period: Period, *, unit_id: int | None = None) -> QuerySet[HotspotAlert]:
    rows = HotspotAlert.objects.filter(window_end__gte=period.start, window_end__lte=period.end)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return rows.select_related("category")


def open_overdue(
    *, unit_id: int | None = None, department_id: int | None = None, now: datetime | None = None
) -> int:
    """Open cases past a running sign-for or reply deadline now (reported beside 按时办结率);
    the same rule as the office case list's "overdue only" filter."""
    late = Clock.objects.filter(
        owner_type="cases.case",
        stage__in=["sign_for", "reply"],
        state=Clock.State.RUNNING,
        due_at__lt=now or timezone.now(),
    ).values("owner_id")
    cases = Case.objects.filter(pk__in=late)
    if unit_id is not None:
        cases = cases.filter(unit_id=unit_id)
    if department_id is not None:
        cases = cases.filter(lead_department_id=department_id)
    return cases.count()


def open_overdue_by_unit(*, now: datetime | None = None) -> dict[int, int]:
    late = Clock.objects.filter(
        owner_type="cases.case",
        stage__in=["sign_for", "reply"],
        state=Clock.State.RUNNING,
        due_at__lt=now or timezone.now(),
    ).values("owner_id")
    return dict(
        Case.objects.filter(pk__in=late)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )


def unit_name(unit_id: int | None) -> str:
    """The unit's short name in the active language (its English name on English pages)."""
    if unit_id is None:
        return ""
    unit = Unit.objects.filter(pk=unit_id).only("name", "short_name", "name_en").first()
    return unit.short_label if unit else ""


def unit_labels() -> dict[int, str]:
    """Every unit's short name in the active language, by id (read when a page is drawn,
    never stored: a figure keeps the id)."""
    return {u.pk: u.short_label for u in Unit.objects.only("name", "short_name", "name_en")}


def department_labels() -> dict[int, str]:
    """Every department's name in the active language, by id."""
    return {d.pk: d.label for d in Department.objects.only("name", "name_en")}
