"""Excel export of the dashboard tables. Aggregates only: no personal data to mask."""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from xiaoneng.assessment.metrics import MetricValues
from xiaoneng.web.excel import workbook_watermark

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def _rate(value: float | None) -> float | str:
    return "" if value is None else value


def _metric_cells(metrics: MetricValues) -> list[Any]:
    return [
        _rate(metrics.on_time_sign_for_rate),
        _rate(metrics.on_time_completion_rate),
        _rate(metrics.satisfaction_rate),
        _rate(metrics.resolution_rate),
        _rate(metrics.return_rate),
        _rate(metrics.reopen_rate),
        _rate(metrics.repeat_complaint_rate),
        _rate(metrics.average_reply_workdays),
        _rate(metrics.composite_score),
    ]


def _metric_headers() -> list[str]:
    return [
        _("On-time sign-for rate (%)"),
        _("On-time completion rate (%)"),
        _("Satisfaction rate (%)"),
        _("Resolution rate (%)"),
        _("Return rate (%)"),
        _("Reopen rate (%)"),
        _("Repeat-complaint rate (%)"),
        _("Average working days to reply"),
        _("Composite score"),
    ]


def dashboard_workbook(context: dict[str, Any], *, user: User, at: datetime) -> bytes:
    # Imported here, as in web/excel.py: openpyxl is needed for a download only, and importing
    # it at start-up cost every process several hundredths of a second.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")
    period = context["period"]
    card = context["card"]
    sheet.append([_("Period"), period.start.isoformat(), period.end.isoformat()])
    sheet.append([])
    figures = card.figures.as_dict()
    sheet.append([*list(figures.keys()), _("Open overdue cases")])
    sheet.append([*list(figures.values()), context["overdue"]])
    sheet.append([])
    sheet.append(_metric_headers())
    sheet.append(_metric_cells(card.metrics))
    for title, key in ((_("Departments"), "departments"), (_("Units"), "units")):
        if key not in context:
            continue
        ranked = book.create_sheet(title)
        ranked.append(
            [
                _("Rank"),
                _("Name"),
                _("Received"),
                _("Dispatched"),
                _("Replied"),
                _("Rated"),
                *_metric_headers(),
            ]
        )
        for row, _link in context[key]:
            f = row.figures
            ranked.append(
                [
                    row.rank,
                    row.name,
                    f.received,
                    f.dispatched,
                    f.replied,
                    f.rated,
                    *_metric_cells(row.metrics),
                ]
            )
    if "schools" in context:
        schools = book.create_sheet(_("Units concerned"))
        schools.append(
            [
                _("Rank"),
                _("Unit concerned"),
                _("Received"),
                _("Complaints"),
                _("Complaints per 1 000 pupils"),
                _("Repeat complaints"),
                _("Replied"),
                _("Rated"),
                *_metric_headers(),
            ]
        )
        for row, _links in context["schools"]:
            f = row.figures
            schools.append(
                [
                    row.rank,
                    row.name,
                    f.received,
                    row.complaints,
                    _rate(row.per_thousand),
                    f.repeat,
                    f.replied,
                    f.rated,
                    *_metric_cells(row.metrics),
                ]
            )
    if "cards" in context:
        cards = book.create_sheet(_("Cards"))
        cards.append([_("Unit"), _("Yellow cards"), _("Red cards")])
        for row in context["cards"]["rows"]:
            cards.append([row["unit"], row["yellow"], row["red"]])
    workbook_watermark(book, user=user, at=at)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
