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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.audit.services import audit_batch
from xiaoneng.cases import clocks, facts
from xiaoneng.cases.models import Case, CaseAssist, Satisfaction, Signal
from xiaoneng.cases.notifications import department_people, efficiency_office_staff, notify_staff
from xiaoneng.cases.pool import pool_department, pool_people
from xiaoneng.cases.services.steps import record
from xiaoneng.cases.states import State
from xiaoneng.deferred import deferred_inserts
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.workdays.calendar import calendar_pinned
from xiaoneng.workdays.models import Clock


class _Batch:
    """What one batch of locked clocks shares: their owners, the signals they already have,
    and the people told about every card, each read once instead of once per signal."""

    def __init__(self, due: list[object]) -> None:
        self.owners = clocks.owners_of(due)
        self.raised = set(Signal.objects.filter(clock__in=due).values_list("clock_id", "level"))
        # Signals to raise, written together once every clock of the batch is checked.
        self.pending: list[tuple[object, Case, str, list[Staff | None], object]] = []
        # Facts for the batch's handlers and clocks rescheduled, also handled together at the end.
        self.facts: list[facts.CaseFact] = []
        self.rescheduled: list[object] = []
        self._office: list[Staff] | None = None
        self._leaders: list[Staff] | None = None

    def office(self) -> list[Staff]:
        if self._office is None:
            self._office = efficiency_office_staff()
        return self._office

    def leaders(self) -> list[Staff]:
        if self._leaders is None:
            self._leaders = list(
                Staff.objects.filter(user__groups__name=Role.LEADER, user__is_active=True)
                .select_related("user")
                .distinct()
            )
        return self._leaders


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
        with transaction.atomic(), audit_batch(), calendar_pinned(), deferred_inserts():
            due = list(clocks.due_for_check(now=now, limit=batch))
            shared = _Batch(due)
            for clock in due:
                _check(clock, shared.owners[clock.pk], shared, now=now, result=result)
            _raise_pending(shared, now=now)
            facts.announce_batch(shared.facts)
            Clock.objects.bulk_update(shared.rescheduled, ["next_check_at"], batch_size=500)
        result.checked += len(due)
        if len(due) < batch:
            return result


def _check(
    clock: object, owner: object, shared: _Batch, *, now: datetime, result: SweepResult
) -> None:
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
    people: list[Staff | None] | None = None
    for level in levels:
        if (clock.pk, level) in shared.raised:
            continue  # Raised by an earlier run; this sweeper holds the clock's lock.
        if people is None:
            people = _people(clock, case)
        shared.pending.append((clock, case, level, people, marks))
        shared.raised.add((clock.pk, level))
        result.raised[level] += 1
    clocks.schedule_next(clock, now=now, save=False)
    shared.rescheduled.append(clock)


def _people(clock: object, case: Case) -> list[Staff | None]:
    """Who hears about a signal: the pool's worker and head for the intake clock, else the
    handler, the post's acting holder and the lead department's head."""
    if clock.stage == clocks.INTAKE:
        return pool_people(case)
    return [case.handler, *department_people(case, case.lead_department)]


def _raise_pending(shared: _Batch, *, now: datetime) -> None:
    signals = Signal.objects.bulk_create(
        Signal(
            clock=clock,
            case=case,
            unit_id=case.unit_id,
            level=level,
            raised_at=now,
            grace_due_at=marks.grace_due_at if level == Signal.Level.YELLOW else None,
        )
        for clock, case, level, _people, marks in shared.pending
    )
    for (clock, case, level, people, _marks), signal in zip(shared.pending, signals, strict=True):
        _raise_signal(signal, clock, case, level, people, shared)


def _raise_signal(
    signal: Signal,
    clock: object,
    case: Case,
    level: str,
    people: list[Staff | None],
    shared: _Batch,
) -> None:
    stage = clock.stage
    record(
        case,
        action=f"signal_{level}",
        user=None,
        from_state=case.state,
        data={"stage": stage, "signal": signal.pk},
        public=False,
        at=signal.raised_at,
    )
    if level == Signal.Level.PREWARN:
        notify_staff(
            case, people, kind="case.prewarn", subject=gettext("Pre-warning: deadline near")
        )
    elif level == Signal.Level.YELLOW:
        notify_staff(
            case,
            [*people, *shared.office()],
            kind="case.yellow",
            subject=gettext("Yellow card: deadline passed — reminder notice"),
        )
        facts.announce(facts.YELLOW_CARD, case=case, stage=stage)
        if stage == clocks.SIGN_FOR:
            shared.facts.append(
                facts.CaseFact(
                    kind=facts.SIGN_FOR_OVERDUE,
                    case=case,
                    key=f"{case.pk}:{case.return_count}",
                    department=case.lead_department,
                )
            )
    else:
        notify_staff(
            case,
            [*people, *shared.office(), *shared.leaders()],
            kind="case.red",
            subject=gettext("Red card: escalated for rectification"),
        )
        department, staff = case.lead_department, case.handler
        if stage == clocks.INTAKE:
            # Nobody accepted it: the first-contact post's department answers for the pool.
            department, staff = pool_department(case), None
        shared.facts.append(
            facts.CaseFact(
                kind=facts.RED_CARD,
                case=case,
                key=str(clock.pk),
                department=department,
                staff=staff,
                stage=stage,
            )
        )


def _assist_silence(
    clock: object, assist: CaseAssist, *, now: datetime, result: SweepResult
) -> None:
    marks = clocks.thresholds(clock)
    if now < marks.due_at:
        clocks.schedule_next(clock, now=now)
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
        clocks.schedule_next(clock, now=now)
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
