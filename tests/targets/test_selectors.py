"""Completion and lagging figures on crafted data."""

from __future__ import annotations

from datetime import date

import pytest

from tests.targets.conftest import YEAR
from xiaoneng.targets.assessment import targets_bulletin_line, targets_summary
from xiaoneng.targets.models import Task
from xiaoneng.targets.selectors import (
    completion_by,
    expected_progress,
    is_lagging,
    overall,
    overdue_milestones,
    year_tasks,
)
from xiaoneng.targets.services import milestone_add, target_create, task_create

pytestmark = pytest.mark.django_db


def test_expected_progress_follows_the_year() -> None:
    assert expected_progress(YEAR, date(YEAR - 1, 12, 31)) == 0
    assert expected_progress(YEAR, date(YEAR, 1, 1)) == 0
    assert expected_progress(YEAR, date(YEAR, 7, 2)) == 50
    assert expected_progress(YEAR, date(YEAR, 12, 31)) == 100


def test_completion_by_unit_and_source_and_lagging(
    users, task, school_task, milestone, principal
) -> None:
    welfare = target_create(by=users["xiaoneng"], year=YEAR, source="welfare", title="明厨亮灶")
    kitchen = task_create(
        by=users["xiaoneng"], target=welfare, title="食堂改造", unit=principal.unit
    )
    milestone_add(by=users["xiaoneng"], task=kitchen, title="验收", due_date=date(YEAR, 9, 30))
    Task.objects.filter(pk=task.pk).update(progress=60)
    Task.objects.filter(pk=school_task.pk).update(progress=20)
    Task.objects.filter(pk=kitchen.pk).update(progress=100)
    july = date(YEAR, 7, 2)  # Expected 50 %; the bureau task's March milestone is overdue.
    tasks = year_tasks(Task.objects.all(), YEAR, july)
    lagging = {t.title: is_lagging(t, today=july) for t in tasks}
    assert lagging == {
        "校舍建设（市教育局）": True,
        "校舍建设（第一中学）": True,
        "食堂改造": False,
    }
    total = overall(tasks, july)
    assert (total.tasks, total.average, total.done, total.lagging) == (3, 60.0, 1, 2)
    by_unit = {
        row.name: (row.tasks, row.average, row.lagging)
        for row in completion_by(tasks, key="unit", today=july)
    }
    assert by_unit == {"示例市教育局": (1, 60.0, 1), "示例市第一中学": (2, 60.0, 1)}
    by_source = {
        row.name: (row.tasks, row.average) for row in completion_by(tasks, key="source", today=july)
    }
    assert by_source == {"市委市政府": (2, 40.0), "民心工程": (1, 100.0)}
    assert [m.pk for m in overdue_milestones(Task.objects.all(), YEAR, july)] == [milestone.pk]
    # Before the milestone's day and with progress on schedule, nothing lags.
    february = date(YEAR, 2, 1)
    tasks = year_tasks(Task.objects.filter(pk=task.pk), YEAR, february)
    assert not is_lagging(tasks[0], today=february)


def test_summary_and_bulletin_line(users, task, school_task) -> None:
    Task.objects.filter(pk=task.pk).update(progress=100)
    summary = targets_summary(year=YEAR, unit_ids=None)
    assert (summary["tasks"], summary["average"], summary["done"]) == (2, 50.0, 1)
    assert targets_summary(year=YEAR, unit_ids=[task.unit_id])["tasks"] == 1
    line = targets_bulletin_line(year=YEAR)
    assert line.startswith(f"{YEAR}年度目标任务2项，平均完成进度50%，已完成1项")
    assert targets_bulletin_line(year=YEAR + 1) == f"{YEAR + 1}年度暂无目标任务。"
