"""Registering a case (首问登记 or into a unit's intake pool), answering it directly,
dispatching it, and ending it early."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import audit_batch
from xiaoneng.cases import clocks, facts
from xiaoneng.cases.config_cache import staff_of
from xiaoneng.cases.identifiers import (
    case_number_assign,
    new_tracking_code,
    new_tracking_secret,
    provisional_number,
    secret_hash,
)
from xiaoneng.cases.models import Case, CaseAssist, Category, Channel, Kind
from xiaoneng.cases.notifications import (
    department_people,
    efficiency_office_staff,
    notify_requester,
    notify_staff,
)
from xiaoneng.cases.permissions import staff_for
from xiaoneng.cases.policies import policy_for
from xiaoneng.cases.pool import in_pool, may_work_pool, pool_acting_holder
from xiaoneng.cases.services.pending import withdraw_all_pending
from xiaoneng.cases.services.pool import take_from_pool
from xiaoneng.cases.services.steps import (
    is_efficiency_office,
    is_repeat,
    lock,
    now,
    record,
    require_state,
    require_text,
)
from xiaoneng.cases.services.urgency import UrgencyDecision, urgency_decide, urgent_mark
from xiaoneng.cases.states import State
from xiaoneng.deferred import deferred_inserts, insert_returning
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.org.models import Department, Post, Staff, Unit
from xiaoneng.privacy import redact
from xiaoneng.sealing import Secret

if TYPE_CHECKING:
    from datetime import datetime

    from xiaoneng.org.actors import Actor, User

MAX_CONTENT = 5000
TITLE_FROM_CONTENT = 30


@dataclass(frozen=True)
class Registered:
    case: Case
    # Shown once to the requester; only its hash is stored. None for a repeated request.
    tracking_secret: str | None
    created: bool
    # When the reply is due (known at registration; None for a repeated request).
    reply_due_at: datetime | None = None


def _validate_intake(
    *,
    kind: str,
    channel: str,
    content: str,
    requester_phone: str,
    requester_email: str,
    is_anonymous: bool,
) -> str:
    if kind not in Kind.values:
        raise DomainError(_("Unknown kind of request."))
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."))
    content = require_text(content, _("Please describe the matter."))
    if len(content) > MAX_CONTENT:
        raise DomainError(
            lazy_format(
                _("The description is too long (at most %(max)d characters)."),
                {"max": MAX_CONTENT},
            )
        )
    if is_anonymous and kind != Kind.REPORT:
        raise DomainError(_("Only a report (举报) can be made anonymously."))
    if (
        not is_anonymous
        and not (requester_phone or requester_email)
        and channel in {Channel.ONLINE, Channel.OPEN311}
    ):
        raise DomainError(_("Please leave a phone number or e-mail address so we can reply."))
    return content


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
    content = _validate_intake(
        kind=kind,
        channel=channel,
        content=content,
        requester_phone=requester_phone,
        requester_email=requester_email,
        is_anonymous=is_anonymous,
    )
    staff = staff_of(by) if by else None
    if by is not None and staff is None:
        raise PermissionDenied(_("Only staff members may register on someone's behalf."))
    pooled = staff is None if in_person is None else not in_person
    if pooled:
        owner = receiving_unit(unit or unit_concerned or (staff.unit if staff else None))
    else:
        owner = unit or (staff.unit if staff else None) or unit_concerned
    if owner is None:
        owner = Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()
    if owner is None:
        raise DomainError(_("No unit is set up to receive requests."))
    external_number = external_number.strip()
    urgency = urgency_decide(kind=kind, category=category, text=f"{title} {content}", urgent=urgent)
    at = registered_at or now()
    try:
        # The event and outbox rows are written together at the end (``deferred_inserts``),
        # then the audit rows join the chain in one step (or its queue, when the head is busy).
        # Inside the caller's transaction (an API call) no savepoint: nothing here raises
        # after the first write but a database failure, which fails the caller as well.
        with transaction.atomic(savepoint=False), audit_batch(), deferred_inserts():
            registered = _create_case(
                staff=None if pooled else staff,
                by=by,
                channel=channel,
                kind=kind,
                category=category,
                content=content,
                title=title,
                owner=owner,
                unit_concerned=unit_concerned,
                person_concerned=person_concerned,
                requester_name=requester_name,
                requester_phone=requester_phone,
                requester_email=requester_email,
                requester_id_number=requester_id_number,
                is_anonymous=is_anonymous,
                consent_publish=consent_publish,
                external_number=external_number,
                at=at,
                urgency=urgency,
            )
    except IntegrityError:
        if not external_number:
            raise
        # Outside a transaction: the same external number arrived twice at once.
        existing = _existing(channel, external_number)
        if existing is None:
            raise
        return Registered(case=existing, tracking_secret=None, created=False)
    return registered


def _existing(channel: str, external_number: str) -> Case | None:
    if not external_number:
        return None
    return Case.objects.filter(channel=channel, external_number=external_number).first()


def _title_from(content: str, fields: dict[str, Any]) -> str:
    """A title for a request that came without one (Open311, some hotline rows). Titles reach
    lists, notifications and exports, so the personal data in the words is redacted first,
    exactly as for published text, and only then cut."""
    personal = [
        fields.get(name) or ""
        for name in (
            "requester_name",
            "person_concerned",
            "requester_phone",
            "requester_email",
            "requester_id_number",
        )
    ]
    return redact(" ".join(content.split()), personal)[:TITLE_FROM_CONTENT]


def _create_case(
    *,
    staff: Staff | None,
    by: Actor,
    owner: Unit,
    at: Any,
    title: str,
    content: str,
    urgency: UrgencyDecision,
    **fields: Any,
) -> Registered:
    """Insert the case, its clocks, timeline event, messages and audit rows. The day's number
    comes last (``case_number_assign``): the counter row is locked from there to the commit,
    never across the rest of the registration, and nothing before it reads the number."""
    code, secret = new_tracking_code(), new_tracking_secret()
    local_day = timezone.localtime(at).date()
    case = Case(
        number=provisional_number(code),
        tracking_code=code,
        tracking_secret_hash=secret_hash(code, secret),
        title=(title.strip() or _title_from(content, fields))[:120],
        content=content,
        unit=owner,
        first_contact=staff,
        policy_version=policy_for(
            channel=fields["channel"], kind=fields["kind"], urgent=bool(urgency.value)
        ),
        registered_at=at,
        urgent=bool(urgency.value),
        urgency=urgency.value,
        **fields,
    )
    pooled = staff is None
    started = clocks.new_case_clocks(case=case, at=at, pooled=pooled)
    # One statement, no savepoint: a case with the same channel and external number (a repeat,
    # or the same request arriving twice at once) is not inserted, and the first one answers.
    # Everything that may refuse the registration ran above, before this first write.
    if not insert_returning(Case, [case], key="tracking_code", ignore_conflicts=True):
        existing = _existing(fields["channel"], fields["external_number"])
        if existing is None:
            raise IntegrityError("a new case collided with a unique value")
        return Registered(case=existing, tracking_secret=None, created=False)
    clocks.start_new_case(case=case, started=started, by=by)
    reply = started[0]
    pool_staff: Iterable[Staff | None] | None = None
    if pooled:
        # Not registered in person: it waits in the receiving unit's intake pool.
        acting = pool_acting_holder(owner, at=at)
        pool_staff = [acting.staff] if acting is not None else efficiency_office_staff()
    case_number_assign(case, local_day)
    data = {"channel": case.channel, "kind": case.kind, "pool": staff is None}
    record(case, action="register", user=by, data=data, at=at)
    facts.announce(facts.ARRIVED, case=case)
    with override("zh-hans"):
        template = gettext(
            "Your request %(number)s has been registered. Tracking code: %(code)s, "
            "secret: %(secret)s. The reply is promised by %(due)s."
        )
    # The secret goes to the gateway only; every stored copy shows it as ******. The promised
    # date is the reply clock's due moment, as the receipt and the tracking page show it.
    due = timezone.localtime(reply.due_at).strftime("%Y-%m-%d %H:%M")
    notify_requester(
        case,
        kind="case.registered",
        message=template,
        params={"number": case.number, "code": code, "secret": Secret(secret), "due": due},
    )
    if pool_staff is not None:
        notify_staff(
            case,
            pool_staff,
            kind="case.pooled",
            subject=gettext("A new request waits in the intake pool"),
        )
    if urgency.value:
        urgent_mark(case, by=by, urgency=urgency, at=at)
    return Registered(case=case, tracking_secret=secret, created=True, reply_due_at=reply.due_at)


def receiving_unit(unit: Unit | None) -> Unit | None:
    """The unit whose intake pool receives a request for ``unit``: the unit itself when it
    has named a first-contact post, else the nearest parent that has one, else the unit."""
    current = unit
    while current is not None:
        if current.first_contact_post_id is not None:
            return current
        current = current.parent
    return unit


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
