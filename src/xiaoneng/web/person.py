"""Who is asking: staff record, roles and unread count primed in one query per request.

Every staff page needs the person's staff record (scope), their roles (what to offer) and the
unread count (header). Asked separately that is three queries before a page has done anything;
the query budget of the workbench, the case list and the case page (≤ 10) cannot afford it.
``prime`` asks once and fills the caches ``staff_for`` and ``user_roles`` already read.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db.models import (
    Aggregate,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce

from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Staff, User
from xiaoneng.org.roles import ROLE_PERMISSIONS, Role
from xiaoneng.org.selectors import user_roles

REVEAL_PERMISSION = "cases.reveal_requester"


class _Joined(Aggregate):
    """Texts joined by commas: ``GROUP_CONCAT`` on SQLite, ``STRING_AGG`` on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "%(function)s(%(expressions)s, ',')"
        return self.as_sql(compiler, connection, function="STRING_AGG", template=template)


@cache
def _primed_staff() -> QuerySet[Staff]:
    """The staff query with the role names and the unread count as two subqueries, built once
    per process (an unevaluated queryset is a template each request clones with its own
    filter). One subquery per role, as before, cost more to compile than the page's own query."""
    role_names = (
        User.groups.through.objects.filter(user_id=OuterRef("user_id"))
        .order_by()
        .values("user_id")
        .annotate(names=_Joined("group__name"))
        .values("names")  # type: ignore[misc]  # the stubs do not see annotations of a through model
    )
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
    return Staff.objects.select_related("unit", "department").annotate(
        role_names=Subquery(role_names[:1], output_field=TextField()),
        unread=Coalesce(Subquery(unread[:1], output_field=IntegerField()), Value(0)),
    )


def prime(user: User) -> None:
    """Fill ``user._xiaoneng_staff``, ``_xiaoneng_roles`` and ``_xiaoneng_unread`` at once."""
    if not getattr(user, "is_authenticated", False) or hasattr(user, "_xiaoneng_unread"):
        return
    staff = _primed_staff().filter(user=user).first()
    if staff is None:
        # Not a staff member (a bare account): fall back to the ordinary lookups.
        user._xiaoneng_staff = None  # type: ignore[attr-defined]
        user_roles(user)
        user._xiaoneng_unread = None  # type: ignore[attr-defined]
        return
    staff.user = user
    user._xiaoneng_staff = staff  # type: ignore[attr-defined]
    granted = set((getattr(staff, "role_names", None) or "").split(","))
    user._xiaoneng_roles = {role.value for role in Role if role.value in granted}  # type: ignore[attr-defined]
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
