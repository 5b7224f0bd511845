"""Target list, target and task pages, and the actions on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.errors import DomainError
from xiaoneng.org.selectors import user_roles
from xiaoneng.supervision.models import Order
from xiaoneng.supervision.permissions import ISSUERS
from xiaoneng.targets import services
from xiaoneng.targets.forms import (
    ListFilterForm,
    MilestoneForm,
    ReportForm,
    SignOffForm,
    TargetForm,
    TaskForm,
)
from xiaoneng.targets.models import ProgressReport, Target
from xiaoneng.targets.permissions import (
    MANAGERS,
    TARGET_ROLES,
    may_report,
    may_sign_off,
    sees_all,
    task_for_user,
    tasks_visible_to,
)
from xiaoneng.targets.selectors import (
    expected_progress,
    is_lagging,
    task_filter,
    year_tasks,
    years_with_targets,
)
from xiaoneng.web.permissions import role_required
from xiaoneng.workdays.deadlines import local_day

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def _is_manager(user: User) -> bool:
    return bool(user_roles(user) & MANAGERS)


@require_GET
@role_required(*TARGET_ROLES)
def target_list(request: HttpRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    year = form.year_value()
    unit = data.get("unit")
    today = local_day(timezone.now())
    scope = task_filter(
        tasks_visible_to(request.user), source=data.get("source") or "", unit_id=unit and unit.pk
    )
    tasks = year_tasks(scope, year, today)
    rows = [(task, is_lagging(task, today=today)) for task in tasks]
    if data.get("lagging"):
        rows = [row for row in rows if row[1]]
    if data.get("done"):
        rows = [row for row in rows if row[0].progress >= 100]
    return render(
        request,
        "targets/list.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "expected": expected_progress(year, today),
            "years": years_with_targets(),
            "may_manage": _is_manager(request.user),
            "query": request.GET.urlencode(),
        },
    )


@role_required(*MANAGERS)
def target_new(request: HttpRequest) -> HttpResponse:
    form = TargetForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_create(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The target was added."))
            return redirect("targets:target", pk=target.pk)
    return render(
        request,
        "targets/form.html",
        {"form": form, "title": _("New target")},
        status=400 if form.errors else 200,
    )


def _target_for_user(user: User, pk: int) -> Target:
    targets = (
        Target.objects.all()
        if sees_all(user)
        else Target.objects.filter(tasks__in=tasks_visible_to(user)).distinct()
    )
    target = targets.filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


@require_GET
@role_required(*TARGET_ROLES)
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target_for_user(request.user, pk)
    today = local_day(timezone.now())
    tasks = year_tasks(tasks_visible_to(request.user).filter(target=target), target.year, today)
    return render(
        request,
        "targets/target.html",
        {
            "target": target,
            "rows": [(task, is_lagging(task, today=today)) for task in tasks],
            "task_form": TaskForm() if _is_manager(request.user) else None,
        },
    )


@require_POST
@role_required(*MANAGERS)
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target_for_user(request.user, pk)
    form = TaskForm(request.POST)
    if form.is_valid():
        try:
            task = services.task_create(by=request.user, target=target, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The task was added."))
            return redirect("targets:task", pk=task.pk)
    else:
        messages.error(request, _("Please correct the task form."))
    return redirect("targets:target", pk=target.pk)


def _task_page(
    request: HttpRequest, task: Any, *, report_form: Any = None, status: int = 200
) -> HttpResponse:
    user = request.user
    today = local_day(timezone.now())
    task.has_overdue = task.milestones.filter(done_at__isnull=True, due_date__lt=today).exists()
    order = Order.objects.filter(source=f"target-task:{task.pk}").order_by("-pk").first()
    return render(
        request,
        "targets/task.html",
        {
            "task": task,
            "lagging": is_lagging(task, today=today),
            "milestones": task.milestones.prefetch_related("signals"),
            "reports": task.reports.select_related("reported_by__user", "milestone", "decided_by"),
            "today": today,
            "report_form": report_form
            or (ReportForm(task=task) if may_report(user, task) else None),
            "sign_off": may_sign_off(user, task),
            "sign_off_form": SignOffForm(),
            "milestone_form": MilestoneForm() if _is_manager(user) else None,
            "may_supervise": bool(user_roles(user) & ISSUERS),
            "order": order,
        },
        status=status,
    )


@require_GET
@role_required(*TARGET_ROLES)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, task_for_user(request.user, pk))


@require_POST
@role_required(*MANAGERS)
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for_user(request.user, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(by=request.user, task=task, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The milestone was added."))
    else:
        messages.error(request, _("Please give the milestone a title and a due date."))
    return redirect("targets:task", pk=task.pk)


@require_POST
@role_required(*TARGET_ROLES)
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for_user(request.user, pk)
    if not may_report(request.user, task):
        raise Http404
    form = ReportForm(request.POST, request.FILES, task=task)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report(
                by=request.user,
                task=task,
                percent=data["percent"],
                narrative=data["narrative"],
                milestone=data["milestone"],
                file=data["evidence"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The progress report was sent for sign-off."))
            return redirect("targets:task", pk=task.pk)
    return _task_page(request, task, report_form=form, status=400)


@require_POST
@role_required(*TARGET_ROLES)
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for_user(request.user, pk)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose sign off or return."))
        return redirect("targets:task", pk=report.task_id)
    try:
        services.progress_sign_off(
            by=request.user,
            report=report,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The decision was recorded."))
    return redirect("targets:task", pk=report.task_id)


def _report_for_user(user: User, pk: int) -> ProgressReport:
    report = ProgressReport.objects.filter(pk=pk, task__in=tasks_visible_to(user)).first()
    if report is None:
        raise Http404
    return report


@require_GET
@role_required(*TARGET_ROLES)
def report_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for_user(request.user, pk)
    if not report.evidence:
        raise Http404
    return FileResponse(
        report.evidence.open("rb"),
        as_attachment=True,
        filename=report.evidence_name,
        content_type=report.evidence_type,
    )


@require_POST
@role_required(*ISSUERS)
def task_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_for_user(request.user, pk)
    try:
        order = services.task_supervise(by=request.user, task=task)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("targets:task", pk=task.pk)
    messages.success(
        request, _("Supervision order %(number)s covers this task.") % {"number": order.number}
    )
    return redirect("supervision:order_detail", pk=order.pk)
