"""The pages of emergency plans, drills and the bureau's drill requirements."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.emergencies.forms_safety import DrillForm, PlanForm, RequirementForm
from xiaoneng.emergencies.models_safety import DrillRequirement, DrillType
from xiaoneng.emergencies.selectors_drills import (
    drill_list,
    drill_status,
    plan_for_user,
    plans_for,
    school_filter,
    term_of,
)
from xiaoneng.emergencies.selectors_rosters import sees_all_safety, visible_units
from xiaoneng.emergencies.services.drills import (
    drill_record,
    plan_add,
    requirement_remove,
    requirement_set,
)
from xiaoneng.emergencies.views_rosters import _day, _int
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.web.files import file_download
from xiaoneng.web.permissions import CASE_ROLES, role_required

# The lists show the latest rows up to this many (a school records a few dozen a year).
LIMIT = 300


def _may_set(request: HttpRequest) -> bool:
    roles = user_roles(request.user)
    return Role.EFFICIENCY_OFFICE in roles or (
        sees_all_safety(request.user) and Role.LEADER not in roles
    )


def _may_record(request: HttpRequest) -> bool:
    return staff_for(request.user) is not None


@require_GET
@role_required(*CASE_ROLES)
def plans_page(request: HttpRequest) -> HttpResponse:
    plans = plans_for(request.user).select_related("unit", "recorded_by__user")
    unit_id = _int(request.GET.get("unit"))
    if unit_id:
        plans = plans.filter(unit_id=unit_id)
    return render(
        request,
        "emergencies/plans.html",
        {
            "plans": list(plans.order_by("unit__sort_order", "type", "-approved_on")[:LIMIT]),
            "limit": LIMIT,
        },
    )


@role_required(*CASE_ROLES)
def plan_new(request: HttpRequest) -> HttpResponse:
    if not _may_record(request):
        raise PermissionDenied
    form = PlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_add(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Plan recorded."))
            return redirect("emergencies:plans")
    return render(request, "emergencies/plan_new.html", {"form": form})


@require_GET
@role_required(*CASE_ROLES)
def plan_document(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk)
    if not plan.document:
        raise Http404
    return file_download(
        plan.document.open("rb"), filename=plan.document_name, content_type=plan.document_type
    )


@require_GET
@role_required(*CASE_ROLES)
def drills_page(request: HttpRequest) -> HttpResponse:
    """The drills one may see, filtered as the status page's numbers link to them."""
    kind = request.GET.get("type", "")
    drills = drill_list(
        request.user,
        unit_id=_int(request.GET.get("unit")),
        type=kind if kind in DrillType.values else "",
        start=_day(request.GET.get("from")),
        end=_day(request.GET.get("to")),
    )
    if request.GET.get("schools"):
        drills = drills.filter(unit__kind=Unit.Kind.SCHOOL, unit__is_active=True)
    return render(
        request,
        "emergencies/drills.html",
        {"drills": list(drills[:LIMIT]), "total": drills.count(), "limit": LIMIT},
    )


@role_required(*CASE_ROLES)
def drill_new(request: HttpRequest) -> HttpResponse:
    staff = staff_for(request.user)
    if staff is None:
        raise PermissionDenied
    plans = plans_for(request.user).filter(unit_id=staff.unit_id)
    form = DrillForm(request.POST or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        try:
            drill_record(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Drill recorded."))
            return redirect("emergencies:drills")
    return render(request, "emergencies/drill_new.html", {"form": form})


def drills_url(unit: Unit, filters: dict[str, str]) -> str:
    return f"{reverse('emergencies:drills')}?{urlencode({'unit': unit.pk, **filters})}"


@require_GET
@role_required(*CASE_ROLES)
def drill_status_page(request: HttpRequest) -> HttpResponse:
    """Each school one may see against the bureau's requirements; every number links to the
    drills it counts."""
    visible = visible_units(request.user).filter(kind=Unit.Kind.SCHOOL)
    unit_id = _int(request.GET.get("unit"))
    if unit_id:
        visible = visible.filter(pk=unit_id)
    schools = list(visible.values_list("pk", flat=True))
    today = timezone.localdate()
    rows = drill_status(today=today, unit_ids=schools)
    rows = school_filter(rows, request.GET.get("show", ""))
    links = {
        (row.unit.pk, cell.requirement.pk): drills_url(row.unit, cell.filters())
        for row in rows
        for cell in row.cells
    }
    return render(
        request,
        "emergencies/drill_status.html",
        {
            "rows": [
                (row, [(cell, links[(row.unit.pk, cell.requirement.pk)]) for cell in row.cells])
                for row in rows
            ],
            "requirements": list(DrillRequirement.objects.order_by("type", "per")),
            "term": term_of(today),
            "total": len(rows),
            "may_set": _may_set(request),
            "form": RequirementForm(),
        },
    )


@require_POST
@role_required(*CASE_ROLES)
def requirement_set_view(request: HttpRequest) -> HttpResponse:
    if not _may_set(request):
        raise PermissionDenied
    form = RequirementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the type, the period and a number from 1 to 20."))
    else:
        try:
            requirement_set(by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Requirement saved."))
    return redirect("emergencies:drill_status")


@require_POST
@role_required(*CASE_ROLES)
def requirement_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = DrillRequirement.objects.filter(pk=pk).first()
    if requirement is None:
        raise Http404
    if not _may_set(request):
        raise PermissionDenied
    try:
        requirement_remove(by=request.user, requirement=requirement)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Requirement removed."))
    return redirect("emergencies:drill_status")
