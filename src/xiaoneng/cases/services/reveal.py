"""Revealing a requester's personal data: a permission, a reason, and an audit row each time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Case
from xiaoneng.errors import DomainError, PermissionDenied

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

REVEAL_PERMISSION = "cases.reveal_requester"
REASON_MAX = 200


@dataclass(frozen=True)
class Requester:
    name: str
    phone: str
    email: str


def case_requester_reveal(*, by: User, case: Case, reason: str, via: str = "") -> Requester:
    """The requester's details in full, for a stated reason; refused without the permission and
    for an anonymous report (举报), whose reporter is never revealed. The caller has already
    checked that ``by`` may see the case."""
    if not by.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied(_("You may not reveal personal data."))
    if case.is_anonymous:
        raise PermissionDenied(_("An anonymous requester is never revealed."))
    reason = " ".join((reason or "").split())[:REASON_MAX]
    if not reason:
        raise DomainError(_("Please give the reason for revealing."))
    summary = {"number": case.number, "reason": reason}
    if via:
        summary["via"] = via
    with transaction.atomic():
        log_action(
            action="case.reveal_requester",
            obj=case,
            actor=by,
            unit_id=case.unit_id,
            summary=summary,
        )
    return Requester(
        name=case.requester_name, phone=case.requester_phone, email=case.requester_email
    )
