"""The clocks of a case, on top of the workdays clock services.

A case has a reply clock (the whole time limit, paused while suspended), an intake clock while
it waits in its unit's pool, a sign-for clock per dispatch, an opinion clock per assisting
department and a rating window. Limits come from the case's policy version, which the case
keeps even when the policy is edited later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.models import Case, CaseAssist
from xiaoneng.errors import DomainError, lazy_format
from xiaoneng.workdays.deadlines import clock_period
from xiaoneng.workdays.models import Clock, ClockCheck
from xiaoneng.workdays.periods import Counting
from xiaoneng.workdays.selectors import (
    Threshold,
    clock_open_for,
    clock_thresholds,
    clocks_of,
)
from xiaoneng.workdays.services.clocks import (
    clock_extend,
    clock_new,
    clock_pause,
    clock_resume,
    clock_schedule_next,
    clock_start,
    clock_stop,
    clocks_start_new,
)

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor

SIGN_FOR = Clock.Stage.SIGN_FOR.value
ASSIST = Clock.Stage.ASSIST_OPINION.value
REPLY = Clock.Stage.REPLY.value
RATING = Clock.Stage.RATING.value
INTAKE = Clock.Stage.INTAKE.value
# The pool's acceptance limit when a policy version predates the intake stage.
DEFAULT_INTAKE_WORKDAYS = 1

CASE_OWNER = "cases.case"
ASSIST_OWNER = "cases.caseassist"


@dataclass(frozen=True)
class Marks:
    prewarn_at: datetime | None
    due_at: datetime
    grace_due_at: datetime | None


def _owner(case: Case, owner: Model | None) -> tuple[str, int]:
    if isinstance(owner, CaseAssist):
        return ASSIST_OWNER, owner.pk
    return CASE_OWNER, case.pk


def start(
    *,
    case: Case,
    stage: str,
    at: datetime,
    by: Actor,
    owner: Model | None = None,
    new_case: bool = False,
) -> Clock:
    """``new_case``: the case was inserted in this transaction (registration): no running
    clock can exist, so the check for one is skipped."""
    owner_type, owner_id = _owner(case, owner)
    return clock_start(
        owner_type=owner_type,
        owner_id=owner_id,
        stage=stage,
        started_at=at,
        policy_version=case.policy_version,
        unit_id=case.unit_id,
        by=by,
        new_owner=new_case,
    )


def start_intake(*, case: Case, at: datetime, by: Actor, new_case: bool = False) -> Clock:
    """The intake pool's clock: acceptance within the policy's limit (default 1 working day)."""
    if case.policy_version.stage_limit(INTAKE) is not None:
        return start(case=case, stage=INTAKE, at=at, by=by, new_case=new_case)
    return clock_start(
        owner_type=CASE_OWNER,
        owner_id=case.pk,
        stage=INTAKE,
        started_at=at,
        counting=Counting.WORKDAYS,
        limit=DEFAULT_INTAKE_WORKDAYS,
        unit_id=case.unit_id,
        by=by,
        new_owner=new_case,
    )


def new_case_clocks(*, case: Case, at: datetime, pooled: bool) -> list[Clock]:
    """A case's first clocks, computed before the case is written (so that a policy without a
    limit for a stage refuses the registration before any write): the reply clock and, for a
    case that waits in its unit's intake pool, the intake clock. ``start_new_case`` saves them."""
    reply = clock_new(
        owner_type=CASE_OWNER,
        owner_id=0,
        stage=REPLY,
        started_at=at,
        policy_version=case.policy_version,
        unit_id=case.unit_id,
    )
    started = [reply]
    if pooled:
        started.append(_intake_clock(case, at))
    return started


def start_new_cases(started: list[Clock], *, by: Actor) -> None:
    """Save the clocks of ``new_case_clocks`` (their ``owner_id`` set to the inserted cases):
    one statement for all of them."""
    clocks_start_new(started, by=by)


def _intake_clock(case: Case, at: datetime) -> Clock:
    if case.policy_version.stage_limit(INTAKE) is not None:
        return clock_new(
            owner_type=CASE_OWNER,
            owner_id=0,
            stage=INTAKE,
            started_at=at,
            policy_version=case.policy_version,
            unit_id=case.unit_id,
        )
    return clock_new(
        owner_type=CASE_OWNER,
        owner_id=0,
        stage=INTAKE,
        started_at=at,
        counting=Counting.WORKDAYS,
        limit=DEFAULT_INTAKE_WORKDAYS,
        unit_id=case.unit_id,
    )


def current(*, case: Case, stage: str, owner: Model | None = None) -> Clock | None:
    """The open clock of the stage, else the latest one (stopped)."""
    owner_type, owner_id = _owner(case, owner)
    return clocks_of(owner_type=owner_type, owner_id=owner_id, stage=stage).order_by("-id").first()


def case_clocks(case: Case) -> QuerySet[Clock]:
    return clocks_of(owner_type=CASE_OWNER, owner_id=case.pk).order_by("id")


def stop(*, case: Case, stage: str, at: datetime, by: Actor, owner: Model | None = None) -> None:
    owner_type, owner_id = _owner(case, owner)
    clock = clock_open_for(owner_type=owner_type, owner_id=owner_id, stage=stage)
    if clock is not None:
        clock_stop(clock=clock, at=at, by=by)


def stop_clock(clock: Clock, *, at: datetime) -> None:
    clock_stop(clock=clock, at=at, reason="sweep")


def stop_all(*, case: Case, at: datetime, by: Actor) -> None:
    for clock in case_clocks(case).exclude(state=Clock.State.STOPPED):
        clock_stop(clock=clock, at=at, by=by)
    assist_ids = list(case.assists.values_list("pk", flat=True))
    for clock in Clock.objects.filter(owner_type=ASSIST_OWNER, owner_id__in=assist_ids).exclude(
        state=Clock.State.STOPPED
    ):
        clock_stop(clock=clock, at=at, by=by)


def _reply_clock(case: Case) -> Clock:
    clock = clock_open_for(owner_type=CASE_OWNER, owner_id=case.pk, stage=REPLY)
    if clock is None:
        raise DomainError(_("This case has no running time limit."))
    return clock


def pause(*, case: Case, at: datetime, by: Actor, reason: str) -> None:
    clock_pause(clock=_reply_clock(case), at=at, reason=reason, by=by)


def resume(*, case: Case, at: datetime, by: Actor, restart: bool) -> None:
    clock_resume(clock=_reply_clock(case), at=at, restart=restart, by=by)


def restarts_after_supplement(*, case: Case) -> bool:
    return case.policy_version.after_supplement == "restart"


def check_extension(*, case: Case, extra_units: int) -> None:
    """Refuse an extension the policy would not allow, before anyone is asked to approve it."""
    version = case.policy_version
    if extra_units <= 0:
        raise DomainError(_("An extension must add at least one unit."))
    if not version.extension_allowed:
        raise DomainError(_("This time-limit policy allows no extension."))
    cap = version.extension_max
    if cap is not None and _reply_clock(case).extension_units + extra_units > cap:
        raise DomainError(
            lazy_format(
                _("That would exceed the policy's maximum extension of %(max)d."), {"max": cap}
            )
        )


def extension_preview(*, case: Case, extra_units: int) -> tuple[datetime, datetime]:
    """(the reply's due moment now, the one it would have with ``extra_units`` more), by the
    same period arithmetic the approval applies (``workdays.services.clocks.clock_extend``);
    refused as the request itself would be."""
    check_extension(case=case, extra_units=extra_units)
    clock = _reply_clock(case)
    return clock.due_at, clock_period(clock, extra_units=extra_units).due_at


def extend(*, case: Case, extra_units: int, by: Actor, reason: str) -> None:
    clock_extend(clock=_reply_clock(case), units=extra_units, reason=reason, approver=by, by=by)


def is_overdue(*, case: Case, stage: str, at: datetime, owner: Model | None = None) -> bool:
    owner_type, owner_id = _owner(case, owner)
    clock = clock_open_for(owner_type=owner_type, owner_id=owner_id, stage=stage)
    return clock is not None and clock.state == Clock.State.RUNNING and at > clock.due_at


def due_display(*, case: Case, stage: str) -> str:
    clock = current(case=case, stage=stage)
    if clock is None:
        return ""
    return timezone.localtime(clock.due_at).strftime("%Y-%m-%d")


# -- for the sweeper ----------------------------------------------------------------------------


def due_for_check(*, now: datetime, limit: int) -> QuerySet[ClockCheck, tuple[Any, ...]]:
    """Running clocks of cases whose check time has come, as the columns the sweeper reads
    (``sweep_rows.CLOCK_COLUMNS``), their narrow ``ClockCheck`` rows locked (the wide clock
    rows are only read); rows other sweepers hold are skipped. Every change of a clock's state
    or period writes its check row too, so a clock being changed is skipped or waits for the
    sweeper. Clocks of other owners (supervision orders, milestones) have their own sweeps."""
    from xiaoneng.cases.sweep_rows import CLOCK_COLUMNS

    return (
        ClockCheck.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            next_check_at__lte=now,
            owner_type__in=(CASE_OWNER, ASSIST_OWNER),
            clock__state=Clock.State.RUNNING,
        )
        .order_by("next_check_at", "clock_id")
        .values_list(*(f"clock__{column}" for column in CLOCK_COLUMNS))[:limit]
    )


def thresholds(clock: Clock) -> Marks:
    return marks_of(clock_thresholds(clock))


def marks_of(thresholds: list[Threshold]) -> Marks:
    points = {threshold.kind: threshold.at for threshold in thresholds}
    return Marks(
        prewarn_at=points.get("prewarn"), due_at=points["due"], grace_due_at=points.get("red")
    )


def schedule_next(clock: Clock, *, now: datetime, save: bool = True) -> None:
    clock_schedule_next(clock=clock, now=now, save=save)
