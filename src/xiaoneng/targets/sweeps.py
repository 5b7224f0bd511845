"""The milestone sweep: a pre-warning, a yellow and a red card per milestone, at the same
points of its clock as a case's (``clock_thresholds``), each raised once.

Reads only the milestone clocks whose ``next_check_at`` has come (an index range), locks them
with ``skip_locked`` so several sweepers share the work; a signal is unique in the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.audit.services import log_action
from xiaoneng.cases.notifications import efficiency_office_staff
from xiaoneng.notify.services import notify_people
from xiaoneng.targets.models import MILESTONE_OWNER, Milestone, MilestoneSignal
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.selectors import clock_thresholds
from xiaoneng.workdays.services.clocks import clock_schedule_next

# Threshold kind of clock_thresholds → signal level.
LEVELS = {
    "prewarn": MilestoneSignal.Level.PREWARN,
    "due": MilestoneSignal.Level.YELLOW,
    "red": MilestoneSignal.Level.RED,
}


@dataclass
class TargetsSweepResult:
    checked: int = 0
    raised: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{name}={count}" for name, count in sorted(self.raised.items())]
        return " ".join([f"checked={self.checked}", *parts])


def targets_sweep(*, now: datetime | None = None, batch: int = 200) -> TargetsSweepResult:
    now = now or timezone.now()
    result = TargetsSweepResult()
    while True:
        with transaction.atomic():
            due = list(
                Clock.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    next_check__next_check_at__lte=now,
                    next_check__owner_type=MILESTONE_OWNER,
                    state=Clock.State.RUNNING,
                )
                .prefetch_related("pauses", "extensions")
                .order_by("next_check__next_check_at", "id")[:batch]
            )
            for clock in due:
                _check(clock, now=now, result=result)
        result.checked += len(due)
        if len(due) < batch:
            return result


def _check(clock: Clock, *, now: datetime, result: TargetsSweepResult) -> None:
    milestone = (
        Milestone.objects.select_related(
            "task__target",
            "task__department__head__user",
            "task__person__user",
            "task__leader__user",
        )
        .filter(pk=clock.owner_id, done_at__isnull=True)
        .first()
    )
    if milestone is not None:
        for point in clock_thresholds(clock):
            level = LEVELS.get(point.kind)
            if level is not None and now >= point.at and _raise_once(milestone, level, now=now):
                result.raised[level] += 1
    clock_schedule_next(clock=clock, now=now)


def _raise_once(milestone: Milestone, level: str, *, now: datetime) -> bool:
    if milestone.signals.filter(level=level).exists():
        return False
    try:
        with transaction.atomic():
            MilestoneSignal.objects.create(milestone=milestone, level=level, raised_at=now)
    except IntegrityError:
        return False  # Raised a moment ago by another sweeper.
    task = milestone.task
    log_action(
        action=f"targets.milestone.{level}",
        obj=milestone,
        unit_id=task.unit_id,
        summary={"task": task.pk, "due": milestone.due_date.isoformat()},
    )
    subjects = {
        MilestoneSignal.Level.PREWARN: gettext(
            "Pre-warning: milestone %(title)s is due on %(date)s"
        ),
        MilestoneSignal.Level.YELLOW: gettext(
            "Yellow card: milestone %(title)s is overdue since %(date)s"
        ),
        MilestoneSignal.Level.RED: gettext(
            "Red card: milestone %(title)s is still not done (due %(date)s)"
        ),
    }
    people = [task.person, task.leader, task.department.head if task.department_id else None]
    if level != MilestoneSignal.Level.PREWARN:
        people += efficiency_office_staff()
    notify_people(
        people,
        kind=f"targets.{level}",
        subject=subjects[level]
        % {"title": milestone.title, "date": milestone.due_date.isoformat()},
        body=f"{task.target.title} — {task.title}",
        obj=milestone,
        unit_id=task.unit_id,
    )
    return True
