"""Questions about the organisation: who is away, who acts now for a post, what roles one holds,
which staff record a login has."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import PermissionDenied
from xiaoneng.org.models import Absence, Post, Staff
from xiaoneng.org.roles import Role

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


class Capacity(StrEnum):
    A_HOLDER = "a"
    B_HOLDER = "b"
    HEAD = "head"


@dataclass(frozen=True)
class ActingHolder:
    """Who acts for a post now, in which capacity, and on whose behalf when standing in."""

    staff: Staff | None
    capacity: Capacity | None
    standing_in_for: Staff | None = None


def staff_is_absent(*, staff: Staff, at: datetime) -> bool:
    return Absence.objects.filter(staff=staff, starts_at__lte=at, ends_at__gt=at).exists()


def absent_staff_ids(*, staff_ids: list[int], at: datetime) -> set[int]:
    rows = Absence.objects.filter(staff_id__in=staff_ids, starts_at__lte=at, ends_at__gt=at)
    return set(rows.values_list("staff_id", flat=True))


def post_acting_holder(*, post: Post, at: datetime) -> ActingHolder:
    """A unless absent, else B unless absent, else the department head (AB岗工作制)."""
    a, b = post.a_holder, post.b_holder
    away = absent_staff_ids(staff_ids=[s.pk for s in (a, b) if s is not None], at=at)
    if a is not None and a.pk not in away:
        return ActingHolder(staff=a, capacity=Capacity.A_HOLDER)
    if b is not None and b.pk not in away:
        return ActingHolder(staff=b, capacity=Capacity.B_HOLDER, standing_in_for=a)
    head = post.department.head
    if head is None:
        return ActingHolder(staff=None, capacity=None, standing_in_for=a)
    return ActingHolder(staff=head, capacity=Capacity.HEAD, standing_in_for=a or b)


def staff_roles(*, staff: Staff) -> set[str]:
    return set(staff.user.groups.values_list("name", flat=True))


def user_roles(user: object) -> set[str]:
    """Role codes of a user; cached on the instance for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    member = cast("User", user)  # signed in: a user of this project
    cached: set[str] | None = getattr(member, "_xiaoneng_roles", None)
    if cached is None:
        valid = {role.value for role in Role}
        cached = set(member.groups.values_list("name", flat=True)) & valid
        member._xiaoneng_roles = cached  # type: ignore[attr-defined]  # cached for the request
    return cached


def user_roles_prime(users: Iterable[object]) -> None:
    """Cache the roles of many user instances with one query (``user_roles`` then reads the
    cache): for batch work such as the sweeper, which meets each person on many cases."""
    from django.contrib.auth.models import Group

    members = [
        cast("User", user)
        for user in users
        if getattr(user, "is_authenticated", False) and not hasattr(user, "_xiaoneng_roles")
    ]
    if not members:
        return
    valid = {role.value for role in Role}
    found: dict[int, set[str]] = {}
    rows = Group.user_set.through.objects.filter(
        user_id__in={m.pk for m in members},
        group__name__in=valid,
    ).values_list("user_id", "group__name")
    for user_id, name in rows:
        found.setdefault(user_id, set()).add(name)
    for member in members:
        member._xiaoneng_roles = set(found.get(member.pk, ()))  # type: ignore[attr-defined]


def staff_for(user: User) -> Staff | None:
    """The user's staff record (with unit and department), or None; cached on the instance for
    the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_xiaoneng_staff", False)
    if cached is False:
        # get(), not first(): one row at most, without the model's ordering to compile.
        try:
            cached = Staff.objects.select_related("unit", "department").get(user=user)
        except Staff.DoesNotExist:
            cached = None
        user._xiaoneng_staff = cached  # type: ignore[attr-defined]  # cached for the request
    return cast("Staff | None", cached)


def require_staff(user: User) -> Staff:
    """The user's staff record; refused for anyone who has none."""
    staff = staff_for(user)
    if staff is None:
        raise PermissionDenied(_("Only staff members may do this."))
    return staff
