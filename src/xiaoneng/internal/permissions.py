"""Who sees an internal matter and who may act on it.

Internal matters are not public. They are seen by 办公室 (the bureau's general office, which
registers and routes them), the efficiency office and the leaders; by the departments on their
route (lead or assisting); and by the unit or department that asked (a school sees its own
请示 and nothing else). The three administrators see nothing (三员分立).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.org.roles import ADMIN_ROLES, Role
from xiaoneng.org.selectors import staff_for, user_roles

if TYPE_CHECKING:
    from xiaoneng.internal.models import Matter
    from xiaoneng.org.actors import User

# The bureau department that registers and routes internal matters (办公室).
OFFICE_DEPARTMENT_CODE = "office"
# Every role that may open the internal-matter pages (scope decides what each one sees).
INTERNAL_ROLES = (
    Role.INTAKE,
    Role.HANDLER,
    Role.DEPT_HEAD,
    Role.EFFICIENCY_OFFICE,
    Role.INSPECTOR,
    Role.LEADER,
)
WORKER_ROLES = frozenset({Role.INTAKE, Role.HANDLER, Role.DEPT_HEAD})


def _roles(user: User) -> set[str]:
    return user_roles(user)


def is_office(staff: Staff | None, roles: set[str]) -> bool:
    """A member of 办公室: a first-contact officer or the head of the bureau's office."""
    if staff is None or staff.department_id is None or roles & ADMIN_ROLES:
        return False
    department = staff.department
    return (
        department is not None
        and department.code == OFFICE_DEPARTMENT_CODE
        and staff.unit.kind == Unit.Kind.BUREAU
        and bool(roles & {Role.INTAKE, Role.DEPT_HEAD})
    )


def sees_all(user: User) -> bool:
    roles = _roles(user)
    if roles & ADMIN_ROLES:
        return False
    if roles & {Role.EFFICIENCY_OFFICE, Role.LEADER}:
        return True
    return is_office(staff_for(user), roles)


def visible_q(user: User) -> Q | None:
    """The filter of the matters this person may see; ``None`` for nothing at all."""
    roles = _roles(user)
    if roles & ADMIN_ROLES or not roles & set(INTERNAL_ROLES):
        return None
    if sees_all(user):
        return Q()
    staff = staff_for(user)
    if staff is None:
        return None
    if staff.unit.kind != Unit.Kind.BUREAU:
        return Q(asking_unit_id=staff.unit_id)
    if staff.department_id is None:
        return Q(asked_by=staff)
    department = staff.department_id
    return (
        Q(lead_department_id=department)
        | Q(assists__department_id=department)
        | Q(asking_department_id=department)
        | Q(reroutes__department_id=department)
        | Q(asked_by=staff)
    )


def may_route(user: User) -> bool:
    """办公室 registers and routes; it and the leaders decide re-route requests."""
    return is_office(staff_for(user), _roles(user))


def may_arbitrate(user: User) -> bool:
    roles = _roles(user)
    return not roles & ADMIN_ROLES and (Role.LEADER in roles or may_route(user))


def in_lead(user: User, matter: Matter) -> bool:
    """A worker of the lead department (who signs for it, drafts, completes, asks to re-route)."""
    staff = staff_for(user)
    roles = _roles(user)
    return (
        staff is not None
        and not roles & ADMIN_ROLES
        and bool(roles & WORKER_ROLES)
        and matter.lead_department_id is not None
        and staff.department_id == matter.lead_department_id
    )


def is_lead_head(user: User, matter: Matter) -> bool:
    staff = staff_for(user)
    if staff is None or matter.lead_department_id is None or _roles(user) & ADMIN_ROLES:
        return False
    head_id = Department.objects.filter(pk=matter.lead_department_id).values_list(
        "head_id", flat=True
    )
    return staff.pk in head_id or (
        Role.DEPT_HEAD in _roles(user) and staff.department_id == matter.lead_department_id
    )


def is_leader_for(user: User, matter: Matter) -> bool:
    staff = staff_for(user)
    roles = _roles(user)
    if staff is None or Role.LEADER not in roles or roles & ADMIN_ROLES:
        return False
    return matter.leader_id is None or matter.leader_id == staff.pk


def is_asker(user: User, matter: Matter) -> bool:
    """Someone of the unit (a school) or department that asked."""
    staff = staff_for(user)
    roles = _roles(user)
    if staff is None or roles & ADMIN_ROLES or not roles & WORKER_ROLES:
        return False
    if matter.asking_department_id is not None:
        return staff.department_id == matter.asking_department_id
    return matter.asking_unit_id is not None and staff.unit_id == matter.asking_unit_id


def may_ask(user: User) -> bool:
    """Any worker of a school or a bureau department may send a 请示."""
    roles = _roles(user)
    return staff_for(user) is not None and bool(roles & WORKER_ROLES) and not roles & ADMIN_ROLES


def may_supervise(user: User) -> bool:
    roles = _roles(user)
    return Role.EFFICIENCY_OFFICE in roles and not roles & ADMIN_ROLES


def may_decide_extension(user: User) -> bool:
    roles = _roles(user)
    return not roles & ADMIN_ROLES and bool(roles & {Role.LEADER, Role.EFFICIENCY_OFFICE})
