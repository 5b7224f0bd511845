"""The supervision sweep: one automatic reminder per order at its pre-warning point, and the
overdue mark when the deadline passes without feedback.

Like the case sweeper it reads only the clocks whose ``next_check_at`` has come (an index
range), locks them with ``skip_locked`` so several sweepers share the work, and every effect
happens once: the automatic reminder is unique per order in the database, the overdue mark
is set only while empty.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.audit.services import log_action
from xiaoneng.cases.notifications import efficiency_office_staff
from xiaoneng.notify.services import notify_people
from xiaoneng.supervision.models import ORDER_OWNER, Order, Reminder
from xiaoneng.supervision.services.orders import send_reminder
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.selectors import clock_thresholds
from xiaoneng.workdays.services.clocks import clock_schedule_next


@dataclass
class SupervisionSweepResult:
    checked: int = 0
    raised: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{name}={count}" for name, count in sorted(self.raised.items())]
        return " ".join([f"checked={self.checked}", *parts])


def _due_clocks(*, now: datetime, limit: int) -> QuerySet[Clock]:
    return (
        Clock.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            next_check__next_check_at__lte=now,
            next_check__owner_type=ORDER_OWNER,
            state=Clock.State.RUNNING,
        )
        .prefetch_related("pauses", "extensions")
        .order_by("next_check__next_check_at", "id")[:limit]
    )


def supervision_sweep(*, now: datetime | None = None, batch: int = 200) -> SupervisionSweepResult:
    """Handle every order clock that is due for a check, in batches, until none is left."""
    now = now or timezone.now()
    result = SupervisionSweepResult()
    while True:
        with transaction.atomic():
            due = list(_due_clocks(now=now, limit=batch))
            for clock in due:
                _check(clock, now=now, result=result)
        result.checked += len(due)
        if len(due) < batch:
            return result


def _check(clock: Clock, *, now: datetime, result: SupervisionSweepResult) -> None:
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("department__head__user", "person__user")
        .filter(pk=clock.owner_id)
        .first()
    )
    if order is not None and order.state == Order.State.ISSUED:
        points = {point.kind: point.at for point in clock_thresholds(clock)}
        due_at = points["due"]
        # A short order has no pre-warning point; its reminder goes out at the deadline.
        remind_at = points.get("prewarn", due_at)
        if now >= remind_at and _remind_once(order, now=now):
            result.raised["reminder"] += 1
        if now >= due_at and order.overdue_at is None:
            _mark_overdue(order, now=now)
            result.raised["overdue"] += 1
    clock_schedule_next(clock=clock, now=now)


def _remind_once(order: Order, *, now: datetime) -> bool:
    if order.reminders.filter(kind=Reminder.Kind.AUTOMATIC).exists():
        return False
    try:
        with transaction.atomic():
            send_reminder(order, kind=Reminder.Kind.AUTOMATIC, note="", by=None, at=now)
    except IntegrityError:
        return False  # Sent a moment ago by another sweeper.
    return True


def _mark_overdue(order: Order, *, now: datetime) -> None:
    order.overdue_at = now
    order.save(update_fields=["overdue_at"])
    log_action(
        action="supervision.order.overdue",
        obj=order,
        unit_id=order.unit_id,
        summary={"number": order.number},
    )
    notify_people(
        [order.department.head, order.person, *efficiency_office_staff()],
        kind="supervision.overdue",
        subject=gettext("Supervision order %(number)s is overdue") % {"number": order.number},
        body=order.title,
        obj=order,
        unit_id=order.unit_id,
    )
