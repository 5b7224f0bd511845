"""并案 from a page: merge a case into the near-duplicate shown beside it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.cases.pool import pool_visible_to
from xiaoneng.errors import DomainError
from xiaoneng.triage.panels import case_panel, pool_panel
from xiaoneng.triage.services import duplicate_merge
from xiaoneng.web.permissions import case_view, role_required

POOL_LIMIT = 200


@require_POST
@role_required("efficiency_office")
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge case ``pk`` into the case posted as ``into``; back to ``next`` (same site)."""
    case = case_for_user(request.user, pk)
    into_id = request.POST.get("into", "")
    into = get_object_or_404(Case, pk=int(into_id)) if into_id.isdigit() else None
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = case.get_absolute_url()
    if into is None:
        messages.error(request, _("Choose the case to merge into."))
        return redirect(back)
    try:
        duplicate_merge(case=case, into=into, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        _("%(number)s was merged into %(into)s.") % {"number": case.number, "into": into.number},
    )
    return redirect(back)


@case_view
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page's triage section (loaded after the page): the suggestion and the
    near-duplicates, with 并案 for the efficiency office."""
    case = case_for_user(request.user, pk)
    context = {"triage": case_panel(case, request.user)}
    return render(request, "triage/_case_panel.html", context)


@case_view
def pool_cells(request: HttpRequest) -> HttpResponse:
    """The intake pool's triage cells (loaded after the page, swapped into their rows): each
    pooled case's suggestion and near-duplicates, with 并案 for the efficiency office."""
    ids = [
        int(part) for part in request.GET.get("ids", "").split(",")[:POOL_LIMIT] if part.isdigit()
    ]
    cases = list(pool_visible_to(request.user).filter(pk__in=ids).order_by("registered_at", "pk"))
    cells = pool_panel(cases, request.user)
    return render(request, "triage/pool_cells.html", {"cells": [cells[c.pk] for c in cases]})
