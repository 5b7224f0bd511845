"""What the internal-matter services share: locking, the timeline, clocks, messages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.catalog.models import PolicyVersion
from xiaoneng.catalog.selectors import policy_current_version
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.internal.models import MATTER_OWNER, Matter, MatterEvent
from xiaoneng.internal.services.policies import internal_policies_seed
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Department, Staff
from xiaoneng.org.selectors import require_staff
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import Counting
from xiaoneng.workdays.selectors import clock_open_for, clocks_of
from xiaoneng.workdays.services.clocks import clock_start, clock_stop

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from xiaoneng.org.actors import Actor, User

SIGN_FOR = Clock.Stage.SIGN_FOR.value
REPLY = Clock.Stage.REPLY.value

# The versioned time-limit policy of each kind (catalog.TimeLimitPolicy codes, seeded by the
# migration 0002_internal_policies).
POLICY_CODES = {
    Matter.Kind.INSTRUCTION: "internal-instruction",
    Matter.Kind.REQUEST: "internal-request",
    Matter.Kind.MEETING: "internal-meeting",
}


def policy_for(kind: str) -> PolicyVersion:
    code = POLICY_CODES[Matter.Kind(kind)]
    version = policy_current_version(code=code)
    if version is None:
        internal_policies_seed()
        version = policy_current_version(code=code)
    if version is None:
        raise DomainError(
            lazy_format(
                _("The time-limit policy %(code)s is missing; ask the system administrator."),
                {"code": code},
            )
        )
    return version


def locked(matter: Matter) -> Matter:
    return (
        Matter.objects.select_for_update(of=("self",))
        .select_related("policy_version", "lead_department")
        .get(pk=matter.pk)
    )


def require_state(matter: Matter, *states: str) -> None:
    if matter.state not in states:
        raise DomainError(
            lazy_format(
                _("This cannot be done while the matter is “%(state)s”."),
                {"state": matter.get_state_display()},
            )
        )


def refuse_unless(allowed: bool, message: StrOrPromise | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not do this on this matter."))


def text(value: str | None, message: StrOrPromise) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise DomainError(message)
    return cleaned


def actor_staff(by: User) -> Staff:
    return require_staff(by)


def event(
    matter: Matter,
    *,
    action: str,
    staff: Staff | None,
    at: datetime,
    note: str = "",
    department: Department | None = None,
) -> MatterEvent:
    return MatterEvent.objects.create(
        matter=matter, action=action, staff=staff, at=at, note=note, department=department
    )


def audit(matter: Matter, *, action: str, by: Actor, **summary: Any) -> None:
    log_action(
        action=f"internal.{action}",
        obj=matter,
        actor=by,
        unit_id=matter.unit_id,
        summary={"number": matter.number, **summary},
    )


def start_clock(matter: Matter, *, stage: str, at: datetime, by: Actor) -> Clock:
    """The stage's clock on the working-day calendar, from the matter's policy version; a limit
    the leader set above the policy's runs ad hoc (the version stays on the matter)."""
    version = matter.policy_version
    limit = matter.limit_workdays if stage == REPLY else None
    stage_limit = version.stage_limit(stage)
    if stage_limit is not None and (limit is None or limit <= stage_limit.amount):
        return clock_start(
            owner_type=MATTER_OWNER,
            owner_id=matter.pk,
            stage=stage,
            started_at=at,
            policy_version=version,
            limit=limit,
            unit_id=matter.unit_id,
            by=by,
        )
    return clock_start(
        owner_type=MATTER_OWNER,
        owner_id=matter.pk,
        stage=stage,
        started_at=at,
        counting=Counting.WORKDAYS,
        limit=limit or (stage_limit.amount if stage_limit else 1),
        unit_id=matter.unit_id,
        by=by,
    )


def open_clock(matter: Matter, stage: str) -> Clock | None:
    return clock_open_for(owner_type=MATTER_OWNER, owner_id=matter.pk, stage=stage)


def stop_clock(matter: Matter, *, stage: str, at: datetime, by: Actor) -> Clock | None:
    """Stop the stage's running clock; returns it (None when none was running)."""
    clock = open_clock(matter, stage)
    if clock is not None:
        clock_stop(clock=clock, at=at, by=by)
    return clock


def matter_clocks(matter: Matter) -> list[Clock]:
    return list(clocks_of(owner_type=MATTER_OWNER, owner_id=matter.pk).order_by("id"))


def department_people(department: Department | None) -> list[Staff | None]:
    if department is None:
        return []
    people: list[Staff | None] = [department.head]
    people += list(
        Staff.objects.filter(department=department, user__is_active=True).select_related("user")
    )
    return people


def tell(
    people: Iterable[Staff | None], matter: Matter, *, kind: str, subject: StrOrPromise
) -> None:
    """Messages through the outbox, in the caller's transaction (sent once it commits)."""
    notify_people(
        people,
        kind=f"internal.{kind}",
        subject=str(subject),
        body=f"{matter.number} {matter.title}",
        obj=matter,
        unit_id=matter.unit_id,
    )
