"""Who hears about a case, written to the outbox inside the transaction that changed it.

Staff get in-app messages; the requester gets an SMS and/or e-mail when they left contact
details. Messages carry the case number and never the requester's personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import is_administrator
from xiaoneng.notify.services import notification_enqueue, notifications_enqueue_for_users
from xiaoneng.org.models import Department, Staff, User
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import post_acting_holder


def _users(staff: Iterable[Staff | None]) -> list[User]:
    """The logins to tell; an administrator made a department head or post holder is skipped,
    since the message carries the case's title (三员分立)."""
    return [
        member.user for member in staff if member is not None and not is_administrator(member.user)
    ]


def notify_staff(case: Case, staff: Iterable[Staff | None], *, kind: str, subject: str) -> None:
    users = _users(staff)
    if not users:
        return
    notifications_enqueue_for_users(
        users=users,
        kind=kind,
        subject=subject,
        body=f"{case.number} {case.title}",
        obj=case,
        case_number=case.number,
        unit_id=case.unit_id,
    )


def department_people(case: Case, department: Department | None) -> list[Staff | None]:
    """The person acting for the case's post now, and the department head."""
    if department is None:
        return []
    people: list[Staff | None] = [department.head]
    if case.post is not None and case.post.department_id == department.pk:
        people.append(post_acting_holder(post=case.post, at=case.updated_at).staff)
    return people


def efficiency_office_staff() -> list[Staff]:
    return list(
        Staff.objects.filter(user__groups__name=Role.EFFICIENCY_OFFICE, user__is_active=True)
        .select_related("user")
        .distinct()
    )


def notify_requester(
    case: Case, *, kind: str, message: str, params: Mapping[str, Any] | None = None
) -> None:
    """Text for the requester in Chinese, the language of the public channels. With
    ``params``, ``message`` is a %-template whose ``Secret`` parameters are never stored."""
    if case.is_anonymous:
        return
    if case.requester_phone:
        notification_enqueue(
            channel="sms",
            kind=kind,
            subject=case.number,
            body=message,
            params=params,
            address=case.requester_phone,
            obj=case,
            unit_id=case.unit_id,
            case_number=case.number,
        )
    if case.requester_email:
        notification_enqueue(
            channel="email",
            kind=kind,
            subject=case.number,
            body=message,
            params=params,
            address=case.requester_email,
            obj=case,
            unit_id=case.unit_id,
            case_number=case.number,
        )
