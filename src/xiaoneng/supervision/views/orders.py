"""Supervision orders: list, issue, the order page with feedback, decision and reminders,
its documents, and the closure report with its Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.cases.permissions import cases_visible_to
from xiaoneng.documents.content import Kind
from xiaoneng.documents.services import FORMATS, document_render
from xiaoneng.errors import DomainError
from xiaoneng.org.scope import has_any_role
from xiaoneng.security.export_views import export_with_reason
from xiaoneng.supervision import documents as builders
from xiaoneng.supervision import services
from xiaoneng.supervision.forms import (
    DecisionForm,
    FeedbackForm,
    OrderForm,
    RemindForm,
    ReportForm,
    default_period,
)
from xiaoneng.supervision.models import Order, Reminder
from xiaoneng.supervision.permissions import (
    ISSUERS,
    ORDER_READERS_ALL,
    ORDER_ROLES,
    may_answer,
    order_for_user,
)
from xiaoneng.supervision.selectors import (
    ReportRow,
    closure_report,
    order_deadline,
    orders_for_list,
)
from xiaoneng.web.excel import xlsx_response
from xiaoneng.web.permissions import role_required
from xiaoneng.workdays.explain import explain_clock

OFFICE = ("efficiency_office",)


@require_GET
@role_required(*ORDER_ROLES)
def order_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    overdue = request.GET.get("overdue") == "1"
    return render(
        request,
        "supervision/order_list.html",
        {
            "orders": orders_for_list(request.user, state=state, overdue=overdue),
            "state": state,
            "overdue": overdue,
            "states": Order.State.choices,
            "may_issue": has_any_role(request.user, ISSUERS),
        },
    )


@role_required(*ISSUERS)
def order_new(request: HttpRequest) -> HttpResponse:
    form = OrderForm(request.POST or None, initial={"kind": request.GET.get("kind", "case")})
    if request.method == "GET" and request.GET.get("case"):
        form.initial["case_number"] = request.GET["case"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data["case_number"]:
            case = cases_visible_to(request.user).filter(number=data["case_number"].strip()).first()
            if case is None:
                form.add_error("case_number", _("No case with this number."))
        if form.is_valid():
            department = data["department"]
            try:
                order = services.supervision_order_create(
                    by=request.user,
                    title=data["title"],
                    description=data["description"],
                    kind=data["kind"],
                    unit=department.unit,
                    department=department,
                    person=data["person"],
                    due_working_days=data["due_working_days"],
                    due_date=None if data["due_working_days"] else data["due_date"],
                    case=case,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Supervision order %(number)s issued.") % {"number": order.number}
                )
                return redirect("supervision:order_detail", pk=order.pk)
    return render(request, "supervision/order_new.html", {"form": form})


def _order_page(
    request: HttpRequest, order: Order, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    office = has_any_role(user, OFFICE)
    context = {
        "order": order,
        "deadline": order_deadline(order),
        "explanation": explain_clock(order.clock).lines() if order.clock else [],
        "feedbacks": list(order.feedbacks.select_related("submitted_by", "decided_by")),
        "reminders": list(order.reminders.select_related("sent_by")),
        "may_answer": order.state == Order.State.ISSUED and may_answer(user, order),
        "may_decide": office and order.state == Order.State.ANSWERED,
        "may_remind": office and order.state == Order.State.ISSUED,
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "remind_form": forms.get("remind_form") or RemindForm(),
        "formats": list(FORMATS),
    }
    return render(request, "supervision/order_detail.html", context, status=status)


@require_GET
@role_required(*ORDER_ROLES)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_page(request, order_for_user(request.user, pk))


@require_POST
@role_required(*ORDER_ROLES)
def order_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_for_user(request.user, pk)
    form = FeedbackForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.supervision_feedback_submit(
                order=order,
                by=request.user,
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your feedback was sent to the efficiency office."))
            return redirect("supervision:order_detail", pk=order.pk)
    return _order_page(request, order, status=400, feedback_form=form)


@require_POST
@role_required(*OFFICE)
def order_decide(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.supervision_order_accept(order=order, by=request.user, note=data["note"])
                done = _("The feedback was accepted; the order is closed.")
            else:
                services.supervision_order_return(order=order, by=request.user, reason=data["note"])
                done = _("The feedback was returned to the department.")
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("supervision:order_detail", pk=order.pk)
    return _order_page(request, order, status=400, decision_form=form)


@require_POST
@role_required(*OFFICE)
def order_remind(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_for_user(request.user, pk)
    form = RemindForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_order_remind(
                order=order, by=request.user, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The reminder was sent."))
            return redirect("supervision:order_detail", pk=order.pk)
    return _order_page(request, order, status=400, remind_form=form)


def _download(
    request: HttpRequest, *, kind: str, obj: Any, build: Any, fmt: str, order: Order
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    rendered = document_render(
        kind=kind,
        obj=obj,
        build=build,
        fmt=fmt,
        by=request.user,
        case_number=order.number,
        unit_id=order.unit_id,
    )
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=rendered.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(*ORDER_ROLES)
def order_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    order = order_for_user(request.user, pk)
    return _download(
        request,
        kind=Kind.SUPERVISION,
        obj=order,
        build=builders.order_document,
        fmt=fmt,
        order=order,
    )


@require_GET
@role_required(*ORDER_ROLES)
def reminder_document(request: HttpRequest, pk: int, reminder_id: int, fmt: str) -> HttpResponse:
    order = order_for_user(request.user, pk)
    reminder = Reminder.objects.filter(pk=reminder_id, order=order).first()
    if reminder is None:
        raise Http404
    reminder.order = order
    return _download(
        request,
        kind=Kind.REMINDER,
        obj=reminder,
        build=builders.reminder_document,
        fmt=fmt,
        order=order,
    )


@require_GET
@role_required(*ORDER_ROLES)
def feedback_file(request: HttpRequest, pk: int, feedback_id: int) -> HttpResponse:
    order = order_for_user(request.user, pk)
    feedback = order.feedbacks.filter(pk=feedback_id).exclude(file="").first()
    if feedback is None:
        raise Http404
    return FileResponse(
        feedback.file.open("rb"),
        as_attachment=True,
        filename=feedback.file_name,
        content_type=feedback.file_type,
    )


# -- closure report ------------------------------------------------------------------------


def _report_period(request: HttpRequest) -> tuple[ReportForm, Any, Any]:
    form = ReportForm(request.GET if "start" in request.GET else None, initial=default_period())
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    period = default_period()
    return form, period["start"], period["end"]


@require_GET
@role_required(*ORDER_READERS_ALL)
def closure_report_page(request: HttpRequest) -> HttpResponse:
    form, start, end = _report_period(request)
    rows = closure_report(user=request.user, start=start, end=end)
    return render(
        request,
        "supervision/report.html",
        {
            "form": form,
            "rows": rows,
            "start": start,
            "end": end,
            "unanswered": sum(not row.answered for row in rows),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*ORDER_READERS_ALL)
def closure_report_export(request: HttpRequest) -> HttpResponse:
    return export_with_reason(
        request,
        kind="supervision.report",
        roles=ORDER_READERS_ALL,
        title=_("Export the closure report to Excel"),
        back="supervision:report",
        produce=lambda reason: _closure_report_file(request, reason),
    )


def _closure_report_file(request: HttpRequest, reason: str) -> HttpResponse:
    _form, start, end = _report_period(request)
    rows = closure_report(user=request.user, start=start, end=end)
    return xlsx_response(
        request,
        kind="supervision.report",
        reason=reason,
        sheet_title=_("Closure report"),
        header=[
            _("Number"),
            _("Kind"),
            _("Matter"),
            _("Case"),
            _("Unit"),
            _("Responsible department"),
            _("Issued at"),
            _("Deadline"),
            _("State"),
            _("Reminders"),
            _("Overdue"),
            _("Latest feedback"),
            _("Feedback at"),
            _("Decision"),
            _("Accepted at"),
            _("Flag"),
        ],
        rows=(_closure_row(row) for row in rows),
        filename=f"supervision-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        filters={"start": start.isoformat(), "end": end.isoformat()},
    )


def _closure_row(row: ReportRow) -> list[Any]:
    order, feedback = row.order, row.feedback
    return [
        order.number,
        order.get_kind_display(),
        order.title,
        order.case.number if order.case_id else "",
        order.unit.name,
        order.department.name,
        timezone.localtime(order.issued_at).strftime("%Y-%m-%d %H:%M"),
        timezone.localtime(row.due_at).strftime("%Y-%m-%d") if row.due_at else "",
        order.get_state_display(),
        row.reminders,
        _("Yes") if row.overdue else _("No"),
        feedback.text if feedback else "",
        timezone.localtime(feedback.submitted_at).strftime("%Y-%m-%d %H:%M") if feedback else "",
        feedback.get_decision_display() if feedback else "",
        timezone.localtime(order.accepted_at).strftime("%Y-%m-%d %H:%M")
        if order.accepted_at
        else "",
        "" if row.answered else _("No accepted answer"),
    ]
