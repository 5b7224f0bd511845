"""System checks for the organisation: no superuser may exist in production (三员分立)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, Tags.database)
def check_no_superuser_in_production(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[Error]:
    if not settings.PRODUCTION or not databases:
        return []
    from xiaoneng.org.models import User

    try:
        names = list(User.objects.filter(is_superuser=True).values_list("username", flat=True))
    except DatabaseError:
        return []  # Not migrated yet: nothing to check.
    if not names:
        return []
    return [
        Error(
            f"Superuser accounts exist in production: {', '.join(names)}.",
            hint="Production has no superuser: give these people one of the three administrator "
            "roles instead and remove is_superuser (xiaoneng shell or the security administrator).",
            id="xiaoneng.E001",
        )
    ]


@register(Tags.security, Tags.database)
def check_administrator_roles_separated(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[Error]:
    """三员分立 also for rows written around the services (a data import, a shell session)."""
    if not settings.PRODUCTION or not databases:
        return []
    from django.db.models import Count

    from xiaoneng.org.models import User
    from xiaoneng.org.roles import ADMIN_ROLES

    try:
        names = list(
            User.objects.filter(groups__name__in=[role.value for role in ADMIN_ROLES])
            .annotate(admin_roles=Count("groups"))
            .filter(admin_roles__gt=1)
            .values_list("username", flat=True)
        )
    except DatabaseError:
        return []
    if not names:
        return []
    return [
        Error(
            f"Accounts hold more than one administrator role: {', '.join(names)}.",
            hint="Each of the system, security and audit administrator roles needs its own "
            "person; remove the extra roles.",
            id="xiaoneng.E002",
        )
    ]
