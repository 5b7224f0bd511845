"""Every change to targets: one transaction with its audit row each.

Lifecycle of a progress report: submitted → signed off | returned. A signed-off report sets the
task's progress; when it names a milestone, the milestone is done and its clock stops.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.supervision.models import Order
from xiaoneng.supervision.services import supervision_order_create
from xiaoneng.targets.models import MILESTONE_OWNER, Milestone, ProgressReport, Target, Task
from xiaoneng.targets.permissions import MANAGERS, may_report, may_sign_off
from xiaoneng.web.uploads import check_upload
from xiaoneng.workdays.deadlines import local_day
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import Counting
from xiaoneng.workdays.services.clocks import clock_start, clock_stop

if TYPE_CHECKING:
    from datetime import datetime

    from django_stubs_ext import StrOrPromise

    from xiaoneng.org.actors import Actor, User

TITLE_MAX = 200


def _manager(by: Actor) -> None:
    if not user_roles(by) & MANAGERS:
        raise PermissionDenied(_("Only the efficiency office manages the yearly targets."))


def _title(value: str, message: StrOrPromise) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise DomainError(message)
    return value[:TITLE_MAX]


def target_create(*, by: User, year: int, source: str, title: str, description: str = "") -> Target:
    _manager(by)
    if source not in Target.Source.values:
        raise DomainError(_("Unknown source of target."))
    if not 2000 <= int(year) <= 2100:
        raise DomainError(_("Give a year between 2000 and 2100."))
    title = _title(title, _("Please give the target a title."))
    if Target.objects.filter(year=year, title=title).exists():
        raise DomainError(
            lazy_format(
                _("The %(year)s list already has the target %(title)s."),
                {"year": year, "title": title},
            )
        )
    with transaction.atomic():
        target = Target.objects.create(
            year=year,
            source=source,
            title=title,
            description=(description or "").strip(),
            created_by=by,
        )
        log_action(
            action="targets.target.create",
            obj=target,
            actor=by,
            summary={"year": year, "title": title},
        )
    return target


def task_create(
    *,
    by: Actor,
    target: Target,
    title: str,
    unit: Unit,
    department: Department | None = None,
    leader: Staff | None = None,
    person: Staff | None = None,
) -> Task:
    _manager(by)
    title = _title(title, _("Please give the task a title."))
    if department is not None and department.unit_id != unit.pk:
        raise DomainError(_("The department must belong to the unit."))
    if person is not None and person.unit_id != unit.pk:
        raise DomainError(_("The responsible person must work in the unit."))
    with transaction.atomic():
        task = Task.objects.create(
            target=target,
            title=title,
            unit=unit,
            department=department,
            leader=leader,
            person=person,
        )
        log_action(
            action="targets.task.create",
            obj=task,
            actor=by,
            unit_id=unit.pk,
            summary={"target": target.pk, "title": title},
        )
    return task


def milestone_add(*, by: Actor, task: Task, title: str, due_date: date) -> Milestone:
    """A milestone within the target's year, on a clock with the same warnings as cases."""
    _manager(by)
    title = _title(title, _("Please give the milestone a title."))
    if due_date.year != task.target.year:
        raise DomainError(
            lazy_format(
                _("A milestone of a %(year)s target must fall within %(year)s."),
                {"year": task.target.year},
            )
        )
    now = timezone.now()
    days = (due_date - local_day(now)).days
    if days < 1:
        raise DomainError(_("The due date must be after today."))
    with transaction.atomic():
        milestone = Milestone.objects.create(task=task, title=title, due_date=due_date)
        # Counted as calendar days: a due date on a holiday moves to the next working day.
        milestone.clock = clock_start(
            owner_type=MILESTONE_OWNER,
            owner_id=milestone.pk,
            stage=Clock.Stage.MILESTONE.value,
            started_at=now,
            counting=Counting.DAYS.value,
            limit=days,
            unit_id=task.unit_id,
            by=by,
        )
        milestone.save(update_fields=["clock"])
        log_action(
            action="targets.milestone.add",
            obj=milestone,
            actor=by,
            unit_id=task.unit_id,
            summary={"task": task.pk, "due": due_date.isoformat()},
        )
    return milestone


def progress_report(
    *,
    by: User,
    task: Task,
    percent: int,
    narrative: str,
    milestone: Milestone | None = None,
    file: UploadedFile | None = None,
) -> ProgressReport:
    if not may_report(by, task):
        raise PermissionDenied(_("Only the responsible person or the department reports progress."))
    if percent is None or not 0 <= int(percent) <= 100:
        raise DomainError(_("Progress is a percentage between 0 and 100."))
    narrative = (narrative or "").strip()
    if not narrative:
        raise DomainError(_("Please describe the progress."))
    if milestone is not None and (milestone.task_id != task.pk or milestone.done_at is not None):
        raise DomainError(_("Choose an open milestone of this task."))
    report = ProgressReport(
        task=task,
        milestone=milestone,
        percent=int(percent),
        narrative=narrative,
        reported_by=staff_for(by),
        submitted_at=timezone.now(),
    )
    if file is not None:
        report.evidence_name, report.evidence_type, _size = check_upload(file)
        report.evidence = file
    with transaction.atomic():
        report.save()
        log_action(
            action="targets.progress.report",
            obj=report,
            actor=by,
            unit_id=task.unit_id,
            summary={
                "task": task.pk,
                "percent": report.percent,
                "milestone": milestone and milestone.pk,
            },
        )
        head = task.department.head if task.department_id else task.leader  # type: ignore[union-attr]
        notify_people(
            [head],
            kind="targets.progress",
            subject=gettext("Progress on %(task)s awaits your sign-off") % {"task": task.title},
            body=narrative[:200],
            obj=report,
            unit_id=task.unit_id,
        )
    return report


def progress_sign_off(
    *, by: Actor, report: ProgressReport, approve: bool, note: str = ""
) -> ProgressReport:
    note = (note or "").strip()
    with transaction.atomic():
        report = (
            ProgressReport.objects.select_for_update(of=("self",))
            .select_related("task__department")
            .get(pk=report.pk)
        )
        task = report.task
        if not may_sign_off(by, task):
            raise PermissionDenied(
                _("Only the head of the responsible department signs off progress.")
            )
        if report.state != ProgressReport.State.SUBMITTED:
            raise DomainError(_("This report has already been decided."))
        if not approve and not note:
            raise DomainError(_("Please give the reason for returning the report."))
        now = timezone.now()
        report.state = ProgressReport.State.SIGNED_OFF if approve else ProgressReport.State.RETURNED
        report.decided_by, report.decided_at, report.decision_note = by, now, note
        report.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        if approve:
            Task.objects.filter(pk=task.pk).update(progress=report.percent)
            if report.milestone_id is not None:
                _milestone_done(report.milestone, at=now, by=by)  # type: ignore[arg-type]
        log_action(
            action="targets.progress.signed_off" if approve else "targets.progress.returned",
            obj=report,
            actor=by,
            unit_id=task.unit_id,
            summary={"task": task.pk, "percent": report.percent, "note": note},
        )
    return report


def _milestone_done(milestone: Milestone, *, at: datetime, by: Actor) -> None:
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is not None:
        return
    milestone.done_at = at
    milestone.save(update_fields=["done_at"])
    if milestone.clock_id is not None and milestone.clock.state != Clock.State.STOPPED:  # type: ignore[union-attr]
        clock_stop(clock=milestone.clock, at=at, reason="milestone done", by=by)  # type: ignore[arg-type]


def task_supervise(*, by: User, task: Task) -> Any:
    """Put a lagging task under a supervision order in one action; a second call returns the
    order already issued for it."""
    source = f"target-task:{task.pk}"
    existing = Order.objects.filter(source=source).exclude(state=Order.State.ACCEPTED).first()
    if existing is not None:
        return existing
    department = task.department
    if department is None:
        raise DomainError(_("Give the task a responsible department before supervising it."))
    open_milestone = task.milestones.filter(done_at__isnull=True).order_by("due_date").first()
    today = local_day(timezone.now())
    due = open_milestone.due_date if open_milestone and open_milestone.due_date > today else None
    return supervision_order_create(
        by=by,
        title=gettext("Target task lagging: %(task)s") % {"task": task.title},
        description=gettext(
            "%(target)s — %(task)s is behind schedule (progress %(progress)s%%). Report the "
            "measures taken and the date it will be back on schedule."
        )
        % {"target": task.target.title, "task": task.title, "progress": task.progress},
        kind=Order.Kind.TARGET,
        unit=task.unit,
        department=department,
        person=task.person if task.person and task.person.department_id == department.pk else None,
        due_date=due,
        due_working_days=None if due else 5,
        source=source,
    )
