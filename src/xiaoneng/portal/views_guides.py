"""Public service guides, their printable checklists, and unit commitments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xiaoneng.catalog.guides import ServiceItemVersion
from xiaoneng.catalog.public_guides import (
    guide_filters_parse,
    public_commitments,
    public_guide,
    public_guide_units,
    public_guides_page,
)
from xiaoneng.portal import ratelimit
from xiaoneng.portal.selectors import portal_contacts


def _too_many(request: HttpRequest, verdict: ratelimit.Verdict) -> HttpResponse:
    response = render(request, "portal/too_many.html", status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


@login_not_required
@require_GET
def guide_list(request: HttpRequest) -> HttpResponse:
    # Search runs LIKE queries over several columns: limit it per address like tracking.
    verdict = ratelimit.hit(request, "guides")
    if not verdict.allowed:
        return _too_many(request, verdict)
    filters = guide_filters_parse(
        q=request.GET.get("q", ""),
        unit=request.GET.get("unit", ""),
        item_type=request.GET.get("type", ""),
    )
    page = public_guides_page(filters=filters, page=request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "units": public_guide_units(),
        "types": ServiceItemVersion.ItemType.choices,
        "query": query.urlencode(),
    }
    return render(request, "portal/guide_list.html", context)


@login_not_required
@require_GET
def guide_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = public_guide(code=code)
    context = {"guide": version, "contacts": portal_contacts()}
    return render(request, "portal/guide_detail.html", context)


@login_not_required
@require_GET
def guide_checklist(request: HttpRequest, code: str) -> HttpResponse:
    version = public_guide(code=code)
    return render(request, "portal/guide_checklist.html", {"guide": version})


@login_not_required
@require_GET
def commitments(request: HttpRequest) -> HttpResponse:
    found = public_commitments()
    return render(request, "portal/commitments.html", {"commitments": found, "unit": None})


@login_not_required
@require_GET
def unit_commitments(request: HttpRequest, unit: str) -> HttpResponse:
    found = public_commitments(unit=unit)
    if not found:
        raise Http404("no published commitments")
    context = {"commitments": found, "unit": found[0].unit}
    return render(request, "portal/commitments.html", context)
