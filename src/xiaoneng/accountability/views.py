"""Violation, sanction and record pages (office). Appeals: ``views_appeals``; conduct
complaints: ``views_conduct``. Each action is one POST calling one service; a DomainError is
shown on the form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.accountability import services
from xiaoneng.accountability.access import (
    PAGE_ROLES,
    is_global,
    sanction_for_user,
    violation_for_user,
)
from xiaoneng.accountability.documents import SANCTION_DOCUMENTS
from xiaoneng.accountability.forms import (
    EvidenceForm,
    SanctionForm,
    ViolationFilterForm,
    ViolationReviewForm,
)
from xiaoneng.accountability.models import Sanction, Violation
from xiaoneng.accountability.selectors import person_record, unit_record, violation_list
from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Signal
from xiaoneng.documents.services import FORMATS, document_render
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Staff, Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.web.permissions import role_required

page_roles = role_required(*PAGE_ROLES)


def _may(user: object, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


@require_GET
@page_roles
def violation_list_view(request: HttpRequest) -> HttpResponse:
    form = ViolationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("unit"):
        filters = {**filters, "unit": filters["unit"].pk}
    page = Paginator(violation_list(request.user, filters=filters), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accountability/violation_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _detail(request: HttpRequest, violation: Violation, **forms: object) -> HttpResponse:
    user = request.user
    staff = staff_for(user)
    pending = violation.status == Violation.Status.PENDING
    confirmed = violation.status == Violation.Status.CONFIRMED
    context = {
        "violation": violation,
        "parts": violation.parts.select_related("staff__user"),
        "sanctions": violation.sanctions.select_related("staff__user"),
        "appeals": violation.appeals.select_related("filed_by__user"),
        "review_form": forms.get("review_form")
        or (ViolationReviewForm() if pending and _may(user, Role.EFFICIENCY_OFFICE) else None),
        "evidence_form": forms.get("evidence_form")
        or (
            EvidenceForm(violation=violation)
            if pending and _may(user, Role.EFFICIENCY_OFFICE, Role.INSPECTOR)
            else None
        ),
        "may_sanction": confirmed and _may(user, Role.INSPECTOR, Role.LEADER),
        "may_appeal": confirmed and staff is not None and not is_global(user),
    }
    return render(request, "accountability/violation_detail.html", context)


@require_GET
@page_roles
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, violation_for_user(request.user, pk))


@require_POST
@role_required(Role.EFFICIENCY_OFFICE)
def violation_review(request: HttpRequest, pk: int) -> HttpResponse:
    violation = violation_for_user(request.user, pk)
    form = ViolationReviewForm(request.POST)
    if form.is_valid():
        try:
            services.violation_review(
                by=request.user,
                violation=violation,
                confirm=form.cleaned_data["decision"] == "confirm",
                grade=form.cleaned_data["grade"],
                persons=form.persons(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The violation was reviewed."))
            return redirect("accountability:violation", pk=pk)
    return _detail(request, violation, review_form=form)


@require_POST
@role_required(Role.EFFICIENCY_OFFICE, Role.INSPECTOR)
def violation_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    violation = violation_for_user(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES, violation=violation)
    if form.is_valid():
        try:
            services.violation_attach_evidence(
                by=request.user,
                violation=violation,
                signal=form.cleaned_data["signal"],
                inspection_ref=form.cleaned_data["inspection_ref"],
                file=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The evidence was added."))
            return redirect("accountability:violation", pk=pk)
    return _detail(request, violation, evidence_form=form)


@require_GET
@page_roles
def violation_evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    violation = violation_for_user(request.user, pk)
    if not violation.evidence_file:
        raise Http404
    with transaction.atomic():
        log_action(
            action="accountability.violation.evidence_download",
            obj=violation,
            actor=request.user,
            summary={"file": violation.evidence_file.name.rsplit("/", 1)[-1]},
        )
    response = FileResponse(violation.evidence_file.open("rb"))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=violation.evidence_file.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.INSPECTOR, Role.LEADER)
def sanction_new(request: HttpRequest, pk: int) -> HttpResponse:
    violation = violation_for_user(request.user, pk)
    if violation.status != Violation.Status.CONFIRMED:
        raise Http404
    people = Staff.objects.filter(
        Q(pk=violation.staff_id) | Q(pk__in=violation.parts.values("staff_id"))
    ).select_related("user")
    suggestions = [
        (staff, services.sanction_suggest(staff=staff, violation=violation)) for staff in people
    ]
    initial = {}
    if len(suggestions) == 1:
        initial = {"staff": suggestions[0][0].pk, "measure": suggestions[0][1]}
    form = SanctionForm(request.POST or None, violation=violation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sanction = services.sanction_decide(
                by=request.user, violation=violation, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The sanction was decided."))
            return redirect("accountability:sanction", pk=sanction.pk)
    return render(
        request,
        "accountability/sanction_form.html",
        {
            "violation": violation,
            "form": form,
            "suggestions": [
                (staff, Sanction.Measure(measure).label) for staff, measure in suggestions
            ],
        },
    )


@require_GET
@page_roles
def sanction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = sanction_for_user(request.user, pk)
    staff = staff_for(request.user)
    return render(
        request,
        "accountability/sanction_detail.html",
        {
            "sanction": sanction,
            "has_document": sanction.measure in SANCTION_DOCUMENTS and not sanction.revoked,
            "appeals": sanction.appeals.select_related("filed_by__user"),
            "may_appeal": not sanction.revoked
            and staff is not None
            and not is_global(request.user),
        },
    )


@require_GET
@page_roles
def sanction_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sanction = sanction_for_user(request.user, pk)
    if fmt not in FORMATS or sanction.measure not in SANCTION_DOCUMENTS or sanction.revoked:
        raise Http404
    kind, build = SANCTION_DOCUMENTS[sanction.measure]
    rendered = document_render(
        kind=kind, obj=sanction, build=build, fmt=fmt, by=request.user, unit_id=sanction.unit_id
    )
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=rendered.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _cards_of(staff: Staff) -> object:
    return (
        Signal.objects.filter(
            case__handler=staff, level__in=(Signal.Level.YELLOW, Signal.Level.RED)
        )
        .select_related("case")
        .order_by("-raised_at")
    )


@require_GET
@page_roles
def my_record(request: HttpRequest) -> HttpResponse:
    staff = staff_for(request.user)
    if staff is None:
        raise Http404
    return redirect("accountability:person", pk=staff.pk)


@require_GET
@page_roles
def person_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Staff.objects.select_related("user", "unit", "department"), pk=pk)
    me = staff_for(request.user)
    own = me is not None and me.pk == person.pk
    head = (
        me is not None
        and _may(request.user, Role.DEPT_HEAD)
        and me.department_id is not None
        and me.department_id == person.department_id
    )
    if not (own or head or is_global(request.user)):
        raise Http404
    record = person_record(request.user, person)
    return render(
        request,
        "accountability/person_record.html",
        {
            "person": person,
            "cards": _cards_of(person),
            "may_appeal": own or head,
            **record,
        },
    )


@require_GET
@role_required(Role.EFFICIENCY_OFFICE, Role.INSPECTOR, Role.LEADER)
def unit_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    if not is_global(request.user):
        raise Forbidden
    return render(
        request, "accountability/unit_record.html", {"unit": unit, **unit_record(request.user, pk)}
    )
