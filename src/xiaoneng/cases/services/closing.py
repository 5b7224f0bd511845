"""Replying (with the head's review), rating, the reopen review, reopening and closing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import clocks, facts
from xiaoneng.cases.models import Case, Channel, ReplyDraft, ReplyGrade, Satisfaction
from xiaoneng.cases.notifications import (
    department_people,
    efficiency_office_staff,
    notify_requester,
    notify_staff,
)
from xiaoneng.cases.services import pending as waiting
from xiaoneng.cases.services.replies import attach_reply_files, check_grade, store_draft
from xiaoneng.cases.services.steps import (
    is_efficiency_office,
    is_head_of,
    is_repeat,
    lock,
    now,
    record,
    require_lead_department,
    require_role,
    require_staff,
    require_state,
    require_text,
)
from xiaoneng.cases.states import State
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.roles import Role

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User

GRADED_CHANNELS = frozenset({Channel.DEPUTY, Channel.CPPCC})


def issue_reply(*, case: Case, by: Actor, text: str, action: str, grade: str = "") -> None:
    """The reply goes out: the case clock stops and the rating window opens."""
    at = now()
    from_state = case.state
    case.reply_text, case.reply_grade = text, grade
    case.reply_pending_review = False
    case.state, case.replied_at = State.REPLIED, at
    case.save()
    # The draft became the reply: nothing of it is left to resume or recall.
    ReplyDraft.objects.filter(case=case).delete()
    clocks.stop(case=case, stage=clocks.REPLY, at=at, by=by)
    clocks.start(case=case, stage=clocks.RATING, at=at, by=by)
    # Once answered, neither more time nor an assisting opinion can change the reply.
    waiting.withdraw_extension(case, by=by, cause=waiting.REPLIED, at=at)
    waiting.withdraw_assists(case, by=by, cause=waiting.REPLIED, at=at)
    record(case, action=action, user=by, from_state=from_state, data={"grade": grade}, at=at)
    with override("zh-hans"):
        message = gettext(
            "Your request %(number)s has been answered. Please read the reply and rate it "
            "with your tracking code %(code)s."
        ) % {"number": case.number, "code": case.tracking_code}
    notify_requester(case, kind="case.replied", message=message)


def case_reply(
    *, case: Case, by: User, text: str, grade: str = "", files: Sequence[UploadedFile] = ()
) -> Case:
    """The handler replies; where the unit requires it the head reviews before it goes out.
    Until then the text is the case's draft (``ReplyDraft``), never ``Case.reply_text``."""
    text = require_text(text, _("Please write the reply."))
    with transaction.atomic():
        case = lock(case)
        draft = ReplyDraft.objects.select_for_update().filter(case=case).first()
        if (
            is_repeat(case, "reply_drafted", by)
            and case.reply_pending_review
            and draft is not None
            and draft.text == text
        ):
            return case
        staff = require_lead_department(by, case)
        if case.state == State.RETURN_REQUESTED:
            raise DomainError(
                _(
                    "A return of this case is waiting for the efficiency office's decision; "
                    "reply once the case stays with your department."
                )
            )
        if case.state == State.SUSPENDED:
            raise DomainError(_("The case is suspended: resume it before replying."))
        require_state(case, "reply")
        if case.reply_pending_review:
            raise DomainError(
                _("A reply is already waiting for the head's review: recall it to change it.")
            )
        if case.channel in GRADED_CHANNELS and grade not in ReplyGrade.values:
            raise DomainError(
                _("A reply to a deputy's suggestion or a CPPCC proposal needs its grade (A–D).")
            )
        grade = check_grade(grade)
        attach_reply_files(case, by, files)
        head_signs = is_head_of(staff, case.lead_department_id)
        if case.unit.reply_review_required and not head_signs:
            store_draft(
                case, staff, text=text, grade=grade, status=ReplyDraft.Status.SUBMITTED, at=now()
            )
            case.reply_drafted_by, case.reply_pending_review = staff, True
            case.save()
            record(
                case,
                action="reply_drafted",
                user=by,
                from_state=case.state,
                data={"grade": grade},
                public=False,
            )
            notify_staff(
                case,
                [case.lead_department.head],  # type: ignore[union-attr]  # set on dispatch
                kind="case.reply_review",
                subject=gettext("A reply to review"),
            )
            return case
        case.reply_drafted_by = staff
        issue_reply(case=case, by=by, text=text, grade=grade, action="reply")
    return case


def case_review_reply(
    *, case: Case, by: User, approve: bool, note: str = "", text: str | None = None
) -> Case:
    staff = require_staff(by)
    with transaction.atomic():
        case = lock(case)
        require_state(case, "review_reply")
        if not case.reply_pending_review:
            raise DomainError(_("There is no reply waiting for review."))
        if not is_head_of(staff, case.lead_department_id):
            raise PermissionDenied(_("Only the head of the lead department reviews replies."))
        draft = ReplyDraft.objects.select_for_update().filter(case=case).first()
        drafted_text = draft.text if draft is not None else case.reply_text
        drafted_grade = draft.grade if draft is not None else case.reply_grade
        if approve:
            final_text = (text or "").strip() or drafted_text
            issue_reply(case=case, by=by, text=final_text, grade=drafted_grade, action="reply")
            return case
        note = require_text(note, _("Please say what must change in the reply."))
        case.reply_pending_review = False
        case.save()
        if draft is not None:
            # Back to the handler as a draft, with what must change.
            draft.status, draft.submitted_at = ReplyDraft.Status.DRAFT, None
            draft.review_note = note
            draft.save(update_fields=["status", "submitted_at", "review_note"])
        record(
            case, action="reply_returned", user=by, from_state=case.state, note=note, public=False
        )
        notify_staff(
            case,
            [case.reply_drafted_by],
            kind="case.reply_returned",
            subject=gettext("Your reply was sent back"),
        )
    return case


def case_rate(
    *,
    case: Case,
    satisfaction: str,
    resolved: bool,
    comment: str = "",
    by: Actor = None,
) -> Case:
    """The requester rates through their tracking link (``by`` None), or the efficiency office
    records the rating given on a callback (回访)."""
    if satisfaction not in {
        Satisfaction.SATISFIED,
        Satisfaction.BASICALLY,
        Satisfaction.UNSATISFIED,
    }:
        raise DomainError(_("Choose satisfied, basically satisfied or unsatisfied."))
    if by is not None:
        require_role(by, Role.EFFICIENCY_OFFICE)
    with transaction.atomic():
        case = lock(case)
        if case.rated_at is not None and case.satisfaction == satisfaction:
            return case
        require_state(case, "rate")
        at = now()
        if by is None and clocks.is_overdue(case=case, stage=clocks.RATING, at=at):
            raise DomainError(_("The time for rating this reply has passed."))
        case.satisfaction, case.resolved = satisfaction, resolved
        case.rating_comment, case.rated_at = comment.strip()[:2000], at
        case.rated_by_callback = by is not None
        from_state = case.state
        if satisfaction == Satisfaction.UNSATISFIED:
            case.state = State.REOPEN_REVIEW
        else:
            case.state, case.closed_at = State.CLOSED, at
        case.save()
        clocks.stop(case=case, stage=clocks.RATING, at=at, by=by)
        record(
            case,
            action="rate",
            user=by,
            from_state=from_state,
            data={"satisfaction": satisfaction, "resolved": resolved, "callback": by is not None},
            at=at,
        )
        if case.state == State.REOPEN_REVIEW:
            notify_staff(
                case,
                efficiency_office_staff(),
                kind="case.unsatisfied",
                subject=gettext("An unsatisfied rating to review"),
            )
    return case


def case_reopen(*, case: Case, by: User, note: str) -> Case:
    """重办: the unit was at fault; the case goes back with a new deadline."""
    note = require_text(note, _("Please say what the unit must do again."))
    require_role(by, Role.EFFICIENCY_OFFICE)
    with transaction.atomic():
        case = lock(case)
        if is_repeat(case, "reopen", by):
            return case
        require_state(case, "reopen")
        at = now()
        # A case answered on the spot has no department yet: it goes back to be dispatched.
        case.state = State.IN_PROGRESS if case.lead_department_id else State.REGISTERED
        case.reopen_count += 1
        case.reply_pending_review = False
        case.save()
        clocks.start(case=case, stage=clocks.REPLY, at=at, by=by)
        record(
            case,
            action="reopen",
            user=by,
            from_state=State.REOPEN_REVIEW,
            note=note,
            data={"round": case.reopen_count},
            at=at,
        )
        facts.announce(
            facts.REOPENED_AT_FAULT,
            case=case,
            key=f"{case.pk}:{case.reopen_count}",
            department=case.lead_department,
            staff=case.handler,
        )
        notify_staff(
            case,
            [case.handler, *department_people(case, case.lead_department)],
            kind="case.reopened",
            subject=gettext("A case was reopened"),
        )
    return case


def case_close(*, case: Case, by: Actor, note: str = "") -> Case:
    """The efficiency office closes after the reopen review (or an unrated reply)."""
    if by is not None and not is_efficiency_office(by):
        raise PermissionDenied(_("Only the efficiency office may close a case."))
    with transaction.atomic():
        case = lock(case)
        if case.state == State.CLOSED and is_repeat(case, "close", by):
            return case
        require_state(case, "close")
        at = now()
        from_state = case.state
        if from_state == State.REPLIED and not case.satisfaction:
            case.satisfaction = Satisfaction.UNRATED
        case.state, case.closed_at = State.CLOSED, at
        case.save()
        clocks.stop_all(case=case, at=at, by=by)
        record(case, action="close", user=by, from_state=from_state, note=note, at=at)
    return case
