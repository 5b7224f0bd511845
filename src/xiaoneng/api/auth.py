"""Who is calling: an integration client with an API key, or a staff member's session."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyHeader, HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from xiaoneng.api.errors import ApiError, lazy_format
from xiaoneng.api.models import ApiClient
from xiaoneng.api.services import apikey_authenticate
from xiaoneng.audit.context import current_context, set_context
from xiaoneng.cases.permissions import has_case_scope
from xiaoneng.org.selectors import staff_for

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

INVALID_KEY = _("The API key is not valid, has expired or was revoked.")
MISSING_SCOPE = _("This key does not allow that: it lacks the scope %(scope)s.")
NO_CASE_SCOPE = _("Your account does not work on cases: administrators never see case content.")


@dataclass
class Principal:
    """The caller: ``user`` acts in the services; ``client`` is set for integration clients."""

    user: User
    client: ApiClient | None = None
    key_prefix: str = ""
    scopes: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return True

    def allows(self, scope: str) -> bool:
        # Staff are governed by their roles and the services' rules, not by key scopes.
        return self.client is None or scope in self.scopes


def _client_principal(request: HttpRequest, plaintext: str) -> Principal:
    key = apikey_authenticate(plaintext=plaintext.strip())
    if key is None:
        raise ApiError(401, "invalid_api_key", INVALID_KEY)
    client = key.client
    principal = Principal(
        user=client.user, client=client, key_prefix=key.prefix, scopes=frozenset(client.scopes)
    )
    request.api_principal = principal
    # The services and log_action see the client's service account as the actor.
    context = current_context()
    set_context(type(context)(request_id=context.request_id, ip=context.ip, user=client.user))
    return principal


def _door(found: Principal | None, *, cases: bool) -> Principal | None:
    """At the door of the case routes, a caller without a case scope (an administrator by
    session, or a key whose service account was made one) is refused before its request body
    is even read (三员分立)."""
    if cases and found is not None and not has_case_scope(found.user):
        raise ApiError(403, "no_case_scope", NO_CASE_SCOPE)
    return found


class BearerKey(HttpBearer):
    """``Authorization: Bearer xn_…``"""

    def __init__(self, *, cases: bool = False) -> None:
        super().__init__()
        self.cases = cases

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        if not token:
            return None
        return _door(_client_principal(request, token), cases=self.cases)


class HeaderKey(APIKeyHeader):
    """``X-API-Key: xn_…``"""

    param_name = "X-API-Key"

    def __init__(self, *, cases: bool = False) -> None:
        super().__init__()
        self.cases = cases

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        if not key:
            return None
        return _door(_client_principal(request, key), cases=self.cases)


class StaffSession(APIKeyCookie):
    """A signed-in staff member's session; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, *, cases: bool = False) -> None:
        super().__init__(csrf=True)
        self.cases = cases

    def __call__(self, request: HttpRequest) -> Principal | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or staff_for(user) is None:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(403, "csrf_failed", _("CSRF check failed: send the X-CSRFToken header."))
        return _door(Principal(user=user), cases=self.cases)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover
        return None


def principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


def require_scope(request: HttpRequest, scope: str) -> Principal:
    """The caller, if it may use ``scope``. Every ``cases:*`` scope also needs a case scope, so
    an administrator (by session, or a key whose service account was made one) is refused
    before anything is read or written (三员分立)."""
    caller = principal(request)
    if not caller.allows(scope):
        raise ApiError(403, "missing_scope", lazy_format(MISSING_SCOPE, {"scope": scope}))
    if scope.startswith("cases:") and not has_case_scope(caller.user):
        raise ApiError(403, "no_case_scope", NO_CASE_SCOPE)
    return caller


AUTH = [BearerKey(), HeaderKey(), StaffSession()]
# The case routes: the same ways in, each also asking for a case scope.
CASE_AUTH = [BearerKey(cases=True), HeaderKey(cases=True), StaffSession(cases=True)]
