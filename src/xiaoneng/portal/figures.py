"""The public monthly figures: cases received, on-time completion and satisfaction, per unit.

Definitions (DESIGN §7): on-time completion rate = replied by the due moment / replied in the
month, judged on each case's first reply clock; satisfaction rate = (satisfied + basically
satisfied) / rated in the month. Computed live with grouped aggregate queries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.cases.models import Case, Satisfaction
from xiaoneng.org.models import Unit
from xiaoneng.portal.selectors import with_first_reply

MONTHS_SHOWN = 12
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

Month = tuple[int, int]


@dataclass
class Counts:
    received: int = 0
    replied: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.replied, 1) if self.replied else None

    @property
    def satisfaction_rate(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None


@dataclass(frozen=True)
class UnitRow:
    unit: str
    counts: Counts


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    width: int = 360
    height: int = 190
    baseline: float = 160


@dataclass
class Report:
    month: Month
    months: list[Month]
    rows: list[UnitRow] = field(default_factory=list)
    total: Counts = field(default_factory=Counts)
    charts: list[Chart] = field(default_factory=list)

    @property
    def month_label(self) -> str:
        return f"{self.month[0]}-{self.month[1]:02d}"

    @property
    def month_choices(self) -> list[str]:
        return [f"{y}-{m:02d}" for y, m in reversed(self.months)]


def _shift(month: Month, by: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + by
    return index // 12, index % 12 + 1


def _start(month: Month) -> datetime:
    return timezone.make_aware(datetime(month[0], month[1], 1))


def parse_month(value: str) -> Month:
    today = timezone.localdate()
    match = _MONTH.match(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if (
            2000 <= year <= today.year
            and 1 <= month <= 12
            and (year, month)
            <= (
                today.year,
                today.month,
            )
        ):
            return year, month
    return today.year, today.month


def _key(moment: date | datetime | None) -> Month | None:
    if moment is None:
        return None
    if isinstance(moment, datetime) and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.year, moment.month


def _grouped(start: datetime, end: datetime) -> dict[tuple[Month, int], Counts]:
    """Three grouped queries over the months shown, keyed by (month, unit id)."""
    counts: dict[tuple[Month, int], Counts] = defaultdict(Counts)
    received = (
        Case.objects.filter(registered_at__gte=start, registered_at__lt=end)
        .annotate(month=TruncMonth("registered_at"))
        .values("month", "unit_id")
        .annotate(n=Count("pk"))
    )
    for row in received:
        counts[(_key(row["month"]), row["unit_id"])].received += row["n"]
    replied = (
        with_first_reply(Case.objects.filter(replied_at__isnull=False))
        .filter(reply_stopped_at__gte=start, reply_stopped_at__lt=end)
        .annotate(month=TruncMonth("reply_stopped_at"))
        .values("month", "unit_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(reply_stopped_at__lte=F("reply_due_at"))))
    )
    for row in replied:
        entry = counts[(_key(row["month"]), row["unit_id"])]
        entry.replied += row["n"]
        entry.on_time += row["ok"]
    rated = (
        Case.objects.filter(rated_at__gte=start, rated_at__lt=end)
        .exclude(satisfaction__in=["", Satisfaction.UNRATED])
        .annotate(month=TruncMonth("rated_at"))
        .values("month", "unit_id")
        .annotate(
            n=Count("pk"),
            good=Count(
                "pk", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])
            ),
        )
    )
    for row in rated:
        entry = counts[(_key(row["month"]), row["unit_id"])]
        entry.rated += row["n"]
        entry.satisfied += row["good"]
    return counts


def _add(total: Counts, part: Counts) -> None:
    total.received += part.received
    total.replied += part.replied
    total.on_time += part.on_time
    total.rated += part.rated
    total.satisfied += part.satisfied


def bar_chart(title: str, unit: str, points: list[tuple[str, float | None]], top: float) -> Chart:
    """Bar geometry for the template: the SVG is drawn on the server, no script needed."""
    width, left, right, baseline, plot = 360, 6, 6, 160.0, 130.0
    slot = (width - left - right) / max(1, len(points))
    bars = []
    for index, (label, value) in enumerate(points):
        shown = value or 0.0
        height = plot * shown / top if top else 0.0
        x = left + index * slot + slot * 0.15
        display = "—" if value is None else (f"{value:g}" if unit else f"{int(value)}")
        bars.append(
            Bar(
                label=label,
                value=shown,
                display=display,
                x=round(x, 1),
                y=round(baseline - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                text_x=round(x + slot * 0.35, 1),
                text_y=round(baseline - height - 4, 1),
            )
        )
    return Chart(title=title, unit=unit, bars=bars)


def monthly_figures(*, month: str = "") -> Report:
    chosen = parse_month(month)
    months = [_shift(chosen, -offset) for offset in range(MONTHS_SHOWN - 1, -1, -1)]
    counts = _grouped(_start(months[0]), _start(_shift(chosen, 1)))
    report = Report(month=chosen, months=months)
    per_month: dict[Month, Counts] = defaultdict(Counts)
    unit_ids = set()
    for (key_month, unit_id), entry in counts.items():
        _add(per_month[key_month], entry)
        if key_month == chosen:
            unit_ids.add(unit_id)
    units = Unit.objects.filter(pk__in=unit_ids).order_by("sort_order", "id")
    for unit in units:
        entry = counts[(chosen, unit.pk)]
        report.rows.append(UnitRow(unit=unit.short_name or unit.name, counts=entry))
    report.total = per_month[chosen]
    labels = [f"{m:02d}" if m != 1 else f"{y % 100:02d}/{m:02d}" for y, m in months]
    received = [
        (label, float(per_month[m].received)) for label, m in zip(labels, months, strict=True)
    ]
    top = max([value for _label, value in received] + [1.0])
    report.charts = [
        bar_chart(_("Cases received"), "", received, top),
        bar_chart(
            _("On-time completion rate (%)"),
            "%",
            [(label, per_month[m].on_time_rate) for label, m in zip(labels, months, strict=True)],
            100.0,
        ),
        bar_chart(
            _("Satisfaction rate (%)"),
            "%",
            [
                (label, per_month[m].satisfaction_rate)
                for label, m in zip(labels, months, strict=True)
            ],
            100.0,
        ),
    ]
    return report
