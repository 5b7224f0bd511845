"""The documents of an order: 督办单 (through the documents app's generator) and the
催办通知书 of one of its reminders. Official text is Chinese whatever the interface language."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from xiaoneng.documents.content import (
    Block,
    Kind,
    OfficialDocument,
    SupervisionOrderData,
    chinese_date,
    supervision_order_document,
)
from xiaoneng.org.models import Unit
from xiaoneng.supervision.models import Order, Reminder

SOURCE_WORDS = {
    Order.Kind.CASE: "群众诉求办理",
    Order.Kind.TARGET: "目标任务推进",
    Order.Kind.RECTIFICATION: "整改落实",
    Order.Kind.INSTRUCTION: "领导批示",
    Order.Kind.OTHER: "效能监督",
}


def _office_name() -> str:
    bureau = Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()
    return f"{bureau.name if bureau else ''}机关效能建设办公室"


def _addressee(order: Order) -> str:
    return f"{order.unit.name}{order.department.name}"


def _due(order: Order) -> date | None:
    return timezone.localtime(order.clock.due_at).date() if order.clock else order.due_date


def order_document(order: Order, *, number: str) -> OfficialDocument:
    """督办单 from the order, laid out by ``supervision_order_document``."""
    bureau = Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()
    data = SupervisionOrderData(
        number=number,
        addressee=_addressee(order),
        matter=order.title,
        source=SOURCE_WORDS.get(order.kind, "效能监督"),
        requirement=order.description,
        due=_due(order),
        issuer=_office_name(),
        issued_on=timezone.localtime(order.issued_at).date(),
        contact=bureau.supervision_phone if bureau else "",
        case_number=order.case.number if order.case_id else "",
    )
    return supervision_order_document(data)


def reminder_document(reminder: Reminder, *, number: str) -> OfficialDocument:
    """催办通知书 for one reminder of an order."""
    order = reminder.order
    due = _due(order)
    late = order.clock is not None and reminder.sent_at > order.clock.due_at
    state = "已超过反馈时限，至今未反馈办理结果" if late else f"反馈时限为{chinese_date(due)}"
    body: list[Block] = [
        f"效能办于{chinese_date(order.issued_at)}向你单位交办的督办事项"
        f"“{order.title}”（督办编号：{order.number}），{state}。根据督办工作有关规定，现予催办。",
    ]
    if reminder.note:
        body.append(f"催办意见：{reminder.note}")
    body.append(
        ("请立即办理，" if late else f"请于{chinese_date(due)}前办结，")
        + "并将办理结果书面反馈效能办。督办事项要事事有回音、件件有着落；"
        "逾期不反馈或反馈不实的，将按照效能问责有关规定追究相关人员责任。"
    )
    return OfficialDocument(
        kind=Kind.REMINDER,
        number=number,
        addressee=_addressee(order),
        body=body,
        issuer=_office_name(),
        issued_on=timezone.localtime(reminder.sent_at).date(),
    )
