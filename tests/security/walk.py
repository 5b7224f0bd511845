"""The machinery of the role walk (test_role_walk.py): every route of the configuration, sample
ids of real objects, and what one request as one person comes to.

Routes come from three places, so a new one is walked without anyone listing it:
- Django's URL resolver: every named pattern outside the admin and the API;
- the NinjaAPI's path operations, each with its own HTTP method;
- the Django admin's registry: each model's list and the change page of one of its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Route:
    name: str  # "office:case_detail", "api:case_read", "admin:notify.notification"
    path: str
    method: str = "GET"  # the API's own method; pages are tried with GET, then POST on 405

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


def _walk(patterns: list[Any], namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def page_routes(samples: dict[str, dict[str, Any]], default: dict[str, Any]) -> list[Route]:
    """Every named pattern outside the admin, filled with sample values: those of
    ``samples[name]`` first, then of ``samples["namespace:"]``, then ``default`` by keyword,
    then 1 (a row that may not exist)."""
    routes = []
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        namespace = name.rpartition(":")[0] + ":"
        wanted = {**default, **samples.get(namespace, {}), **samples.get(name, {})}
        kwargs = {key: wanted.get(key, 1) for key in pattern.pattern.regex.groupindex}
        routes.append(Route(name=name, path=reverse(name, kwargs=kwargs)))
    return routes


def api_routes(samples: dict[str, dict[str, Any]], default: dict[str, Any]) -> list[Route]:
    """Every path operation of the NinjaAPI, with its method and sample path parameters."""
    from xiaoneng.api.api import api

    routes = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                name = f"api:{operation.view_func.__name__}"
                values = {**default, **samples.get(name, {})}
                filled = path
                for key, value in values.items():
                    filled = filled.replace("{" + key + "}", str(value))
                assert "{" not in filled, f"no sample value for {name} {path}"
                for method in operation.methods:
                    routes.append(Route(name=name, path=f"/api/v1{prefix}{filled}", method=method))
    return routes


def admin_routes(sample_rows: dict[str, Any]) -> list[Route]:
    """Each registered model's list, and the change page of a sample row (or its first row)."""
    routes = []
    for model in admin.site._registry:
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        base = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        routes.append(Route(name=f"admin:{label}", path=reverse(f"{base}_changelist")))
        row = sample_rows.get(label) or model._default_manager.order_by("pk").first()
        if row is not None:
            routes.append(
                Route(name=f"admin:{label}:change", path=reverse(f"{base}_change", args=[row.pk]))
            )
    return routes


def public_route_names() -> set[str]:
    """Django marks the views it lets through without a login (LoginRequiredMiddleware)."""
    names = set()
    for name, pattern in _walk(get_resolver().url_patterns):
        if name.startswith(("admin:", "api-v1:")):
            continue
        if getattr(pattern.callback, "login_required", True) is False:
            names.add(name)
    return names


# Codes of the API's refusals at its door; any other 403 comes from a business rule behind it.
API_DOOR_CODES = {"no_case_scope", "missing_scope", "csrf_failed", "not_authenticated"}


@dataclass(frozen=True)
class Outcome:
    status: int
    body: str
    refused: bool  # 401, 403, 404, or sent to a sign-in page: nothing of the route was given
    stopped_at_door: bool  # refused by role or scope (not a 404, not a business rule's 403)


def request(client: Client, route: Route) -> Outcome:
    if route.is_api:
        call = getattr(client, route.method.lower())
        response = (
            call(route.path, {}, content_type="application/json")
            if route.method != "GET"
            else call(route.path)
        )
    else:
        response = client.get(route.path)
        if response.status_code == 405:
            response = client.post(route.path)
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    # Signing out ends at the sign-in page: that is the route working, not a refusal (which
    # names the page asked for in ``next``).
    to_sign_in = "/login/" in location and (route.name != "office:logout" or "next=" in location)
    body = b"".join(response) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    status = response.status_code
    at_door = status == 401 or to_sign_in
    if status == 403:
        at_door = not route.is_api or any(f'"{code}"' in text for code in API_DOOR_CODES)
    return Outcome(
        status=status,
        body=text,
        refused=status in (401, 403, 404) or to_sign_in,
        stopped_at_door=at_door,
    )
