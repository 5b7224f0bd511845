"""The sweeper: pre-warnings, yellow and red cards, assisting silence, rating expiry.

It reads only clocks whose ``next_check_at`` has come (an index range, never a full scan),
locks each with ``skip_locked`` so several sweepers share the work, and makes every effect
idempotent (one signal per clock and level, one violation per source), so a sweeper killed
half-way loses nothing: the next run finds the same clocks still due and finishes them.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, connections, transaction
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
from xiaoneng.org.selectors import user_roles_prime
from xiaoneng.workdays.calendar import calendar_pinned
from xiaoneng.workdays.selectors import clock_thresholds
from xiaoneng.workdays.services.clocks import clocks_reschedule


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
        # The intake pool's people depend on the unit only: read once per unit and batch.
        self.pool_people: dict[int | None, list[Staff | None]] = {}

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

    def merge(self, other: SweepResult) -> None:
        self.checked += other.checked
        self.raised.update(other.raised)


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
            clocks_reschedule(checks=[(c.pk, c.next_check_at) for c in shared.rescheduled])
        result.checked += len(due)
        if len(due) < batch:
            return result


def sweep_parallel(*, workers: int, now: datetime | None = None, batch: int = 500) -> SweepResult:
    """``workers`` sweepers at once, each in its own process with its own connection, sharing
    the due clocks through ``SKIP LOCKED`` (one per core is the intent). On SQLite, which has
    one writer, with one worker, or inside a transaction (other processes could not see its
    rows, and closing its connection would end it), the plain sweep."""
    now = now or timezone.now()
    if workers <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return sweep(now=now, batch=batch)
    # Forked children must not share the parent's socket: each opens its own connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        parts = pool.map(_sweep_in_child, [(now, batch)] * workers)
    result = SweepResult()
    for part in parts:
        result.merge(part)
    return result


def _sweep_in_child(arguments: tuple[datetime, int]) -> SweepResult:
    now, batch = arguments
    try:
        return sweep(now=now, batch=batch)
    finally:
        connections.close_all()


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
    points = clock_thresholds(clock)
    marks = clocks.marks_of(points)
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
            people = _people(clock, case, shared)
        shared.pending.append((clock, case, level, people, marks))
        shared.raised.add((clock.pk, level))
        result.raised[level] += 1
    # The next check from the same thresholds (``clock_schedule_next`` would compute them again).
    upcoming = [point.at for point in points if point.at > now]
    clock.next_check_at = min(upcoming) if upcoming else None
    shared.rescheduled.append(clock)


def _people(clock: object, case: Case, shared: _Batch) -> list[Staff | None]:
    """Who hears about a signal: the pool's worker and head for the intake clock, else the
    handler, the post's acting holder and the lead department's head."""
    if clock.stage == clocks.INTAKE:
        if case.unit_id not in shared.pool_people:
            shared.pool_people[case.unit_id] = pool_people(case)
        return shared.pool_people[case.unit_id]
    return [case.handler, *department_people(case, case.lead_department)]


def _prime_roles(shared: _Batch) -> None:
    """Read the roles of everyone the batch's signals reach in one query, so that leaving out
    the administrators (notifications.py) costs no query per message."""
    people = {id(p): p for *_rest, group, _marks in shared.pending for p in group if p}
    if any(level != Signal.Level.PREWARN for _c, _case, level, _p, _m in shared.pending):
        people.update({id(p): p for p in shared.office()})
    if any(level == Signal.Level.RED for _c, _case, level, _p, _m in shared.pending):
        people.update({id(p): p for p in shared.leaders()})
    user_roles_prime(member.user for member in people.values())


def _raise_pending(shared: _Batch, *, now: datetime) -> None:
    _prime_roles(shared)
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
