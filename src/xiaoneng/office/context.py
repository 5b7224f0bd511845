"""Template context for every page: the site name, the person, their roles, unread count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from xiaoneng.notify.context import LazyCount
from xiaoneng.notify.selectors import inbox_unread_count
from xiaoneng.office.navigation import navigation_html
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import role_label
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.security.otp import otp_required_for
from xiaoneng.web.person import prime, unread_of

if TYPE_CHECKING:
    from xiaoneng.org.models import Staff


def _site_name(staff: Staff | None) -> str:
    if settings.XIAONENG_SITE_NAME:
        return settings.XIAONENG_SITE_NAME
    if staff:
        return staff.unit.label
    bureau = Unit.objects.filter(kind=Unit.Kind.BUREAU, parent=None).first()
    return bureau.label if bureau else _("Xiaoneng efficiency supervision")


def _unread(request: HttpRequest) -> int:
    user = _primed(getattr(request, "user", None))
    primed = unread_of(user)
    return primed if primed is not None else inbox_unread_count(user=user)


def _menu_ready(user: Any) -> bool:
    """The full menu only once the person has passed the second factor their roles need."""
    if user is None or not user.is_authenticated:
        return False
    if not settings.XIAONENG_REQUIRE_OTP or not otp_required_for(user):
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


def _primed(user: Any) -> Any:
    """The user with staff record, roles and unread count read in one query (``prime``) when
    the view has looked up none of them: an error page or a view without a role check would
    otherwise ask three times for the layout alone."""
    if (
        user is not None
        and getattr(user, "is_authenticated", False)
        and not hasattr(user, "_xiaoneng_staff")
        and not hasattr(user, "_xiaoneng_roles")
    ):
        prime(user)
    return user


def office_context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # staff_for caches on the user, so the view's own lookup (or prime) is reused here.
    staff = SimpleLazyObject(lambda: staff_for(_primed(user)))
    roles = SimpleLazyObject(lambda: sorted(user_roles(_primed(user))))
    return {
        "current_staff": staff,
        "current_roles": roles,
        "current_role_labels": SimpleLazyObject(lambda: [role_label(code) for code in roles]),
        "site_name": SimpleLazyObject(lambda: _site_name(staff_for(_primed(user)))),
        # Django's sign-in view puts the host's name in ``site_name``: the header reads this one.
        "office_site_name": SimpleLazyObject(lambda: _site_name(staff_for(_primed(user)))),
        "current_unread": LazyCount(lambda: _unread(request)),
        "menu_ready": SimpleLazyObject(lambda: _menu_ready(user)),
        "nav_html": SimpleLazyObject(
            lambda: navigation_html(roles, path=request.path, is_staff=bool(user and user.is_staff))
        ),
    }
