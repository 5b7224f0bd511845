"""Registering a case (首问登记 or into a unit's intake pool), answering it directly,
dispatching it, and ending it early."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import audit_batch
from xiaoneng.cases import clocks, facts
from xiaoneng.cases.models import Case, CaseAssist, Category, Kind
from xiaoneng.cases.notifications import (
    department_people,
    notify_staff,
)
from xiaoneng.cases.pool import in_pool, may_work_pool
from xiaoneng.cases.services.pending import withdraw_all_pending
from xiaoneng.cases.services.pool import take_from_pool
from xiaoneng.cases.services.registering import (
    MAX_CONTENT as MAX_CONTENT,  # re-exported: the forms and the referral import check it
)
from xiaoneng.cases.services.registering import (
    Registered,
    prepare,
    register_prepared,
    registrar,
)
from xiaoneng.cases.services.steps import (
    is_efficiency_office,
    is_repeat,
    lock,
    now,
    record,
    require_state,
    require_text,
)
from xiaoneng.cases.states import State
from xiaoneng.deferred import deferred_inserts
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Department, Post, Unit
from xiaoneng.org.selectors import staff_for

if TYPE_CHECKING:
    from datetime import datetime

    from xiaoneng.org.actors import Actor, User


def case_register(
    *,
    by: Actor,
    channel: str,
    kind: str,
    category: Category,
    content: str,
    title: str = "",
    unit: Unit | None = None,
    unit_concerned: Unit | None = None,
    person_concerned: str = "",
    requester_name: str = "",
    requester_phone: str = "",
    requester_email: str = "",
    requester_id_number: str = "",
    is_anonymous: bool = False,
    consent_publish: bool = False,
    external_number: str = "",
    registered_at: datetime | None = None,
    in_person: bool | None = None,
    urgent: bool | None = None,
) -> Registered:
    """Register a request. ``by`` is the staff member who registers it, or None for the public.

    A request registered in person (``in_person``, by default whenever a staff member
    registers it) has that person as its first-contact officer. Any other — the portal,
    Open311, an interface client, an imported referral — lands in the intake pool (待受理) of
    its receiving unit, whose first-contact post accepts it within the policy's limit.

    ``urgent``: True marks the request urgent (the registrar, the requester or the client said
    so), False says it is not (the registrar declined the suggestion), None lets the category
    and the words decide (``cases/urgency.py``: urgent "for review"). An urgent request runs on
    the hour-level urgent policy and its post is alerted until someone acknowledges.
    """
    staff, pooled, owner = registrar(
        by, unit=unit, unit_concerned=unit_concerned, in_person=in_person
    )
    prepared = prepare(
        by=by,
        staff=staff,
        pooled=pooled,
        owner=owner,
        channel=channel,
        kind=kind,
        category=category,
        content=content,
        title=title,
        unit_concerned=unit_concerned,
        person_concerned=person_concerned,
        requester_name=requester_name,
        requester_phone=requester_phone,
        requester_email=requester_email,
        requester_id_number=requester_id_number,
        is_anonymous=is_anonymous,
        consent_publish=consent_publish,
        external_number=external_number,
        registered_at=registered_at,
        urgent=urgent,
    )
    try:
        # The event and outbox rows are written together at the end (``deferred_inserts``),
        # then the audit rows join the chain in one step (or its queue, when the head is busy).
        # Inside the caller's transaction (an API call) no savepoint: nothing here raises
        # after the first write but a database failure, which fails the caller as well.
        with transaction.atomic(savepoint=False), audit_batch(), deferred_inserts():
            (registered,) = register_prepared([prepared], by=by)
    except IntegrityError:
        external_number = external_number.strip()
        if not external_number:
            raise
        # Outside a transaction: the same external number arrived twice at once.
        existing = Case.objects.filter(channel=channel, external_number=external_number).first()
        if existing is None:
            raise
        return Registered(case=existing, tracking_secret=None, created=False)
    return registered


def _require_first_contact_or_office(case: Case, by: User) -> None:
    """The first-contact officer or the efficiency office acts on a registered case; a case
    still in the intake pool is first taken by whoever may work the pool (cases/services/
    pool.py), who becomes its first-contact officer."""
    if in_pool(case):
        take_from_pool(case, by=by)
        return
    if is_efficiency_office(by):
        return
    if case.first_contact is not None and case.first_contact.user_id == getattr(by, "pk", None):
        return
    raise PermissionDenied(
        _("Only the first-contact officer or the efficiency office may do this.")
    )


def case_answer_directly(*, case: Case, by: User, reply: str) -> Case:
    """直办: the first-contact officer answers on the spot; the case goes to rating."""
    from xiaoneng.cases.services.closing import issue_reply

    reply = require_text(reply, _("Please write the answer."))
    with transaction.atomic():
        case = lock(case)
        if is_repeat(case, "answer_directly", by):
            return case
        _require_first_contact_or_office(case, by)
        require_state(case, "answer_directly")
        issue_reply(case=case, by=by, text=reply, action="answer_directly")
    return case


def _default_post(department: Department) -> Post | None:
    return department.posts.order_by("pk").first()


def dispatch_to(
    case: Case,
    *,
    lead: Department,
    assisting: Iterable[Department],
    post: Post | None,
    at: datetime,
    by: Actor,
) -> None:
    """Point the case at its lead department and start the sign-for and opinion clocks."""
    assisting = [dept for dept in assisting if dept.pk != lead.pk]
    if post is not None and post.department_id != lead.pk:
        raise DomainError(_("The post must belong to the lead department."))
    case.lead_department = lead
    case.unit_id = lead.unit_id
    case.post = post or _default_post(lead)
    case.handler = None
    case.state = State.DISPATCHED
    case.save()
    clocks.start(case=case, stage=clocks.SIGN_FOR, at=at, by=by)
    facts.announce(facts.DISPATCHED, case=case, department=lead)
    for department in assisting:
        assist, _created = CaseAssist.objects.get_or_create(case=case, department=department)
        if assist.opinion == CaseAssist.Opinion.PENDING:
            clocks.start(case=case, stage=clocks.ASSIST, at=at, by=by, owner=assist)
    notify_staff(
        case,
        department_people(case, lead),
        kind="case.dispatched",
        subject=gettext("A case to sign for"),
    )
    if case.urgent:
        # The lead department's post is alerted now, until someone acknowledges.
        facts.announce(facts.URGENT_REQUEST, case=case, key=f"dispatch:{lead.pk}:{at.isoformat()}")
    for department in assisting:
        notify_staff(
            case,
            [department.head],
            kind="case.assist",
            subject=gettext("Your opinion is asked as assisting department"),
        )


def case_dispatch(
    *,
    case: Case,
    by: User,
    lead: Department,
    assisting: Iterable[Department] = (),
    post: Post | None = None,
    note: str = "",
) -> Case:
    assisting = list(assisting)
    with transaction.atomic():
        case = lock(case)
        data = {"lead": lead.pk, "assisting": sorted(d.pk for d in assisting)}
        if is_repeat(case, "dispatch", by, data):
            return case
        _require_first_contact_or_office(case, by)
        require_state(case, "dispatch")
        from_state = case.state
        dispatch_to(case, lead=lead, assisting=assisting, post=post, at=now(), by=by)
        record(case, action="dispatch", user=by, from_state=from_state, note=note, data=data)
    return case


def _end(
    case: Case,
    *,
    action: str,
    state: State,
    by: Actor,
    reason: str,
    data: dict[str, Any] | None = None,
) -> None:
    from_state = case.state
    case.state = state
    case.final_reason = reason
    case.closed_at = now()
    case.save()
    clocks.stop_all(case=case, at=case.closed_at, by=by)
    withdraw_all_pending(case, by=by, at=case.closed_at)
    record(case, action=action, user=by, from_state=from_state, note=reason, data=data)


def case_withdraw(*, case: Case, by: Actor, reason: str) -> Case:
    """The requester withdraws (by their tracking link, ``by`` None) or the office records it."""
    reason = require_text(reason, _("Please give the reason for withdrawing."))
    with transaction.atomic():
        case = lock(case)
        if case.state == State.WITHDRAWN and is_repeat(case, "withdraw", by):
            return case
        if by is not None and not is_efficiency_office(by):
            raise PermissionDenied(_("Only the requester or the efficiency office may withdraw."))
        require_state(case, "withdraw")
        _end(case, action="withdraw", state=State.WITHDRAWN, by=by, reason=reason)
    return case


def _may_invalidate(case: Case, by: User) -> bool:
    """The efficiency office always; the first-contact side while the case is registered."""
    if is_efficiency_office(by):
        return True
    if in_pool(case):
        return may_work_pool(by, case)
    staff = staff_for(by)
    return case.state == State.REGISTERED and staff is not None and case.first_contact == staff


def case_invalidate(*, case: Case, by: User, reason: str) -> Case:
    reason = require_text(reason, _("Please give the reason why the case is invalid."))
    with transaction.atomic():
        case = lock(case)
        if case.state == State.INVALID and is_repeat(case, "invalidate", by):
            return case
        require_state(case, "invalidate")
        if case.kind == Kind.APPLICATION:
            raise DomainError(
                _("An application can only be refused through a denial filing (否定报备).")
            )
        if not _may_invalidate(case, by):
            raise PermissionDenied(
                _(
                    "Only the efficiency office, or the first-contact officer before the case "
                    "is dispatched, may mark a case invalid."
                )
            )
        if in_pool(case):
            take_from_pool(case, by=by)
        _end(case, action="invalidate", state=State.INVALID, by=by, reason=reason)
    return case


def case_merge(*, case: Case, by: User, into: Case, reason: str = "") -> Case:
    """Merge a duplicate into another open case; its clocks stop, its timeline stays."""
    with transaction.atomic():
        case = lock(case)
        into = lock(into)
        if case.state == State.MERGED and case.merged_into_id == into.pk:
            return case
        if not is_efficiency_office(by):
            raise PermissionDenied(_("Only the efficiency office may merge cases."))
        if into.pk == case.pk or not into.is_open:
            raise DomainError(_("A case can only be merged into another open case."))
        require_state(case, "merge")
        case.merged_into = into
        _end(
            case,
            action="merge",
            state=State.MERGED,
            by=by,
            reason=reason,
            data={"into": into.number},
        )
        record(into, action="merged_in", user=by, from_state=into.state, data={"from": case.number})
    return case
