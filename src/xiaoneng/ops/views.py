"""Health endpoints for load balancers and monitoring: JSON, no login, no secrets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xiaoneng import __version__
from xiaoneng.ops.selectors import readiness


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and answering; touches nothing else."""
    return JsonResponse({"status": "ok", "version": __version__})


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Every dependency this process needs to do its work: 200 when all are fine, else 503."""
    report = readiness()
    body = {"status": "ok" if report["ok"] else "unavailable", **report}
    return JsonResponse(body, status=200 if report["ok"] else 503)
