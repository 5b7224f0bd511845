"""Running clocks: start, pause, resume, extend, stop. Each is atomic and writes an audit row."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from xiaoneng import deferred
from xiaoneng.audit.services import log_action
from xiaoneng.deferred import insert_keyed
from xiaoneng.errors import DomainError
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import clock_period, office_tz
from xiaoneng.workdays.models import Clock, ClockCheck, ClockExtension, ClockPause
from xiaoneng.workdays.periods import Counting, Period, compute_period
from xiaoneng.workdays.selectors import Threshold, clock_thresholds

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

# -- scheduling helpers (shared by the clock services and recalculation) -----------------------


def _next_check(
    new: list[Threshold], *, now: datetime, old: list[Threshold] | None = None
) -> datetime | None:
    """The next moment a sweep must look at a clock.

    A threshold already in the past asks for a check right away when it is new (``old`` is
    None: a clock just started or resumed) or when the change pulled it into the past (it was
    later than ``now`` in ``old``); kinds missing from ``old`` are taken as unchanged. The
    sweep is idempotent, so an extra look costs nothing, while a skipped one loses a card.
    """
    before = {threshold.kind: threshold.at for threshold in old or []}
    for threshold in new:
        if threshold.at > now:
            continue
        earlier = before.get(threshold.kind)
        if old is None or (earlier is not None and earlier > now):
            return now
    upcoming = [threshold.at for threshold in new if threshold.at > now]
    return min(upcoming) if upcoming else None


def apply_period(
    clock: Clock, period: Period, *, now: datetime, old: list[Threshold] | None
) -> None:
    """Store a recomputed period on ``clock`` (unsaved) and schedule its next check (written
    by ``clock_check_save`` after the clock)."""
    clock.due_at = period.due_at
    clock.provisional = period.provisional
    at = None
    if clock.state == Clock.State.RUNNING:
        at = _next_check(clock_thresholds(clock, period=period), now=now, old=old)
    set_next_check(clock, at)


# The reverse one-to-one relation, whose cache ``clock.next_check`` reads.
_CHECK = Clock.next_check.related


def set_next_check(clock: Clock, at: datetime | None) -> None:
    """Set the clock's next check on the instance (``clock.next_check_at`` reads it), unsaved:
    None for a clock that is not running or has nothing left to check."""
    if clock.state != Clock.State.RUNNING:
        at = None
    check = None
    if at is not None:
        check = ClockCheck(clock_id=clock.pk, owner_type=clock.owner_type, next_check_at=at)
    _CHECK.set_cached_value(clock, check)


def clock_check_save(clock: Clock) -> None:
    """Write the next check set on a saved clock: its ``ClockCheck`` row replaced (one upsert)
    or removed. Bookkeeping of the sweeps: no audit row."""
    at = clock.next_check_at
    if at is None:
        ClockCheck.objects.filter(clock_id=clock.pk).delete()
        return
    ClockCheck.objects.bulk_create(
        [ClockCheck(clock_id=clock.pk, owner_type=clock.owner_type, next_check_at=at)],
        update_conflicts=True,
        unique_fields=["clock"],
        update_fields=["next_check_at"],
    )


def clock_checks_save(clocks: list[Clock]) -> None:
    """``clock_check_save`` for many saved clocks: one upsert and one delete per 500."""
    for start in range(0, len(clocks), 500):
        chunk = clocks[start : start + 500]
        ClockCheck.objects.filter(
            clock_id__in=[clock.pk for clock in chunk if clock.next_check_at is None]
        ).delete()
        ClockCheck.objects.bulk_create(
            [
                ClockCheck(clock_id=clock.pk, owner_type=clock.owner_type, next_check_at=at)
                for clock in chunk
                for at in (clock.next_check_at,)
                if at is not None
            ],
            update_conflicts=True,
            unique_fields=["clock"],
            update_fields=["next_check_at"],
        )


def clock_check_soon(*, clock_id: int, at: datetime) -> None:
    """Ask the sweeps to look at a running clock at ``at`` (no-op for a clock not running)."""
    clock = Clock.objects.filter(pk=clock_id, state=Clock.State.RUNNING).first()
    if clock is not None:
        set_next_check(clock, at)
        clock_check_save(clock)


def _new_checks(clocks: list[Clock]) -> None:
    """The next checks of clocks just inserted (none can have one yet): written with the
    caller's deferred inserts when it defers them (a registration's single statement)."""
    rows = []
    for clock in clocks:
        at = clock.next_check_at
        if at is not None:
            rows.append(
                ClockCheck(clock_id=clock.pk, owner_type=clock.owner_type, next_check_at=at)
            )
            _CHECK.set_cached_value(clock, rows[-1])
    if rows:
        deferred.insert(rows)


def _iso(moment: datetime | None) -> str | None:
    return timezone.localtime(moment, office_tz()).isoformat() if moment else None


def _locked(clock: Clock) -> Clock:
    return (
        Clock.objects.select_for_update(of=("self",))
        .select_related("policy_version")
        .prefetch_related("pauses", "extensions")
        .get(pk=clock.pk)
    )


def _reload_children(clock: Clock) -> None:
    # Prefetched pauses/extensions are stale after a child row is written.
    for name in ("pauses", "extensions"):
        getattr(clock, "_prefetched_objects_cache", {}).pop(name, None)


# -- clocks ------------------------------------------------------------------------------------


def clock_new(
    *,
    owner_type: str,
    owner_id: int,
    stage: str,
    started_at: datetime | None = None,
    policy_version: Any = None,  # a catalog.PolicyVersion (catalog sits above workdays)
    counting: Counting | str | None = None,
    limit: int | None = None,
    count_start: bool | None = None,
    closing_time: time | None = None,
    unit_id: int | None = None,
    now: datetime | None = None,
) -> Clock:
    """A clock of one stage with its due moment and next check, not yet saved: from a policy
    version's stage limit or ad hoc. With a policy, ``limit`` may lower the stage's limit (a
    service item's committed limit under the statutory one) but never raise it."""
    now = now or timezone.now()
    started_at = started_at or now
    if policy_version is not None:
        stage_limit = policy_version.stage_limit(stage)
        if stage_limit is None:
            raise DomainError(_("The time-limit policy sets no limit for this stage."))
        if limit is not None and limit > stage_limit.amount:
            raise DomainError(_("A committed limit cannot exceed the policy's limit."))
        counting = stage_limit.counting
        limit = stage_limit.amount if limit is None else limit
        if count_start is None:
            count_start = stage_limit.effective_count_start
        closing_time = closing_time or policy_version.closing_time
    if counting is None or limit is None:
        raise DomainError(_("A clock without a policy needs a unit of counting and a limit."))
    if limit < 0:
        raise DomainError(_("A time limit cannot be negative."))
    clock = deferred.new_row(
        Clock,
        owner_type=owner_type,
        owner_id=owner_id,
        stage=stage,
        policy_version=policy_version,
        unit_id=unit_id,
        counting=Counting(counting).value,
        limit=limit,
        count_start=bool(count_start),
        closing_time=closing_time,
        started_at=started_at,
    )
    period = compute_period(
        get_calendar(clock.unit_id),
        counting=Counting(clock.counting),
        start=clock.started_at,
        limit=clock.limit,
        count_start=clock.count_start,
        tz=office_tz(),
        closing_time=clock.closing_time,
    )
    apply_period(clock, period, now=now, old=None)
    return clock


def _log_start(clock: Clock, by: Actor) -> None:
    log_action(
        action="workdays.clock.start",
        obj=clock,
        actor=by,
        summary={
            "owner": f"{clock.owner_type}:{clock.owner_id}",
            "stage": clock.stage,
            "policy_version": clock.policy_version_id,
            "counting": clock.counting,
            "limit": clock.limit,
            "count_start": clock.count_start,
            "started_at": _iso(clock.started_at),
            "due_at": _iso(clock.due_at),
            "provisional": clock.provisional,
        },
    )


def clocks_start_new(clocks: list[Clock], *, by: Actor) -> list[Clock]:
    """Save clocks made by ``clock_new`` for owners created in the caller's transaction (no
    running clock can exist): one ``INSERT`` for all of them (``COPY`` for a batch's), one audit
    row each."""
    if not clocks:
        return clocks
    insert_keyed(Clock, clocks)
    _new_checks(clocks)
    for clock in clocks:
        _log_start(clock, by)
    return clocks


def clock_start(
    *,
    owner_type: str,
    owner_id: int,
    stage: str,
    started_at: datetime | None = None,
    policy_version: Any = None,  # a catalog.PolicyVersion (catalog sits above workdays)
    counting: Counting | str | None = None,
    limit: int | None = None,
    count_start: bool | None = None,
    closing_time: time | None = None,
    unit_id: int | None = None,
    by: Actor = None,
    new_owner: bool = False,
) -> Clock:
    """Start the clock of one stage, from a policy version's stage limit or ad hoc
    (``clock_new``). ``new_owner``: the owner was created in the caller's transaction and has
    no clock yet, so the check for a running one is skipped.
    """
    clock = clock_new(
        owner_type=owner_type,
        owner_id=owner_id,
        stage=stage,
        started_at=started_at,
        policy_version=policy_version,
        counting=counting,
        limit=limit,
        count_start=count_start,
        closing_time=closing_time,
        unit_id=unit_id,
    )
    with nullcontext() if new_owner else transaction.atomic():
        already = Clock.objects.filter(owner_type=owner_type, owner_id=owner_id, stage=stage)
        if not new_owner and already.exclude(state=Clock.State.STOPPED).exists():
            raise DomainError(_("A clock for this stage is already running."))
        clock.save()
        _new_checks([clock])
        _log_start(clock, by)
    return clock


def clock_pause(
    *, clock: Clock, at: datetime | None = None, reason: str = "", by: Actor = None
) -> Clock:
    at = at or timezone.now()
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state == Clock.State.PAUSED:
            raise DomainError(_("This clock is already paused."))
        if clock.state == Clock.State.STOPPED:
            raise DomainError(_("This clock has stopped."))
        if at < clock.started_at:
            raise DomainError(_("A clock cannot be paused before it started."))
        ClockPause.objects.create(clock=clock, paused_at=at, reason=reason)
        _reload_children(clock)
        clock.state = Clock.State.PAUSED
        set_next_check(clock, None)
        clock.save(update_fields=["state", "updated_at"])
        clock_check_save(clock)
        log_action(
            action="workdays.clock.pause",
            obj=clock,
            actor=by,
            summary={"stage": clock.stage, "paused_at": _iso(at), "reason": reason},
        )
    return clock


def clock_resume(
    *, clock: Clock, at: datetime | None = None, restart: bool = False, by: Actor = None
) -> Clock:
    """Resume a paused clock; ``restart`` starts the whole period again from ``at``."""
    at = at or timezone.now()
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state != Clock.State.PAUSED:
            raise DomainError(_("This clock is not paused."))
        pause = clock.pauses.get(resumed_at__isnull=True)
        if at < pause.paused_at:
            raise DomainError(_("A clock cannot resume before it was paused."))
        pause.resumed_at = at
        pause.restart = restart
        pause.save(update_fields=["resumed_at", "restart"])
        _reload_children(clock)
        previous_due = clock.due_at
        clock.state = Clock.State.RUNNING
        apply_period(clock, clock_period(clock), now=timezone.now(), old=None)
        clock.save(update_fields=["state", "due_at", "provisional", "updated_at"])
        clock_check_save(clock)
        log_action(
            action="workdays.clock.resume",
            obj=clock,
            actor=by,
            summary={
                "stage": clock.stage,
                "resumed_at": _iso(at),
                "restart": restart,
                "previous_due_at": _iso(previous_due),
                "due_at": _iso(clock.due_at),
            },
        )
    return clock


def clock_extend(
    *, clock: Clock, units: int, reason: str, approver: User | None = None, by: Actor = None
) -> Clock:
    """Extend a clock by ``units`` of its own counting, within the policy's maximum."""
    if units <= 0:
        raise DomainError(_("An extension must add at least one unit."))
    if not reason.strip():
        raise DomainError(_("An extension needs a reason."))
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state == Clock.State.STOPPED:
            raise DomainError(_("This clock has stopped."))
        version = clock.policy_version
        if version is not None and not version.extension_allowed:
            raise DomainError(_("This time-limit policy allows no extension."))
        already = clock.extension_units
        cap = version.extension_max if version is not None else None
        if cap is not None and already + units > cap:
            message = _(
                "Extensions would total %(total)d, more than the policy's maximum of %(max)d."
            )
            params = {"total": already + units, "max": cap}
            # Interpolated lazily, so the message follows the language it is shown in.
            raise DomainError(lazy(lambda: str(message) % params, str)())
        calendar = get_calendar(clock.unit_id)
        old_thresholds = clock_thresholds(clock, calendar=calendar)
        previous_due = clock.due_at
        extension = ClockExtension.objects.create(
            clock=clock,
            units=units,
            reason=reason,
            approver=approver,
            previous_due_at=previous_due,
            new_due_at=previous_due,  # Replaced below, once the period is recomputed.
        )
        _reload_children(clock)
        apply_period(clock, clock_period(clock, calendar), now=timezone.now(), old=old_thresholds)
        extension.new_due_at = clock.due_at
        extension.save(update_fields=["new_due_at"])
        clock.save(update_fields=["due_at", "provisional", "updated_at"])
        clock_check_save(clock)
        log_action(
            action="workdays.clock.extend",
            obj=clock,
            actor=by,
            summary={
                "stage": clock.stage,
                "units": units,
                "counting": clock.counting,
                "reason": reason,
                "approver": getattr(approver, "pk", None),
                "previous_due_at": _iso(previous_due),
                "due_at": _iso(clock.due_at),
            },
        )
    return clock


def clock_stop(
    *, clock: Clock, at: datetime | None = None, reason: str = "", by: Actor = None
) -> Clock:
    """Stop a clock for good (the stage is done); a paused clock's pause ends with it."""
    at = at or timezone.now()
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state == Clock.State.STOPPED:
            raise DomainError(_("This clock has already stopped."))
        open_pause = clock.pauses.filter(resumed_at__isnull=True).first()
        if open_pause is not None:
            open_pause.resumed_at = max(at, open_pause.paused_at)
            open_pause.save(update_fields=["resumed_at"])
        _reload_children(clock)
        clock.state = Clock.State.STOPPED
        clock.stopped_at = at
        clock.stop_reason = reason
        set_next_check(clock, None)
        clock.save(update_fields=["state", "stopped_at", "stop_reason", "updated_at"])
        clock_check_save(clock)
        log_action(
            action="workdays.clock.stop",
            obj=clock,
            actor=by,
            summary={
                "stage": clock.stage,
                "stopped_at": _iso(at),
                "due_at": _iso(clock.due_at),
                "late": at > clock.due_at,
                "reason": reason,
            },
        )
    return clock


def clock_schedule_next(*, clock: Clock, now: datetime, save: bool = True) -> datetime | None:
    """After a sweep looked at a clock: its next check is the first threshold after ``now``.

    Bookkeeping of the sweep, not a change of the clock's meaning, so it writes no audit row.
    ``save=False`` leaves the write to the caller (the sweeper updates a batch at once).
    """
    upcoming = [t.at for t in clock_thresholds(clock) if t.at > now]
    set_next_check(clock, min(upcoming) if upcoming else None)
    if save:
        clock_check_save(clock)
    return clock.next_check_at


def clocks_reschedule(*, checks: list[tuple[int, datetime | None]]) -> None:
    """Store the next check of many clocks at once (the sweeper's batch, whose ``ClockCheck``
    rows it has locked): bookkeeping, no audit row, like ``clock_schedule_next``. A clock with
    nothing left to check loses its row. One ``UPDATE … FROM (VALUES …)`` per 1 000 clocks on
    PostgreSQL (a row of three columns and two indexes each, the wide clock untouched); one
    prepared statement run for each clock elsewhere."""
    from django.db import connection

    adapt = connection.ops.adapt_datetimefield_value
    rows = [(pk, adapt(at)) for pk, at in checks if at is not None]
    done = [pk for pk, at in checks if at is None]
    if done:
        ClockCheck.objects.filter(clock_id__in=done).delete()
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                "UPDATE workdays_clockcheck SET next_check_at = %s WHERE clock_id = %s",
                [(at, pk) for pk, at in rows],
            )
            return
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            values = ", ".join(["(%s::bigint, %s::timestamptz)"] * len(chunk))
            cursor.execute(
                "UPDATE workdays_clockcheck AS k SET next_check_at = v.at "
                f"FROM (VALUES {values}) AS v(id, at) WHERE k.clock_id = v.id",
                [value for row in chunk for value in row],
            )
