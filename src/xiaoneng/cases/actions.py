"""The case actions, in one table: what the office and the API offer, and what each one does.

``ACTIONS`` maps an action's code to its service, who may take it (the check that decides which
buttons and API actions a person is offered), its office form, its API route and input body,
and the messages that say what it did. The office's case page (cases/views/page.py) and the
API's lifecycle endpoints (api/endpoints_cases.py) both dispatch through it; the states each
action may leave are the lifecycle's (``cases.states.ALLOWED_FROM``), which the services check.

The services remain the authority (they check again under the row lock); ``may`` answers the
question for display without a query per button.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases import clocks, forms, services
from xiaoneng.cases.models import Case, CaseAssist, Decision, ReplyDraft
from xiaoneng.cases.pool import may_work_pool
from xiaoneng.cases.states import ACTION_LABELS, ALLOWED_FROM, State
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import post_acting_holder, staff_for, user_roles

# -- who may act ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    """What the permission checks ask about a person and a case, found once per case."""

    staff: Any
    roles: frozenset[str]
    office: bool  # the efficiency office
    head_of_lead: bool
    in_lead: bool
    first_contact: bool
    pool_worker: bool
    pending_extension: bool


def who(case: Case, user: Any) -> Who | None:
    """``None`` for a person who is not staff (they may take no action)."""
    staff = staff_for(user)
    if staff is None:
        return None
    roles = user_roles(user)
    lead_id = case.lead_department_id
    head_of_lead = lead_id is not None and case.lead_department.head_id == staff.pk
    return Who(
        staff=staff,
        roles=frozenset(roles),
        office=Role.EFFICIENCY_OFFICE in roles,
        head_of_lead=head_of_lead,
        in_lead=head_of_lead or (lead_id is not None and staff.department_id == lead_id),
        first_contact=case.first_contact_id == staff.pk,
        pool_worker=may_work_pool(user, case),  # asks the database only for a pooled case
        pending_extension=case.extension_requests.filter(decision=Decision.PENDING).exists(),
    )


def _may_sign(case: Case, w: Who) -> bool:
    if case.state != State.DISPATCHED:
        return False
    if w.head_of_lead:
        return True
    if case.post is not None:
        acting = post_acting_holder(post=case.post, at=timezone.now())
        return acting.staff is not None and acting.staff.pk == w.staff.pk
    return w.in_lead


def _pending_assist(case: Case, staff: Any) -> CaseAssist | None:
    if staff.department_id is None:
        return None
    # .all() so a page that prefetched the assists asks the database nothing more.
    for assist in case.assists.all():
        if assist.department_id == staff.department_id and (
            assist.opinion == CaseAssist.Opinion.PENDING
        ):
            return assist
    return None


def _may_invalidate(case: Case, w: Who) -> bool:
    first_contact_at_intake = w.first_contact and case.state == State.REGISTERED
    allowed = w.office or w.pool_worker or first_contact_at_intake
    # An application is refused by its decision, never marked invalid.
    return allowed and case.kind != "application"


def _office(case: Case, w: Who) -> bool:
    return w.office


def _at_intake(case: Case, w: Who) -> bool:
    return w.office or w.first_contact or w.pool_worker


def _lead_not_in_review(case: Case, w: Who) -> bool:
    return w.in_lead and not case.reply_pending_review


def draft_of(case: Case) -> ReplyDraft | None:
    """The case's draft reply, or None (read with the case page's row: no query there)."""
    try:
        return case.reply_draft
    except ReplyDraft.DoesNotExist:
        return None


def _may_recall(case: Case, w: Who) -> bool:
    """Only the person who submitted the reply, and only before the head has reviewed it."""
    if not case.reply_pending_review:
        return False
    draft = draft_of(case)
    return draft is not None and draft.author_id == w.staff.pk


# -- what an action sets off beyond the case: said beside its button --------------------------

VIOLATION = "violation"  # files a violation (accountability), pending review
OUTSIDE = "outside"  # notifies someone outside the unit (the requester, another unit)


@dataclass(frozen=True)
class Consequence:
    kind: str  # VIOLATION or OUTSIDE
    text: Any
    # Whether it applies to this case and person now (default: always).
    when: Callable[[Case, Who], bool] | None = None


def _sign_for_late(case: Case, w: Who) -> bool:
    # Read from the case page's annotated clock (no query); unknown means not late.
    due = getattr(case, "sign_for_due_at", None)
    return due is not None and timezone.now() > due


def _reply_goes_out(case: Case, w: Who) -> bool:
    """The reply goes straight to the requester (no head's review in between)."""
    return w.head_of_lead or not case.unit.reply_review_required


def _school_case(case: Case, w: Who) -> bool:
    """The efficiency office sits at the bureau: outside a school's unit."""
    return case.unit.kind != Unit.Kind.BUREAU


TO_REQUESTER = _(
    "This sends a message to the requester (SMS or e-mail) at once; it cannot be taken back."
)
TO_OFFICE = _("The bureau's efficiency office is notified.")


# -- the table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiRoute:
    """``POST /api/v1/cases/{id}/<path>``; ``body`` names its input schema in api/schemas.py.

    The API's wire format stays in the API (it is named here, not imported, so this table
    stays below the interfaces); the body's ``arguments(caller)`` gives the service's
    keyword arguments, as an office form's ``arguments()`` does.
    """

    path: str
    summary: str  # the OpenAPI summary (not translated, like the rest of the schema)
    body: str | None = None


@dataclass(frozen=True)
class CaseAction:
    code: str
    # Called as service(case=..., by=..., **arguments) with the form's or body's arguments.
    service: Callable[..., Any]
    # Who may take it now (shown as a button, listed in the API's ``actions``).
    may: Callable[[Case, Who], bool]
    # Outcome (the timeline event the action wrote) -> what happened, in the user's words.
    messages: Mapping[str, Any]
    form: type[forms.ActionForm] | None  # None: not on the office's case page (say why)
    api: ApiRoute | None  # None: not in the API (say why)
    only: str = ""  # why the action is on one side only
    # What it sets off beyond the case (a violation, a message outside the unit), said beside
    # its button on the case page before it is sent.
    consequences: tuple[Consequence, ...] = ()
    # Offered as a second button of another action's form (the draft beside the reply).
    part_of: str = ""

    @property
    def states(self) -> frozenset[State]:
        """The states it may start from: where its button can show."""
        return ALLOWED_FROM[self.code]

    @property
    def label(self) -> Any:
        return ACTION_LABELS[self.code]


# In the order a person would take them (the order of the buttons and of the API's operations).
ACTIONS: dict[str, CaseAction] = {
    action.code: action
    for action in [
        CaseAction(
            "accept",
            services.case_accept,
            lambda case, w: w.pool_worker,
            {"accept": _("Accepted from the intake pool: you are now its first-contact person.")},
            form=forms.AcceptForm,
            api=ApiRoute(
                "accept", "Accept from the intake pool (受理): become its first-contact officer"
            ),
        ),
        CaseAction(
            "answer_directly",
            services.case_answer_directly,
            _at_intake,
            {"answer_directly": _("Answered directly; the reply was sent to the requester.")},
            form=forms.AnswerForm,
            api=ApiRoute("answer-directly", "Answer directly (直办)", "AnswerIn"),
            consequences=(Consequence(OUTSIDE, TO_REQUESTER),),
        ),
        CaseAction(
            "dispatch",
            services.case_dispatch,
            _at_intake,
            {"dispatch": _("Dispatched to %(lead)s; it now has to sign for the case.")},
            form=forms.DispatchForm,
            api=ApiRoute(
                "dispatch",
                "Dispatch to a lead department (and assisting departments)",
                "DispatchIn",
            ),
            consequences=(
                Consequence(
                    OUTSIDE,
                    _(
                        "The lead and assisting departments you choose are notified, in other "
                        "units too."
                    ),
                ),
            ),
        ),
        CaseAction(
            "sign_for",
            services.case_sign_for,
            _may_sign,
            {"sign_for": _("Signed for: the case is now being handled by %(lead)s.")},
            form=forms.SignForm,
            api=ApiRoute("sign-for", "Sign for the case (签收)"),
            consequences=(
                Consequence(
                    VIOLATION,
                    _(
                        "The time to sign for has passed: signing now records a late sign-for "
                        "(签收超时) violation against the department, pending the efficiency "
                        "office's review."
                    ),
                    when=_sign_for_late,
                ),
            ),
        ),
        CaseAction(
            "assign_handler",
            services.case_assign_handler,
            lambda case, w: w.head_of_lead or w.office,
            {"assign_handler": _("%(handler)s is now the handler of the case.")},
            form=forms.AssignForm,
            api=ApiRoute("assign-handler", "Assign the handler", "AssignIn"),
        ),
        CaseAction(
            "assist_opinion",
            services.case_assist_opinion,
            lambda case, w: _pending_assist(case, w.staff) is not None,
            {"assist_opinion": _("Your opinion was sent to the lead department.")},
            form=forms.AssistOpinionForm,
            api=ApiRoute(
                "assist-opinion", "Give the opinion of an assisting department", "AssistOpinionIn"
            ),
        ),
        CaseAction(
            "request_return",
            services.case_request_return,
            _lead_not_in_review,
            {
                "request_return": _(
                    "Return request submitted; waiting for the efficiency office's decision."
                ),
            },
            form=forms.RequestReturnForm,
            api=ApiRoute("request-return", "Ask to return the case (退回申请)", "ReasonBasisIn"),
            consequences=(Consequence(OUTSIDE, TO_OFFICE, when=_school_case),),
        ),
        CaseAction(
            "decide_return",
            services.case_decide_return,
            _office,
            {
                "accept_return": _("Return accepted: the case was dispatched to %(lead)s."),
                "reject_return": _(
                    "Return rejected: the case is back with %(lead)s, and a buck-passing "
                    "violation was recorded for review."
                ),
            },
            form=forms.DecideReturnForm,
            api=ApiRoute(
                "decide-return", "Accept (redispatch) or reject a return", "DecideReturnIn"
            ),
            consequences=(
                Consequence(
                    VIOLATION,
                    _(
                        "Rejecting the return records a buck-passing (推诿扯皮) violation "
                        "against the department and the person who asked for it. The violation "
                        "starts pending review by the efficiency office, like every automatic "
                        "violation, and can be dismissed there."
                    ),
                ),
                Consequence(OUTSIDE, _("Accepting notifies the new lead department.")),
            ),
        ),
        CaseAction(
            "request_extension",
            services.case_request_extension,
            lambda case, w: w.in_lead and not w.pending_extension,
            {
                "request_extension": _(
                    "Extension request submitted; waiting for the efficiency office's approval."
                ),
            },
            form=forms.RequestExtensionForm,
            api=ApiRoute("request-extension", "Ask for more time", "ExtensionIn"),
            consequences=(Consequence(OUTSIDE, TO_OFFICE, when=_school_case),),
        ),
        CaseAction(
            "decide_extension",
            services.case_decide_extension,
            lambda case, w: (
                w.pending_extension and bool(w.roles & {Role.EFFICIENCY_OFFICE, Role.LEADER})
            ),
            {
                "approve_extension": _(
                    "Extension approved: the reply is now due %(due)s; the requester was told."
                ),
                "reject_extension": _("Extension rejected: the original time limit stands."),
            },
            form=forms.DecideForm,
            api=ApiRoute("decide-extension", "Approve or reject the pending extension", "DecideIn"),
            consequences=(
                Consequence(OUTSIDE, _("Approving tells the requester the new date by SMS.")),
            ),
        ),
        CaseAction(
            "suspend",
            services.case_suspend,
            _lead_not_in_review,
            {
                "suspend": _("Case suspended: its time limit is paused until the case is resumed."),
            },
            form=forms.SuspendForm,
            api=ApiRoute("suspend", "Suspend (the clock pauses)", "SuspendIn"),
        ),
        CaseAction(
            "resume",
            services.case_resume,
            lambda case, w: w.in_lead,
            {"resume": _("Case resumed: its time limit runs again.")},
            form=forms.NoteForm,
            api=ApiRoute("resume", "Resume after a suspension", "NoteIn"),
        ),
        CaseAction(
            "save_reply_draft",
            services.reply_draft_save,
            _lead_not_in_review,
            {
                "reply_draft_saved": _(
                    "Reply saved as a draft: not sent, and the public does not see it."
                )
            },
            form=forms.ReplyForm,
            api=ApiRoute(
                "reply-draft", "Save the reply as a draft (not sent, not public)", "ReplyIn"
            ),
            part_of="reply",
        ),
        CaseAction(
            "reply",
            services.case_reply,
            _lead_not_in_review,
            {
                "reply_drafted": _("Draft reply submitted to the head for review."),
                "reply": _("Reply sent to the requester; the rating period has begun."),
            },
            form=forms.ReplyForm,
            api=ApiRoute(
                "reply", "Reply (reviewed by the head where the unit requires it)", "ReplyIn"
            ),
            consequences=(Consequence(OUTSIDE, TO_REQUESTER, when=_reply_goes_out),),
        ),
        CaseAction(
            "recall_reply",
            services.case_recall_reply,
            _may_recall,
            {
                "reply_recalled": _(
                    "Reply recalled before the head's review: it is a draft again."
                ),
            },
            form=forms.RecallReplyForm,
            api=ApiRoute("recall-reply", "Recall the reply submitted for review (before review)"),
        ),
        CaseAction(
            "review_reply",
            services.case_review_reply,
            lambda case, w: w.head_of_lead and case.reply_pending_review,
            {
                "reply": _("Reply approved and sent to the requester."),
                "reply_returned": _("Draft reply sent back to the handler for changes."),
            },
            form=forms.ReviewReplyForm,
            api=ApiRoute("review-reply", "Approve or send back the drafted reply", "ReviewIn"),
            consequences=(
                Consequence(
                    OUTSIDE,
                    _(
                        "Approving sends the reply to the requester (SMS or e-mail) at once; it "
                        "cannot be taken back."
                    ),
                ),
            ),
        ),
        CaseAction(
            "rate",
            services.case_rate,
            _office,
            {
                "rate": _("Rating recorded; the case is closed."),
                "rate_unsatisfied": _(
                    "Unsatisfied rating recorded; the case awaits the reopen review."
                ),
            },
            form=forms.RateForm,
            api=ApiRoute("rate", "Record the requester's rating (回访)", "RateIn"),
        ),
        CaseAction(
            "reopen",
            services.case_reopen,
            _office,
            {"reopen": _("Case reopened: it is back with %(lead)s with a new time limit.")},
            form=forms.RequiredNoteForm,
            api=ApiRoute("reopen", "Reopen: the unit was at fault (重办)", "NoteIn"),
            consequences=(
                Consequence(
                    VIOLATION,
                    _(
                        "Reopening records an at-fault reopen (重办) violation against the lead "
                        "department and the handler, pending the efficiency office's review."
                    ),
                ),
            ),
        ),
        CaseAction(
            "close",
            services.case_close,
            _office,
            {"close": _("Case closed.")},
            form=forms.NoteForm,
            api=ApiRoute("close", "Close", "NoteIn"),
        ),
        CaseAction(
            "withdraw",
            services.case_withdraw,
            _office,
            {"withdraw": _("Case withdrawn; its time limits stopped.")},
            form=forms.ReasonForm,
            api=ApiRoute("withdraw", "Record that the requester withdrew", "ReasonIn"),
        ),
        CaseAction(
            "invalidate",
            services.case_invalidate,
            _may_invalidate,
            {"invalidate": _("Case marked invalid; its time limits stopped.")},
            form=forms.ReasonForm,
            api=ApiRoute("invalidate", "Mark invalid", "ReasonIn"),
        ),
        CaseAction(
            "merge",
            services.case_merge,
            _office,
            {"merge": _("Case merged into %(into)s.")},
            form=forms.MergeForm,
            api=ApiRoute("merge", "Merge into another open case", "MergeIn"),
        ),
    ]
}


def actions_for(case: Case, w: Who | None) -> list[str]:
    """Action codes (the keys of ``ACTIONS``) ``w`` may take now, in the order a person would
    take them."""
    if w is None:
        return []
    return [
        code
        for code, action in ACTIONS.items()
        if action.may(case, w) and case.state in action.states
    ]


def available_actions(case: Case, user: Any) -> list[str]:
    return actions_for(case, who(case, user))


def action_consequences(code: str, case: Case, w: Who | None) -> list[Consequence]:
    """What taking ``code`` on ``case`` would set off beyond it, for the person ``w``."""
    if w is None:
        return []
    return [
        consequence
        for consequence in ACTIONS[code].consequences
        if consequence.when is None or consequence.when(case, w)
    ]


# -- what each action did, in the user's words -------------------------------------------------
#
# Each action's ``messages`` are chosen by the outcome: the timeline event the action wrote (a
# reply is either sent or drafted for review; a decision approves or rejects), so the message
# says what really happened. Shared by the office's flash messages and any other caller.

# Consequences for the requests that were still waiting (cases/services/pending.py).
SIDE_EFFECTS = {
    "extension_withdrawn": _("The pending extension request was withdrawn."),
    "assist_withdrawn": _("Opinions still awaited from assisting departments are no longer asked."),
    "return_withdrawn": _("The pending return request was withdrawn."),
}


def _outcome(action: str, case: Case, written: list[Any]) -> str:
    outcomes = ACTIONS[action].messages
    found = next((event for event in reversed(written) if event.action in outcomes), None)
    if found is None:
        # A repeated identical request wrote nothing: say what the earlier one did.
        found = case.events.filter(action__in=list(outcomes)).order_by("-at", "-id").first()
    code = found.action if found is not None else next(iter(outcomes))
    if code == "rate" and case.state == State.REOPEN_REVIEW:
        return "rate_unsatisfied"
    return code


def _values(case: Case) -> dict[str, Any]:
    values: dict[str, Any] = {
        "lead": case.lead_department.label if case.lead_department_id else "",
        "handler": str(case.handler.user) if case.handler_id else "",
        "into": case.merged_into.number if case.merged_into_id else "",
        "due": "",
    }
    if case.state in {State.IN_PROGRESS, State.SUSPENDED}:
        values["due"] = clocks.due_display(case=case, stage=clocks.REPLY)
    return values


def last_event_id(case: Case) -> int:
    """Call before the action: the message reads the events written after this one."""
    return case.events.order_by("-id").values_list("id", flat=True).first() or 0


def action_message(action: str, case: Case, *, after_event_id: int) -> str:
    """What ``action`` did to ``case``, in the user's words (``case`` read after the action)."""
    case = Case.objects.select_related("lead_department", "handler__user", "merged_into").get(
        pk=case.pk
    )
    written = list(case.events.filter(id__gt=after_event_id).order_by("id"))
    message = str(ACTIONS[action].messages[_outcome(action, case, written)]) % _values(case)
    seen = {event.action for event in written}
    extra = [str(text) for code, text in SIDE_EFFECTS.items() if code in seen]
    return gettext("%(number)s: %(message)s") % {
        "number": case.number,
        "message": " ".join([message, *extra]),
    }
