"""Who sees and acts on targets. Deny by default; objects outside a person's scope are 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from xiaoneng.org.roles import Role
from xiaoneng.org.scope import department_scope, has_any_role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.targets.models import Task

# Roles that manage every target and see every task.
MANAGERS = frozenset({Role.EFFICIENCY_OFFICE})
READERS_ALL = frozenset({Role.EFFICIENCY_OFFICE, Role.LEADER})
# Roles that may open the target pages at all (scope decides which tasks).
TARGET_ROLES = (Role.EFFICIENCY_OFFICE, Role.LEADER, Role.DEPT_HEAD, Role.HANDLER)


def sees_all(user: Any) -> bool:
    return has_any_role(user, READERS_ALL)


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    """Every task for the efficiency office and leaders; otherwise the tasks of one's own
    department, of departments one heads, and those one is responsible for."""
    if sees_all(user):
        return Task.objects.all()
    staff = staff_for(user)
    roles = user_roles(user)
    if staff is None or not roles & {Role.DEPT_HEAD, Role.HANDLER}:
        return Task.objects.none()
    return Task.objects.filter(department_scope(staff, Q(person=staff) | Q(leader=staff)))


def task_for_user(user: Any, pk: int) -> Task:
    task = (
        tasks_visible_to(user)
        .select_related("target", "unit", "department__head__user", "leader", "person__user")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def may_report(user: Any, task: Task) -> bool:
    """The responsible person, and the department's handlers and head."""
    staff = staff_for(user)
    if staff is None:
        return False
    if task.person_id == staff.pk:
        return True
    if may_sign_off(user, task):
        return True
    in_department = task.department_id is not None and staff.department_id == task.department_id
    return in_department and bool(user_roles(user) & {Role.DEPT_HEAD, Role.HANDLER})


def may_sign_off(user: Any, task: Task) -> bool:
    """The head of the task's department (or, for a task without a department, its leader)."""
    staff = staff_for(user)
    if staff is None:
        return False
    if task.department is not None:
        return task.department.head_id == staff.pk
    return task.leader_id == staff.pk
