"""The intake pool (待受理) of each receiving unit: which cases are in it and who works it.

A request that no staff member registered in person (the portal, Open311, an interface
client, an imported hotline referral) is registered without a first-contact person and waits
in the pool of its receiving unit (``case.unit``). The unit's first-contact post works the
pool by the A/B rule: the A holder, the B holder while A is away, the department head while
both are. Whoever takes a case out of the pool becomes its first-contact person. The
efficiency office sees every pool and may step in; it is not the pool's default worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import has_global_scope, pool_scope
from xiaoneng.cases.states import State
from xiaoneng.org.models import Department, Post, Staff, Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import ActingHolder, Capacity, absent_staff_ids, staff_for, user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

# A case is in its unit's pool while it is registered and nobody has taken it yet.
IN_POOL = Q(state=State.REGISTERED, first_contact__isnull=True)


def in_pool(case: Case) -> bool:
    return case.state == State.REGISTERED and case.first_contact_id is None


def pool_cases() -> QuerySet[Case]:
    return Case.objects.filter(IN_POOL)


@dataclass(frozen=True)
class PoolDuty:
    """One pool a person works now, in which capacity, and for whom when standing in."""

    unit: Unit
    post: Post
    acting: ActingHolder


def acting_of(post: Post, away: set[int]) -> ActingHolder:
    """The A/B rule of ``post_acting_holder``, with the absences of every post read at once."""
    a, b = post.a_holder, post.b_holder
    if a is not None and a.pk not in away:
        return ActingHolder(staff=a, capacity=Capacity.A_HOLDER)
    if b is not None and b.pk not in away:
        return ActingHolder(staff=b, capacity=Capacity.B_HOLDER, standing_in_for=a)
    head = post.department.head
    if head is None:
        return ActingHolder(staff=None, capacity=None, standing_in_for=a)
    return ActingHolder(staff=head, capacity=Capacity.HEAD, standing_in_for=a or b)


def _units_with_posts(units: QuerySet[Unit]) -> list[Unit]:
    return list(
        units.filter(first_contact_post__isnull=False).select_related(
            "first_contact_post__a_holder__user",
            "first_contact_post__b_holder__user",
            "first_contact_post__department__head__user",
        )
    )


def pool_duties(staff: Staff | None, *, at: datetime | None = None) -> list[PoolDuty]:
    """The pools this person works now: two queries whatever the number of units."""
    if staff is None:
        return []
    at = at or timezone.now()
    units = _units_with_posts(
        Unit.objects.filter(
            Q(first_contact_post__a_holder=staff)
            | Q(first_contact_post__b_holder=staff)
            | Q(first_contact_post__department__head=staff)
        )
    )
    holders = {
        holder.pk
        for unit in units
        for holder in (unit.first_contact_post.a_holder, unit.first_contact_post.b_holder)
        if holder is not None
    }
    away = absent_staff_ids(staff_ids=sorted(holders), at=at) if holders else set()
    duties = []
    for unit in units:
        acting = acting_of(unit.first_contact_post, away)
        if acting.staff is not None and acting.staff.pk == staff.pk:
            duties.append(PoolDuty(unit=unit, post=unit.first_contact_post, acting=acting))
    return duties


def pool_acting_holder(unit: Unit, *, at: datetime | None = None) -> ActingHolder | None:
    """Who works this unit's pool now; None when the unit has named no first-contact post."""
    if unit.first_contact_post_id is None:
        return None
    from xiaoneng.cases.config_cache import intake_post_acting

    return intake_post_acting(unit.first_contact_post_id, at=at or timezone.now())


def pool_people(case: Case) -> list[Staff | None]:
    """Whom a pool clock's signals reach: the pool's acting worker and its department head."""
    unit = Unit.objects.select_related("first_contact_post__department__head__user").get(
        pk=case.unit_id
    )
    acting = pool_acting_holder(unit)
    if acting is None:
        return []
    head = unit.first_contact_post.department.head
    return [acting.staff, head] if head != acting.staff else [acting.staff]


def pool_department(case: Case) -> Department | None:
    """The department of the first-contact post whose pool holds the case."""
    unit = Unit.objects.select_related("first_contact_post__department").get(pk=case.unit_id)
    post = unit.first_contact_post
    return post.department if post is not None else None


def may_work_pool(user: User, case: Case) -> bool:
    """May this person take the case out of its pool now (acting worker or efficiency office)?"""
    if not in_pool(case):
        return False
    if Role.EFFICIENCY_OFFICE in user_roles(user):
        return True
    staff = staff_for(user)
    return any(duty.unit.pk == case.unit_id for duty in pool_duties(staff))


def pool_visible_to(user: User) -> QuerySet[Case]:
    """The pooled cases a person sees: every pool for the supervisors, else the pools of the
    units whose first-contact post is theirs (the same scope as ``cases_visible_to``)."""
    if has_global_scope(user):
        return pool_cases()
    staff = staff_for(user)
    if staff is None:
        return Case.objects.none()
    return pool_cases().filter(pool_scope(staff))


def pool_next_step(case: Case) -> dict[str, str]:
    """What happens next to a pooled request, for the requester's confirmation: which unit
    accepts it (named in the language of the request that submitted it) and by when (the
    intake clock's due moment, local time)."""
    from xiaoneng.cases import clocks

    if not in_pool(case):
        return {}
    clock = clocks.current(case=case, stage=clocks.INTAKE)
    due = timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M") if clock else ""
    return {"pool_unit": case.unit.label, "accept_by": due}
