"""Walk every URL pattern of the project: deny by default, proved for each view.

Anonymous people get the login page (office) or 401 (API) everywhere except the explicit
public list below; a staff member holding no role gets 403 or 404 everywhere except the few
pages every signed-in person may use. A new view that forgets its guard fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    name: str  # namespaced
    path: str


# Public on purpose: the portal and its bulletins, Open311 (api_key for writes), language
# switching, the login page, the API's description, health probes.
# The evaluation's public pages: answering from an invitation link or with an SMS code.
PUBLIC_NAMESPACES = {"portal", "bulletins", "open311", "evaluation_public"}
PUBLIC_NAMES = {
    "set_language",
    "office:login",
    "api-v1:openapi-json",
    "api-v1:openapi-view",
    "api-v1:api-root",
    "api-v1:not-found",
}
PUBLIC_NAME_PARTS = ("healthz", "readyz")
# Called by SMS providers, authenticated by the callback token in the address: a wrong token
# is answered 404, as if nothing were there (tests/emergencies for the right token).
TOKEN_IN_ADDRESS = {"sms:callback"}
# Every signed-in staff member may use these, whatever their roles.
EVERY_STAFF_MEMBER = {
    "office:home",
    "office:logout",
    "notify:inbox",
    "notify:mark_read",
    "notify:mark_all_read",
    "notify:preferences",
    "security:password_change",
    "security:otp_verify",
    "security:otp_enrol",
}
SAMPLE_VALUES = {
    "fmt": "pdf",
    "action": "sign_for",
    "service_code": "x",
    "token": "abc",
    "rest": "x",
    "service_request_id": "1",
    "case_id": "1",
    "notification_id": "1",
}
REGEX_SAMPLES = {"fmt": "json"}


def _walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _kwargs(pattern: URLPattern) -> dict[str, str]:
    regex = pattern.pattern.regex
    is_regex = not hasattr(pattern.pattern, "converters") or not pattern.pattern.converters
    kwargs = {}
    for key in regex.groupindex:
        if is_regex and key in REGEX_SAMPLES:
            kwargs[key] = REGEX_SAMPLES[key]
        else:
            kwargs[key] = SAMPLE_VALUES.get(key, "1")
    return kwargs


def all_routes() -> list[Route]:
    routes = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue  # the admin site guards itself; see test_admin_* below
        try:
            path = reverse(name, kwargs=_kwargs(pattern))
        except Exception as exc:  # pragma: no cover - a pattern we cannot fill is a test bug
            raise AssertionError(f"cannot build a URL for {name}: {exc}") from exc
        routes[name] = Route(name=name, path=path)
    return sorted(routes.values(), key=lambda route: route.name)


def _public(route: Route) -> bool:
    return (
        route.name.split(":")[0] in PUBLIC_NAMESPACES
        or route.name in PUBLIC_NAMES
        or any(part in route.name for part in PUBLIC_NAME_PARTS)
    )


def test_the_walk_sees_every_app() -> None:
    names = {route.name for route in all_routes()}
    assert {"office:case_detail", "api-v1:case_read", "portal:track", "notify:inbox"} <= names
    assert len(names) > 60


def test_anonymous_is_sent_to_sign_in_or_refused_everywhere_not_public(client, demo_org) -> None:
    login = reverse("office:login")
    problems = []
    for route in all_routes():
        if _public(route):
            continue
        response = client.get(route.path)
        if response.status_code == 405:
            response = client.post(route.path)
        if route.path.startswith("/api/"):
            ok = response.status_code == 401
        elif route.name in TOKEN_IN_ADDRESS:
            ok = response.status_code == 404
        else:
            ok = response.status_code == 302 and response["Location"].startswith(login)
        if not ok:
            problems.append(f"{route.name} {route.path} -> {response.status_code}")
    assert problems == []


def test_staff_without_a_role_is_refused_everywhere_but_the_common_pages(client, demo_org) -> None:
    nobody = StaffFactory().user
    client.force_login(nobody)
    problems = []
    for route in all_routes():
        if _public(route) or route.path.startswith("/api/") or route.name in EVERY_STAFF_MEMBER:
            continue
        response = client.get(route.path)
        if response.status_code == 405:
            response = client.post(route.path)
        if response.status_code not in (403, 404):
            problems.append(f"{route.name} {route.path} -> {response.status_code}")
    assert problems == []


def test_staff_without_a_role_may_use_the_common_pages(client, demo_org) -> None:
    nobody = StaffFactory().user
    client.force_login(nobody)
    for name in ("office:home", "notify:inbox", "security:password_change"):
        assert client.get(reverse(name)).status_code == 200, name


def test_admin_site_sends_anonymous_and_non_administrators_to_its_login(client, demo_org) -> None:
    for user in (None, StaffFactory().user):
        if user is not None:
            client.force_login(user)
        response = client.get("/admin/org/user/")
        assert response.status_code == 302
        assert response["Location"].startswith(("/admin/login/", reverse("office:login")))


def test_csrf_exemptions_are_only_on_token_authenticated_endpoints() -> None:
    """CSRF everywhere: the only exempt views are Open311's POST, which requires an api_key,
    and the SMS providers' callbacks, which require the callback token in their address."""
    from pathlib import Path

    import xiaoneng

    root = Path(xiaoneng.__file__).parent
    exempt = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"^\s*@csrf_exempt", path.read_text(encoding="utf-8"), re.M)
    )
    assert exempt == ["emergencies/views_sms.py", "portal/open311_views.py"]
