"""URLs of the API: include with ``path("api/v1/", include("xiaoneng.api.urls"))``.

Every view is wrapped so that Django's LoginRequiredMiddleware lets it through (the API has its
own authentication), each call runs in one transaction with the audit row of an integration
client's call (written in the same step of the audit chain as the call's changes), the calendar's
version is read once per call, and even a wrong method or an unknown path answers in the API's
error format.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path

from xiaoneng.api.api import api
from xiaoneng.api.errors import METHOD_NOT_ALLOWED, NOT_FOUND, error_response
from xiaoneng.api.services import apicall_record
from xiaoneng.audit.services import audit_batch
from xiaoneng.workdays.calendar import calendar_pinned

logger = logging.getLogger(__name__)


def _wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def api_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # One transaction per call: the changes, their audit rows and the call's own audit row
        # commit together and join the audit chain in one step; a failed call (5xx) rolls back.
        with transaction.atomic(), audit_batch() as entries:
            # One read of the calendar's version per call, not one per deadline it computes.
            with calendar_pinned():
                response = _answer(view(request, *args, **kwargs), request)
            failed = response.status_code >= 500
            if failed and entries is not None:
                entries.clear()
                transaction.set_rollback(True)
            elif not failed:
                _record_call(request, response)
        if failed:
            _record_call(request, response)
        return response

    api_view.csrf_exempt = True  # type: ignore[attr-defined]
    api_view.login_required = False  # type: ignore[attr-defined]
    return api_view


def _answer(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if response.status_code == 405 and not response.get("Content-Type", "").startswith(
        "application/json"
    ):
        allow = response.get("Allow", "")
        response = error_response(None, request, 405, "method_not_allowed", METHOD_NOT_ALLOWED)
        response["Allow"] = allow
    return response


def _record_call(request: HttpRequest, response: HttpResponse) -> None:
    principal = getattr(request, "api_principal", None)
    if principal is None or principal.client is None:
        return
    try:
        apicall_record(
            client=principal.client,
            key_prefix=principal.key_prefix,
            method=request.method or "",
            path=request.path,
            status=response.status_code,
        )
    except Exception:  # the call succeeded or failed already; say so in the log
        logger.exception("could not audit an API call")


def _not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return error_response(None, request, 404, "not_found", NOT_FOUND)


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _wrap(pattern.callback)
    return patterns


_not_found_view = _wrap(_not_found)

app_name = "api-v1"
urlpatterns = [*_patterns(), re_path(r"^(?P<rest>.*)$", _not_found_view, name="not-found")]
