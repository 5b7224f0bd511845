"""Conduct complaint pages: only the efficiency office and inspectors (everyone else 403),
because these pages show the complainant."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.accountability import services
from xiaoneng.accountability.access import (
    CONDUCT_ROLES,
    conduct_complaint_for_user,
    conduct_complaints_visible_to,
)
from xiaoneng.accountability.conduct import conduct_clock
from xiaoneng.accountability.forms import (
    AcceptForm,
    ConductIntakeForm,
    ConvertForm,
    ExtendForm,
    FindingForm,
)
from xiaoneng.accountability.models import ConductComplaint
from xiaoneng.cases.models import Case, Kind
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.errors import DomainError
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles
from xiaoneng.web.permissions import role_required

conduct_roles = role_required(*CONDUCT_ROLES)


def convertible_cases() -> object:
    """Complaint cases naming a person that are not yet conduct complaints."""
    return (
        Case.objects.filter(kind=Kind.COMPLAINT, conduct_complaint__isnull=True)
        .exclude(person_concerned="")
        .select_related("unit_concerned")
        .order_by("-registered_at")
    )


@require_GET
@conduct_roles
def conduct_list(request: HttpRequest) -> HttpResponse:
    qs = conduct_complaints_visible_to(request.user).select_related("unit", "staff__user")
    status = request.GET.get("status", "")
    if status in ConductComplaint.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    office = Role.EFFICIENCY_OFFICE in user_roles(request.user)
    return render(
        request,
        "accountability/conduct_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ConductComplaint.Status.choices,
            "candidates": convertible_cases()[:20] if office else [],
            "office": office,
        },
    )


def _detail(request: HttpRequest, complaint: ConductComplaint, **forms: object) -> HttpResponse:
    roles = user_roles(request.user)
    office = Role.EFFICIENCY_OFFICE in roles
    inspector = Role.INSPECTOR in roles
    received = complaint.status == ConductComplaint.Status.RECEIVED
    investigating = complaint.status == ConductComplaint.Status.INVESTIGATING
    context = {
        "complaint": complaint,
        "clock": conduct_clock(complaint),
        "accept_form": forms.get("accept_form") or (AcceptForm() if office and received else None),
        "extend_form": forms.get("extend_form")
        or (ExtendForm() if inspector and investigating and not complaint.extended else None),
        "finding_form": forms.get("finding_form")
        or (FindingForm() if inspector and investigating else None),
    }
    return render(request, "accountability/conduct_detail.html", context)


@require_GET
@conduct_roles
def conduct_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, conduct_complaint_for_user(request.user, pk))


@require_http_methods(["GET", "POST"])
@role_required(Role.EFFICIENCY_OFFICE)
def conduct_intake(request: HttpRequest) -> HttpResponse:
    form = ConductIntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.conduct_intake(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The conduct complaint was registered."))
            return redirect("accountability:conduct", pk=complaint.pk)
    return render(request, "accountability/conduct_intake.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(Role.EFFICIENCY_OFFICE)
def conduct_convert(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = case_for_user(request.user, case_pk)
    form = ConvertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.conduct_convert_case(
                by=request.user,
                case=case,
                staff=form.cleaned_data["staff"],
                department=form.cleaned_data["department"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The case became a conduct complaint."))
            return redirect("accountability:conduct", pk=complaint.pk)
    return render(request, "accountability/conduct_convert.html", {"form": form, "case": case})


def _post(request: HttpRequest, pk: int, form_class: type, key: str, call: object) -> HttpResponse:
    complaint = conduct_complaint_for_user(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(complaint, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("accountability:conduct", pk=pk)
    return _detail(request, complaint, **{key: form})


@require_POST
@role_required(Role.EFFICIENCY_OFFICE)
def conduct_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        AcceptForm,
        "accept_form",
        lambda complaint, data: services.conduct_accept(
            by=request.user,
            complaint=complaint,
            accept=data["decision"] == "accept",
            note=data["note"],
            investigator=data["investigator"],
        ),
    )


@require_POST
@role_required(Role.INSPECTOR)
def conduct_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ExtendForm,
        "extend_form",
        lambda complaint, data: services.conduct_extend(
            by=request.user, complaint=complaint, reason=data["reason"]
        ),
    )


@require_POST
@role_required(Role.INSPECTOR)
def conduct_find(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        FindingForm,
        "finding_form",
        lambda complaint, data: services.conduct_find(
            by=request.user,
            complaint=complaint,
            substantiated=data["substantiated"] == "yes",
            finding=data["finding"],
        ),
    )
