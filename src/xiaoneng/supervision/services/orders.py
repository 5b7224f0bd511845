"""Supervision orders: issue, feedback, accept or return, remind (督办 / 催办).

An order runs on a workdays clock (stage ``supervision``) from issue until the efficiency
office accepts the answer: a returned answer does not stop the time, so the clock keeps
running through feedback and return and stops only on acceptance.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.cases.notifications import efficiency_office_staff
from xiaoneng.errors import DomainError, lazy_format
from xiaoneng.notify.services import notify_people
from xiaoneng.supervision.models import ORDER_OWNER, Feedback, Order, Reminder
from xiaoneng.supervision.permissions import ISSUERS, require_answerer, require_any
from xiaoneng.web.uploads import check_upload
from xiaoneng.workdays.deadlines import local_day
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.periods import Counting
from xiaoneng.workdays.services.clocks import clock_check_soon, clock_start, clock_stop

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from xiaoneng.cases.models import Case
    from xiaoneng.org.actors import Actor, User
    from xiaoneng.org.models import Department, Staff, Unit

MAX_WORKING_DAYS = 250
OFFICE_ONLY = frozenset({"efficiency_office"})


def _lock(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("department__head__user", "person__user", "unit")
        .get(pk=order.pk)
    )


def _text(value: str | None, message: StrOrPromise) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value


def _responsible(order: Order) -> list[Any]:
    return [order.department.head, order.person]


def _period(
    *, issued_at: datetime, due_working_days: int | None, due_date: date | None
) -> tuple[str, int]:
    if (due_working_days is None) == (due_date is None):
        raise DomainError(_("Give the deadline either in working days or as a date."))
    if due_working_days is not None:
        if not 1 <= due_working_days <= MAX_WORKING_DAYS:
            raise DomainError(
                lazy_format(
                    _("The deadline must be between 1 and %(max)d working days."),
                    {"max": MAX_WORKING_DAYS},
                )
            )
        return Counting.WORKDAYS.value, due_working_days
    assert due_date is not None  # exactly one of the two is given (checked above)
    days = (due_date - local_day(issued_at)).days
    if days < 1:
        raise DomainError(_("The due date must be after today."))
    # Counted as calendar days: a due date on a holiday moves to the next working day.
    return Counting.DAYS.value, days


def supervision_order_create(
    *,
    by: User,
    title: str,
    description: str,
    kind: str,
    unit: Unit,
    department: Department,
    due_working_days: int | None = None,
    due_date: date | None = None,
    case: Case | None = None,
    source: str | None = None,
    person: Staff | None = None,
) -> Order:
    """Put a case or any matter under supervision; the responsible head is told at once."""
    require_any(by, ISSUERS, _("Only the efficiency office or a leader may issue an order."))
    title = _text(title, _("Please give the matter a title."))[:200]
    description = _text(description, _("Please say what must be done."))
    if kind not in Order.Kind.values:
        raise DomainError(_("Unknown kind of matter."))
    if kind == Order.Kind.CASE and case is None:
        raise DomainError(_("Choose the case to supervise."))
    if department is None or unit is None or department.unit_id != unit.pk:
        raise DomainError(_("The responsible department must belong to the unit."))
    if person is not None and person.department_id != department.pk:
        raise DomainError(_("The responsible person must work in the responsible department."))
    now = timezone.now()
    counting, limit = _period(issued_at=now, due_working_days=due_working_days, due_date=due_date)
    with transaction.atomic():
        order = Order.objects.create(
            number=f"tmp-{uuid.uuid4().hex[:16]}",
            kind=kind,
            title=title,
            description=description,
            case=case,
            source=(source or "")[:100],
            unit=unit,
            department=department,
            person=person,
            issued_by=by,
            issued_at=now,
            due_working_days=due_working_days,
            due_date=due_date,
        )
        order.number = f"DB{timezone.localtime(now).year}{order.pk:05d}"
        order.clock = clock_start(
            owner_type=ORDER_OWNER,
            owner_id=order.pk,
            stage=Clock.Stage.SUPERVISION.value,
            started_at=now,
            counting=counting,
            limit=limit,
            unit_id=unit.pk,
            by=by,
        )
        order.save(update_fields=["number", "clock"])
        log_action(
            action="supervision.order.create",
            obj=order,
            actor=by,
            unit_id=unit.pk,
            summary={
                "number": order.number,
                "kind": kind,
                "department": department.pk,
                "case": getattr(case, "number", ""),
                "source": order.source,
                "due_at": timezone.localtime(order.clock.due_at).isoformat(),
            },
        )
        notify_people(
            [department.head, person],
            kind="supervision.order",
            subject=gettext("Supervision order %(number)s: feedback required")
            % {"number": order.number},
            body=title,
            obj=order,
            unit_id=unit.pk,
        )
    return order


def supervision_feedback_submit(
    *, order: Order, by: Actor, text: str, file: UploadedFile | None = None
) -> Feedback:
    """The responsible department answers in writing (with an optional file)."""
    text = _text(text, _("Please write the feedback."))
    upload = check_upload(file) if file is not None else None
    with transaction.atomic():
        order = _lock(order)
        require_answerer(by, order)
        if order.state != Order.State.ISSUED:
            raise DomainError(
                lazy_format(
                    _("This order is %(state)s; no feedback can be given now."),
                    {"state": order.get_state_display()},
                ),
                code="illegal_transition",
            )
        now = timezone.now()
        feedback = Feedback(
            order=order,
            text=text,
            submitted_by=by,
            submitted_at=now,
            late=order.clock is not None and now > order.clock.due_at,
        )
        if upload is not None:
            feedback.file_name, feedback.file_type, feedback.file_size = upload
            feedback.file.save(upload[0], file, save=False)
        feedback.save()
        order.state = Order.State.ANSWERED
        order.save(update_fields=["state"])
        log_action(
            action="supervision.order.feedback",
            obj=order,
            actor=by,
            unit_id=order.unit_id,
            summary={
                "number": order.number,
                "feedback": feedback.pk,
                "late": feedback.late,
                "file": bool(upload),
            },
        )
        notify_people(
            efficiency_office_staff(),
            kind="supervision.feedback",
            subject=gettext("Feedback on supervision order %(number)s") % {"number": order.number},
            body=order.title,
            obj=order,
            unit_id=order.unit_id,
        )
    return feedback


def _pending_feedback(order: Order) -> Feedback:
    feedback = order.feedbacks.filter(decision=Feedback.Decision.PENDING).order_by("-id").first()
    if feedback is None:  # pragma: no cover - the state says there is one
        raise DomainError(_("There is no feedback to review."))
    return feedback


def _require_answered(order: Order) -> None:
    if order.state != Order.State.ANSWERED:
        raise DomainError(
            lazy_format(
                _("This order is %(state)s; there is no feedback to decide on."),
                {"state": order.get_state_display()},
            ),
            code="illegal_transition",
        )


def supervision_order_accept(*, order: Order, by: Actor, note: str = "") -> Order:
    """The efficiency office accepts the answer: the order is closed and its clock stops."""
    require_any(by, OFFICE_ONLY, _("Only the efficiency office may accept feedback."))
    with transaction.atomic():
        order = _lock(order)
        _require_answered(order)
        now = timezone.now()
        feedback = _pending_feedback(order)
        feedback.decision, feedback.decision_note = Feedback.Decision.ACCEPTED, note.strip()
        feedback.decided_by, feedback.decided_at = by, now
        feedback.save()
        order.state, order.accepted_at, order.accepted_by = Order.State.ACCEPTED, now, by
        order.save(update_fields=["state", "accepted_at", "accepted_by"])
        if order.clock is not None and order.clock.state != Clock.State.STOPPED:
            clock_stop(clock=order.clock, at=now, reason="accepted", by=by)
        log_action(
            action="supervision.order.accept",
            obj=order,
            actor=by,
            unit_id=order.unit_id,
            summary={"number": order.number, "feedback": feedback.pk},
        )
        notify_people(
            _responsible(order),
            kind="supervision.accepted",
            subject=gettext("Supervision order %(number)s closed: feedback accepted")
            % {"number": order.number},
            body=order.title,
            obj=order,
            unit_id=order.unit_id,
        )
    return order


def supervision_order_return(*, order: Order, by: Actor, reason: str) -> Order:
    """The answer is not enough: back to the department, with the reason; the clock runs on."""
    require_any(by, OFFICE_ONLY, _("Only the efficiency office may return feedback."))
    reason = _text(reason, _("Please give the reason for returning the feedback."))
    with transaction.atomic():
        order = _lock(order)
        _require_answered(order)
        now = timezone.now()
        feedback = _pending_feedback(order)
        feedback.decision, feedback.decision_note = Feedback.Decision.RETURNED, reason
        feedback.decided_by, feedback.decided_at = by, now
        feedback.save()
        order.state = Order.State.ISSUED
        order.return_count += 1
        order.save(update_fields=["state", "return_count"])
        # Thresholds passed while the answer was under review were skipped by the sweep
        # (it acts on orders awaiting feedback only): let it look again now.
        clock_check_soon(clock_id=order.clock_id, at=now)  # type: ignore[arg-type]
        log_action(
            action="supervision.order.return",
            obj=order,
            actor=by,
            unit_id=order.unit_id,
            summary={"number": order.number, "feedback": feedback.pk, "round": order.return_count},
        )
        notify_people(
            _responsible(order),
            kind="supervision.returned",
            subject=gettext("Feedback on supervision order %(number)s was returned")
            % {"number": order.number},
            body=reason,
            obj=order,
            unit_id=order.unit_id,
        )
    return order


def send_reminder(order: Order, *, kind: str, note: str, by: Actor, at: datetime) -> Reminder:
    """Record a reminder and tell the responsible head; the caller holds the order's lock."""
    reminder = Reminder.objects.create(order=order, kind=kind, note=note, sent_by=by, sent_at=at)
    log_action(
        action="supervision.reminder.send",
        obj=order,
        actor=by,
        unit_id=order.unit_id,
        summary={"number": order.number, "reminder": reminder.pk, "kind": kind},
    )
    notify_people(
        _responsible(order),
        kind="supervision.reminder",
        subject=gettext("Reminder: supervision order %(number)s awaits your feedback")
        % {"number": order.number},
        body=note or order.title,
        obj=order,
        unit_id=order.unit_id,
    )
    return reminder


def supervision_order_remind(*, order: Order, by: Actor, note: str) -> Reminder:
    """催办 by hand: the efficiency office presses for the answer, with a note."""
    require_any(by, OFFICE_ONLY, _("Only the efficiency office may send a reminder."))
    note = _text(note, _("Please write the reminder's note."))
    with transaction.atomic():
        order = _lock(order)
        if order.state != Order.State.ISSUED:
            raise DomainError(
                lazy_format(
                    _("This order is %(state)s; a reminder is only sent while feedback is due."),
                    {"state": order.get_state_display()},
                ),
                code="illegal_transition",
            )
        return send_reminder(order, kind=Reminder.Kind.MANUAL, note=note, by=by, at=timezone.now())
