"""Who may see a case and who may act on it. Deny by default.

Every door to case content (office pages, API by session or key, documents, exports, search,
supervision) asks ``has_case_scope`` first, through ``cases_visible_to``: the three
administrators (三员分立) have no case scope at all, whatever department their staff record
sits in and whatever other role they were given; a person without a case role has none either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from xiaoneng.cases.models import Case
from xiaoneng.cases.states import State
from xiaoneng.org.models import Staff, Unit
from xiaoneng.org.roles import ADMIN_ROLES, Role
from xiaoneng.org.selectors import staff_for, user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

# Roles that supervise every unit of the bureau.
GLOBAL_ROLES = frozenset({Role.EFFICIENCY_OFFICE, Role.LEADER, Role.INSPECTOR})
# Roles that work on cases: every role except the three administrators.
CASE_ROLES = frozenset(Role) - ADMIN_ROLES


def has_case_scope(user: User) -> bool:
    """Whether this login may see any case at all: it holds a case role and no administrator
    role. An administrator who was also given a case role still sees none (三员分立)."""
    roles = user_roles(user)
    return bool(roles & CASE_ROLES) and not roles & ADMIN_ROLES


def is_administrator(user: User) -> bool:
    """Holds one of the three administrator roles: never told a case's content (三员分立)."""
    return bool(user_roles(user) & ADMIN_ROLES)


def has_global_scope(user: User) -> bool:
    return has_case_scope(user) and bool(user_roles(user) & GLOBAL_ROLES)


def pool_scope(staff: Staff) -> Q:
    """The intake pools (待受理) a staff member sees: those of the units whose first-contact
    post they hold (A or B) or head, as the holders of any post see its cases. Who may act
    on a pooled case now is the A/B rule (cases/pool.py)."""
    # The units as a subquery on the small unit table, so the case side stays an index range
    # (unit, state) instead of a join evaluated for every case.
    units = Unit.objects.filter(
        Q(first_contact_post__a_holder=staff)
        | Q(first_contact_post__b_holder=staff)
        | Q(first_contact_post__department__head=staff)
    ).values("pk")
    return Q(state=State.REGISTERED, first_contact__isnull=True, unit_id__in=units)


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case this person may open: none without a case scope (the three administrators,
    staff without a case role); all for the efficiency office, inspectors and leaders;
    otherwise those of their department (lead or assisting), their own, their posts', and the
    intake pool of a unit whose first-contact post is theirs; except a case converted into a
    conduct complaint, which only the supervisors see."""
    if not has_case_scope(user):
        return Case.objects.none()
    if has_global_scope(user):
        return Case.objects.all()
    staff = staff_for(user)
    if staff is None:
        return Case.objects.none()
    scope = Q(first_contact=staff) | Q(handler=staff)
    scope |= Q(post__a_holder=staff) | Q(post__b_holder=staff)
    scope |= pool_scope(staff)
    if staff.department_id is not None:
        scope |= Q(lead_department_id=staff.department_id)
        scope |= Q(assists__department_id=staff.department_id)
    # A complaint turned into a conduct complaint names a person of that department; the
    # complainant's identity must never reach them (confidential conduct complaints).
    visible = Case.objects.filter(scope).filter(conduct_complaint__isnull=True)
    return Case.objects.filter(pk__in=visible.values("pk"))


def case_for_user(user: User, pk: int, *, for_update: bool = False) -> Case:
    """Fetch a case the person may see, or 404 — whether it exists elsewhere is not revealed."""
    queryset = cases_visible_to(user).select_related(
        "category", "unit", "lead_department", "handler__user", "first_contact__user", "post"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    # get(), not first(): no ordering (compiled over every selected column) for one row.
    try:
        return queryset.get(pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None
