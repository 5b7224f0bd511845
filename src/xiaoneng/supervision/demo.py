"""Demo supervision data, made through the real services: three orders (one answered and
accepted, one overdue with its automatic reminder, one just issued) and one unannounced
inspection with findings. Idempotent: a second run changes nothing."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from django.utils import timezone

from xiaoneng import clock
from xiaoneng.org.models import Department, Staff, Unit, User
from xiaoneng.supervision.models import Inspection, Order
from xiaoneng.supervision.services import (
    finding_add,
    inspection_create,
    supervision_feedback_submit,
    supervision_order_accept,
    supervision_order_create,
)
from xiaoneng.supervision.sweeps import supervision_sweep

DEMO_SOURCE = "demo"


def _at(moment: datetime) -> AbstractContextManager[datetime]:
    return clock.at(moment)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _staff(username: str) -> Staff:
    return Staff.objects.select_related("unit", "department").get(user__username=username)


def demo_supervision_load() -> int:
    """Create the demo orders and inspection; returns how many orders were created."""
    if Order.objects.filter(source__startswith=f"{DEMO_SOURCE}:").exists():
        return 0
    office = _user("xiaoneng")
    basic = Department.objects.get(unit__code="bureau", code="basic")
    principal = Department.objects.get(unit__code="school-1", code="principal")
    now = timezone.now()

    with _at(now - timedelta(days=12)):
        answered = supervision_order_create(
            by=office,
            title="课后服务收费情况专项检查整改",
            description="请对课后服务收费情况开展自查，纠正违规收费行为，并书面报告整改结果。",
            kind=Order.Kind.RECTIFICATION,
            unit=basic.unit,
            department=basic,
            due_working_days=5,
            source=f"{DEMO_SOURCE}:answered",
        )
    with _at(now - timedelta(days=9)):
        supervision_feedback_submit(
            order=answered,
            by=_user("head"),
            text="已完成全市课后服务收费自查，3所学校退还违规收费共计1.2万元，相关责任人已约谈。",
        )
    with _at(now - timedelta(days=8)):
        supervision_order_accept(order=answered, by=office, note="整改到位，同意办结。")

    with _at(now - timedelta(days=20)):
        overdue = supervision_order_create(
            by=_user("leader"),
            title="落实局领导关于校门口交通安全的批示",
            description="请会同属地交警制定上下学时段校门口交通疏导方案，并反馈落实情况。",
            kind=Order.Kind.INSTRUCTION,
            unit=principal.unit,
            department=principal,
            due_working_days=5,
            source=f"{DEMO_SOURCE}:overdue",
        )
    supervision_order_create(
        by=office,
        title="年度教育民生实事项目进度滞后",
        description="请说明滞后原因，提出赶进度措施，并明确完成时间。",
        kind=Order.Kind.TARGET,
        unit=basic.unit,
        department=basic,
        due_working_days=10,
        source=f"{DEMO_SOURCE}:target",
    )
    # The sweep sends the overdue order its automatic reminder and marks it overdue.
    supervision_sweep(now=now)
    overdue.refresh_from_db()

    if not Inspection.objects.exists():
        _demo_inspection(now)
    return 3


def _demo_inspection(now: datetime) -> None:
    inspector = _user("inspector")
    school = Unit.objects.get(code="school-1")
    principal = Department.objects.get(unit=school, code="principal")
    inspection = inspection_create(
        by=inspector,
        kind=Inspection.Kind.UNANNOUNCED,
        date=timezone.localdate(now) - timedelta(days=3),
        place="示例市第一中学校长办公室、办事窗口",
        unit=school,
        inspectors=[_staff("inspector"), _staff("xiaoneng_b")],
        summary="上午8:30至9:30暗访第一中学办事窗口和校长办公室，检查到岗、挂牌和服务情况。",
    )
    finding_add(
        inspection=inspection,
        by=inspector,
        type="late",
        description="8:45仍未到岗，窗口无人受理。",
        staff=_staff("school_handler_b"),
    )
    finding_add(
        inspection=inspection,
        by=inspector,
        type="no_badge",
        description="窗口工作人员未佩戴工作牌。",
        department=principal,
    )
