"""What the targets app gives the assessment dashboard and the bulletin."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xiaoneng.targets.models import Task
from xiaoneng.targets.selectors import overall, overdue_milestones, year_tasks
from xiaoneng.workdays.deadlines import local_day


def targets_summary(*, year: int, unit_ids: list[int] | None) -> dict[str, Any]:
    """Completion of the year's tasks (mean progress), lagging tasks and overdue milestones;
    limited to the given units when ``unit_ids`` is not None."""
    today = local_day(timezone.now())
    scope = Task.objects.all() if unit_ids is None else Task.objects.filter(unit_id__in=unit_ids)
    tasks = year_tasks(scope, year, today)
    total = overall(tasks, today)
    return {
        "year": year,
        "tasks": total.tasks,
        "average": total.average,
        "done": total.done,
        "lagging": total.lagging,
        "overdue_milestones": overdue_milestones(scope, year, today).count(),
    }


def targets_bulletin_line(*, year: int) -> str:
    """One Chinese sentence for the bulletin (official text is Chinese)."""
    s = targets_summary(year=year, unit_ids=None)
    if not s["tasks"]:
        return f"{year}年度暂无目标任务。"
    return (
        f"{year}年度目标任务{s['tasks']}项，平均完成进度{s['average']:g}%，已完成{s['done']}项，"
        f"进度滞后{s['lagging']}项，逾期未完成节点{s['overdue_milestones']}个。"
    )
