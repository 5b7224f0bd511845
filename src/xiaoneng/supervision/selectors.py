"""Read-only queries: order lists with their deadline colour, the closure report, the
callback worklist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from xiaoneng.cases.deadlines import DONE, NO_DEADLINE, Deadline, level_from_due
from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import cases_visible_to
from xiaoneng.cases.states import State
from xiaoneng.supervision.models import Callback, CallbackPolicy, Feedback, Order
from xiaoneng.supervision.permissions import orders_visible_to
from xiaoneng.supervision.services.callbacks import in_sample
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import office_tz
from xiaoneng.workdays.models import Clock

if TYPE_CHECKING:
    from xiaoneng.org.actors import User
    from xiaoneng.workdays.arithmetic import WorkCalendar

MAX_LIST = 200
WORKLIST_SCAN = 2000


def order_deadline(
    order: Order, *, calendar: WorkCalendar | None = None, now: datetime | None = None
) -> Deadline:
    """The colour of the order's clock: on time, pre-warning, overdue (yellow/red), done."""
    clock = order.clock
    if clock is None:
        return NO_DEADLINE
    if clock.state == Clock.State.STOPPED:
        return Deadline(level=DONE, due_at=clock.due_at, stage="supervision")
    level = level_from_due(
        due_at=clock.due_at,
        started_at=clock.started_at,
        counting=clock.counting,
        closing_time=clock.closing_time,
        calendar=calendar or get_calendar(clock.unit_id),
        now=now or timezone.now(),
    )
    return Deadline(level=level, due_at=clock.due_at, stage="supervision")


def orders_for_list(user: User, *, state: str = "", overdue: bool = False) -> list[Order]:
    """At most 200 orders this person may see, newest first, each with ``deadline`` set.
    Three queries whatever the number of rows: orders (with clock and department), the
    calendar, nothing per row."""
    orders = orders_visible_to(user).select_related("unit", "department", "clock", "case")
    if state in Order.State.values:
        orders = orders.filter(state=state)
    if overdue:
        orders = orders.filter(overdue_at__isnull=False).exclude(state=Order.State.ACCEPTED)
    rows = list(orders.order_by("-issued_at", "-id")[:MAX_LIST])
    calendar, now = get_calendar(None), timezone.now()
    for order in rows:
        order.deadline = order_deadline(order, calendar=calendar, now=now)  # type: ignore[attr-defined]
    return rows


# -- closure report --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    order: Order
    due_at: datetime | None
    feedback: Feedback | None  # the latest answer
    answered: bool  # an accepted answer exists
    overdue: bool
    reminders: int


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = office_tz()
    return (
        datetime.combine(start, datetime.min.time(), tz),
        datetime.combine(end + timedelta(days=1), datetime.min.time(), tz),
    )


def closure_report(*, user: User, start: date, end: date) -> list[ReportRow]:
    """Every order issued from ``start`` to ``end`` (local days, inclusive), with its latest
    feedback and decision. An order without an accepted answer is flagged (not answered)."""
    since, until = _bounds(start, end)
    orders = (
        orders_visible_to(user)
        .filter(issued_at__gte=since, issued_at__lt=until)
        .select_related("unit", "department", "clock", "case")
        .prefetch_related(
            Prefetch("feedbacks", queryset=Feedback.objects.order_by("submitted_at", "id")),
            "reminders",
        )
        .order_by("issued_at", "id")
    )
    rows = []
    for order in orders:
        feedbacks = list(order.feedbacks.all())
        due_at = order.clock.due_at if order.clock else None
        rows.append(
            ReportRow(
                order=order,
                due_at=due_at,
                feedback=feedbacks[-1] if feedbacks else None,
                answered=order.state == Order.State.ACCEPTED,
                overdue=order.overdue_at is not None,
                reminders=len(order.reminders.all()),
            )
        )
    return rows


# -- callbacks --------------------------------------------------------------------------------


def callback_policies() -> dict[int, int]:
    """Sample percentage per unit id; a unit without a policy is called back in full."""
    return dict(CallbackPolicy.objects.values_list("unit_id", "sample_percent"))


def callback_worklist(user: User, *, limit: int = MAX_LIST) -> list[Case]:
    """Replied cases awaiting a rating, in their unit's sample, not yet called back (a final
    attempt: reached, refused or the third failed try). Oldest reply first."""
    policies = callback_policies()
    settled = Callback.objects.filter(case_id=OuterRef("pk"), final=True)
    candidates: QuerySet[Case] = (
        cases_visible_to(user)
        .filter(state=State.REPLIED, replied_at__isnull=False)
        .exclude(Exists(settled))
        .select_related("category", "unit")
        .order_by("replied_at", "id")
    )
    rows: list[Case] = []
    for case in candidates[:WORKLIST_SCAN]:
        if in_sample(case.number, policies.get(case.unit_id, 100)):
            rows.append(case)
            if len(rows) >= limit:
                break
    ids = [case.pk for case in rows]
    attempts: dict[int, int] = {}
    for case_id in Callback.objects.filter(case_id__in=ids).values_list("case_id", flat=True):
        attempts[case_id] = attempts.get(case_id, 0) + 1
    for case in rows:
        case.attempts = attempts.get(case.pk, 0)  # type: ignore[attr-defined]
    return rows


def callback_case(user: User, pk: int) -> Case:
    """A case for the callback page: replied (or already called back), in the person's scope."""
    from django.http import Http404

    case = (
        cases_visible_to(user)
        .select_related("category", "unit", "lead_department")
        .filter(pk=pk, replied_at__isnull=False)
        .first()
    )
    if case is None:
        raise Http404
    return case
