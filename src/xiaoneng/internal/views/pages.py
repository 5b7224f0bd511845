"""The 内部事项 pages: the list, the matter, registration, a 请示, the published limits,
the attachment and the two documents."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xiaoneng.documents.content import Kind
from xiaoneng.documents.views import document_download
from xiaoneng.errors import DomainError
from xiaoneng.internal import permissions as may
from xiaoneng.internal import services
from xiaoneng.internal.documents import reply_document, slip_document
from xiaoneng.internal.forms import AskForm, ListFilterForm, RegisterForm
from xiaoneng.internal.models import Matter
from xiaoneng.internal.selectors import COUNTED, ListFilters, matter_for_user, matter_list
from xiaoneng.internal.services.policies import internal_policies
from xiaoneng.internal.views.matter import matter_context
from xiaoneng.web.files import file_download
from xiaoneng.web.permissions import role_required
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.models import Clock

ROLES = may.INTERNAL_ROLES
PAGE_SIZE = 50


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=office_tz())


def _filters(request: HttpRequest, form: ListFilterForm) -> ListFilters:
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    start, end = _day(request.GET.get("date_from")), _day(request.GET.get("date_to"))
    counted = request.GET.get("counted", "")
    department = data.get("department")
    return ListFilters(
        kind=data.get("kind") or "",
        state=data.get("state") or "",
        department_id=department.pk if department else None,
        open_only=bool(data.get("open")),
        counted=counted if counted in COUNTED else "",
        start=_moment(start) if start else None,
        end=_moment(end + timedelta(days=1)) if end else None,
    )


@require_GET
@role_required(*ROLES)
def matter_list_page(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    filters = _filters(request, form)
    matters = matter_list(request.user, filters)
    total = matters.count()
    return render(
        request,
        "internal/list.html",
        {
            "form": form,
            "matters": list(matters[:PAGE_SIZE]),
            "total": total,
            "filters": filters,
            "may_register": may.may_route(request.user),
            "may_ask": may.may_ask(request.user),
        },
    )


@require_GET
@role_required(*ROLES)
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = matter_for_user(request.user, pk)
    return render(request, "internal/matter.html", matter_context(request, matter))


def _files(request: HttpRequest) -> dict[str, Any]:
    return {"attachment": request.FILES.get("attachment")}


@role_required(*ROLES)
def matter_register(request: HttpRequest) -> HttpResponse:
    if not may.may_route(request.user):
        raise PermissionDenied
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "attachment"}
        try:
            matter = services.matter_register(by=request.user, **data, **_files(request))
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The matter was registered."))
            return redirect("internal:detail", pk=matter.pk)
    return render(
        request,
        "internal/form.html",
        {"form": form, "title": _("Register a leader's instruction or meeting decision")},
        status=400 if form.errors else 200,
    )


@role_required(*ROLES)
def matter_ask(request: HttpRequest) -> HttpResponse:
    if not may.may_ask(request.user):
        raise PermissionDenied
    form = AskForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "attachment"}
        try:
            matter = services.matter_ask(by=request.user, **data, **_files(request))
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The request was sent."))
            return redirect("internal:detail", pk=matter.pk)
    return render(
        request,
        "internal/form.html",
        {"form": form, "title": _("Send a request for instructions (请示)")},
        status=400 if form.errors else 200,
    )


@require_GET
@role_required(*ROLES)
def policies(request: HttpRequest) -> HttpResponse:
    """The published limits of internal matters, every version (公开承诺的时限)."""
    stages = dict(Clock.Stage.choices)
    rows = [
        {
            "policy": policy,
            "versions": [
                {
                    "version": version,
                    "limits": [
                        (
                            stages.get(limit.stage, limit.stage),
                            limit.amount,
                            limit.get_counting_display(),
                        )
                        for limit in version.stage_limits.all()
                    ],
                }
                for version in policy.versions.all()
            ],
        }
        for policy in internal_policies()
    ]
    return render(request, "internal/policies.html", {"rows": rows})


@require_GET
@role_required(*ROLES)
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    matter = matter_for_user(request.user, pk)
    if not matter.attachment:
        raise Http404
    return file_download(
        matter.attachment.open("rb"),
        filename=matter.attachment_name or "attachment",
        content_type=matter.attachment_type or "application/octet-stream",
    )


@require_GET
@role_required(*ROLES)
def document(request: HttpRequest, pk: int, which: str, fmt: str) -> HttpResponse:
    matter = matter_for_user(request.user, pk)
    if which == "slip" and matter.kind != Matter.Kind.REQUEST and matter.lead_department_id:
        kind, build = Kind.INTERNAL_SLIP, slip_document
    elif which == "reply" and matter.kind == Matter.Kind.REQUEST and matter.replied_at:
        kind, build = Kind.INTERNAL_REPLY, reply_document
    else:
        raise Http404
    return document_download(
        request, kind=kind, obj=matter, build=build, fmt=fmt, unit_id=matter.unit_id
    )
