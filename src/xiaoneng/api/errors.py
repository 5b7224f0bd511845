"""One error format for every answer that is not a success.

``{"code", "message", "message_zh", "message_en", "fields"}``: ``message`` is in the request's
language, the other two in Chinese and English, ``fields`` maps an input field to its problem.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xiaoneng.errors import DomainError, PermissionDenied, error_body
from xiaoneng.web.unavailable import database_unavailable

logger = logging.getLogger(__name__)

Message = str | Promise


class ApiError(Exception):
    """An answer other than success, raised anywhere below an endpoint."""

    def __init__(
        self,
        status: int,
        code: str,
        message: Message,
        *,
        fields: dict[str, Message] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def _format(message: Message, values: dict[str, Any]) -> str:
    return str(message) % values


# lazy_format(_("… %(x)s …"), {"x": 1}): formatted when rendered, in the language then active.
lazy_format = lazy(_format, str)


def error_response(
    api: NinjaAPI | None,
    request: HttpRequest,
    status: int,
    code: str,
    message: Message,
    fields: dict[str, Any] | None = None,
) -> HttpResponse:
    body = error_body(code, message, fields)
    if api is not None:
        return api.create_response(request, body, status=status)
    import json

    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


# Domain refusals that mean "the state of things conflicts with the request".
CONFLICT_CODES = frozenset({"illegal_transition", "idempotency_conflict"})

NOT_FOUND = _("Not found, or not visible to you.")
UNAUTHORIZED = _("Authentication required: send a valid API key or sign in.")
SERVER_ERROR = _("Something went wrong on our side; the error was recorded.")
INVALID_INPUT = _("The request is not valid; see the fields.")
MALFORMED = _("The request body is not valid JSON.")
METHOD_NOT_ALLOWED = _("This method is not allowed here.")
TOO_LARGE = _("The request is too large (at most %(max)s MB).")
TOO_MANY_FIELDS = _("The request has too many fields or files.")


def _field_name(loc: list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"}:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    fields: dict[str, str] = {}
    for error in exc.errors:
        name = _field_name(list(error.get("loc", [])))
        fields.setdefault(name, str(error.get("msg", "")))
    return error_response(api, request, 400, "invalid", INVALID_INPUT, fields)


def _domain(request: HttpRequest, exc: DomainError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc, PermissionDenied):
        return error_response(api, request, 403, exc.code, exc.message)
    status = 409 if exc.code in CONFLICT_CODES else 400
    return error_response(api, request, status, exc.code, exc.message)


def _api_error(request: HttpRequest, exc: ApiError, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, exc.status, exc.code, exc.message, exc.fields)


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return error_response(api, request, 401, "unauthorized", UNAUTHORIZED)
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error_response(api, request, 400, "malformed", MALFORMED)
    code = {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(exc.status_code, "error")
    return error_response(api, request, exc.status_code, code, str(exc))


def _too_large(request: HttpRequest, exc: SuspiciousOperation, api: NinjaAPI) -> HttpResponse:
    # Django refuses the body before anything was parsed, so nothing was stored either.
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = lazy_format(TOO_LARGE, {"max": f"{limit / 1_048_576:.1f}"})
        return error_response(api, request, 413, "too_large", message)
    return error_response(api, request, 413, "too_large", TOO_MANY_FIELDS)


def _not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, 404, "not_found", NOT_FOUND)


def _unexpected(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error_response(api, request, 500, "server_error", SERVER_ERROR)


def install_handlers(api: NinjaAPI) -> None:
    handlers = {
        ValidationError: _validation,
        DomainError: _domain,
        ApiError: _api_error,
        HttpError: _http_error,
        Http404: _not_found,
        RequestDataTooBig: _too_large,
        TooManyFieldsSent: _too_large,
        TooManyFilesSent: _too_large,
        Exception: _unexpected,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(
            exc_class, lambda request, exc, handler=handler: handler(request, exc, api)
        )
    # The API catches every exception itself (a JSON 500); a database outage is a 503.
    for exc_class in (OperationalError, InterfaceError):
        api.add_exception_handler(exc_class, lambda request, exc: database_unavailable(request))
