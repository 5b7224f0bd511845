"""The sweeper: pre-warnings, yellow and red cards, assisting silence, rating expiry.

It reads only clocks whose ``next_check_at`` has come (an index range, never a full scan),
locks each with ``skip_locked`` so several sweepers share the work, and makes every effect
idempotent (one signal per clock and level, one violation per source), so a sweeper killed
half-way loses nothing: the next run finds the same clocks still due and finishes them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import violation_record_automatic
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, CaseAssist, Satisfaction, Signal
from xiaoneng.cases.notifications import department_people, efficiency_office_staff, notify_staff
from xiaoneng.cases.services._common import record
from xiaoneng.cases.states import State
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role


@dataclass
class SweepResult:
    checked: int = 0
    raised: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{name}={count}" for name, count in sorted(self.raised.items())]
        return f"checked={self.checked} " + " ".join(parts)


def sweep(*, now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Handle every clock that is due for a check, in batches, until none is left."""
    now = now or timezone.now()
    result = SweepResult()
    while True:
        with transaction.atomic():
            due = list(clocks.due_for_check(now=now, limit=batch))
            for clock in due:
                _check(clock, now=now, result=result)
        result.checked += len(due)
        if len(due) < batch:
            return result


def _check(clock: object, *, now: datetime, result: SweepResult) -> None:
    owner = clocks.owner_of(clock)
    if clock.stage == clocks.ASSIST:
        _assist_silence(clock, owner, now=now, result=result)
        return
    if clock.stage == clocks.RATING:
        _rating_expired(clock, owner, now=now, result=result)
        return
    case: Case = owner
    marks = clocks.thresholds(clock)
    if marks.grace_due_at is not None and now >= marks.grace_due_at:
        levels = [Signal.Level.PREWARN, Signal.Level.YELLOW, Signal.Level.RED]
    elif now >= marks.due_at:
        levels = [Signal.Level.PREWARN, Signal.Level.YELLOW]
    elif marks.prewarn_at is not None and now >= marks.prewarn_at:
        levels = [Signal.Level.PREWARN]
    else:
        levels = []
    for level in levels:
        if _raise_signal(clock, case, level, marks=marks, now=now):
            result.raised[level] += 1
    clocks.schedule_next(clock, now=now, marks=marks)


def _raise_signal(clock: object, case: Case, level: str, *, marks: object, now: datetime) -> bool:
    try:
        with transaction.atomic():
            signal = Signal.objects.create(
                clock=clock,
                case=case,
                unit_id=case.unit_id,
                level=level,
                raised_at=now,
                grace_due_at=marks.grace_due_at if level == Signal.Level.YELLOW else None,
            )
    except IntegrityError:
        return False  # Raised before, by this or another sweeper.
    stage = clock.stage
    record(
        case,
        action=f"signal_{level}",
        user=None,
        from_state=case.state,
        data={"stage": stage, "signal": signal.pk},
        public=False,
        at=now,
    )
    people = [case.handler, *department_people(case, case.lead_department)]
    if level == Signal.Level.PREWARN:
        notify_staff(
            case, people, kind="case.prewarn", subject=gettext("Pre-warning: deadline near")
        )
    elif level == Signal.Level.YELLOW:
        notify_staff(
            case,
            [*people, *efficiency_office_staff()],
            kind="case.yellow",
            subject=gettext("Yellow card: deadline passed — reminder notice"),
        )
        if stage == clocks.SIGN_FOR:
            violation_record_automatic(
                kind=Violation.Kind.LATE_SIGN_FOR,
                source_key=f"late_sign_for:{case.pk}:{case.return_count}",
                description=gettext("Not signed for by the deadline."),
                case=case,
                department=case.lead_department,
                unit_id=case.unit_id,
            )
    else:
        leaders = Staff.objects.filter(user__groups__name=Role.LEADER, user__is_active=True)
        notify_staff(
            case,
            [*people, *efficiency_office_staff(), *leaders],
            kind="case.red",
            subject=gettext("Red card: escalated for rectification"),
        )
        violation_record_automatic(
            kind=Violation.Kind.RED_CARD,
            source_key=f"red:{clock.pk}",
            description=gettext("Red card: the time limit and the reminder's limit both passed."),
            case=case,
            department=case.lead_department,
            staff=case.handler,
            unit_id=case.unit_id,
        )
    return True


def _assist_silence(
    clock: object, assist: CaseAssist, *, now: datetime, result: SweepResult
) -> None:
    marks = clocks.thresholds(clock)
    if now < marks.due_at:
        clocks.schedule_next(clock, now=now, marks=marks)
        return
    assist = CaseAssist.objects.select_for_update().get(pk=assist.pk)
    clocks.stop_clock(clock, at=now)
    if assist.opinion != CaseAssist.Opinion.PENDING:
        return
    assist.opinion, assist.answered_at = CaseAssist.Opinion.SILENT, now
    assist.save()
    case = assist.case
    record(
        case,
        action="assist_silent",
        user=None,
        from_state=case.state,
        data={"department": assist.department_id},
        public=False,
        at=now,
    )
    result.raised["assist_silent"] += 1


def _rating_expired(clock: object, case: Case, *, now: datetime, result: SweepResult) -> None:
    marks = clocks.thresholds(clock)
    if now < marks.due_at:
        clocks.schedule_next(clock, now=now, marks=marks)
        return
    case = Case.objects.select_for_update().get(pk=case.pk)
    clocks.stop_clock(clock, at=now)
    if case.state != State.REPLIED:
        return
    case.state, case.closed_at = State.CLOSED, now
    case.satisfaction = Satisfaction.UNRATED
    case.save()
    record(case, action="close_unrated", user=None, from_state=State.REPLIED, at=now)
    result.raised["closed_unrated"] += 1
