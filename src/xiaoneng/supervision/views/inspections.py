"""Inspections (明察暗访): list, record, the inspection page with findings and evidence,
and turning a finding into a violation. Inspectors write; the efficiency office and leaders
read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.errors import DomainError
from xiaoneng.org.scope import has_any_role
from xiaoneng.supervision import services
from xiaoneng.supervision.forms import EvidenceForm, FindingForm, InspectionForm
from xiaoneng.supervision.models import Evidence, Finding, Inspection
from xiaoneng.supervision.permissions import INSPECTION_ROLES, inspection_for_user
from xiaoneng.web.permissions import role_required

INSPECTOR = ("inspector",)
MAX_LIST = 200


@require_GET
@role_required(*INSPECTION_ROLES)
def inspection_list(request: HttpRequest) -> HttpResponse:
    inspections = (
        Inspection.objects.select_related("unit")
        .prefetch_related("inspectors__user")
        .order_by("-date", "-id")[:MAX_LIST]
    )
    return render(
        request,
        "supervision/inspection_list.html",
        {"inspections": inspections, "may_record": has_any_role(request.user, INSPECTOR)},
    )


@role_required(*INSPECTOR)
def inspection_new(request: HttpRequest) -> HttpResponse:
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The inspection was recorded."))
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "supervision/inspection_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _page(
    request: HttpRequest, inspection: Inspection, *, status: int = 200, **forms: Any
) -> HttpResponse:
    findings = list(
        inspection.findings.select_related("staff__user", "department").prefetch_related("evidence")
    )
    context = {
        "inspection": inspection,
        "inspectors": list(inspection.inspectors.select_related("user", "department")),
        "findings": findings,
        "evidence": list(inspection.evidence.select_related("finding")),
        "may_write": has_any_role(request.user, INSPECTOR),
        "finding_form": forms.get("finding_form") or FindingForm(inspection=inspection),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(inspection=inspection),
    }
    return render(request, "supervision/inspection_detail.html", context, status=status)


@require_GET
@role_required(*INSPECTION_ROLES)
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, inspection_for_user(request.user, pk))


@require_POST
@role_required(*INSPECTOR)
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, pk)
    form = FindingForm(request.POST, inspection=inspection)
    if form.is_valid():
        try:
            services.finding_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The finding was recorded."))
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    return _page(request, inspection, status=400, finding_form=form)


@require_POST
@role_required(*INSPECTOR)
def evidence_new(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES, inspection=inspection)
    if form.is_valid():
        try:
            services.evidence_add(inspection=inspection, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The evidence was stored."))
            return redirect("supervision:inspection_detail", pk=inspection.pk)
    return _page(request, inspection, status=400, evidence_form=form)


@require_POST
@role_required(*INSPECTOR)
def finding_violation(request: HttpRequest, pk: int, finding_id: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, pk)
    finding = Finding.objects.filter(pk=finding_id, inspection=inspection).first()
    if finding is None:
        raise Http404
    try:
        services.finding_make_violation(finding=finding, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The finding was recorded as a violation for review."))
    return redirect("supervision:inspection_detail", pk=inspection.pk)


@require_GET
@role_required(*INSPECTION_ROLES)
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, pk)
    evidence = Evidence.objects.filter(pk=evidence_id, inspection=inspection).first()
    if evidence is None:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
