"""Extensions of a matter's limit and supervision orders on it: through the workdays clock
services and supervision's own order service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import DomainError
from xiaoneng.internal import permissions as may
from xiaoneng.internal.models import Decision, ExtensionRequest, Matter
from xiaoneng.internal.services.common import (
    REPLY,
    actor_staff,
    audit,
    event,
    locked,
    open_clock,
    refuse_unless,
    tell,
    text,
)
from xiaoneng.supervision.models import Order
from xiaoneng.supervision.services import supervision_order_create
from xiaoneng.workdays.services.clocks import clock_extend

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

OPEN_STATES = (
    Matter.State.IN_PROGRESS,
    Matter.State.HEAD_REVIEW,
    Matter.State.LEADER_REVIEW,
)


def matter_extension_request(
    *, by: User, matter: Matter, units: int, reason: str
) -> ExtensionRequest:
    """The lead department asks for more working days, with its reasons."""
    reason = text(reason, _("Give the reason for the extension."))
    if units < 1:
        raise DomainError(_("An extension must add at least one working day."))
    with transaction.atomic():
        matter = locked(matter)
        refuse_unless(may.in_lead(by, matter), _("Only the lead department asks."))
        if matter.state not in OPEN_STATES or open_clock(matter, REPLY) is None:
            raise DomainError(_("Only a matter being handled can be extended."))
        if matter.extensions.filter(decision=Decision.PENDING).exists():
            raise DomainError(_("An extension request is already waiting for a decision."))
        staff = actor_staff(by)
        now = timezone.now()
        request = ExtensionRequest.objects.create(
            matter=matter, units=units, reason=reason, requested_by=staff, requested_at=now
        )
        event(matter, action="extension_requested", staff=staff, at=now, note=reason)
        audit(matter, action="extension.request", by=by, units=units)
        tell(
            [matter.leader],
            matter,
            kind="extension",
            subject=gettext("An extension of an internal matter awaits your decision"),
        )
    return request


def matter_extension_decide(
    *, by: User, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    """A leader or the efficiency office decides; granted, the reply clock is extended within
    the policy's maximum (``clock_extend``)."""
    refuse_unless(
        may.may_decide_extension(by), _("Only a leader or the efficiency office decides.")
    )
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.decision != Decision.PENDING:
            raise DomainError(_("This request has been decided."))
        matter = locked(request.matter)
        staff = actor_staff(by)
        now = timezone.now()
        if approve:
            clock = open_clock(matter, REPLY)
            if clock is None:
                raise DomainError(_("The matter has no running time limit."))
            clock_extend(
                clock=clock, units=request.units, reason=request.reason, approver=by, by=by
            )
        request.decision = Decision.APPROVED if approve else Decision.REFUSED
        request.decided_by, request.decided_at, request.note = staff, now, (note or "").strip()
        request.save()
        event(
            matter,
            action="extension_granted" if approve else "extension_refused",
            staff=staff,
            at=now,
            note=request.note,
        )
        audit(matter, action="extension.decide", by=by, approve=approve, units=request.units)
        tell(
            [request.requested_by],
            matter,
            kind="extension_decided",
            subject=gettext("Your extension request was decided"),
        )
    return request


def matter_source(matter: Matter) -> str:
    return f"internal-matter:{matter.pk}"


def matter_supervise(
    *, by: User, matter: Matter, requirement: str, due_working_days: int = 3
) -> Order:
    """The efficiency office puts the matter under a supervision order (督办单) on its lead
    department; a second call returns the open order."""
    refuse_unless(may.may_supervise(by), _("Only the efficiency office issues supervision orders."))
    if matter.lead_department is None:
        raise DomainError(_("Route the matter to a department before supervising it."))
    if matter.state == Matter.State.DONE:
        raise DomainError(_("The matter is done."))
    source = matter_source(matter)
    existing = Order.objects.filter(source=source).exclude(state=Order.State.ACCEPTED).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        order = supervision_order_create(
            by=by,
            title=gettext("Internal matter %(number)s: %(title)s")
            % {"number": matter.number, "title": matter.title},
            description=text(requirement, _("Say what the department must do.")),
            kind=Order.Kind.INSTRUCTION if matter.kind != Matter.Kind.REQUEST else Order.Kind.OTHER,
            unit=matter.unit,
            department=matter.lead_department,
            due_working_days=due_working_days,
            source=source,
        )
        event(
            matter, action="supervised", staff=actor_staff(by), at=timezone.now(), note=order.number
        )
        audit(matter, action="supervise", by=by, order=order.number)
    return order
