"""批办件 and 会议议定事项: registration and routing by 办公室, sign-for by the lead department
(which cannot refuse), re-route requests and their arbitration, completion."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability.descriptions import Described
from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import violation_record_automatic
from xiaoneng.errors import DomainError
from xiaoneng.internal import permissions as may
from xiaoneng.internal.models import Decision, Matter, MatterAssist, RerouteRequest
from xiaoneng.internal.services.common import (
    REPLY,
    SIGN_FOR,
    actor_staff,
    audit,
    department_people,
    event,
    locked,
    policy_for,
    refuse_unless,
    require_state,
    start_clock,
    stop_clock,
    tell,
    text,
)
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.web.uploads import check_upload

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

ROUTED_KINDS = (Matter.Kind.INSTRUCTION, Matter.Kind.MEETING)
MAX_LIMIT_WORKDAYS = 60


def _bureau() -> Unit:
    bureau = Unit.objects.filter(kind=Unit.Kind.BUREAU, parent=None).order_by("pk").first()
    if bureau is None:
        raise DomainError(_("No bureau is set up."))
    return bureau


def numbered(matter: Matter) -> None:
    """A readable number once the row has its id: NB2026-00012."""
    year = timezone.localtime(matter.registered_at).year
    matter.number = f"NB{year}-{matter.pk:05d}"
    matter.save(update_fields=["number"])


def _bureau_department(department: Department | None, bureau: Unit) -> Department:
    if department is None or department.unit_id != bureau.pk or not department.is_active:
        raise DomainError(_("Choose an active department of the bureau."))
    return department


def matter_register(
    *,
    by: User,
    kind: str,
    title: str,
    body: str = "",
    leader: Staff | None = None,
    instruction: str = "",
    instructed_on: date | None = None,
    meeting_ref: str = "",
    limit_workdays: int | None = None,
    attachment: UploadedFile | None = None,
    lead_department: Department | None = None,
    assisting: Iterable[Department] = (),
) -> Matter:
    """办公室 registers a 批办件 (with the leader's instruction) or a meeting decision (with the
    minutes' reference); routed at once when a lead department is given."""
    refuse_unless(may.may_route(by), _("Only the general office (办公室) registers matters."))
    if kind not in ROUTED_KINDS:
        raise DomainError(_("Register a leader's instruction or a meeting decision here."))
    title = text(title, _("Give the matter a title."))
    if kind == Matter.Kind.INSTRUCTION:
        instruction = text(instruction, _("Enter the leader's instruction."))
        if leader is None:
            raise DomainError(_("Name the leader who wrote the instruction."))
    if kind == Matter.Kind.MEETING:
        meeting_ref = text(meeting_ref, _("Enter the reference of the meeting minutes."))
    if limit_workdays is not None and not 1 <= limit_workdays <= MAX_LIMIT_WORKDAYS:
        raise DomainError(_("The time limit must be between 1 and 60 working days."))
    staff = actor_staff(by)
    now = timezone.now()
    with transaction.atomic():
        matter = Matter(
            number=f"tmp-{uuid.uuid4().hex[:16]}",
            kind=kind,
            state=Matter.State.REGISTERED,
            title=title,
            body=(body or "").strip(),
            unit=_bureau(),
            registered_by=staff,
            registered_at=now,
            leader=leader,
            instruction=(instruction or "").strip(),
            instructed_on=instructed_on,
            meeting_ref=(meeting_ref or "").strip(),
            limit_workdays=limit_workdays,
            policy_version=policy_for(kind),
        )
        if attachment is not None:
            matter.attachment_name, matter.attachment_type, _size = check_upload(attachment)
            matter.attachment = attachment
        matter.save()
        numbered(matter)
        event(matter, action="registered", staff=staff, at=now)
        audit(matter, action="register", by=by, kind=kind, title=title)
        if lead_department is not None:
            _route(matter, by=by, staff=staff, lead=lead_department, assisting=assisting)
    return matter


def _route(
    matter: Matter,
    *,
    by: User,
    staff: Staff,
    lead: Department,
    assisting: Iterable[Department],
    action: str = "routed",
    note: str = "",
) -> None:
    now = timezone.now()
    lead = _bureau_department(lead, matter.unit)
    helpers = [d for d in assisting if d.pk != lead.pk]
    for department in helpers:
        _bureau_department(department, matter.unit)
    matter.lead_department = lead
    matter.state = Matter.State.ROUTED
    matter.save(update_fields=["lead_department", "state"])
    MatterAssist.objects.filter(matter=matter).delete()
    MatterAssist.objects.bulk_create(MatterAssist(matter=matter, department=d) for d in helpers)
    stop_clock(matter, stage=SIGN_FOR, at=now, by=by)
    start_clock(matter, stage=SIGN_FOR, at=now, by=by)
    event(matter, action=action, staff=staff, at=now, department=lead, note=note)
    audit(
        matter,
        action="route",
        by=by,
        lead=lead.pk,
        assisting=[d.pk for d in helpers],
    )
    tell(
        department_people(lead),
        matter,
        kind="routed",
        subject=gettext("Internal matter routed to your department: sign for it"),
    )
    for department in helpers:
        tell(
            department_people(department),
            matter,
            kind="assist",
            subject=gettext("Internal matter: your department assists"),
        )


def matter_route(
    *, by: User, matter: Matter, lead_department: Department, assisting: Iterable[Department] = ()
) -> Matter:
    """办公室 routes a registered matter to its lead department (with assisting ones)."""
    refuse_unless(may.may_route(by), _("Only the general office (办公室) routes matters."))
    with transaction.atomic():
        matter = locked(matter)
        require_state(matter, Matter.State.REGISTERED)
        _route(matter, by=by, staff=actor_staff(by), lead=lead_department, assisting=assisting)
    return matter


def matter_sign(*, by: User, matter: Matter) -> Matter:
    """The lead department signs for the matter; its limit starts. Late is recorded."""
    with transaction.atomic():
        matter = locked(matter)
        refuse_unless(may.in_lead(by, matter), _("Only the lead department signs for it."))
        require_state(matter, Matter.State.ROUTED, Matter.State.REROUTE_REQUESTED)
        staff = actor_staff(by)
        now = timezone.now()
        clock = stop_clock(matter, stage=SIGN_FOR, at=now, by=by)
        late = clock is not None and now > clock.due_at
        pending = matter.reroutes.filter(decision=Decision.PENDING).first()
        if pending is not None:  # Signing withdraws the department's own request.
            pending.decision, pending.decided_at = Decision.WITHDRAWN, now
            pending.decided_by, pending.note = staff, gettext("Withdrawn: signed for.")
            pending.save()
        matter.state, matter.signed_at, matter.signed_by = Matter.State.IN_PROGRESS, now, staff
        matter.save(update_fields=["state", "signed_at", "signed_by"])
        if matter.kind != Matter.Kind.REQUEST:
            start_clock(matter, stage=REPLY, at=now, by=by)
        event(matter, action="signed_late" if late else "signed", staff=staff, at=now)
        audit(matter, action="sign", by=by, late=late)
        if late and clock is not None:
            violation_record_automatic(
                kind=Violation.Kind.LATE_SIGN_FOR,
                source_key=f"internal-sign:{clock.pk}",
                description=Described(
                    gettext_noop("Internal matter %(number)s signed for after the deadline."),
                    {"number": matter.number},
                ),
                department=matter.lead_department,
                staff=staff,
                unit_id=matter.unit_id,
            )
    return matter


def matter_reroute_request(
    *, by: User, matter: Matter, reason: str, suggested: Department | None = None
) -> RerouteRequest:
    """The lead department cannot refuse; it may ask 办公室 to re-route, with its reasons. The
    sign-for clock keeps running meanwhile."""
    reason = text(reason, _("Give the reasons for asking to re-route."))
    with transaction.atomic():
        matter = locked(matter)
        refuse_unless(may.in_lead(by, matter), _("Only the lead department may ask."))
        require_state(matter, Matter.State.ROUTED)
        staff = actor_staff(by)
        now = timezone.now()
        assert matter.lead_department is not None
        request = RerouteRequest.objects.create(
            matter=matter,
            department=matter.lead_department,
            requested_by=staff,
            requested_at=now,
            reason=reason,
            suggested_department=suggested,
        )
        matter.state = Matter.State.REROUTE_REQUESTED
        matter.reroute_count += 1
        matter.save(update_fields=["state", "reroute_count"])
        event(matter, action="reroute_requested", staff=staff, at=now, note=reason)
        audit(matter, action="reroute.request", by=by, request=request.pk)
        tell(
            [matter.registered_by, matter.leader],
            matter,
            kind="reroute",
            subject=gettext("A department asks to re-route an internal matter"),
        )
    return request


def matter_reroute_decide(
    *,
    by: User,
    matter: Matter,
    approve: bool,
    note: str = "",
    new_lead: Department | None = None,
    assisting: Iterable[Department] = (),
) -> RerouteRequest:
    """办公室 or the leader arbitrates. Approved: routed to ``new_lead``. Refused: back to the
    same department, and the attempt is recorded against it (推诿扯皮)."""
    refuse_unless(may.may_arbitrate(by), _("Only 办公室 or a leader decides re-routing."))
    if approve and new_lead is None:
        raise DomainError(_("Choose the department the matter goes to."))
    if not approve:
        note = text(note, _("Say why the request is refused."))
    with transaction.atomic():
        matter = locked(matter)
        require_state(matter, Matter.State.REROUTE_REQUESTED)
        request = RerouteRequest.objects.select_for_update().get(
            matter=matter, decision=Decision.PENDING
        )
        if approve and new_lead is not None and new_lead.pk == request.department_id:
            raise DomainError(_("Choose another department than the one that asked."))
        staff = actor_staff(by)
        now = timezone.now()
        request.decision = Decision.APPROVED if approve else Decision.REFUSED
        request.decided_by, request.decided_at, request.note = staff, now, (note or "").strip()
        request.save()
        audit(matter, action="reroute.decide", by=by, request=request.pk, approve=approve)
        if approve and new_lead is not None:
            _route(
                matter,
                by=by,
                staff=staff,
                lead=new_lead,
                assisting=assisting,
                action="rerouted",
                note=request.note,
            )
            return request
        matter.state = Matter.State.ROUTED
        matter.save(update_fields=["state"])
        event(
            matter,
            action="reroute_refused",
            staff=staff,
            at=now,
            note=request.note,
            department=request.department,
        )
        violation_record_automatic(
            kind=Violation.Kind.BUCK_PASSING,
            source_key=f"internal-reroute:{request.pk}",
            description=Described(
                gettext_noop(
                    "Re-route request refused: internal matter %(number)s was within the "
                    "department's remit."
                ),
                {"number": matter.number},
            ),
            department=request.department,
            staff=request.requested_by,
            unit_id=matter.unit_id,
        )
        tell(
            department_people(request.department),
            matter,
            kind="reroute_refused",
            subject=gettext("Re-route refused: sign for the internal matter"),
        )
    return request


def matter_complete(*, by: User, matter: Matter, result: str) -> Matter:
    """The lead department reports the matter done (办结); its limit stops."""
    result = text(result, _("Describe how the matter was carried out."))
    with transaction.atomic():
        matter = locked(matter)
        refuse_unless(may.in_lead(by, matter), _("Only the lead department completes it."))
        if matter.kind == Matter.Kind.REQUEST:
            raise DomainError(_("A request for instructions is answered by a signed-off reply."))
        require_state(matter, Matter.State.IN_PROGRESS)
        staff = actor_staff(by)
        now = timezone.now()
        clock = stop_clock(matter, stage=REPLY, at=now, by=by)
        matter.state, matter.result, matter.completed_at = Matter.State.DONE, result, now
        matter.save(update_fields=["state", "result", "completed_at"])
        late = clock is not None and now > clock.due_at
        event(
            matter,
            action="completed_late" if late else "completed",
            staff=staff,
            at=now,
            note=result,
        )
        audit(matter, action="complete", by=by, late=late)
        tell(
            [matter.registered_by, matter.leader],
            matter,
            kind="completed",
            subject=gettext("Internal matter completed"),
        )
    return matter
