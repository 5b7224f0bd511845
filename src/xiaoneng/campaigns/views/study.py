"""Learning records: study sessions, attendance, a department's hours, a person's record."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xiaoneng.campaigns import services
from xiaoneng.campaigns.forms import AttendanceForm, SessionForm, YearForm
from xiaoneng.campaigns.permissions import (
    ANY_STAFF,
    OFFICE,
    READERS_ALL,
    STUDY_ROLES,
    STUDY_WRITERS,
    may_manage_department,
    session_for_user,
    sessions_visible_to,
)
from xiaoneng.campaigns.selectors import (
    default_year,
    department_hours,
    person_hours,
    person_record,
    sessions_for_list,
)
from xiaoneng.errors import DomainError
from xiaoneng.org.models import Department, Staff
from xiaoneng.org.scope import has_any_role, headed_department_ids
from xiaoneng.org.selectors import staff_for
from xiaoneng.security.export_views import export_with_reason
from xiaoneng.web.excel import xlsx_response
from xiaoneng.web.permissions import role_required

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def _year(request: HttpRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET if "year" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"]
    year = default_year()
    return YearForm(initial={"year": year}), year


def _department_scope(user: User) -> list[int] | None:
    """None: every department (office, leaders); else the departments a head heads."""
    if has_any_role(user, READERS_ALL):
        return None
    return headed_department_ids(staff_for(user))


def _writable_departments(user: User) -> Any:
    departments = Department.objects.filter(is_active=True).select_related("unit")
    if not has_any_role(user, OFFICE):
        departments = departments.filter(pk__in=headed_department_ids(staff_for(user)))
    return departments.order_by("unit__sort_order", "unit_id", "sort_order", "id")


@require_GET
@role_required(*STUDY_ROLES)
def session_list(request: HttpRequest) -> HttpResponse:
    form, year = _year(request)
    return render(
        request,
        "campaigns/session_list.html",
        {
            "sessions": sessions_for_list(sessions_visible_to(request.user), year=year),
            "form": form,
            "year": year,
            "may_create": has_any_role(request.user, STUDY_WRITERS),
        },
    )


@role_required(*STUDY_WRITERS)
def session_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, departments=_writable_departments(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.study_session_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The study session was recorded; now mark who attended."))
            return redirect("campaigns:session_detail", pk=session.pk)
    return render(
        request, "campaigns/session_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _people_for(session: Any) -> Any:
    return (
        Staff.objects.filter(unit_id=session.department.unit_id, user__is_active=True)
        .select_related("user", "department")
        .order_by("department__sort_order", "department_id", "id")
    )


@role_required(*STUDY_ROLES)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_user(request.user, pk)
    may_record = may_manage_department(request.user, session.department_id)
    attended = list(session.attendance.select_related("staff__user", "department"))
    form = AttendanceForm(
        request.POST or None,
        people=_people_for(session),
        initial={"staff": [row.staff_id for row in attended]},
    )
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.attendance_record(
                    by=request.user, session=session, staff=form.cleaned_data["staff"]
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The attendance was saved."))
                return redirect("campaigns:session_detail", pk=session.pk)
    return render(
        request,
        "campaigns/session_detail.html",
        {"session": session, "attended": attended, "form": form, "may_record": may_record},
        status=400 if form.errors else 200,
    )


@require_GET
@role_required(*STUDY_ROLES)
def hours_page(request: HttpRequest) -> HttpResponse:
    form, year = _year(request)
    rows = department_hours(year=year, department_ids=_department_scope(request.user))
    return render(
        request,
        "campaigns/hours.html",
        {"rows": rows, "form": form, "year": year},
    )


@role_required(*STUDY_ROLES)
def hours_export(request: HttpRequest) -> HttpResponse:
    return export_with_reason(
        request,
        kind="campaigns.study_hours",
        roles=STUDY_ROLES,
        title=_("Export the study hours to Excel"),
        back="campaigns:hours",
        produce=lambda reason: _hours_file(request, reason),
    )


def _hours_file(request: HttpRequest, reason: str) -> HttpResponse:
    _form, year = _year(request)
    rows = department_hours(year=year, department_ids=_department_scope(request.user))
    return xlsx_response(
        request,
        kind="campaigns.study_hours",
        reason=reason,
        sheet_title=_("Study hours"),
        header=[_("Unit"), _("Department"), _("Sessions"), _("Attendances"), _("Person-hours")],
        rows=(
            [
                row.department.unit.name,
                row.department.name,
                row.sessions,
                row.attendances,
                float(row.hours),
            ]
            for row in rows
        ),
        filename=f"study-hours-{year}.xlsx",
        filters={"year": year},
    )


def _record_page(request: HttpRequest, staff: Staff) -> HttpResponse:
    form, year = _year(request)
    sessions = person_record(staff, year=year)
    return render(
        request,
        "campaigns/person_record.html",
        {
            "person": staff,
            "sessions": sessions,
            "total": person_hours(sessions).quantize(Decimal("0.1")),
            "form": form,
            "year": year,
        },
    )


@require_GET
@role_required(*ANY_STAFF)
def my_record(request: HttpRequest) -> HttpResponse:
    staff = staff_for(request.user)
    if staff is None:
        raise Http404
    return _record_page(request, staff)


@require_GET
@role_required(*STUDY_ROLES)
def person_record_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = Staff.objects.select_related("user", "unit", "department").filter(pk=staff_id).first()
    scope = _department_scope(request.user)
    if staff is None or (scope is not None and staff.department_id not in scope):
        raise Http404
    return _record_page(request, staff)
