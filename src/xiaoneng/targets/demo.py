"""Demo targets, made through the services: this year's list with a target of each source,
tasks for bureau departments and a school, milestones, signed-off progress, and a lagging
task with an overdue milestone. Idempotent: a second run changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xiaoneng import clock
from xiaoneng.org.models import Department, Staff, Unit, User
from xiaoneng.targets.models import Target
from xiaoneng.targets.services import (
    milestone_add,
    progress_report,
    progress_sign_off,
    target_create,
    task_create,
)
from xiaoneng.targets.sweeps import targets_sweep

TARGETS = [
    (
        Target.Source.PROVINCE,
        "义务教育优质均衡发展督导评估",
        "按省教育厅部署完成县域义务教育优质均衡发展自评和整改。",
    ),
    (Target.Source.CITY, "新建改扩建中小学校舍", "完成市政府下达的校舍建设任务。"),
    (
        Target.Source.BUREAU,
        "中小学课后服务全覆盖",
        "课后服务覆盖全部义务教育学校，家长满意度不低于90%。",
    ),
    (Target.Source.WELFARE, "校园食堂“明厨亮灶”工程", "民心工程：全市中小学食堂实现明厨亮灶。"),
]


def _staff(username: str) -> Staff:
    return Staff.objects.select_related("unit", "department").get(user__username=username)


def demo_targets_load() -> int:
    """Create the demo list for this year; returns how many targets were created."""
    year = timezone.localdate().year
    if Target.objects.filter(year=year, title=TARGETS[0][1]).exists():
        return 0
    office = User.objects.get(username="xiaoneng")
    bureau, school = Unit.objects.get(code="bureau"), Unit.objects.get(code="school-1")
    basic = Department.objects.get(unit=bureau, code="basic")
    principal = Department.objects.get(unit=school, code="principal")
    handler, head, school_handler = _staff("handler_a"), _staff("head"), _staff("school_handler")
    leader = _staff("leader")
    start = timezone.make_aware(datetime.combine(date(year, 1, 5), time(9)))
    tasks = []
    with clock.at(start):
        for source, title, description in TARGETS:
            target = target_create(
                by=office, year=year, source=source, title=title, description=description
            )
            for unit, department, person in (
                (bureau, basic, handler),
                (school, principal, school_handler),
            ):
                task = task_create(
                    by=office,
                    target=target,
                    title=f"{title}（{unit.short_name or unit.name}）",
                    unit=unit,
                    department=department,
                    leader=leader,
                    person=person,
                )
                for month, step in ((3, "制定方案"), (6, "中期推进"), (12, "完成验收")):
                    milestone_add(by=office, task=task, title=step, due_date=date(year, month, 20))
                tasks.append(task)
    # Progress: the bureau's tasks reach their first two milestones; the school's lag.
    for month, percent, text in ((3, 40, "方案已制定并印发。"), (6, 75, "已完成中期推进任务。")):
        report_at = timezone.make_aware(datetime.combine(date(year, month, 15), time(10)))
        for task in tasks[::2]:
            milestone = task.milestones.filter(done_at__isnull=True).order_by("due_date").first()
            with clock.at(report_at):
                report = progress_report(
                    by=handler.user, task=task, percent=percent, narrative=text, milestone=milestone
                )
            with clock.at(report_at + timedelta(hours=2)):
                progress_sign_off(by=head.user, report=report, approve=True, note="同意。")
    targets_sweep()
    return len(TARGETS)
