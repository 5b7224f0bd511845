"""Appeal pages: the list, one appeal with its decision form, and filing an appeal."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.accountability import services
from xiaoneng.accountability.access import (
    PAGE_ROLES,
    appeal_for_user,
    appeals_visible_to,
    sanction_for_user,
    violation_for_user,
)
from xiaoneng.accountability.appeals import appeal_deadline, appeal_may_decide
from xiaoneng.accountability.forms import AppealDecideForm, AppealForm
from xiaoneng.accountability.models import Appeal
from xiaoneng.cases.models import Signal
from xiaoneng.cases.permissions import case_for_user
from xiaoneng.errors import DomainError
from xiaoneng.org.roles import Role
from xiaoneng.web.permissions import role_required

page_roles = role_required(*PAGE_ROLES)


@require_GET
@page_roles
def appeal_list(request: HttpRequest) -> HttpResponse:
    qs = appeals_visible_to(request.user).select_related("person__user", "filed_by__user")
    status = request.GET.get("status", "")
    if status in Appeal.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/appeal_list.html",
        {"page": page, "status": status, "statuses": Appeal.Status.choices},
    )


def _detail(
    request: HttpRequest, appeal: Appeal, form: AppealDecideForm | None = None
) -> HttpResponse:
    open_ = appeal.status in (Appeal.Status.PENDING, Appeal.Status.ESCALATED)
    if form is None and open_ and appeal_may_decide(request.user, appeal):
        form = AppealDecideForm()
    return render(request, "accountability/appeal_detail.html", {"appeal": appeal, "form": form})


@require_GET
@page_roles
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, appeal_for_user(request.user, pk))


@require_POST
@role_required(Role.EFFICIENCY_OFFICE, Role.LEADER)
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = appeal_for_user(request.user, pk)
    form = AppealDecideForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_decide(
                by=request.user,
                appeal=appeal,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The appeal was decided."))
            return redirect("accountability:appeal", pk=pk)
    return _detail(request, appeal, form)


def _target(request: HttpRequest, target: str, pk: int) -> tuple[object, object]:
    """The object appealed against, fetched within the person's scope (404 otherwise), and the
    moment of its decision."""
    if target == Appeal.Target.VIOLATION:
        obj = violation_for_user(request.user, pk)
        return obj, obj.reviewed_at
    if target == Appeal.Target.SANCTION:
        obj = sanction_for_user(request.user, pk)
        return obj, obj.decided_at
    if target == Appeal.Target.CARD:
        obj = get_object_or_404(
            Signal.objects.select_related("case"),
            pk=pk,
            level__in=(Signal.Level.YELLOW, Signal.Level.RED),
            case__isnull=False,
        )
        case_for_user(request.user, obj.case_id)
        return obj, obj.raised_at
    raise Http404


@require_http_methods(["GET", "POST"])
@page_roles
def appeal_new(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    obj, decided_at = _target(request, target, pk)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_file(
                by=request.user, target=target, obj=obj, grounds=form.cleaned_data["grounds"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The appeal was filed."))
            return redirect("accountability:appeal", pk=appeal.pk)
    deadline = (
        appeal_deadline(decided_at=decided_at, unit_id=getattr(obj, "unit_id", None))
        if decided_at
        else None
    )
    return render(
        request,
        "accountability/appeal_form.html",
        {
            "form": form,
            "target": Appeal.Target(target).label,
            "obj": obj,
            "deadline": deadline,
        },
    )
