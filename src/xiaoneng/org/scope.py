"""Scope questions every feature asks about a person: which roles they hold, which departments
they answer for. The features keep their own rules (who sees everything, who sees what); these
are the bricks those rules are built from."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q

from xiaoneng.org.models import Staff
from xiaoneng.org.selectors import user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def has_any_role(user: User, roles: Iterable[str]) -> bool:
    """Whether the user holds at least one of ``roles``."""
    return bool(user_roles(user) & set(roles))


def headed_department_ids(staff: Staff | None) -> list[int]:
    """The departments this person heads (none without a staff record)."""
    if staff is None:
        return []
    return list(staff.headed_departments.values_list("pk", flat=True))


def department_scope(staff: Staff, scope: Q, *, field: str = "department_id") -> Q:
    """``scope`` widened to the rows of the person's own department and of every department
    they head, the department read from ``field``."""
    if staff.department_id is not None:
        scope |= Q(**{field: staff.department_id})
    headed = headed_department_ids(staff)
    if headed:
        scope |= Q(**{f"{field}__in": headed})
    return scope
