"""Office pages: service guides and commitments (edit, preview, publish), applications under a
guide (intake with the material check, notices, decisions), and the review of denial filings.

Thin views: parse the form, call one service, show its refusal next to the field it names.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xiaoneng.accountability.filings import DenialFiling, denial_filing_review
from xiaoneng.cases.applications import Application
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.cases.services import applications as app_services
from xiaoneng.catalog import office_forms as f
from xiaoneng.catalog.guide_selectors import (
    commitments_latest,
    commitments_published,
    guide_items_list,
    guide_latest_version,
    guide_published_version,
)
from xiaoneng.catalog.guide_services import (
    GUIDE_FIELDS,
    commitments_draft_save,
    commitments_publish,
    guide_draft_save,
    guide_item_create,
    guide_publish,
)
from xiaoneng.catalog.guides import (
    CommitmentVersion,
    PublishStatus,
    ServiceItem,
    ServiceItemVersion,
)
from xiaoneng.documents.selectors import case_documents
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.web.permissions import CASE_ROLES, role_required

READERS = (Role.SYSADMIN, *CASE_ROLES)
APPLICANT_DESK = (Role.INTAKE, Role.HANDLER, Role.DEPT_HEAD)
DECIDERS = (*APPLICANT_DESK, Role.LEADER)  # a leader may extend; the services check who
REVIEWERS = (Role.EFFICIENCY_OFFICE,)


def _field_error(form: forms.Form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


# -- guides --------------------------------------------------------------------------------------


@role_required(*READERS)
def guide_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/guide_list.html", {"items": guide_items_list()})


@role_required(Role.SYSADMIN)
def guide_new(request: HttpRequest) -> HttpResponse:
    form = f.ServiceItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = guide_item_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            _field_error(form, error)
        else:
            return redirect("catalog:guide_edit", item.pk)
    return render(request, "catalog/guide_new.html", {"form": form})


@role_required(Role.SYSADMIN)
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceItem, pk=pk)
    latest = guide_latest_version(item=item)
    initial = {}
    if latest is not None:
        initial = {name: getattr(latest, name) for name in GUIDE_FIELDS}
        initial["materials"] = f.materials_to_text(list(latest.materials.all()))
    form = f.GuideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rows = f.materials_from_text(data.pop("materials"))
        try:
            with transaction.atomic():
                draft = guide_draft_save(item=item, fields=data, materials=rows, by=request.user)
                if request.POST.get("action") == "publish":
                    guide_publish(version=draft, by=request.user)
        except DomainError as error:
            _field_error(form, error)
        else:
            published = request.POST.get("action") == "publish"
            messages.success(
                request,
                gettext("The guide was published.") if published else gettext("Draft saved."),
            )
            return redirect("catalog:guide_preview", draft.pk)
    return render(
        request,
        "catalog/guide_edit.html",
        {
            "item": item,
            "form": form,
            "latest": latest,
            "published": guide_published_version(item=item),
        },
    )


@role_required(*READERS)
def guide_preview(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(
        ServiceItemVersion.objects.select_related("item__unit", "item__department"), pk=pk
    )
    return render(
        request,
        "catalog/guide_preview.html",
        {
            "version": version,
            "materials": version.materials.all(),
            "is_draft": version.status == PublishStatus.DRAFT,
        },
    )


@require_POST
@role_required(Role.SYSADMIN)
def guide_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ServiceItemVersion, pk=pk)
    try:
        guide_publish(version=version, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The guide was published."))
    return redirect("catalog:guide_preview", version.pk)


# -- commitments ---------------------------------------------------------------------------------


@role_required(*READERS)
def commitments_list(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.filter(is_active=True).order_by("sort_order", "pk")
    rows = [(unit, commitments_published(unit_id=unit.pk)) for unit in units]
    return render(request, "catalog/commitments_list.html", {"rows": rows})


@role_required(Role.SYSADMIN)
def commitments_edit(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_pk)
    latest = commitments_latest(unit_id=unit.pk)
    initial = {"title": f"{unit.name}服务承诺"}
    if latest is not None:
        initial = {
            "title": latest.title,
            "entries": "\n".join(e.text for e in latest.entries.all()),
        }
    form = f.CommitmentsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                draft = commitments_draft_save(
                    unit=unit,
                    title=form.cleaned_data["title"],
                    entries=form.cleaned_data["entries"].splitlines(),
                    by=request.user,
                )
                if request.POST.get("action") == "publish":
                    commitments_publish(version=draft, by=request.user)
        except DomainError as error:
            _field_error(form, error)
        else:
            messages.success(request, gettext("The commitments were saved."))
            return redirect("catalog:commitments_edit", unit.pk)
    preview = latest if latest is not None else None
    return render(
        request,
        "catalog/commitments_edit.html",
        {"unit": unit, "form": form, "preview": preview, "draft_status": PublishStatus.DRAFT},
    )


@require_POST
@role_required(Role.SYSADMIN)
def commitments_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(CommitmentVersion, pk=pk)
    try:
        commitments_publish(version=version, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The commitments were published."))
    return redirect("catalog:commitments_edit", version.unit_id)


# -- applications --------------------------------------------------------------------------------


@role_required(*APPLICANT_DESK)
def application_new(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceItem, pk=item_pk, is_active=True)
    version = guide_published_version(item=item)
    if version is None:
        raise Http404
    form = f.ApplicationForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                application = app_services.application_register(
                    by=request.user,
                    item=item,
                    requester_name=data["requester_name"],
                    requester_phone=data["requester_phone"],
                    requester_id_number=data["requester_id_number"],
                    content=data["content"],
                )
                notice = app_services.application_check_materials(
                    case=application.case,
                    provided=data["provided"],
                    not_applicable=data["not_applicable"],
                    by=request.user,
                )
        except DomainError as error:
            _field_error(form, error)
        else:
            if notice is not None:
                messages.warning(
                    request,
                    gettext(
                        "Materials are missing: a one-time notice was issued and the clock stopped."
                    ),
                )
            else:
                messages.success(
                    request, gettext("The application was registered; materials complete.")
                )
            return redirect("catalog:application_detail", application.case_id)
    return render(
        request, "catalog/application_new.html", {"item": item, "version": version, "form": form}
    )


def _application_context(request: HttpRequest, application: Application) -> dict:
    version = application.service_item_version
    return {
        "application": application,
        "case": application.case,
        "version": version,
        "checks": application.material_checks.select_related("material"),
        "notices": application.notices.all(),
        "filings": DenialFiling.objects.filter(case=application.case),
        "documents": case_documents(case=application.case),
        "second_notice_form": f.SecondNoticeForm(version=version),
        "refusal_form": f.RefusalForm(),
        "extension_form": f.ExtensionForm(),
    }


@role_required(*CASE_ROLES)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    application = get_object_or_404(
        Application.objects.select_related("service_item_version__item"), case=case
    )
    return render(
        request, "catalog/application_detail.html", _application_context(request, application)
    )


def _act(request: HttpRequest, action: str, application: Application) -> str:
    """Run one action of the application page; returns the success message."""
    case, by, post = application.case, request.user, request.POST
    if action == "supplement":
        app_services.application_supplement(case=case, by=by)
        return gettext("Supplement recorded.")
    if action == "second_notice":
        form = f.SecondNoticeForm(post, version=application.service_item_version)
        if not form.is_valid():
            raise DomainError(gettext("Choose the materials to ask for from this item's guide."))
        app_services.application_second_notice(
            case=case, items=form.cleaned_data["items"], reason=form.cleaned_data["reason"], by=by
        )
        return gettext("Second notice issued; it was recorded as a violation.")
    if action == "extend":
        form = f.ExtensionForm(post)
        if not form.is_valid():
            raise DomainError(gettext("An extension is 1 to 10 working days with a reason."))
        app_services.application_extend(case=case, by=by, **form.cleaned_data)
        return gettext("The time limit was extended.")
    refusal = f.RefusalForm(post)
    refusal.is_valid()
    reasons = refusal.cleaned_data
    if action in {"accept", "not_accept"}:
        app_services.application_decide_acceptance(
            case=case, accept=action == "accept", by=by, **reasons
        )
        return (
            gettext("Accepted.")
            if action == "accept"
            else gettext("Not accepted; the refusal was filed.")
        )
    if action in {"approve", "deny"}:
        app_services.application_decide(case=case, approve=action == "approve", by=by, **reasons)
        return (
            gettext("Approved.")
            if action == "approve"
            else gettext("Not approved; the refusal was filed.")
        )
    if action == "file_overdue":
        app_services.application_file_overdue(case=case, by=by, **reasons)
        return gettext("Filed with the efficiency office.")
    raise Http404


@require_POST
@role_required(*DECIDERS)
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = case_for_user(request.user, pk)
    application = get_object_or_404(
        Application.objects.select_related("service_item_version"), case=case
    )
    try:
        messages.success(request, _act(request, action, application))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("catalog:application_detail", case.pk)


# -- denial filings --------------------------------------------------------------------------------


@role_required(*REVIEWERS, Role.LEADER)
def filing_list(request: HttpRequest) -> HttpResponse:
    filings = DenialFiling.objects.select_related("case", "handler__user", "department")
    status = request.GET.get("status", DenialFiling.Status.PENDING)
    if status in DenialFiling.Status.values:
        filings = filings.filter(status=status)
    return render(
        request,
        "catalog/filing_list.html",
        {
            "filings": filings.order_by("review_due_at", "id")[:200],
            "status": status,
            "statuses": DenialFiling.Status.choices,
            "form": f.FilingReviewForm(),
        },
    )


@require_POST
@role_required(*REVIEWERS)
def filing_review(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_object_or_404(DenialFiling, pk=pk)
    form = f.FilingReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose whether to uphold or overturn the refusal."))
        return redirect("catalog:filing_list")
    try:
        denial_filing_review(filing=filing, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The review was recorded."))
    return redirect("catalog:filing_list")
