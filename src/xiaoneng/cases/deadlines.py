"""Deadline colours for people: normal, pre-warning, yellow, red (DESIGN.md §5 signals).

The sweeper records signals when it passes a threshold; a page must not wait for it, so the
colour is computed from the clock's due moment and the thresholds of its policy, exactly as
``workdays.selectors.clock_thresholds`` places them. Two ways in:

* ``deadline_level(clock, now)`` for one clock object (the case page), through the workdays
  selector itself;
* ``with_case_clocks(queryset)`` + ``attach_deadlines(cases, now)`` for lists: the current
  clock of a stage is annotated onto each case row by a correlated subquery (the clock owner
  index), and the colour is derived from the due moment with one calendar for the whole list —
  no query per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case
from xiaoneng.cases.states import State
from xiaoneng.workdays.arithmetic import CalendarRangeError, WorkCalendar
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import Counting, Period, end_of_day, start_of_day
from xiaoneng.workdays.selectors import (
    DEFAULT_PREWARN_WORKDAYS,
    DEFAULT_YELLOW_GRACE_WORKDAYS,
    clock_thresholds,
)

NORMAL = "normal"
PREWARN = "prewarn"
YELLOW = "yellow"
RED = "red"
PAUSED = "paused"
DONE = "done"

LEVEL_LABELS = {
    NORMAL: _("On time"),
    PREWARN: _("Pre-warning"),
    YELLOW: _("Yellow card"),
    RED: _("Red card"),
    PAUSED: _("Paused"),
    DONE: _("Stopped"),
}
# Severity for sorting and for "the worst of several clocks".
SEVERITY = {DONE: 0, PAUSED: 1, NORMAL: 2, PREWARN: 3, YELLOW: 4, RED: 5}

CASE_OWNER = "cases.case"
CLOCK_FIELDS = ("id", "due_at", "state", "started_at", "counting", "closing_time")


@dataclass(frozen=True)
class Deadline:
    """The colour of one clock at one moment, ready for a template."""

    level: str
    due_at: datetime | None
    stage: str = ""

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS.get(self.level, ""))

    @property
    def css(self) -> str:
        return f"dl-{self.level}"

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.level, 0)


NO_DEADLINE = Deadline(level=DONE, due_at=None)


def deadline_level(
    clock: Clock, now: datetime | None = None, *, period: Period | None = None
) -> str:
    """The exact level of one clock, from the workdays thresholds (one calendar lookup);
    ``period``, the clock's period when the caller has already worked it out."""
    if clock.state == Clock.State.STOPPED:
        return DONE
    if clock.state == Clock.State.PAUSED:
        return PAUSED
    now = now or timezone.now()
    points = {point.kind: point.at for point in clock_thresholds(clock, period=period)}
    if "red" in points and now >= points["red"]:
        return RED
    if now >= points["due"]:
        return YELLOW
    if "prewarn" in points and now >= points["prewarn"]:
        return PREWARN
    return NORMAL


def level_from_due(
    *,
    due_at: datetime,
    started_at: datetime,
    counting: str,
    closing_time: time | None,
    calendar: WorkCalendar,
    now: datetime,
    prewarn_workdays: int = DEFAULT_PREWARN_WORKDAYS,
    grace_workdays: int = DEFAULT_YELLOW_GRACE_WORKDAYS,
) -> str:
    """The level of a running clock from its due moment, mirroring ``period_checkpoints``.

    The stored due moment already includes pauses and extensions, so no pause or extension row
    is needed: pre-warning from the start of the day ``prewarn_workdays`` working days before
    the due day, yellow from the due moment, red after ``grace_workdays`` more working days.
    """
    tz = office_tz()
    due_day = timezone.localtime(due_at, tz).date()
    try:
        red_at = end_of_day(calendar.add_workdays(due_day, grace_workdays), tz, closing_time)
    except CalendarRangeError:
        red_at = None
    if red_at is not None and now >= red_at:
        return RED
    if now >= due_at:
        return YELLOW
    if counting != Counting.HOURS and prewarn_workdays > 0:
        start_day = timezone.localtime(started_at, tz).date()
        try:
            warn_day = calendar.add_workdays(due_day, -prewarn_workdays)
        except CalendarRangeError:
            warn_day = None
        if warn_day is not None and warn_day > start_day and now >= start_of_day(warn_day, tz):
            return PREWARN
    return NORMAL


# -- lists ------------------------------------------------------------------------------------


def with_case_clocks(
    queryset: QuerySet[Case], stages: Iterable[str] = ("sign_for", "reply")
) -> QuerySet[Case]:
    """Annotate the latest clock of each stage (``reply_due_at``, ``sign_for_state``, …)."""
    annotations: dict[str, Any] = {}
    for stage in stages:
        latest = Clock.objects.filter(
            owner_type=CASE_OWNER, owner_id=OuterRef("pk"), stage=stage
        ).order_by("-id")
        for name in CLOCK_FIELDS:
            annotations[f"{stage}_{name}"] = Subquery(latest.values(name)[:1])
    return queryset.annotate(**annotations)


def stage_for(case: Case) -> str:
    """The clock a person is racing now: the sign-for clock until signed for, else the reply."""
    if case.state == State.DISPATCHED:
        return "sign_for"
    if case.state in {
        State.REGISTERED,
        State.IN_PROGRESS,
        State.SUSPENDED,
        State.RETURN_REQUESTED,
        State.REOPEN_REVIEW,
    }:
        return "reply"
    return ""


def deadline_from_row(
    row: Any,
    stage: str,
    *,
    calendar: WorkCalendar,
    now: datetime,
    version: Any = None,
    prefix: str | None = None,
) -> Deadline:
    """The deadline of the clock annotated on ``row`` under ``prefix`` (default: the stage)."""
    prefix = prefix or stage
    due_at = getattr(row, f"{prefix}_due_at", None)
    state = getattr(row, f"{prefix}_state", None)
    if due_at is None or state is None:
        return NO_DEADLINE
    if state == Clock.State.STOPPED:
        return Deadline(level=DONE, due_at=due_at, stage=stage)
    if state == Clock.State.PAUSED:
        return Deadline(level=PAUSED, due_at=due_at, stage=stage)
    version = version if version is not None else getattr(row, "policy_version", None)
    level = level_from_due(
        due_at=due_at,
        started_at=getattr(row, f"{prefix}_started_at", None) or due_at,
        counting=getattr(row, f"{prefix}_counting", "") or "",
        closing_time=getattr(row, f"{prefix}_closing_time", None),
        calendar=calendar,
        now=now,
        prewarn_workdays=getattr(version, "prewarn_workdays", DEFAULT_PREWARN_WORKDAYS),
        grace_workdays=getattr(version, "yellow_grace_workdays", DEFAULT_YELLOW_GRACE_WORKDAYS),
    )
    return Deadline(level=level, due_at=due_at, stage=stage)


def attach_deadlines(
    cases: Iterable[Case],
    *,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
    stage: str | None = None,
) -> list[Case]:
    """Set ``case.deadline`` on each case of a list made with ``with_case_clocks``.

    One calendar serves the whole list (the national one unless given): a unit's local extra
    days shift a colour by at most a day in a list, while the case page uses the exact calendar.
    ``policy_version`` should be select_related so the thresholds cost no query.
    """
    rows = list(cases)
    if not rows:
        return rows
    now = now or timezone.now()
    calendar = calendar or get_calendar(None)
    for case in rows:
        which = stage or stage_for(case)
        case.deadline = (
            deadline_from_row(case, which, calendar=calendar, now=now) if which else NO_DEADLINE
        )
    return rows
