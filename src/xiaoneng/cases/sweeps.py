"""The sweeper: pre-warnings, yellow and red cards, assisting silence, rating expiry.

It reads only clocks whose ``next_check_at`` has come (an index range, never a full scan),
locks each with ``skip_locked`` so several sweepers share the work, and makes every effect
idempotent (one signal per clock and level, one violation per source), so a sweeper killed
half-way loses nothing: the next run finds the same clocks still due and finishes them.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.audit.services import audit_batch
from xiaoneng.cases import clocks, facts
from xiaoneng.cases.models import Case, CaseAssist, Satisfaction, Signal
from xiaoneng.cases.notifications import efficiency_office_staff
from xiaoneng.cases.pool import pool_department, pool_people
from xiaoneng.cases.services.events import EventRow, case_events_record_bulk
from xiaoneng.cases.services.steps import record
from xiaoneng.cases.states import State
from xiaoneng.cases.sweep_rows import (
    CaseRow,
    People,
    SweptClock,
    case_instance,
    case_rows,
    signals_insert,
)
from xiaoneng.cases.sweep_rows import swept_clocks as _swept_clocks
from xiaoneng.deferred import deferred_inserts
from xiaoneng.notify.bulk import InboxMessage, notifications_enqueue_inbox
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import ADMIN_ROLES, Role
from xiaoneng.org.selectors import user_roles, user_roles_prime
from xiaoneng.workdays.calendar import calendar_pinned
from xiaoneng.workdays.selectors import clock_thresholds
from xiaoneng.workdays.services.clocks import clocks_reschedule

# A stand-in key for building a case's link once per batch (the link of case N is the link
# of this key with N in its place).
_LINK_KEY = 987654321987


class _Batch:
    """What one batch of locked clocks shares: their cases (as columns) and the people told
    about every card, each read once instead of once per signal. The signals the clocks
    already have are not read: every level a clock has crossed is offered to the one
    ``INSERT … ON CONFLICT DO NOTHING RETURNING``, which keeps out the ones raised before."""

    def __init__(self, cases: dict[int, CaseRow]) -> None:
        self.cases = cases
        self.people = People.of(cases.values())
        # Signals to raise (clock, case, level, marks), written together at the end.
        self.pending: list[tuple[SweptClock, CaseRow, str, clocks.Marks]] = []
        # What the raised signals write, collected and written together at the end.
        self.events: list[EventRow] = []
        self.messages: list[tuple[CaseRow, str, str, list[Staff | None]]] = []
        self.facts: list[tuple[str, CaseRow, SweptClock]] = []
        self.rescheduled: list[tuple[int, datetime | None]] = []
        self._office: list[Staff] | None = None
        self._leaders: list[Staff] | None = None
        # The intake pool's people depend on the unit only: read once per unit and batch.
        self.pool_people: dict[int | None, list[Staff | None]] = {}
        url = Case(pk=_LINK_KEY).get_absolute_url()
        self.link_parts = url.partition(str(_LINK_KEY))[::2]

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

    def link(self, case: CaseRow) -> str:
        before, after = self.link_parts
        return f"{before}{case.id}{after}"


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


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector held off for one batch. A batch allocates tens of thousands of
    short-lived objects (rows, tuples, audit entries), freed by reference counting when it
    ends; meanwhile they trigger collections, and every few batches a full one walks the whole
    heap of a process that has loaded Django and the URL configuration (measured: about a fifth
    of the sweeper's CPU). Collections resume after the batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sweep(*, now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Handle every clock that is due for a check, in batches, until none is left."""
    now = now or timezone.now()
    result = SweepResult()
    while True:
        with _no_cycle_collection():
            # The batch's objects are freed when ``_sweep_batch`` returns, before collections
            # resume: held here, the first collection after it would walk them all (measured:
            # about a tenth of the sweeper's CPU at 1 000 crossings a run).
            checked = _sweep_batch(now=now, batch=batch, result=result)
        result.checked += checked
        if checked < batch:
            return result


def _sweep_batch(*, now: datetime, batch: int, result: SweepResult) -> int:
    """One transaction: up to ``batch`` due clocks locked, checked and rescheduled; returns
    how many."""
    outermost = not connection.in_atomic_block
    with transaction.atomic(), audit_batch(), calendar_pinned(), deferred_inserts():
        if outermost:
            _constraints_immediate()
        rows = list(clocks.due_for_check(now=now, limit=batch))
        due = _swept_clocks(rows)
        cards = [c for c in due if c.stage not in (clocks.ASSIST, clocks.RATING)]
        shared = _Batch(case_rows(c.owner_id for c in cards if c.owner_type == clocks.CASE_OWNER))
        for clock in cards:
            _check(clock, shared.cases[clock.owner_id], shared, now=now, result=result)
        _raise_pending(shared, now=now, result=result)
        clocks_reschedule(checks=shared.rescheduled)
        _sweep_owned([c.pk for c in due if c not in cards], now=now, result=result)
    return len(due)


def _constraints_immediate() -> None:
    """The batch's foreign keys checked as each row goes in rather than all at ``COMMIT``
    (PostgreSQL; the same checks and parent locks, only earlier in the transaction). The
    audit rows are appended last, under the chain head's lock, which is held until the
    commit: with the checks out of the commit, another sweeper finds the head busy for a
    shorter time and has to queue its audit rows less often. Only in a transaction of the
    batch's own: the setting lasts to the end of the transaction, and a caller's would check
    its pending rows early and keep the rest of its work immediate."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def sweep_parallel(*, workers: int, now: datetime | None = None, batch: int = 500) -> SweepResult:
    """``workers`` sweepers at once, each in its own process with its own connection, sharing
    the due clocks through ``SKIP LOCKED`` (one per core is the intent). On SQLite, which has
    one writer, with one worker, or inside a transaction (other processes could not see its
    rows, and closing its connection would end it), the plain sweep."""
    now = now or timezone.now()
    if workers <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return sweep(now=now, batch=batch)
    # The case link reverses through the whole URL configuration, whose first import costs
    # about a second of CPU: done once here rather than again in every forked child.
    Case(pk=_LINK_KEY).get_absolute_url()
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


def _sweep_owned(ids: list[int], *, now: datetime, result: SweepResult) -> None:
    """Assisting-opinion and rating clocks change their owner (an opinion recorded as silence,
    a case closed unrated): few, and handled with the case services' model instances."""
    if not ids:
        return
    from xiaoneng.workdays.models import Clock

    locked = (
        Clock.objects.select_related("policy_version")
        .prefetch_related("pauses", "extensions", "policy_version__stage_limits")
        .in_bulk(ids)
    )
    for pk in ids:
        clock = locked[pk]
        if clock.stage == clocks.ASSIST:
            assist = CaseAssist.objects.select_related("case").get(pk=clock.owner_id)
            _assist_silence(clock, assist, now=now, result=result)
        else:
            case = Case.objects.get(pk=clock.owner_id)
            _rating_expired(clock, case, now=now, result=result)


def _check(
    clock: SweptClock, case: CaseRow, shared: _Batch, *, now: datetime, result: SweepResult
) -> None:
    points = clock_thresholds(clock)  # type: ignore[arg-type]  # a clock's columns
    marks = clocks.marks_of(points)
    if marks.grace_due_at is not None and now >= marks.grace_due_at:
        levels = [Signal.Level.PREWARN, Signal.Level.YELLOW, Signal.Level.RED]
    elif now >= marks.due_at:
        levels = [Signal.Level.PREWARN, Signal.Level.YELLOW]
    elif marks.prewarn_at is not None and now >= marks.prewarn_at:
        levels = [Signal.Level.PREWARN]
    else:
        levels = []
    # Levels raised by an earlier run are left out by the insert (``_raise_pending``).
    shared.pending.extend((clock, case, level, marks) for level in levels)
    # The next check from the same thresholds (``clock_schedule_next`` would compute them again).
    upcoming = [point.at for point in points if point.at > now]
    shared.rescheduled.append((clock.pk, min(upcoming) if upcoming else None))


def _people(clock: SweptClock, case: CaseRow, shared: _Batch) -> list[Staff | None]:
    """Who hears about a signal: the pool's worker and head for the intake clock, else the
    handler, the post's acting holder and the lead department's head."""
    if clock.stage == clocks.INTAKE:
        if case.unit_id not in shared.pool_people:
            shared.pool_people[case.unit_id] = pool_people(Case(pk=case.id, unit_id=case.unit_id))
        return shared.pool_people[case.unit_id]
    return shared.people.of_case(case)


def _raise_pending(shared: _Batch, *, now: datetime, result: SweepResult) -> None:
    """Insert the batch's signals (each once: ``ON CONFLICT DO NOTHING``), then write what the
    ones that went in bring: timeline events with their audit rows, outbox rows, facts."""
    inserted = signals_insert(
        [
            (
                clock.pk,
                case.id,
                case.unit_id,
                level,
                now,
                marks.grace_due_at if level == Signal.Level.YELLOW else None,
            )
            for clock, case, level, marks in shared.pending
        ]
    )
    for clock, case, level, _marks in shared.pending:
        signal_id = inserted.get((clock.pk, level))
        if signal_id is None:
            continue  # Raised before (an earlier run, or another writer): its card is told.
        _raise_signal(signal_id, clock, case, level, shared, now=now)
        result.raised[level] += 1
    case_events_record_bulk(shared.events)
    _notify(shared, now=now)
    _announce(shared)


_KINDS = ("case.prewarn", "case.yellow", "case.red")


def _subject(kind: str) -> str:
    # Literal msgids, so that the catalogue check finds them.
    if kind == "case.prewarn":
        return gettext("Pre-warning: deadline near")
    if kind == "case.yellow":
        return gettext("Yellow card: deadline passed — reminder notice")
    return gettext("Red card: escalated for rectification")


def _notify(shared: _Batch, *, now: datetime) -> None:
    """One inbox row per card and person told: the people's roles read in one query, the
    three administrators left out (三员分立: the message carries the case's title), inactive
    logins skipped, each person once per card."""
    people = {id(p): p for *_rest, group in shared.messages for p in group if p is not None}
    user_roles_prime(member.user for member in people.values())
    subjects = {kind: _subject(kind) for kind in _KINDS}
    messages = []
    for case, kind, _level, group in shared.messages:
        users: dict[int, None] = {}
        for member in group:
            if member is None or member.user_id in users:
                continue
            user = member.user
            if not user.is_active or user_roles(user) & ADMIN_ROLES:
                continue
            users[member.user_id] = None
        if not users:
            continue
        messages.append(
            InboxMessage(
                user_ids=list(users),
                kind=kind,
                subject=subjects[kind],
                body=f"{case.number} {case.title}",
                link=shared.link(case),
                object_type=Case._meta.label_lower,
                object_id=str(case.id),
                case_number=case.number,
                unit_id=case.unit_id,
            )
        )
    notifications_enqueue_inbox(messages=messages, now=now)


def _announce(shared: _Batch) -> None:
    """The cards' facts to the apps that registered for them (accountability files the
    violations), with the cases as model instances built from the batch's columns (no query;
    a column the batch did not read loads on first use, as a deferred field does)."""
    if not shared.facts:
        return
    instances: dict[int, Case] = {}
    found = []
    for kind, row, clock in shared.facts:
        case = instances.get(row.id)
        if case is None:
            case = instances[row.id] = case_instance(row)
        department = shared.people.departments.get(row.lead_department_id or 0)
        if kind == facts.YELLOW_CARD:
            found.append(facts.CaseFact(kind=kind, case=case, stage=clock.stage))
        elif kind == facts.SIGN_FOR_OVERDUE:
            key = f"{row.id}:{row.return_count}"
            found.append(facts.CaseFact(kind=kind, case=case, key=key, department=department))
        else:
            staff = shared.people.staff.get(row.handler_id or 0)
            if clock.stage == clocks.INTAKE:
                # Nobody accepted it: the first-contact post's department answers for the pool.
                department, staff = pool_department(case), None
            found.append(
                facts.CaseFact(
                    kind=kind,
                    case=case,
                    key=str(clock.pk),
                    department=department,
                    staff=staff,
                    stage=clock.stage,
                )
            )
    facts.announce_batch(found)


def _raise_signal(
    signal_id: int, clock: SweptClock, case: CaseRow, level: str, shared: _Batch, *, now: datetime
) -> None:
    stage = clock.stage
    shared.events.append(
        EventRow(
            case_id=case.id,
            number=case.number,
            unit_id=case.unit_id,
            state=case.state,
            action=f"signal_{level}",
            data={"stage": stage, "signal": signal_id},
            at=now,
        )
    )
    people = _people(clock, case, shared)
    if level == Signal.Level.PREWARN:
        shared.messages.append((case, "case.prewarn", level, people))
        return
    if level == Signal.Level.YELLOW:
        shared.messages.append((case, "case.yellow", level, [*people, *shared.office()]))
        shared.facts.append((facts.YELLOW_CARD, case, clock))
        if stage == clocks.SIGN_FOR:
            shared.facts.append((facts.SIGN_FOR_OVERDUE, case, clock))
        return
    shared.messages.append(
        (case, "case.red", level, [*people, *shared.office(), *shared.leaders()])
    )
    shared.facts.append((facts.RED_CARD, case, clock))


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
