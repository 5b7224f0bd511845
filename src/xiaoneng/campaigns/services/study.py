"""Learning records (学习型机关): study sessions and who attended them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.campaigns.models import Attendance, StudySession
from xiaoneng.campaigns.permissions import may_manage_department
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Department, Staff

if TYPE_CHECKING:
    from xiaoneng.org.actors import User


def _require_manager(by: User, department_id: int) -> None:
    if not may_manage_department(by, department_id):
        raise PermissionDenied(
            _("Only the efficiency office or the department's head records its study sessions.")
        )


def study_session_create(
    *,
    by: User,
    date: date,
    topic: str,
    category: str,
    hours: Decimal | float | str,
    department: Department,
) -> StudySession:
    _require_manager(by, department.pk)
    topic = " ".join((topic or "").split())
    if not topic:
        raise DomainError(_("Give the topic of the session."))
    if category not in StudySession.Category.values:
        raise DomainError(_("Choose the category of the session."))
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except InvalidOperation as error:
        raise DomainError(_("Give the hours as a number.")) from error
    if not Decimal("0") < hours <= Decimal("24"):
        raise DomainError(_("A session lasts more than 0 and at most 24 hours."))
    if date > timezone.localdate():
        raise DomainError(_("Record a session once it has taken place."))
    with transaction.atomic():
        session = StudySession.objects.create(
            date=date,
            topic=topic,
            category=category,
            hours=hours,
            department=department,
            created_by=by,
            created_at=timezone.now(),
        )
        log_action(
            action="campaigns.study_session.create",
            obj=session,
            actor=by,
            unit_id=department.unit_id,
            summary={"topic": topic, "category": category, "hours": str(hours)},
        )
    return session


def attendance_record(
    *, by: User, session: StudySession, staff: Iterable[Staff]
) -> list[Attendance]:
    """Set who attended: the list replaces the previous one."""
    _require_manager(by, session.department_id)
    people = {member.pk: member for member in staff}
    with transaction.atomic():
        session = StudySession.objects.select_for_update().get(pk=session.pk)
        before = set(session.attendance.values_list("staff_id", flat=True))
        session.attendance.exclude(staff_id__in=people).delete()
        Attendance.objects.bulk_create(
            Attendance(session=session, staff=member, department_id=member.department_id)
            for pk, member in people.items()
            if pk not in before
        )
        log_action(
            action="campaigns.attendance.record",
            obj=session,
            actor=by,
            unit_id=session.unit_id,
            summary={
                "added": sorted(set(people) - before),
                "removed": sorted(before - set(people)),
            },
        )
    return list(session.attendance.select_related("staff__user"))
