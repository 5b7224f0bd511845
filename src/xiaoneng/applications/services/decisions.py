"""The decisions on an application: whether to accept it (受理) and whether to grant it (许可),
one decision procedure for both; the filing that the promised time cannot be kept; the
extension. Every refusal creates its denial filing in the same transaction, or nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.filings import denial_filing_create
from xiaoneng.accountability.models import DenialFiling
from xiaoneng.applications.models import Application
from xiaoneng.applications.services._common import (
    awaited_materials,
    locked_application,
    require_officer,
    require_open,
    stop_acceptance_clock,
)
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case
from xiaoneng.cases.notifications import efficiency_office_staff, notify_requester, notify_staff
from xiaoneng.cases.services.closing import issue_reply
from xiaoneng.cases.services.steps import (
    in_department,
    is_head_of,
    lock,
    now,
    record,
    require_staff,
    require_text,
)
from xiaoneng.cases.states import State
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Staff
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import user_roles

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor, User


def _decision_text(application: Application, *, outcome: str, reason: str, basis: str) -> str:
    name = application.service_item_version.name
    text = f"经审查，你提出的“{name}”申请，{outcome}。"
    if reason:
        text += f"理由：{reason}。依据：{basis}。"
    return text


def _refuse(
    application: Application,
    *,
    case: Case,
    kind: str,
    staff: Staff,
    reason: str,
    basis: str,
    head_opinion: str,
    outcome: str,
    action: str,
    by: Actor,
) -> DenialFiling:
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if not reason or not basis:
        raise DomainError(
            _("A refusal needs its reason and legal basis; it is filed with the efficiency office.")
        )
    filing = denial_filing_create(
        case=case,
        kind=kind,
        handler=staff,
        matter=f"{application.service_item_version.name}（{case.number}）",
        reason=reason,
        basis=basis,
        head_opinion=head_opinion,
        by=by,
    )
    application.decision_reason, application.decision_basis = reason, basis
    application.decided_at = now()
    application.save()
    text = _decision_text(application, outcome=outcome, reason=reason, basis=basis)
    issue_reply(case=case, by=by, text=text, action=action)
    notify_staff(
        case,
        efficiency_office_staff(),
        kind="application.denial_filed",
        subject=gettext("A refusal was filed for review (否定报备)"),
    )
    return filing


def _accept(application: Application, *, case: Case, staff: Staff, at: Any, by: Actor) -> None:
    if application.stage != Application.Stage.COMPLETE:
        raise DomainError(_("The materials are not complete; the application cannot be accepted."))
    application.stage = Application.Stage.ACCEPTED
    application.accepted_at = at
    application.save()
    stop_acceptance_clock(case, at=at, by=by)
    from_state = case.state
    if case.state == State.REGISTERED:
        case.state = State.IN_PROGRESS
        if case.handler is None and in_department(staff, case.lead_department_id):
            case.handler = staff
        case.save()
    record(case, action="accept", user=by, from_state=from_state, at=at)


def _approve(application: Application, *, case: Case, staff: Staff, at: Any, by: Actor) -> None:
    if awaited_materials(application):
        raise DomainError(_("Materials are still awaited; the application cannot be approved."))
    application.stage = Application.Stage.APPROVED
    application.decided_at = at
    application.save()
    text = _decision_text(
        application, outcome="符合法定条件、标准，决定准予许可", reason="", basis=""
    )
    issue_reply(case=case, by=by, text=text, action="approve")


@dataclass(frozen=True)
class Decision:
    """One of the two decisions on an application, as data for ``_decide``."""

    granted: str
    refused: str
    # The stages the decision is taken from, and what is said from any other.
    open_from: frozenset[str]
    closed: Promise
    grant: Callable[..., None]
    # A refusal: its filing, the words of the written decision, the case event.
    filing: str
    outcome: str
    action: str
    # Acceptance runs while the case waits; the licence is decided on a case in progress,
    # whose acceptance clock has already stopped.
    in_progress_only: bool
    stops_acceptance_clock: bool


ACCEPTANCE_DECISION = Decision(
    granted=Application.Stage.ACCEPTED,
    refused=Application.Stage.NOT_ACCEPTED,
    open_from=frozenset(
        {
            Application.Stage.CHECKING,
            Application.Stage.AWAITING_SUPPLEMENT,
            Application.Stage.COMPLETE,
        }
    ),
    closed=_("The acceptance of this application has already been decided."),
    grant=_accept,
    filing=DenialFiling.Kind.NOT_ACCEPTED,
    outcome="决定不予受理",
    action="not_accepted",
    in_progress_only=False,
    stops_acceptance_clock=True,
)
LICENCE_DECISION = Decision(
    granted=Application.Stage.APPROVED,
    refused=Application.Stage.DENIED,
    open_from=frozenset({Application.Stage.ACCEPTED}),
    closed=_("Only an accepted application can be decided."),
    grant=_approve,
    filing=DenialFiling.Kind.NOT_APPROVED,
    outcome="决定不予许可",
    action="deny",
    in_progress_only=True,
    stops_acceptance_clock=False,
)


def _decide(
    decision: Decision,
    *,
    case: Case,
    grant: bool,
    by: User,
    reason: str,
    basis: str,
    head_opinion: str,
) -> Application:
    """Take ``decision`` on the application: grant it, or refuse it with reason and basis, which
    creates the denial filing."""
    with transaction.atomic():
        case = lock(case)
        application = locked_application(case)
        if application.stage == (decision.granted if grant else decision.refused):
            return application  # A repeated identical request.
        staff = require_officer(by, case)
        if application.stage not in decision.open_from:
            raise DomainError(decision.closed)
        if decision.in_progress_only and case.state != State.IN_PROGRESS:
            raise DomainError(_("The application is not in progress; it cannot be decided now."))
        at = now()
        if grant:
            decision.grant(application, case=case, staff=staff, at=at, by=by)
            return application
        application.stage = decision.refused
        if decision.stops_acceptance_clock:
            stop_acceptance_clock(case, at=at, by=by)
        _refuse(
            application,
            case=case,
            kind=decision.filing,
            staff=staff,
            reason=reason,
            basis=basis,
            head_opinion=head_opinion,
            outcome=decision.outcome,
            action=decision.action,
            by=by,
        )
    return application


def application_decide_acceptance(
    *,
    case: Case,
    accept: bool,
    by: User,
    reason: str = "",
    basis: str = "",
    head_opinion: str = "",
) -> Application:
    """受理 / 不予受理. Not accepting needs reason and basis and creates the denial filing."""
    return _decide(
        ACCEPTANCE_DECISION,
        case=case,
        grant=accept,
        by=by,
        reason=reason,
        basis=basis,
        head_opinion=head_opinion,
    )


def application_decide(
    *,
    case: Case,
    approve: bool,
    by: User,
    reason: str = "",
    basis: str = "",
    head_opinion: str = "",
) -> Application:
    """准予许可 / 不予许可, the written decision to the applicant; a refusal is filed."""
    return _decide(
        LICENCE_DECISION,
        case=case,
        grant=approve,
        by=by,
        reason=reason,
        basis=basis,
        head_opinion=head_opinion,
    )


def application_file_overdue(
    *, case: Case, by: User, reason: str, basis: str, head_opinion: str = ""
) -> DenialFiling:
    """Report that the application cannot be finished within the promised time (否定报备)."""
    with transaction.atomic():
        case = lock(case)
        application = locked_application(case)
        staff = require_officer(by, case)
        require_open(application)
        filing = denial_filing_create(
            case=case,
            kind=DenialFiling.Kind.OVERDUE,
            handler=staff,
            matter=f"{application.service_item_version.name}（{case.number}）",
            reason=reason,
            basis=basis,
            head_opinion=head_opinion,
            by=by,
        )
        record(
            case,
            action="overdue_filed",
            user=by,
            from_state=case.state,
            note=filing.reason,
            data={"filing": filing.pk},
        )
        notify_staff(
            case,
            efficiency_office_staff(),
            kind="application.denial_filed",
            subject=gettext("A refusal was filed for review (否定报备)"),
        )
    return filing


def application_extend(*, case: Case, days: int, reason: str, by: User) -> Case:
    """+ up to 10 working days, approved by the head (行政许可法 art. 42); the applicant is told."""
    reason = require_text(reason, _("Please give the reason for the extension."))
    with transaction.atomic():
        case = lock(case)
        application = locked_application(case)
        staff = require_staff(by)
        if not (is_head_of(staff, case.lead_department_id) or Role.LEADER in user_roles(by)):
            raise PermissionDenied(_("Only the head of the department may extend the limit."))
        if application.stage != Application.Stage.ACCEPTED:
            raise DomainError(_("Only an accepted application can be extended."))
        clocks.check_extension(case=case, extra_units=days)
        clocks.extend(case=case, extra_units=days, by=by, reason=reason)
        record(
            case,
            action="extension_approved",
            user=by,
            from_state=case.state,
            note=reason,
            data={"days": days},
        )
        with override("zh-hans"):
            message = gettext(
                "The time limit of your application %(number)s was extended by %(days)d working "
                "days; new due date %(due)s."
            ) % {
                "number": case.number,
                "days": days,
                "due": clocks.due_display(case=case, stage=clocks.REPLY),
            }
        notify_requester(case, kind="application.extended", message=message)
    return case
