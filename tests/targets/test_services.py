"""Targets, tasks, milestones and progress: the rules, the state machine, the refusals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.targets.conftest import YEAR
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.supervision.models import Order
from xiaoneng.targets.models import Milestone, ProgressReport, Target
from xiaoneng.targets.services import (
    milestone_add,
    progress_report,
    progress_sign_off,
    target_create,
    task_supervise,
)
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db


def test_only_the_efficiency_office_manages_targets(users, january) -> None:
    for name in ("leader", "head", "handler_a"):
        with pytest.raises(PermissionDenied):
            target_create(by=users[name], year=YEAR, source="bureau", title="课后服务全覆盖")
    with pytest.raises(DomainError, match="来源"):
        target_create(by=users["xiaoneng"], year=YEAR, source="nowhere", title="x")
    target_create(by=users["xiaoneng"], year=YEAR, source="welfare", title="明厨亮灶")
    with pytest.raises(DomainError, match="明厨亮灶"):
        target_create(by=users["xiaoneng"], year=YEAR, source="welfare", title=" 明厨亮灶 ")
    assert Target.objects.count() == 1
    assert AuditEntry.objects.filter(action="targets.target.create").count() == 1


def test_a_milestone_lies_in_the_targets_year_and_runs_on_a_clock(users, task) -> None:
    with pytest.raises(DomainError, match=str(YEAR)):
        milestone_add(by=users["xiaoneng"], task=task, title="明年", due_date=date(YEAR + 1, 1, 10))
    with pytest.raises(DomainError):
        milestone_add(by=users["xiaoneng"], task=task, title="昨天", due_date=date(YEAR, 1, 4))
    assert not Milestone.objects.exists()
    assert not Clock.objects.filter(owner_type="targets.milestone").exists()
    milestone = milestone_add(
        by=users["xiaoneng"], task=task, title="设计", due_date=date(YEAR, 3, 31)
    )
    assert milestone.clock.state == Clock.State.RUNNING
    assert milestone.clock.stage == "milestone"
    # 31 March 2026 is a Tuesday and a working day: due at its end.
    assert milestone.clock.due_at.date() in (date(YEAR, 3, 31), date(YEAR, 4, 1))


def test_progress_is_a_percentage_and_needs_a_narrative(users, task, milestone) -> None:
    for bad in (-1, 101, 250):
        with pytest.raises(DomainError, match="0"):
            progress_report(by=users["handler_a"], task=task, percent=bad, narrative="进展")
    with pytest.raises(DomainError):
        progress_report(by=users["handler_a"], task=task, percent=10, narrative="  ")
    with pytest.raises(PermissionDenied):
        progress_report(by=users["school_handler"], task=task, percent=10, narrative="进展")
    assert not ProgressReport.objects.exists()


def test_sign_off_sets_progress_completes_the_milestone_and_stops_its_clock(
    users, task, milestone
) -> None:
    report = progress_report(
        by=users["handler_a"],
        task=task,
        percent=30,
        narrative="设计招标完成。",
        milestone=milestone,
    )
    assert Notification.objects.filter(
        recipient_user=users["head"], kind="targets.progress"
    ).exists()
    with pytest.raises(PermissionDenied):
        progress_sign_off(by=users["handler_a"], report=report, approve=True)
    with pytest.raises(PermissionDenied):
        progress_sign_off(by=users["school_head"], report=report, approve=True)
    progress_sign_off(by=users["head"], report=report, approve=True, note="同意")
    task.refresh_from_db()
    milestone.refresh_from_db()
    assert task.progress == 30
    assert milestone.done_at is not None
    assert milestone.clock.state == Clock.State.STOPPED
    with pytest.raises(DomainError):  # Decided once.
        progress_sign_off(by=users["head"], report=report, approve=False, note="再议")
    with pytest.raises(DomainError):  # A done milestone cannot be reported again.
        progress_report(
            by=users["handler_a"], task=task, percent=50, narrative="x", milestone=milestone
        )


def test_a_returned_report_changes_nothing_and_needs_a_reason(users, task, milestone) -> None:
    report = progress_report(by=users["handler_a"], task=task, percent=60, narrative="进展顺利。")
    with pytest.raises(DomainError):
        progress_sign_off(by=users["head"], report=report, approve=False, note="")
    progress_sign_off(by=users["head"], report=report, approve=False, note="数据不实")
    report.refresh_from_db()
    task.refresh_from_db()
    assert report.state == ProgressReport.State.RETURNED
    assert task.progress == 0
    assert AuditEntry.objects.filter(action="targets.progress.returned").count() == 1


def test_a_lagging_task_goes_under_supervision_once(users, task, milestone, january) -> None:
    with pytest.raises(PermissionDenied):
        task_supervise(by=users["head"], task=task)
    january.shift(timedelta(days=100))
    order = task_supervise(by=users["leader"], task=task)
    assert order.kind == Order.Kind.TARGET
    assert order.source == f"target-task:{task.pk}"
    assert order.department == task.department
    assert task_supervise(by=users["xiaoneng"], task=task).pk == order.pk
    assert Order.objects.count() == 1
