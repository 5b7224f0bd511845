"""Security middleware: session limits, second factor, password expiry, response headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from xiaoneng.security import sessions
from xiaoneng.security.otp import otp_required_for

Handler = Callable[[HttpRequest], HttpResponse]

# Paths a person in the middle of a check may still reach: the check itself, signing out,
# switching the language, static files.
_ALWAYS_OPEN = ("/static/", "/i18n/", "/healthz", "/readyz")


def _open_path(request: HttpRequest, *names: str) -> bool:
    path = request.path_info
    if path.startswith(_ALWAYS_OPEN):
        return True
    return path in _paths(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, names)


@lru_cache(maxsize=64)
def _paths(prefix: str, urlconf: object, names: tuple[str, ...]) -> frozenset[str]:
    """The paths of these pages, reversed once per script prefix and URL configuration (two
    middlewares ask on every signed-in request)."""
    return frozenset(reverse(name, urlconf=urlconf) for name in ("office:logout", *names))


def _redirect(request: HttpRequest, name: str) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": "Second factor or password change required."}, status=403)
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return HttpResponseRedirect(reverse(name) + (f"?{query}" if query else ""))


class SessionLimitMiddleware:
    """End a signed-in session after the idle limit or the absolute limit (then: sign in)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get(sessions.STARTED)
            seen = session.get(sessions.SEEN)
            idle = settings.XIAONENG_SESSION_IDLE_MINUTES * 60
            absolute = settings.XIAONENG_SESSION_MAX_HOURS * 3600
            if started is None or seen is None:
                session[sessions.STARTED] = started = now
                session[sessions.SEEN] = seen = now
            if now - seen > idle or now - started > absolute:
                logout(request)
                messages.info(request, _("Your session ended. Please sign in again."))
            elif now - seen >= sessions.SEEN_GRANULARITY:
                session[sessions.SEEN] = now
        return self.get_response(request)


class OTPRequiredMiddleware:
    """Send a person whose roles need a second factor to verify (or enrol) before anything else.

    Runs after django_otp's OTPMiddleware, which tells whether this session is verified.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.XIAONENG_REQUIRE_OTP
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _open_path(request, "security:otp_verify", "security:otp_enrol")
            and otp_required_for(user)
        ):
            return _redirect(request, "security:otp_verify")
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """Send a person whose password is older than the change interval to the change page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.has_usable_password()
            # The second factor comes first: its pages stay open, or the two would loop.
            and not _open_path(
                request, "security:password_change", "security:otp_verify", "security:otp_enrol"
            )
        ):
            changed = request.session.get(sessions.PASSWORD_AT)
            if changed is None:
                from xiaoneng.security.services import password_changed_at

                changed = password_changed_at(user=user).timestamp()
                request.session[sessions.PASSWORD_AT] = changed
            if time.time() - changed > settings.XIAONENG_PASSWORD_MAX_AGE_DAYS * 86400:
                return _redirect(request, "security:password_change")
        return self.get_response(request)


def content_security_policy(path: str) -> str:
    # The admin site of Django sets a few inline style attributes of its own; our pages set none.
    style = "'self' 'unsafe-inline'" if path.startswith("/admin/") else "'self'"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {style}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response; no-store where personal data may be shown."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", content_security_policy(request.path))
        user = getattr(request, "user", None)
        private = (user is not None and user.is_authenticated) or request.path.startswith(
            ("/portal/track/", "/portal/submit/", "/api/")
        )
        if private:
            add_never_cache_headers(response)
        return response
