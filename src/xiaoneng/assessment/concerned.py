"""Figures by the unit concerned (涉及单位): the requests about a school, beside the figures
by handling unit. The same per-case counts as the rollups (``CaseCount``), summed by the unit
the request is about, with the same metric definitions (metrics.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Sum

from xiaoneng.assessment.metrics import Figures, MetricValues, metric_values
from xiaoneng.assessment.models import MEASURES, CaseCount
from xiaoneng.assessment.selectors import Period, weights
from xiaoneng.cases.models import Category, Kind
from xiaoneng.org.models import Unit


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in MEASURES}


@dataclass
class ConcernedRow:
    rank: int
    id: int
    code: str
    name: str
    enrolment: int | None
    figures: Figures
    metrics: MetricValues
    complaints: int
    categories: list[tuple[int, str, int]]

    @property
    def per_thousand(self) -> float | None:
        """Complaints per 1 000 pupils, where the school's enrolment is set."""
        if not self.enrolment:
            return None
        return round(1000 * self.complaints / self.enrolment, 2)


def concerned_figures(period: Period, *, unit_id: int | None = None) -> Figures:
    """The counts of the requests about one unit (or about any unit): same counts, same rules."""
    rows = CaseCount.objects.filter(day__gte=period.start, day__lte=period.end)
    rows = rows.filter(concerned_unit_id=unit_id) if unit_id else rows.exclude(concerned_unit_id=0)
    totals = rows.aggregate(**_sums())
    return Figures(**{name: totals[name] or 0 for name in MEASURES})


def concerned_ranking(period: Period, *, unit_id: int | None = None) -> list[ConcernedRow]:
    """Units (schools) by the requests about them, most complaints first, with complaints per
    1 000 pupils where the enrolment is set, their categories, repeats, on-time rate and
    satisfaction: the same counts and definitions as by handling unit."""
    rows = CaseCount.objects.filter(day__gte=period.start, day__lte=period.end).exclude(
        concerned_unit_id=0
    )
    if unit_id is not None:
        rows = rows.filter(concerned_unit_id=unit_id)
    grouped = (
        rows.values("concerned_unit_id")
        .annotate(complaints=Sum("received", filter=Q(kind=Kind.COMPLAINT)))
        .annotate(**_sums())
    )
    per_category: dict[int, list[tuple[int, str, int]]] = {}
    names = {c.pk: c.label for c in Category.objects.only("name", "name_en")}
    for row in (
        rows.filter(received__gt=0)
        .values("concerned_unit_id", "category_id")
        .annotate(n=Sum("received"))
        .order_by("concerned_unit_id", "-n", "category_id")
    ):
        per_category.setdefault(row["concerned_unit_id"], []).append(
            (row["category_id"], names.get(row["category_id"], ""), row["n"])
        )
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[r["concerned_unit_id"] for r in grouped])}
    chosen = weights()
    entries = []
    for row in grouped:
        unit = units.get(row["concerned_unit_id"])
        if unit is None:
            continue
        figures = Figures(**{name: row[name] or 0 for name in MEASURES})
        entries.append(
            ConcernedRow(
                rank=0,
                id=unit.pk,
                code=unit.code,
                name=unit.short_label,
                enrolment=unit.enrolment,
                figures=figures,
                metrics=metric_values(figures, chosen),
                complaints=row["complaints"] or 0,
                categories=per_category.get(unit.pk, []),
            )
        )
    entries.sort(key=lambda e: (-e.complaints, -e.figures.received, e.id))
    for rank, entry in enumerate(entries, start=1):
        entry.rank = rank
    return entries
