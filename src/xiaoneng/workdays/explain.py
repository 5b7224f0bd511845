"""Why a deadline falls where it does: the arithmetic as a structured, translatable object.

``explain_clock`` and ``explain_deadline`` return an :class:`Explanation`; its ``lines()`` are
rendered with gettext in the active language, so the case page and the ``deadline --explain``
command show the same account in Chinese or English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.workdays.arithmetic import DayKind, WorkCalendar
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import as_moment, clock_period, office_tz
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import (
    DAY_BASED,
    AppliedPause,
    Counting,
    Period,
    compute_period,
    local_date,
)
from xiaoneng.workdays.sources import holiday_label

# What happened to a day of the period.
COUNTED = "counted"
SKIPPED = "skipped"  # a non-working day in a working-day period
MET = "met"  # a non-working day inside a calendar-day period: counted all the same
PAUSED = "paused"
ROLLED = "rolled"  # after the last day, because it was not a working day (art. 203)


@dataclass(frozen=True)
class DaySpan:
    first: date
    last: date
    kind: DayKind
    treatment: str
    name: str = ""

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class ExtensionInfo:
    units: int
    reason: str
    approver: str
    granted_at: datetime | None


@dataclass(frozen=True)
class Explanation:
    counting: Counting
    limit: int
    extension: int
    count_start: bool
    start: datetime
    due_at: datetime
    due_date: date
    provisional: bool
    provisional_years: list[int]
    days_counted: int
    spans: list[DaySpan] = field(default_factory=list)
    pauses: list[AppliedPause] = field(default_factory=list)
    extensions: list[ExtensionInfo] = field(default_factory=list)
    restarted_at: datetime | None = None
    rolled_from: date | None = None
    closing_time: time | None = None
    policy_code: str = ""
    policy_name: str = ""
    policy_version: int | None = None
    policy_source: str = ""
    stage: str = ""
    paused: bool = False

    def spans_of(self, *kinds: DayKind, treatment: str) -> list[DaySpan]:
        return [s for s in self.spans if s.kind in kinds and s.treatment == treatment]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (dates as ISO strings) for the case page and the API."""
        return {
            "policy": {
                "code": self.policy_code,
                "name": self.policy_name,
                "version": self.policy_version,
                "source": self.policy_source,
            },
            "stage": self.stage,
            "counting": str(self.counting),
            "limit": self.limit,
            "extension": self.extension,
            "count_start": self.count_start,
            "start": self.start.isoformat(),
            "days_counted": self.days_counted,
            "spans": [
                {
                    "first": s.first.isoformat(),
                    "last": s.last.isoformat(),
                    "kind": str(s.kind),
                    "treatment": s.treatment,
                    "name": s.name,
                }
                for s in self.spans
            ],
            "pauses": [
                {
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat() if p.end else None,
                    "restart": p.restart,
                    "added_days": p.added_days,
                    "added_seconds": p.added_time.total_seconds(),
                }
                for p in self.pauses
            ],
            "extensions": [
                {"units": e.units, "reason": e.reason, "approver": e.approver}
                for e in self.extensions
            ],
            "rolled_from": self.rolled_from.isoformat() if self.rolled_from else None,
            "due_at": self.due_at.isoformat(),
            "provisional": self.provisional,
            "provisional_years": self.provisional_years,
        }

    def lines(self) -> list[str]:
        return render_lines(self)


def _unit_label(counting: Counting) -> str:
    return {
        Counting.WORKDAYS: _("working days"),
        Counting.DAYS: _("calendar days"),
        Counting.MONTHS: _("months"),
        Counting.HOURS: _("hours"),
    }[counting]


def _moment(value: datetime) -> str:
    return timezone.localtime(value, office_tz()).strftime("%Y-%m-%d %H:%M")


def _spans_text(spans: list[DaySpan]) -> str:
    parts = []
    for span in spans:
        text = span.first.isoformat()
        if span.last != span.first:
            text += "…" + span.last.isoformat()
        if span.name:
            text += f" {span.name}"
        parts.append(text)
    return ", ".join(parts)


def render_lines(ex: Explanation) -> list[str]:
    """The explanation as lines of text in the active language."""
    lines: list[str] = []
    if ex.policy_code:
        lines.append(
            _("Policy: %(name)s (%(code)s), version %(version)s")
            % {"name": ex.policy_name, "code": ex.policy_code, "version": ex.policy_version}
        )
        if ex.policy_source:
            lines.append(_("Source: %(source)s") % {"source": ex.policy_source})
    else:
        lines.append(_("Policy: none (limit given directly)"))
    if ex.stage:
        lines.append(_("Stage: %(stage)s") % {"stage": ex.stage})
    lines.append(_("Start: %(start)s") % {"start": _moment(ex.start)})
    limit = _("Limit: %(limit)d %(unit)s") % {"limit": ex.limit, "unit": _unit_label(ex.counting)}
    if ex.extension:
        limit += " " + _("+ %(units)d by extension") % {"units": ex.extension}
    lines.append(limit)
    if ex.counting in DAY_BASED:
        if ex.count_start:
            lines.append(_("The start day counts, as the policy says."))
        else:
            lines.append(_("The start day is not counted (Civil Code art. 201)."))
        if ex.counting == Counting.WORKDAYS:
            counted = _spans_text(ex.spans_of(DayKind.WORKDAY, DayKind.MAKEUP, treatment=COUNTED))
        else:
            # Every day counts in a calendar-day period: name the run, not each kind of day.
            runs = [s for s in ex.spans if s.treatment in (COUNTED, MET)]
            counted = f"{runs[0].first.isoformat()}…{runs[-1].last.isoformat()}" if runs else ""
        lines.append(
            _("Days counted: %(count)d (%(days)s)")
            % {"count": ex.days_counted, "days": counted or "—"}
        )
        skipped_weekends = ex.spans_of(DayKind.WEEKEND, treatment=SKIPPED)
        if skipped_weekends:
            lines.append(_("Weekends skipped: %(days)s") % {"days": _spans_text(skipped_weekends)})
        skipped_holidays = ex.spans_of(DayKind.HOLIDAY, treatment=SKIPPED)
        if skipped_holidays:
            lines.append(_("Holidays skipped: %(days)s") % {"days": _spans_text(skipped_holidays)})
        makeup = ex.spans_of(DayKind.MAKEUP, treatment=COUNTED)
        if makeup and ex.counting == Counting.WORKDAYS:
            lines.append(
                _("Make-up working days counted: %(days)s") % {"days": _spans_text(makeup)}
            )
        # Weekends inside a calendar-day period go without saying; holidays are worth naming.
        met = ex.spans_of(DayKind.HOLIDAY, treatment=MET)
        if met:
            lines.append(
                _("Holidays inside the period count as calendar days: %(days)s")
                % {"days": _spans_text(met)}
            )
        if ex.rolled_from is not None:
            lines.append(
                _(
                    "The last day, %(day)s, is not a working day, so the period ends on the next "
                    "working day (Civil Code art. 203)."
                )
                % {"day": ex.rolled_from.isoformat()}
            )
    for pause in ex.pauses:
        if pause.end is None:
            lines.append(_("Paused since %(start)s.") % {"start": _moment(pause.start)})
            continue
        params = {"start": _moment(pause.start), "end": _moment(pause.end)}
        if ex.counting == Counting.HOURS:
            params["hours"] = f"{pause.added_time.total_seconds() / 3600:g}"
            lines.append(
                _("Paused from %(start)s to %(end)s: %(hours)s hours not counted.") % params
            )
        elif pause.restart:
            lines.append(
                _("Paused from %(start)s to %(end)s, then counted again from the start.") % params
            )
        else:
            params["days"] = pause.added_days
            lines.append(_("Paused from %(start)s to %(end)s: %(days)d days not counted.") % params)
    for extension in ex.extensions:
        lines.append(
            _("Extended by %(units)d %(unit)s (approved by %(approver)s): %(reason)s")
            % {
                "units": extension.units,
                "unit": _unit_label(ex.counting),
                "approver": extension.approver or "—",
                "reason": extension.reason,
            }
        )
    due = _moment(ex.due_at)
    if ex.paused:
        lines.append(_("Due (while paused, before the pause): %(due)s") % {"due": due})
    else:
        lines.append(_("Due: %(due)s") % {"due": due})
    if ex.provisional:
        lines.append(
            _(
                "Provisional: the official holiday schedule for %(years)s is not loaded yet; "
                "only weekends and fixed-date holidays were used. The deadline will be "
                "recomputed when it is loaded."
            )
            % {"years": ", ".join(str(year) for year in ex.provisional_years)}
        )
    return lines


def _day_spans(cal: WorkCalendar, period: Period) -> tuple[list[DaySpan], int, date | None]:
    """Each day from the first counted one to the due day, grouped into runs."""
    tz = office_tz()
    start_day = local_date(period.effective_start, tz)
    first = start_day if period.count_start else start_day + timedelta(days=1)
    pause_ranges = [
        (local_date(p.start, tz), local_date(p.end, tz))
        for p in period.pauses
        if p.end is not None and p.added_days > 0
    ]
    # Days after the last day of a calendar-day period were added by the roll forward.
    rolled_from = period.last_day if period.last_day and period.last_day < period.due_date else None
    spans: list[DaySpan] = []
    counted = 0
    for day, kind in cal.iter_days(first, period.due_date):
        if any(pause < day <= resume for pause, resume in pause_ranges):
            treatment = PAUSED
        elif rolled_from is not None and day > rolled_from:
            treatment = ROLLED
        elif period.counting == Counting.WORKDAYS:
            treatment = COUNTED if kind in (DayKind.WORKDAY, DayKind.MAKEUP) else SKIPPED
        else:
            treatment = COUNTED if kind in (DayKind.WORKDAY, DayKind.MAKEUP) else MET
        if treatment in (COUNTED, MET):
            counted += 1
        name = holiday_label(cal.day_name(day)) if kind in (DayKind.HOLIDAY, DayKind.MAKEUP) else ""
        last = spans[-1] if spans else None
        if (
            last is not None
            and last.kind == kind
            and last.treatment == treatment
            and last.name == name
            and last.last + timedelta(days=1) == day
        ):
            spans[-1] = DaySpan(last.first, day, kind, treatment, name)
        else:
            spans.append(DaySpan(day, day, kind, treatment, name))
    return spans, counted, rolled_from


def _explain(cal: WorkCalendar, period: Period, **meta: Any) -> Explanation:
    tz = office_tz()
    spans: list[DaySpan] = []
    counted = 0
    rolled_from = None
    if period.counting in DAY_BASED:
        spans, counted, rolled_from = _day_spans(cal, period)
    start_day = local_date(period.effective_start, tz)
    years = range(min(start_day.year, period.due_date.year), period.due_date.year + 1)
    return Explanation(
        counting=period.counting,
        limit=period.limit,
        extension=period.extension,
        count_start=period.count_start,
        start=period.start,
        due_at=period.due_at,
        due_date=period.due_date,
        provisional=period.provisional,
        provisional_years=[y for y in years if y not in cal.official_years]
        if period.provisional
        else [],
        days_counted=counted,
        spans=spans,
        pauses=list(period.pauses),
        restarted_at=period.effective_start if period.effective_start != period.start else None,
        rolled_from=rolled_from,
        paused=period.paused,
        **meta,
    )


def explain_deadline(
    *,
    start: date | datetime,
    limit: int,
    counting: Counting | str = Counting.WORKDAYS,
    count_start: bool = False,
    unit_id: int | None = None,
    closing_time: time | None = None,
) -> Explanation:
    """Explain a deadline given by bare arguments (the ``deadline`` command)."""
    cal = get_calendar(unit_id)
    period = compute_period(
        cal,
        counting=Counting(counting),
        start=as_moment(start),
        limit=limit,
        count_start=count_start,
        tz=office_tz(),
        closing_time=closing_time,
    )
    return _explain(cal, period, closing_time=closing_time)


def explain_clock(clock: Clock) -> Explanation:
    cal = get_calendar(clock.unit_id)
    period = clock_period(clock, cal)
    version = clock.policy_version
    meta: dict[str, Any] = {"stage": clock.get_stage_display(), "closing_time": clock.closing_time}
    if version is not None:
        meta.update(
            policy_code=version.policy.code,
            policy_name=version.policy.label,
            policy_version=version.number,
            policy_source=version.source,
        )
    extensions = [
        ExtensionInfo(
            units=extension.units,
            reason=extension.reason,
            approver=str(extension.approver) if extension.approver_id else "",
            granted_at=extension.created_at,
        )
        for extension in clock.extensions.all()
    ]
    return _explain(cal, period, extensions=extensions, **meta)
