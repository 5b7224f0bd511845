"""请示: a school or a department asks; the department in charge drafts the reply, its head
and, where needed, the leader in charge sign it off (审签); the reply goes back to the asking
unit, which confirms receipt."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.errors import DomainError
from xiaoneng.internal import permissions as may
from xiaoneng.internal.models import Matter, ReplyDraft, SignOff
from xiaoneng.internal.services.common import (
    REPLY,
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
from xiaoneng.internal.services.routing import _bureau, _bureau_department, numbered
from xiaoneng.org.models import Department, Staff, Unit
from xiaoneng.web.uploads import check_upload

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def matter_ask(
    *,
    by: User,
    title: str,
    body: str,
    department: Department | None,
    to_leaders: bool = False,
    leader: Staff | None = None,
    attachment: UploadedFile | None = None,
) -> Matter:
    """A 请示 to the department in charge (or, ``to_leaders``, to the bureau's leaders through
    办公室); its reply limit starts now."""
    refuse_unless(may.may_ask(by), _("Only staff of a school or department may send a request."))
    title = text(title, _("Give the request a title."))
    body = text(body, _("Say what you ask for."))
    staff = actor_staff(by)
    bureau = _bureau()
    if to_leaders:
        department = Department.objects.filter(unit=bureau, code=may.OFFICE_DEPARTMENT_CODE).first()
    department = _bureau_department(department, bureau)
    from_bureau = staff.unit.kind == Unit.Kind.BUREAU
    if from_bureau and staff.department_id == department.pk and not to_leaders:
        raise DomainError(_("A department does not send a request to itself."))
    now = timezone.now()
    with transaction.atomic():
        matter = Matter(
            number=f"tmp-{uuid.uuid4().hex[:16]}",
            kind=Matter.Kind.REQUEST,
            state=Matter.State.IN_PROGRESS,
            title=title,
            body=body,
            unit=bureau,
            asking_unit=staff.unit,
            asking_department=staff.department if from_bureau else None,
            asked_by=staff,
            registered_at=now,
            lead_department=department,
            leader=leader,
            needs_leader_signoff=to_leaders or leader is not None,
            policy_version=policy_for(Matter.Kind.REQUEST),
        )
        if attachment is not None:
            matter.attachment_name, matter.attachment_type, _size = check_upload(attachment)
            matter.attachment = attachment
        matter.save()
        numbered(matter)
        start_clock(matter, stage=REPLY, at=now, by=by)
        event(matter, action="asked", staff=staff, at=now, department=department)
        audit(matter, action="ask", by=by, department=department.pk, title=title)
        tell(
            department_people(department),
            matter,
            kind="asked",
            subject=gettext("A request for instructions awaits your department's reply"),
        )
    return matter


def matter_draft(*, by: User, matter: Matter, reply: str) -> ReplyDraft:
    """The department in charge drafts the reply; it goes to the head for sign-off."""
    reply = text(reply, _("Write the reply."))
    with transaction.atomic():
        matter = locked(matter)
        refuse_unless(may.in_lead(by, matter), _("Only the department in charge drafts."))
        if matter.kind != Matter.Kind.REQUEST:
            raise DomainError(_("Only a request for instructions has a drafted reply."))
        require_state(matter, Matter.State.IN_PROGRESS)
        staff = actor_staff(by)
        now = timezone.now()
        version = matter.drafts.count() + 1
        draft = ReplyDraft.objects.create(
            matter=matter, version=version, text=reply, drafted_by=staff, drafted_at=now
        )
        matter.state = Matter.State.HEAD_REVIEW
        matter.save(update_fields=["state"])
        event(matter, action="drafted", staff=staff, at=now)
        audit(matter, action="draft", by=by, version=version)
        assert matter.lead_department is not None
        tell(
            [matter.lead_department.head],
            matter,
            kind="draft",
            subject=gettext("A draft reply awaits your sign-off"),
        )
    return draft


def _returned(matter: Matter, *, staff: Staff, level: str, note: str) -> None:
    matter.state = Matter.State.IN_PROGRESS
    matter.save(update_fields=["state"])
    event(matter, action=f"{level}_returned", staff=staff, at=timezone.now(), note=note)


def _reply(matter: Matter, *, by: User, staff: Staff) -> None:
    now = timezone.now()
    clock = stop_clock(matter, stage=REPLY, at=now, by=by)
    late = clock is not None and now > clock.due_at
    matter.state, matter.replied_at = Matter.State.REPLIED, now
    matter.save(update_fields=["state", "replied_at"])
    event(matter, action="replied_late" if late else "replied", staff=staff, at=now)
    audit(matter, action="reply", by=by, late=late)
    tell(
        [matter.asked_by],
        matter,
        kind="replied",
        subject=gettext("Your request for instructions has been answered: confirm receipt"),
    )


def matter_signoff(
    *, by: User, matter: Matter, approve: bool, note: str = "", to_leader: bool = False
) -> SignOff:
    """审签 of the latest draft: the head, then (where needed) the leader in charge. Approved by
    the last of them, the reply goes back to the asker; returned, it is redrafted."""
    with transaction.atomic():
        matter = locked(matter)
        require_state(matter, Matter.State.HEAD_REVIEW, Matter.State.LEADER_REVIEW)
        at_head = matter.state == Matter.State.HEAD_REVIEW
        if at_head:
            refuse_unless(may.is_lead_head(by, matter), _("Only the department head signs off."))
        else:
            refuse_unless(may.is_leader_for(by, matter), _("Only the leader in charge signs off."))
        if not approve:
            note = text(note, _("Say what must change in the draft."))
        staff = actor_staff(by)
        draft = matter.drafts.order_by("-version").first()
        if draft is None:
            raise DomainError(_("There is no draft to sign off."))
        level = SignOff.Level.HEAD if at_head else SignOff.Level.LEADER
        outcome = SignOff.Outcome.APPROVED if approve else SignOff.Outcome.RETURNED
        signoff = SignOff.objects.create(
            draft=draft,
            level=level,
            outcome=outcome,
            staff=staff,
            at=timezone.now(),
            note=(note or "").strip(),
        )
        audit(matter, action="signoff", by=by, level=level, outcome=outcome)
        if not approve:
            _returned(matter, staff=staff, level=level, note=signoff.note)
            tell(
                [draft.drafted_by],
                matter,
                kind="draft_returned",
                subject=gettext("Your draft reply was returned"),
            )
            return signoff
        if at_head and to_leader:
            matter.needs_leader_signoff = True
            matter.save(update_fields=["needs_leader_signoff"])
        event(matter, action=f"{level}_signed", staff=staff, at=signoff.at, note=signoff.note)
        if at_head and matter.needs_leader_signoff:
            matter.state = Matter.State.LEADER_REVIEW
            matter.save(update_fields=["state"])
            tell(
                [matter.leader],
                matter,
                kind="leader_signoff",
                subject=gettext("A reply awaits the leader's sign-off"),
            )
            return signoff
        _reply(matter, by=by, staff=staff)
    return signoff


def matter_confirm(*, by: User, matter: Matter) -> Matter:
    """The asking unit confirms it received the reply; the matter is done."""
    with transaction.atomic():
        matter = locked(matter)
        refuse_unless(may.is_asker(by, matter), _("Only the asking unit confirms receipt."))
        require_state(matter, Matter.State.REPLIED)
        staff = actor_staff(by)
        now = timezone.now()
        matter.state, matter.confirmed_at = Matter.State.DONE, now
        matter.save(update_fields=["state", "confirmed_at"])
        event(matter, action="confirmed", staff=staff, at=now)
        audit(matter, action="confirm", by=by)
    return matter
