"""Who may see and act on supervision orders, callbacks and inspections. Deny by default."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import PermissionDenied
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.scope import department_scope, has_any_role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.supervision.models import Inspection, Order

ISSUERS = frozenset({Role.EFFICIENCY_OFFICE, Role.LEADER})
ORDER_READERS_ALL = frozenset({Role.EFFICIENCY_OFFICE, Role.LEADER})
ANSWERERS = frozenset({Role.DEPT_HEAD, Role.HANDLER})
# Roles that may open the order pages at all (scope decides which orders).
ORDER_ROLES = (Role.EFFICIENCY_OFFICE, Role.LEADER, Role.DEPT_HEAD, Role.HANDLER)
CALLBACK_ROLES = (Role.EFFICIENCY_OFFICE, Role.LEADER)
INSPECTION_ROLES = (Role.INSPECTOR, Role.EFFICIENCY_OFFICE, Role.LEADER)


def require_any(user: Any, roles: frozenset[str] | tuple[str, ...], message: Any) -> None:
    if not has_any_role(user, roles):
        raise PermissionDenied(message)


def orders_visible_to(user: Any) -> QuerySet[Order]:
    """All orders for the efficiency office and leaders; a department's own orders for its head
    and handlers; nothing for anyone else."""
    roles = user_roles(user)
    if roles & ORDER_READERS_ALL:
        return Order.objects.all()
    staff = staff_for(user)
    if staff is None or not roles & ANSWERERS:
        return Order.objects.none()
    return Order.objects.filter(department_scope(staff, Q(person=staff)))


def order_for_user(user: Any, pk: int) -> Order:
    """The order if this person may see it, else 404 (existence is not revealed)."""
    order = (
        orders_visible_to(user)
        .select_related("unit", "department__head__user", "person__user", "case", "clock")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    return order


def may_answer(user: Any, order: Order) -> bool:
    """The responsible department's head or one of its handlers (or the named person)."""
    staff = staff_for(user)
    if staff is None or not user_roles(user) & ANSWERERS:
        return False
    if order.person_id is not None and order.person_id == staff.pk:
        return True
    if staff.department_id == order.department_id:
        return True
    return staff.headed_departments.filter(pk=order.department_id).exists()


def require_answerer(user: Any, order: Order) -> Staff:
    if not may_answer(user, order):
        raise PermissionDenied(
            _("Only the head or a handler of the responsible department may give feedback.")
        )
    staff = staff_for(user)
    assert staff is not None  # may_answer is false for a person without a staff record
    return staff


def inspection_for_user(user: Any, pk: int) -> Inspection:
    if not has_any_role(user, INSPECTION_ROLES):
        raise Http404
    inspection = Inspection.objects.select_related("unit").filter(pk=pk).first()
    if inspection is None:
        raise Http404
    return inspection
