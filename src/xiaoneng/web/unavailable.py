"""The 503 answer to a database outage: HTML, or JSON under /api/, rendered without touching
the database. The outermost middleware (ops/middleware.py) and the API's exception handler
(api/errors.py) both give it."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

log = logging.getLogger("xiaoneng.ops")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer; renders without the database (no context processors, no session)."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        message = _("The service is temporarily unavailable. Please try again in a few minutes.")
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"error": "unavailable", "detail": message}, status=503
            )
        else:
            html = render_to_string(
                "ops/unavailable.html", {"message": message, "LANGUAGE_CODE": language}
            )
            response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable(request: HttpRequest) -> HttpResponse:
    log.error("database unavailable: answered 503 for %s", request.path)
    return unavailable_response(request)
