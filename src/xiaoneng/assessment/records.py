"""The records behind a number: the per-case rollup rows a count sums, and the cards raised.

The office case list filters by these (``counted=…``, ``event=carded``), so every number on a
dashboard, ranking, scorecard or bulletin draft opens exactly the cases it counts and the list
states the same total.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from xiaoneng.assessment.models import MEASURES, CaseCount
from xiaoneng.cases.models import Case, Kind, Signal
from xiaoneng.workdays.deadlines import office_tz

CARD_LEVELS = ["yellow", "red"]


# What a link may ask to be counted: a rollup count, or the numerator of the satisfaction rate.
COUNTED: dict[str, tuple[str, ...]] = {
    **{name: (name,) for name in MEASURES if name != "reply_workdays"},
    "satisfied_or_basically": ("satisfied", "basically"),
}


def counted_rows(
    counted: str,
    *,
    start: date | None = None,
    end: date | None = None,
    unit_id: int | None = None,
    department_id: int | None = None,
    concerned_unit_id: int | None = None,
    kinds: list[str] | None = None,
) -> QuerySet[CaseCount]:
    """The per-case rows behind a count: exactly what the rollups summed for the same scope."""
    names = COUNTED[counted]
    rows = CaseCount.objects.filter(Q(**{f"{names[0]}__gt": 0}) | Q(**{f"{names[-1]}__gt": 0}))
    if start is not None:
        rows = rows.filter(day__gte=start)
    if end is not None:
        rows = rows.filter(day__lte=end)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    if concerned_unit_id is not None:
        rows = rows.filter(concerned_unit_id=concerned_unit_id)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return rows


def counted_total(rows: QuerySet[CaseCount], counted: str) -> int:
    names = COUNTED[counted]
    totals = rows.aggregate(**{name: Sum(name) for name in names})
    return sum(totals[name] or 0 for name in names)


def raised_cards(
    *,
    start: date | None = None,
    end: date | None = None,
    unit_id: int | None = None,
    level: str = "",
) -> QuerySet[Signal]:
    """Yellow and red cards raised in the dates, revoked cards left out (as card_counts)."""
    signals = Signal.objects.filter(revoked=False, level__in=[level] if level else CARD_LEVELS)
    tz = office_tz()
    if start is not None:
        signals = signals.filter(raised_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end is not None:
        following = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
        signals = signals.filter(raised_at__lt=following)
    if unit_id is not None:
        signals = signals.filter(unit_id=unit_id)
    return signals


# -- the office case list's filters on them -----------------------------------------------------


def counted_choices() -> list[tuple[str, Any]]:
    labels = {
        "received": _("Received"),
        "dispatched": _("Dispatched"),
        "signed": _("Signed for"),
        "signed_on_time": _("Signed for on time"),
        "replied": _("Replied"),
        "replied_on_time": _("Replied on time"),
        "rated": _("Rated"),
        "satisfied": _("Satisfied"),
        "basically": _("Basically satisfied"),
        "satisfied_or_basically": _("Satisfied or basically satisfied"),
        "unsatisfied": _("Unsatisfied"),
        "resolved": _("Resolved"),
        "unrated": _("Closed without a rating"),
        "returned": _("Return requested"),
        "reopened": _("Reopened"),
        "repeat": _("Repeat complaint"),
    }
    return [(name, labels[name]) for name in COUNTED]


KINDS_COMPLAINTS = [Kind.COMPLAINT.value, Kind.REPORT.value]


def _scoped_dates(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": data.get("date_from"),
        "end": data.get("date_to"),
        "unit_id": data.get("unit"),
        "department_id": data.get("department"),
    }


def counted_filter(cases: QuerySet[Case], data: dict[str, Any]) -> tuple[QuerySet[Case], Any]:
    """The cases behind an assessment figure (``counted``) or behind a card count (``event``
    carded), and the records they stand for: per-case rollup rows or signals."""
    if data.get("counted"):
        rows = counted_rows(
            data["counted"],
            concerned_unit_id=data.get("concerned"),
            kinds=KINDS_COMPLAINTS if data.get("complaints") else None,
            **_scoped_dates(data),
        )
        return cases.filter(pk__in=rows.values("case_id")), rows
    scope = _scoped_dates(data)
    scope.pop("department_id")
    cards = raised_cards(level=data.get("level") or "", **scope)
    return cases.filter(pk__in=cards.values("case_id")), cards


def list_total(
    cases: QuerySet[Case],
    records: Any,
    data: dict[str, Any],
    *,
    headed: list[int],
    everything: QuerySet[Case] | None = None,
) -> tuple[int, int]:
    """The number a figure says (records counted: a case counted twice counts twice), and how
    many of them are in cases the reader cannot open. A head's own figures count what their
    department did (a return, say) on cases since sent elsewhere, which they no longer see:
    those stay in the total, as on the dashboard, and are said to be hidden. ``everything`` is
    the list's other filters applied to all cases."""
    shown = records.filter(case_id__in=cases.values("pk"))
    counted = data.get("counted")
    if counted and headed and everything is not None:
        hidden = records.filter(
            department_id__in=headed, case_id__in=everything.values("pk")
        ).exclude(case_id__in=cases.values("pk"))
        not_shown = counted_total(hidden, counted)
        return counted_total(shown, counted) + not_shown, not_shown
    if counted:
        return counted_total(shown, counted), 0
    return shown.count(), 0


def records_wanted(data: dict[str, Any]) -> bool:
    return bool(data.get("counted")) or data.get("event") == "carded"
