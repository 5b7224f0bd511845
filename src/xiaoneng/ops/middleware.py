"""A database outage becomes a clear 503 (HTML, or JSON under /api/), never a traceback; and
case views tag their log lines with the case.

Django turns an exception raised below any middleware into a 500 response before the outer
middleware sees it, so ``got_request_exception`` marks the request and the outermost
middleware swaps that 500 for the 503. Nothing is half-written: every state change is one
``transaction.atomic()`` in its service, which rolls back when the connection fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from xiaoneng.ops.logs import reset_case, set_case
from xiaoneng.web.unavailable import unavailable_response

log = logging.getLogger("xiaoneng.ops")

_DB_ERRORS = (OperationalError, InterfaceError)
_FLAG = "_xiaoneng_database_unavailable"


def _mark(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    import sys

    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, _DB_ERRORS):
        setattr(request, _FLAG, True)


got_request_exception.connect(_mark, dispatch_uid="ops.database_unavailable")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except _DB_ERRORS:
            # Only when DEBUG_PROPAGATE_EXCEPTIONS lets it through; log and answer 503.
            log.exception("database unavailable")
            return unavailable_response(request)
        if response.status_code == 500 and getattr(request, _FLAG, False):
            log.error("database unavailable: answered 503 for %s", request.path)
            return unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, _DB_ERRORS):
            log.error("database unavailable: %s", type(exception).__name__)
            return unavailable_response(request)
        return None


class LogContextMiddleware:
    """Tags log lines of case views (office ``pk``, API ``case_id``) with the case id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_case()
        try:
            return self.get_response(request)
        finally:
            reset_case(token)

    def process_view(
        self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict[str, Any]
    ) -> None:
        match = request.resolver_match
        case_id = kwargs.get("case_id")
        if case_id is None and match is not None and (match.url_name or "").startswith("case_"):
            case_id = kwargs.get("pk")
        if case_id is not None:
            set_case(case_id=case_id)
        return None
