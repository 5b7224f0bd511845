"""Who is asking: staff record, roles and unread count primed in one query per request.

Every staff page needs the person's staff record (scope), their roles (what to offer) and the
unread count (header). Asked separately that is three queries before a page has done anything;
the query budget of the workbench, the case list and the case page (≤ 10) cannot afford it.
``prime`` asks once and fills the caches ``staff_for`` and ``user_roles`` already read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
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
from django.db.models.sql.compiler import SQLCompiler

from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Staff, User
from xiaoneng.org.roles import ROLE_PERMISSIONS, Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.web.compiled import objects_from_rows

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


# A user id no row has, compiled into the query in place of the person's (then swapped).
_PLACEHOLDER = -7_340_211


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    user_at: int  # where the person's id goes in ``params``
    compiler: SQLCompiler  # turns the row into a staff record, as the ORM would


# Kept on the connection object itself (connections are per thread and per alias), so it
# lives and goes with the connection.
_ON_CONNECTION = "_xiaoneng_primed_staff"


def _compiled_for(connection: BaseDatabaseWrapper) -> _Compiled:
    """The staff query of ``prime`` compiled to SQL once per connection: compiling its two
    subqueries cost more than running them (about a tenth of every staff page's time)."""
    found: _Compiled | None = getattr(connection, _ON_CONNECTION, None)
    if found is None:
        queryset = _primed_staff().filter(user_id=_PLACEHOLDER)
        if not queryset.ordered:  # as ``first()`` does
            queryset = queryset.order_by("pk")
        compiler = queryset[:1].query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        at = [i for i, value in enumerate(params) if value == _PLACEHOLDER]
        if len(at) != 1:  # pragma: no cover - the query above names the person once
            raise RuntimeError("the primed staff query must name the person exactly once")
        found = _Compiled(sql=sql, params=tuple(params), user_at=at[0], compiler=compiler)
        setattr(connection, _ON_CONNECTION, found)
    return found


def _primed_staff_of(user: User) -> Staff | None:
    """``_primed_staff().filter(user=user).first()``, without compiling the query again: the
    row is read with the compiled SQL and turned into objects the way the ORM's model
    iterable does (the staff record, its unit and department, the two annotations)."""
    connection = connections[DEFAULT_DB_ALIAS]
    compiled = _compiled_for(connection)
    params = list(compiled.params)
    params[compiled.user_at] = user.pk
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchmany(1)
    if not rows:
        return None
    staff: Staff = objects_from_rows(compiled.compiler, rows, connection.alias)[0]
    return staff


def prime(user: User) -> None:
    """Fill ``user._xiaoneng_staff``, ``_xiaoneng_roles`` and ``_xiaoneng_unread`` at once."""
    if not getattr(user, "is_authenticated", False) or hasattr(user, "_xiaoneng_unread"):
        return
    staff = _primed_staff_of(user)
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
