"""Who may see which violation, sanction, appeal and conduct complaint. Deny by default:
the efficiency office, inspectors and leaders see every violation, sanction and appeal; a
department head those of their department; a handler their own. Conduct complaints are for
the efficiency office and inspectors only (the complainant is confidential)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from xiaoneng.accountability.models import Appeal, ConductComplaint, Sanction, Violation
from xiaoneng.org.roles import Role
from xiaoneng.org.scope import has_any_role
from xiaoneng.org.selectors import staff_for, user_roles

GLOBAL = frozenset({Role.EFFICIENCY_OFFICE, Role.INSPECTOR, Role.LEADER})
# Roles that may open the accountability pages at all; the rest get 403.
PAGE_ROLES = (Role.EFFICIENCY_OFFICE, Role.INSPECTOR, Role.LEADER, Role.DEPT_HEAD, Role.HANDLER)
CONDUCT_ROLES = (Role.EFFICIENCY_OFFICE, Role.INSPECTOR)


def is_global(user: Any) -> bool:
    return has_any_role(user, GLOBAL)


def _head_department_id(user: Any) -> int | None:
    staff = staff_for(user)
    if staff is None or staff.department_id is None:
        return None
    if Role.DEPT_HEAD in user_roles(user):
        return staff.department_id
    return None


def violations_visible_to(user: Any) -> QuerySet[Violation]:
    if is_global(user):
        return Violation.objects.all()
    staff = staff_for(user)
    if staff is None:
        return Violation.objects.none()
    scope = Q(staff=staff) | Q(parts__staff=staff)
    department_id = _head_department_id(user)
    if department_id is not None:
        scope |= Q(department_id=department_id) | Q(staff__department_id=department_id)
    return Violation.objects.filter(pk__in=Violation.objects.filter(scope).values("pk"))


def violation_for_user(user: Any, pk: int) -> Violation:
    found = (
        violations_visible_to(user)
        .select_related("case", "department", "staff__user", "signal", "reviewed_by__user")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def sanctions_visible_to(user: Any) -> QuerySet[Sanction]:
    if is_global(user):
        return Sanction.objects.all()
    staff = staff_for(user)
    if staff is None:
        return Sanction.objects.none()
    scope = Q(staff=staff)
    department_id = _head_department_id(user)
    if department_id is not None:
        scope |= Q(staff__department_id=department_id)
    return Sanction.objects.filter(scope)


def sanction_for_user(user: Any, pk: int) -> Sanction:
    found = (
        sanctions_visible_to(user)
        .select_related("violation", "staff__user", "staff__unit", "decided_by__user")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    if is_global(user):
        return Appeal.objects.all()
    staff = staff_for(user)
    if staff is None:
        return Appeal.objects.none()
    scope = Q(person=staff) | Q(filed_by=staff)
    department_id = _head_department_id(user)
    if department_id is not None:
        scope |= Q(department_id=department_id)
    return Appeal.objects.filter(scope)


def appeal_for_user(user: Any, pk: int) -> Appeal:
    found = (
        appeals_visible_to(user)
        .select_related("signal__case", "violation", "sanction", "person__user", "filed_by__user")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def conduct_complaints_visible_to(user: Any) -> QuerySet[ConductComplaint]:
    if has_any_role(user, CONDUCT_ROLES):
        return ConductComplaint.objects.all()
    return ConductComplaint.objects.none()


def conduct_complaint_for_user(user: Any, pk: int) -> ConductComplaint:
    found = (
        conduct_complaints_visible_to(user)
        .select_related("unit", "department", "staff__user", "source_case", "violation")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found
