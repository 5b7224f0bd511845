"""Give every request an id and make it, the client address and the user visible to log_action."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from xiaoneng.audit.context import ActionContext, reset_context, set_context
from xiaoneng.web.client import client_address

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_for(request: HttpRequest) -> str:
    supplied = request.headers.get("X-Request-ID", "")
    return supplied if _SAFE_REQUEST_ID.match(supplied) else uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)  # type: ignore[attr-defined]  # for views
        user = getattr(request, "user", None)
        token = set_context(
            ActionContext(
                request_id=request.request_id,  # type: ignore[attr-defined]
                ip=client_address(request),
                user=user,
            )
        )
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response
