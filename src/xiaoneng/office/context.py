"""Template context for every page: the site name, the person, their roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from xiaoneng.org.models import Staff, Unit
from xiaoneng.org.roles import role_label
from xiaoneng.org.selectors import user_roles


def _staff_of(request: HttpRequest) -> Staff | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Staff.objects.select_related("unit", "department").filter(user=user).first()


def _site_name(staff: Any) -> str:
    if settings.XIAONENG_SITE_NAME:
        return settings.XIAONENG_SITE_NAME
    if staff:
        return staff.unit.name
    bureau = Unit.objects.filter(kind=Unit.Kind.BUREAU, parent=None).first()
    return bureau.name if bureau else _("Xiaoneng efficiency supervision")


def office_context(request: HttpRequest) -> dict[str, Any]:
    staff = SimpleLazyObject(lambda: _staff_of(request))
    roles = SimpleLazyObject(lambda: sorted(user_roles(getattr(request, "user", None))))
    return {
        "current_staff": staff,
        "current_roles": roles,
        "current_role_labels": SimpleLazyObject(lambda: [role_label(code) for code in roles]),
        "site_name": SimpleLazyObject(lambda: _site_name(staff)),
    }
