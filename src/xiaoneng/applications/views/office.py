"""Office pages of applications under a service guide: intake with the material check, the
application page (notices, decisions, extension) and the review of denial filings.

Thin views: parse the form, call one service, show its refusal next to the field it names. The
URL names stay in the ``catalog`` namespace they were born in (see ``applications/urls.py``).
"""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xiaoneng.accountability.filings import denial_filing_review
from xiaoneng.accountability.models import DenialFiling
from xiaoneng.applications import forms, services
from xiaoneng.applications.models import Application
from xiaoneng.applications.selectors import case_documents
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.catalog.guide_selectors import guide_published_version
from xiaoneng.catalog.guides import ServiceItem
from xiaoneng.errors import DomainError
from xiaoneng.org.roles import Role
from xiaoneng.web.permissions import CASE_ROLES, role_required

APPLICANT_DESK = (Role.INTAKE, Role.HANDLER, Role.DEPT_HEAD)
DECIDERS = (*APPLICANT_DESK, Role.LEADER)  # a leader may extend; the services check who
REVIEWERS = (Role.EFFICIENCY_OFFICE,)


def _field_error(form: django_forms.Form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


# -- applications --------------------------------------------------------------------------------


@role_required(*APPLICANT_DESK)
def application_new(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(ServiceItem, pk=item_pk, is_active=True)
    version = guide_published_version(item=item)
    if version is None:
        raise Http404
    form = forms.ApplicationForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                application = services.application_register(
                    by=request.user,
                    item=item,
                    requester_name=data["requester_name"],
                    requester_phone=data["requester_phone"],
                    requester_id_number=data["requester_id_number"],
                    content=data["content"],
                )
                notice = services.application_check_materials(
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
        request,
        "applications/application_new.html",
        {"item": item, "version": version, "form": form},
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
        "second_notice_form": forms.SecondNoticeForm(version=version),
        "refusal_form": forms.RefusalForm(),
        "extension_form": forms.ExtensionForm(),
    }


@role_required(*CASE_ROLES)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_user(request.user, pk)
    application = get_object_or_404(
        Application.objects.select_related("service_item_version__item"), case=case
    )
    return render(
        request, "applications/application_detail.html", _application_context(request, application)
    )


def _act(request: HttpRequest, action: str, application: Application) -> str:
    """Run one action of the application page; returns the success message."""
    case, by, post = application.case, request.user, request.POST
    if action == "supplement":
        services.application_supplement(case=case, by=by)
        return gettext("Supplement recorded.")
    if action == "second_notice":
        form = forms.SecondNoticeForm(post, version=application.service_item_version)
        if not form.is_valid():
            raise DomainError(gettext("Choose the materials to ask for from this item's guide."))
        services.application_second_notice(
            case=case, items=form.cleaned_data["items"], reason=form.cleaned_data["reason"], by=by
        )
        return gettext("Second notice issued; it was recorded as a violation.")
    if action == "extend":
        form = forms.ExtensionForm(post)
        if not form.is_valid():
            raise DomainError(gettext("An extension is 1 to 10 working days with a reason."))
        services.application_extend(case=case, by=by, **form.cleaned_data)
        return gettext("The time limit was extended.")
    refusal = forms.RefusalForm(post)
    refusal.is_valid()
    reasons = refusal.cleaned_data
    if action in {"accept", "not_accept"}:
        services.application_decide_acceptance(
            case=case, accept=action == "accept", by=by, **reasons
        )
        return (
            gettext("Accepted.")
            if action == "accept"
            else gettext("Not accepted; the refusal was filed.")
        )
    if action in {"approve", "deny"}:
        services.application_decide(case=case, approve=action == "approve", by=by, **reasons)
        return (
            gettext("Approved.")
            if action == "approve"
            else gettext("Not approved; the refusal was filed.")
        )
    if action == "file_overdue":
        services.application_file_overdue(case=case, by=by, **reasons)
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
        "applications/filing_list.html",
        {
            "filings": filings.order_by("review_due_at", "id")[:200],
            "status": status,
            "statuses": DenialFiling.Status.choices,
            "form": forms.FilingReviewForm(),
        },
    )


@require_POST
@role_required(*REVIEWERS)
def filing_review(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_object_or_404(DenialFiling, pk=pk)
    form = forms.FilingReviewForm(request.POST)
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
