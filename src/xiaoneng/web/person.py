"""Who is asking: staff record, roles and unread count primed in one query per request.

Every staff page needs the person's staff record (scope), their roles (what to offer) and the
unread count (header). Asked separately that is three queries before a page has done anything;
the query budget of the workbench, the case list and the case page (≤ 10) cannot afford it.
``prime`` asks once and fills the caches ``staff_for`` and ``user_roles`` already read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Staff, User
from xiaoneng.org.roles import ROLE_PERMISSIONS, Role
from xiaoneng.org.selectors import user_roles

REVEAL_PERMISSION = "cases.reveal_requester"


def prime(user: User) -> None:
    """Fill ``user._xiaoneng_staff``, ``_xiaoneng_roles`` and ``_xiaoneng_unread`` at once."""
    if not getattr(user, "is_authenticated", False) or hasattr(user, "_xiaoneng_unread"):
        return
    membership = User.groups.through.objects.filter(user_id=OuterRef("user_id"))
    unread = (
        Notification.objects.filter(
            recipient_user_id=OuterRef("user_id"),
            channel=Notification.Channel.INBOX,
            read_at__isnull=True,
        )
        .order_by()
        .values("recipient_user_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    annotations: dict[str, Any] = {
        f"has_{role.value}": Exists(membership.filter(group__name=role.value)) for role in Role
    }
    annotations["unread"] = Coalesce(Subquery(unread[:1], output_field=IntegerField()), Value(0))
    staff = (
        Staff.objects.select_related("unit", "department")
        .annotate(**annotations)
        .filter(user=user)
        .first()
    )
    if staff is None:
        # Not a staff member (a bare account): fall back to the ordinary lookups.
        user._xiaoneng_staff = None  # type: ignore[attr-defined]
        user_roles(user)
        user._xiaoneng_unread = None  # type: ignore[attr-defined]
        return
    staff.user = user
    user._xiaoneng_staff = staff  # type: ignore[attr-defined]
    user._xiaoneng_roles = {role.value for role in Role if getattr(staff, f"has_{role.value}")}  # type: ignore[attr-defined]
    user._xiaoneng_unread = staff.unread  # type: ignore[attr-defined]


def unread_of(user: User) -> int | None:
    """The primed unread count, or None when this request did not prime the person."""
    return getattr(user, "_xiaoneng_unread", None)


def may_reveal(user: User) -> bool:
    """Whether the person's roles carry the reveal permission (for showing the button; the
    view checks ``has_perm`` itself before revealing anything)."""
    return any(
        REVEAL_PERMISSION in ROLE_PERMISSIONS.get(Role(code), []) for code in user_roles(user)
    )
