"""Supervision orders: issue, feedback, accept, return, reminders and the sweep — every
transition, legal and illegal, with its audit rows and notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.supervision.conftest import pdf_file
from xiaoneng import periodic
from xiaoneng.audit.models import AuditEntry
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.notify.models import Notification
from xiaoneng.supervision.models import ORDER_OWNER, Feedback, Order, Reminder
from xiaoneng.supervision.services import (
    supervision_feedback_submit,
    supervision_order_accept,
    supervision_order_create,
    supervision_order_remind,
    supervision_order_return,
)
from xiaoneng.supervision.sweeps import supervision_sweep
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.selectors import clock_thresholds

pytestmark = pytest.mark.django_db


def audit(action: str, order: Order) -> int:
    return AuditEntry.objects.filter(
        action=action, object_type="supervision.order", object_id=str(order.pk)
    ).count()


def inbox(user, kind: str) -> int:
    return Notification.objects.filter(recipient_user=user, kind=kind).count()


def points(order: Order) -> dict:
    clock = Clock.objects.get(pk=order.clock_id)
    return {point.kind: point.at for point in clock_thresholds(clock)}


# -- issuing -------------------------------------------------------------------------------


def test_issue_starts_a_supervision_clock_and_tells_the_head(order, users, basic) -> None:
    assert order.state == Order.State.ISSUED
    assert order.number.startswith("DB")
    assert str(order.pk) in order.number
    clock = order.clock
    assert (clock.owner_type, clock.owner_id) == (ORDER_OWNER, order.pk)
    assert clock.stage == Clock.Stage.SUPERVISION
    assert (clock.counting, clock.limit, clock.state) == ("workdays", 5, Clock.State.RUNNING)
    assert clock.due_at > order.issued_at + timedelta(days=4)
    assert audit("supervision.order.create", order) == 1
    assert inbox(users["head"], "supervision.order") == 1


def test_a_leader_may_issue_and_a_due_date_counts_calendar_days(make_order, users) -> None:
    due = timezone.localdate() + timedelta(days=10)
    order = make_order(by=users["leader"], due_working_days=None, due_date=due, kind="instruction")
    assert (order.clock.counting, order.clock.limit) == ("days", 10)
    assert timezone.localtime(order.clock.due_at).date() >= due


def test_case_order_keeps_the_case_and_the_target_interface_works(
    users, basic, replied_case
) -> None:
    on_case = supervision_order_create(
        by=users["xiaoneng"],
        title="督办热线件",
        description="请加快办理。",
        kind="case",
        unit=basic.unit,
        department=basic,
        due_working_days=3,
        case=replied_case,
    )
    assert on_case.case == replied_case
    target = supervision_order_create(
        by=users["xiaoneng"],
        title="目标任务滞后",
        description="请说明滞后原因并提出措施。",
        kind="target",
        unit=basic.unit,
        department=basic,
        due_working_days=10,
        source="target-task:7",
    )
    assert (target.kind, target.source, target.case) == ("target", "target-task:7", None)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"by": "handler_a"}, PermissionDenied),
        ({"by": "head"}, PermissionDenied),
        ({"by": "inspector"}, PermissionDenied),
        ({"due_working_days": None}, DomainError),
        ({"due_date": "tomorrow"}, DomainError),  # both given
        ({"due_working_days": 0}, DomainError),
        ({"kind": "case"}, DomainError),  # a case order without its case
        ({"kind": "party"}, DomainError),
        ({"title": "  "}, DomainError),
        ({"description": ""}, DomainError),
        ({"department": "principal"}, DomainError),  # another unit's department
    ],
)
def test_issue_refusals(make_order, users, principal, overrides, error) -> None:
    if "by" in overrides:
        overrides["by"] = users[overrides["by"]]
    if overrides.get("due_date") == "tomorrow":
        overrides["due_date"] = timezone.localdate() + timedelta(days=1)
    if overrides.get("department") == "principal":
        overrides["department"] = principal
    with pytest.raises(error):
        make_order(**overrides)
    assert not Order.objects.exists()


def test_a_due_date_must_lie_ahead(make_order) -> None:
    with pytest.raises(DomainError):
        make_order(due_working_days=None, due_date=timezone.localdate())


# -- feedback, acceptance, return --------------------------------------------------------------


def test_full_loop_feedback_return_feedback_accept(order, users) -> None:
    first = supervision_feedback_submit(order=order, by=users["handler_a"], text="已初步核查。")
    order.refresh_from_db()
    assert order.state == Order.State.ANSWERED
    assert first.decision == Feedback.Decision.PENDING
    assert not first.late
    assert inbox(users["xiaoneng"], "supervision.feedback") == 1

    supervision_order_return(order=order, by=users["xiaoneng"], reason="缺少整改结果。")
    order.refresh_from_db()
    first.refresh_from_db()
    assert (order.state, order.return_count) == (Order.State.ISSUED, 1)
    assert (first.decision, first.decision_note) == ("returned", "缺少整改结果。")
    assert Clock.objects.get(pk=order.clock_id).state == Clock.State.RUNNING  # time runs on
    assert inbox(users["head"], "supervision.returned") == 1

    second = supervision_feedback_submit(
        order=order, by=users["head"], text="已整改完毕。", file=pdf_file("report.pdf")
    )
    assert second.file_name == "report.pdf"
    assert second.file_type == "application/pdf"
    supervision_order_accept(order=order, by=users["xiaoneng"], note="同意办结。")
    order.refresh_from_db()
    second.refresh_from_db()
    assert order.state == Order.State.ACCEPTED
    assert order.accepted_by == users["xiaoneng"]
    assert second.decision == Feedback.Decision.ACCEPTED
    assert Clock.objects.get(pk=order.clock_id).state == Clock.State.STOPPED
    for action in ("feedback", "return", "accept"):
        assert audit(f"supervision.order.{action}", order) >= 1
    assert inbox(users["head"], "supervision.accepted") == 1


def test_feedback_on_an_accepted_order_and_accepting_twice_are_refused(order, users) -> None:
    supervision_feedback_submit(order=order, by=users["handler_a"], text="已办结。")
    supervision_order_accept(order=order, by=users["xiaoneng"])
    with pytest.raises(DomainError):
        supervision_feedback_submit(order=order, by=users["handler_a"], text="再次反馈。")
    with pytest.raises(DomainError):
        supervision_order_accept(order=order, by=users["xiaoneng"])
    with pytest.raises(DomainError):
        supervision_order_return(order=order, by=users["xiaoneng"], reason="不行")
    with pytest.raises(DomainError):
        supervision_order_remind(order=order, by=users["xiaoneng"], note="催办")
    assert audit("supervision.order.accept", order) == 1
    assert not order.reminders.exists()


def test_feedback_twice_and_decisions_without_feedback_are_refused(order, users) -> None:
    with pytest.raises(DomainError):
        supervision_order_accept(order=order, by=users["xiaoneng"])
    with pytest.raises(DomainError):
        supervision_order_return(order=order, by=users["xiaoneng"], reason="无反馈")
    supervision_feedback_submit(order=order, by=users["handler_a"], text="已办结。")
    with pytest.raises(DomainError):
        supervision_feedback_submit(order=order, by=users["handler_b"], text="补充。")
    assert order.feedbacks.count() == 1


@pytest.mark.parametrize("username", ["school_handler", "school_head", "xiaoneng", "leader"])
def test_only_the_responsible_department_answers(order, users, username) -> None:
    with pytest.raises(PermissionDenied):
        supervision_feedback_submit(order=order, by=users[username], text="代为反馈。")
    order.refresh_from_db()
    assert order.state == Order.State.ISSUED


def test_the_named_person_may_answer_and_a_school_handler_answers_a_school_order(
    make_order, users, principal, staff_of
) -> None:
    order = make_order(unit=principal.unit, department=principal)
    supervision_feedback_submit(order=order, by=users["school_handler_b"], text="已整改。")
    with pytest.raises(DomainError):  # a bureau person cannot answer for a school
        make_order(person=staff_of("handler_a"), unit=principal.unit, department=principal)


def test_only_the_efficiency_office_decides(order, users) -> None:
    supervision_feedback_submit(order=order, by=users["handler_a"], text="已办结。")
    for username in ("head", "leader", "handler_a"):
        with pytest.raises(PermissionDenied):
            supervision_order_accept(order=order, by=users[username])
        with pytest.raises(PermissionDenied):
            supervision_order_return(order=order, by=users[username], reason="x")


def test_returning_needs_a_reason(order, users) -> None:
    supervision_feedback_submit(order=order, by=users["handler_a"], text="已办结。")
    with pytest.raises(DomainError):
        supervision_order_return(order=order, by=users["xiaoneng"], reason="  ")
    order.refresh_from_db()
    assert order.state == Order.State.ANSWERED


def test_feedback_files_are_checked_by_size_and_content(order, users, settings) -> None:
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError):
        supervision_feedback_submit(order=order, by=users["handler_a"], text="x", file=fake)
    empty = SimpleUploadedFile("empty.pdf", b"")
    with pytest.raises(DomainError):
        supervision_feedback_submit(order=order, by=users["handler_a"], text="x", file=empty)
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError):
        supervision_feedback_submit(order=order, by=users["handler_a"], text="x", file=big)
    with pytest.raises(DomainError):
        supervision_feedback_submit(order=order, by=users["handler_a"], text="  ")
    assert not order.feedbacks.exists()


def test_late_feedback_is_marked_late(order, users) -> None:
    Clock.objects.filter(pk=order.clock_id).update(due_at=timezone.now() - timedelta(hours=1))
    order.refresh_from_db()
    feedback = supervision_feedback_submit(order=order, by=users["handler_a"], text="迟到的反馈。")
    assert feedback.late


# -- reminders ---------------------------------------------------------------------------------


def test_manual_reminder_is_recorded_and_sent_to_the_head(order, users) -> None:
    reminder = supervision_order_remind(order=order, by=users["xiaoneng"], note="请加快进度。")
    assert (reminder.kind, reminder.note, reminder.sent_by) == (
        "manual",
        "请加快进度。",
        users["xiaoneng"],
    )
    assert inbox(users["head"], "supervision.reminder") == 1
    assert audit("supervision.reminder.send", order) == 1


def test_manual_reminder_refusals(order, users) -> None:
    with pytest.raises(PermissionDenied):
        supervision_order_remind(order=order, by=users["leader"], note="催")
    with pytest.raises(DomainError):
        supervision_order_remind(order=order, by=users["xiaoneng"], note=" ")
    supervision_feedback_submit(order=order, by=users["handler_a"], text="已办结。")
    with pytest.raises(DomainError):
        supervision_order_remind(order=order, by=users["xiaoneng"], note="催")
    assert not order.reminders.exists()


def test_sweep_sends_one_automatic_reminder_then_marks_overdue(order, users) -> None:
    marks = points(order)
    assert supervision_sweep(now=marks["prewarn"] - timedelta(minutes=1)).raised == {}
    first = supervision_sweep(now=marks["prewarn"] + timedelta(minutes=1))
    second = supervision_sweep(now=marks["prewarn"] + timedelta(minutes=2))
    assert first.raised["reminder"] == 1
    assert second.raised["reminder"] == 0
    assert order.reminders.filter(kind=Reminder.Kind.AUTOMATIC).count() == 1
    assert inbox(users["head"], "supervision.reminder") == 1
    order.refresh_from_db()
    assert order.overdue_at is None

    late = marks["due"] + timedelta(minutes=1)
    assert supervision_sweep(now=late).raised["overdue"] == 1
    assert supervision_sweep(now=late + timedelta(days=30)).raised == {}
    order.refresh_from_db()
    assert order.overdue_at == late
    assert order.reminders.count() == 1  # still one automatic reminder
    assert inbox(users["xiaoneng"], "supervision.overdue") == 1
    assert audit("supervision.order.overdue", order) == 1


def test_sweep_reminds_at_the_deadline_when_there_is_no_prewarning_point(make_order, users) -> None:
    order = make_order(due_working_days=1)
    marks = points(order)
    assert "prewarn" not in marks
    result = supervision_sweep(now=marks["due"] + timedelta(minutes=1))
    assert (result.raised["reminder"], result.raised["overdue"]) == (1, 1)


def test_sweep_leaves_answered_and_closed_orders_alone(make_order, users) -> None:
    answered = make_order()
    supervision_feedback_submit(order=answered, by=users["handler_a"], text="已办结。")
    closed = make_order()
    supervision_feedback_submit(order=closed, by=users["handler_a"], text="已办结。")
    supervision_order_accept(order=closed, by=users["xiaoneng"])
    marks = points(answered)
    result = supervision_sweep(now=marks["due"] + timedelta(days=1))
    assert result.raised == {}
    assert not Reminder.objects.exists()


def test_a_return_after_the_deadline_is_marked_overdue_by_the_next_sweep(order, users) -> None:
    supervision_feedback_submit(order=order, by=users["handler_a"], text="已办结。")
    marks = points(order)
    late = marks["due"] + timedelta(days=1)
    assert supervision_sweep(now=late).raised == {}  # under review: nothing to press for
    supervision_order_return(order=order, by=users["xiaoneng"], reason="不完整")
    result = supervision_sweep(now=max(late, timezone.now()) + timedelta(minutes=1))
    assert (result.raised["reminder"], result.raised["overdue"]) == (1, 1)


def test_the_sweep_is_a_registered_periodic_job_and_ignores_case_clocks(
    order, replied_case
) -> None:
    assert "supervision.sweep" in {job.name for job in periodic.registered_jobs()}
    far = timezone.now() + timedelta(days=400)
    result = supervision_sweep(now=far)
    assert result.checked == 1  # the order's clock only, not the case's rating clock


def test_demo_data_loads_once(demo_org) -> None:
    from xiaoneng.supervision.demo import demo_supervision_load
    from xiaoneng.supervision.models import Inspection

    assert demo_supervision_load() == 3
    assert demo_supervision_load() == 0
    orders = {order.source: order for order in Order.objects.all()}
    assert orders["demo:answered"].state == Order.State.ACCEPTED
    overdue = orders["demo:overdue"]
    assert overdue.overdue_at is not None
    assert overdue.state == Order.State.ISSUED
    assert overdue.reminders.filter(kind=Reminder.Kind.AUTOMATIC).count() == 1
    assert orders["demo:target"].kind == "target"
    inspection = Inspection.objects.get()
    assert inspection.findings.count() == 2
