"""Demo data for accountability, loaded through the services: one confirmed violation with a
sanction (效能告诫), one pending violation, one conduct complaint under investigation.
Idempotent: a second call changes nothing."""

from __future__ import annotations

from django.db import transaction

from xiaoneng.accountability.appeals import appeal_file
from xiaoneng.accountability.models import Appeal, ConductComplaint, Violation
from xiaoneng.accountability.services import (
    conduct_accept,
    conduct_intake,
    sanction_decide,
    violation_record_manual,
    violation_review,
)
from xiaoneng.org.models import Staff, User


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _staff(username: str) -> Staff:
    return Staff.objects.select_related("unit", "department").get(user__username=username)


def demo_accountability_load() -> None:
    office, inspector = _user("xiaoneng"), _user("inspector")
    handler, head = _staff("handler_a"), _staff("head")
    with transaction.atomic():
        confirmed = violation_record_manual(
            by=inspector,
            kind=Violation.Kind.INSPECTION,
            description="明察暗访发现工作时间离岗，窗口无人值守约40分钟。",
            source_key="demo:inspection:1",
            department=handler.department,
            staff=handler,
        )
        if confirmed.status == Violation.Status.PENDING:
            confirmed = violation_review(
                by=office,
                violation=confirmed,
                confirm=True,
                grade=Violation.Grade.GENERAL,
                persons=[(handler, "handler"), (head, "approver")],
                note="暗访记录与监控一致。",
            )
        if not confirmed.sanctions.exists():
            sanction_decide(
                by=inspector,
                violation=confirmed,
                staff=handler,
                measure="warning",
                reason="工作时间擅离岗位，影响群众办事。",
                mitigating="主动说明情况，态度端正。",
            )
        sanction = confirmed.sanctions.order_by("pk").first()
        if sanction is not None and not Appeal.objects.filter(sanction=sanction).exists():
            # The person concerned appeals: the leader's queue has a decision to take.
            appeal_file(
                by=handler.user,
                target=Appeal.Target.SANCTION,
                obj=sanction,
                grounds="当日系经科长同意外出送达材料，有外出登记可查，请求撤销效能告诫。",
            )
        violation_record_manual(
            by=inspector,
            kind=Violation.Kind.INSPECTION,
            description="暗访发现服务窗口未公示办事指南。",
            source_key="demo:inspection:2",
            department=head.department,
        )
        if not ConductComplaint.objects.filter(content__startswith="【演示】").exists():
            accused = _staff("school_handler")
            complaint = conduct_intake(
                by=office,
                complainant_name="王女士",
                complainant_phone="13800138000",
                content="【演示】到校办理转学手续，工作人员态度生硬，让我反复跑了三次。",
                unit=accused.unit,
                staff=accused,
            )
            conduct_accept(
                by=office,
                complaint=complaint,
                accept=True,
                note="属效能投诉受理范围。",
                investigator=_staff("inspector"),
            )
