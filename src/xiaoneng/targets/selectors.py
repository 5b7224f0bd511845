"""Completion and lagging of targets, by task, target, unit and source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from xiaoneng.targets.models import Milestone, ProgressReport, Target, Task
from xiaoneng.workdays.deadlines import local_day

# A task more than this many points behind the elapsed share of its year is lagging.
LAG_MARGIN = 20


def expected_progress(year: int, today: date) -> int:
    """The share of the year elapsed, in per cent (0 before it starts, 100 after it ends)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if today < start:
        return 0
    if today >= end:
        return 100
    return round(100 * (today - start).days / (end - start).days)


def with_overdue(tasks: QuerySet[Task], today: date) -> QuerySet[Task]:
    overdue = Milestone.objects.filter(
        task=OuterRef("pk"), done_at__isnull=True, due_date__lt=today
    )
    return tasks.annotate(has_overdue=Exists(overdue))


def is_lagging(task: Task, *, today: date, margin: int = LAG_MARGIN) -> bool:
    """Lagging: a milestone overdue and not done, or progress more than ``margin`` points
    behind the elapsed share of the year."""
    behind = task.progress + margin < expected_progress(task.target.year, today)
    return bool(getattr(task, "has_overdue", False)) or behind


@dataclass
class Completion:
    name: str
    tasks: int
    average: float | None  # mean progress of the tasks, per cent
    done: int  # tasks at 100 %
    lagging: int
    # The task list's filter for exactly these tasks ("source=city", "unit=3", "" for all).
    query: str = ""


def _completion(name: str, tasks: list[Task], today: date, query: str = "") -> Completion:
    count = len(tasks)
    return Completion(
        query=query,
        name=name,
        tasks=count,
        average=round(sum(t.progress for t in tasks) / count, 1) if count else None,
        done=sum(t.progress >= 100 for t in tasks),
        lagging=sum(is_lagging(t, today=today) for t in tasks),
    )


def year_tasks(tasks: QuerySet[Task], year: int, today: date | None = None) -> list[Task]:
    today = today or local_day(timezone.now())
    return list(
        with_overdue(tasks.filter(target__year=year), today).select_related(
            "target", "unit", "department", "person"
        )
    )


def completion_by(tasks: list[Task], *, key: str, today: date) -> list[Completion]:
    """Completion grouped by "unit" or "source", in a stable order."""
    groups: dict[Any, list[Task]] = {}
    names: dict[Any, str] = {}
    group: int | str
    for task in tasks:
        if key == "unit":
            group, name = task.unit_id, task.unit.label
        else:
            group, name = task.target.source, str(task.target.get_source_display())
        groups.setdefault(group, []).append(task)
        names[group] = name
    return [
        _completion(names[g], groups[g], today, query=f"{key}={g}") for g in sorted(groups, key=str)
    ]


def overall(tasks: list[Task], today: date) -> Completion:
    return _completion("", tasks, today)


def overdue_milestones(tasks: QuerySet[Task], year: int, today: date) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(
            task__in=tasks, task__target__year=year, done_at__isnull=True, due_date__lt=today
        )
        .select_related("task__target", "task__unit", "task__department")
        .order_by("due_date", "id")
    )


def signed_off_by_month(tasks: QuerySet[Task], year: int) -> list[tuple[int, int]]:
    """(month, progress reports signed off) for the twelve months of the year."""
    rows = (
        ProgressReport.objects.filter(
            task__in=tasks, state=ProgressReport.State.SIGNED_OFF, decided_at__year=year
        )
        .annotate(month=ExtractMonth("decided_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(n=Count("id"))
    )
    counts = {row["month"]: row["n"] for row in rows}
    return [(month, counts.get(month, 0)) for month in range(1, 13)]


def targets_of_year(year: int, *, source: str = "") -> QuerySet[Target]:
    targets = Target.objects.filter(year=year)
    if source:
        targets = targets.filter(source=source)
    return targets


def task_filter(
    tasks: QuerySet[Task], *, source: str = "", unit_id: int | None = None
) -> QuerySet[Task]:
    if source:
        tasks = tasks.filter(target__source=source)
    if unit_id:
        tasks = tasks.filter(unit_id=unit_id)
    return tasks


def pending_reports(tasks: QuerySet[Task]) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=tasks, state=ProgressReport.State.SUBMITTED)


def years_with_targets() -> list[int]:
    return sorted(set(Target.objects.values_list("year", flat=True)), reverse=True)
