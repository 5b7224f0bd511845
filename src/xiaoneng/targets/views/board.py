"""The targets dashboard, the Excel export and the yearly import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from xiaoneng.errors import DomainError
from xiaoneng.security.export_views import export_with_reason
from xiaoneng.targets.forms import ImportForm, ListFilterForm
from xiaoneng.targets.importing import COLUMNS, targets_import, targets_import_plan
from xiaoneng.targets.permissions import MANAGERS, TARGET_ROLES, tasks_visible_to
from xiaoneng.targets.selectors import (
    completion_by,
    expected_progress,
    is_lagging,
    overall,
    overdue_milestones,
    signed_off_by_month,
    task_filter,
    year_tasks,
)
from xiaoneng.web.charts import bar_chart
from xiaoneng.web.excel import xlsx_response
from xiaoneng.web.permissions import role_required
from xiaoneng.workdays.deadlines import local_day

BOARD_ROLES = ("efficiency_office", "leader", "dept_head")


@require_GET
@role_required(*BOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    year = form.year_value()
    today = local_day(timezone.now())
    scope = tasks_visible_to(request.user)
    tasks = year_tasks(scope, year, today)
    trend = signed_off_by_month(scope, year)
    chart = bar_chart(
        _("Progress reports signed off"),
        "",
        [(f"{year}-{month:02d}", float(n)) for month, n in trend],
        max([n for _m, n in trend] + [1]),
        x_label=_("Month"),
        y_label=_("Number of reports"),
    )
    return render(
        request,
        "targets/dashboard.html",
        {
            "form": form,
            "year": year,
            "year_text": str(year),
            "total": overall(tasks, today),
            "expected": expected_progress(year, today),
            "by_unit": completion_by(tasks, key="unit", today=today),
            "by_source": completion_by(tasks, key="source", today=today),
            "overdue": overdue_milestones(scope, year, today)[:100],
            "chart": chart,
        },
    )


EXPORT_HEADERS = (
    gettext_lazy("Target"),
    gettext_lazy("Source"),
    gettext_lazy("Task"),
    gettext_lazy("Unit"),
    gettext_lazy("Department"),
    gettext_lazy("Responsible person"),
    gettext_lazy("Progress (%)"),
    gettext_lazy("Lagging"),
)


@role_required(*TARGET_ROLES)
def export(request: HttpRequest) -> HttpResponse:
    return export_with_reason(
        request,
        kind="targets",
        roles=TARGET_ROLES,
        title=_("Export the targets to Excel"),
        back="targets:list",
        produce=lambda reason: _export_file(request, reason),
    )


def _export_file(request: HttpRequest, reason: str) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = form.year_value()
    today = local_day(timezone.now())
    unit = data.get("unit")
    scope = task_filter(
        tasks_visible_to(request.user), source=data.get("source") or "", unit_id=unit and unit.pk
    )
    tasks = year_tasks(scope, year, today)
    return xlsx_response(
        request,
        kind="targets",
        reason=reason,
        sheet_title=_("Targets"),
        header=[str(header) for header in EXPORT_HEADERS],
        rows=(
            [
                task.target.title,
                str(task.target.get_source_display()),
                task.title,
                task.unit.name,
                task.department.name if task.department else "",
                task.person.name if task.person else "",
                task.progress,
                _("Yes") if is_lagging(task, today=today) else _("No"),
            ]
            for task in tasks
        ),
        filename=f"targets-{year}.xlsx",
        filters={"year": year},
    )


@role_required(*MANAGERS)
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload checks the file and shows the plan or the errors; "import" stores it all or
    nothing."""
    form = ImportForm(
        request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year}
    )
    context: dict[str, Any] = {"form": form, "columns": [names[0] for names in COLUMNS.values()]}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        year = form.cleaned_data["year"]
        try:
            if request.POST.get("action") == "import":
                plan = targets_import(by=request.user, data=data, year=year)
                messages.success(
                    request,
                    _("Imported %(targets)s targets, %(tasks)s tasks and %(rows)s milestones.")
                    % {"targets": plan.targets, "tasks": plan.tasks, "rows": len(plan.rows)},
                )
                return redirect(f"{reverse('targets:list')}?year={year}")
            context["plan"] = targets_import_plan(data=data, year=year)
        except DomainError as exc:
            form.add_error("file", str(exc.message))
    status = 400 if form.errors or (context.get("plan") and context["plan"].errors) else 200
    return render(request, "targets/import.html", context, status=status)
