"""Role checks for the staff pages of every app. Anonymous people never get this far
(LoginRequiredMiddleware)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from xiaoneng.org.roles import ADMIN_ROLES
from xiaoneng.org.selectors import user_roles
from xiaoneng.web.person import prime

# Roles that work on cases (everyone except the three administrators).
CASE_ROLES = ("intake", "handler", "dept_head", "efficiency_office", "inspector", "leader")


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Allow the view only to people holding at least one of ``roles``; 403 for everyone else.
    A view that names no administrator role also refuses anyone holding one, even beside a
    business role: the three administrators stay out of the business (三员分立)."""
    wanted = set(roles)
    admins_allowed = bool(wanted & ADMIN_ROLES)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            prime(request.user)  # type: ignore[arg-type]  # signed in (LoginRequiredMiddleware)
            held = user_roles(request.user)
            if not held & wanted or (not admins_allowed and held & ADMIN_ROLES):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]  # read by the URL-walking permission test
        return wrapper

    return decorator


def case_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of one case: any case role may try; ``case_for_user`` decides by scope (404)."""
    return role_required(*CASE_ROLES)(view)
