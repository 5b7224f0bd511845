"""Questions about incidents: who may see them, who is alerted, the board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from xiaoneng.emergencies.models import Alert, Grade, Incident, ReportDeadline
from xiaoneng.emergencies.selectors_rosters import duty_officer_at
from xiaoneng.org.models import Department, Post, Staff, Unit, User
from xiaoneng.org.roles import ADMIN_ROLES, Role
from xiaoneng.org.selectors import absent_staff_ids, post_acting_holder, staff_for, user_roles

CAPACITY_LABELS = {
    "unit_head": _("Head of the reporting unit"),
    "unit_duty": _("Duty officer of the reporting unit"),
    "duty_officer": _("Duty officer of the bureau"),
    "post_a": _("A holder of the emergency post"),
    "post_b": _("B holder of the emergency post"),
    "department_head": _("Head of the safety department"),
    "leader": _("Bureau leader"),
}

SEVERE = frozenset({Grade.I, Grade.II})


def bureau_of(unit: Unit) -> Unit:
    if unit.kind != Unit.Kind.BUREAU and unit.parent is not None:
        return unit.parent
    return unit


def safety_department(bureau: Unit) -> Department | None:
    return (
        Department.objects.select_related("head__user")
        .filter(unit=bureau, code=settings.XIAONENG_EMERGENCY_DEPARTMENT, is_active=True)
        .first()
    )


def safety_post(department: Department | None) -> Post | None:
    if department is None:
        return None
    return (
        Post.objects.select_related("department__head__user", "a_holder__user", "b_holder__user")
        .filter(department=department)
        .order_by("id")
        .first()
    )


def leaders(bureau: Unit) -> list[Staff]:
    return list(
        Staff.objects.select_related("user")
        .filter(unit=bureau, user__groups__name=Role.LEADER, user__is_active=True)
        .order_by("id")
        .distinct()
    )


def unit_head(unit: Unit) -> Staff | None:
    """The head of the reporting unit: the head of its first department (the principal's
    office of a school, 办公室 of the bureau)."""
    department = (
        Department.objects.select_related("head__user")
        .filter(unit=unit, is_active=True, head__isnull=False)
        .order_by("sort_order", "id")
        .first()
    )
    return department.head if department else None


@dataclass(frozen=True)
class Step:
    staff: Staff
    capacity: str

    @property
    def capacity_label(self) -> str:
        return str(CAPACITY_LABELS.get(self.capacity, self.capacity))


def bureau_chain(*, incident: Incident, at: datetime) -> list[Step]:
    """The bureau's escalation chain, in order: the bureau's duty officer on the roster at
    ``at``, the emergency post's acting holder (A, or B while A is away), the other holder,
    the safety department's head, then the leaders. People away at ``at`` are skipped; nobody
    appears twice."""
    bureau = bureau_of(incident.unit)
    department = safety_department(bureau)
    post = safety_post(department)
    steps: list[tuple[Staff | None, str]] = [(duty_officer_at(unit=bureau, at=at), "duty_officer")]
    if post is not None:
        acting = post_acting_holder(post=post, at=at)
        if acting.staff is not None:
            capacity = {"a": "post_a", "b": "post_b"}.get(str(acting.capacity), "department_head")
            steps.append((acting.staff, capacity))
        steps += [(post.a_holder, "post_a"), (post.b_holder, "post_b")]
    if department is not None:
        steps.append((department.head, "department_head"))
    steps += [(leader, "leader") for leader in leaders(bureau)]
    candidates = [staff for staff, _capacity in steps if staff is not None]
    away = absent_staff_ids(staff_ids=[s.pk for s in candidates], at=at)
    chain: list[Step] = []
    seen: set[int] = set()
    for staff, capacity in steps:
        if staff is None or staff.pk in seen or staff.pk in away:
            continue
        seen.add(staff.pk)
        chain.append(Step(staff=staff, capacity=capacity))
    return chain


def first_alerts(*, incident: Incident, at: datetime) -> list[tuple[str, Step]]:
    """Who is alerted at once: the reporting unit's head and its duty officer on the roster,
    the first of the bureau's chain, and for grades I–II every bureau leader too."""
    alerts: list[tuple[str, Step]] = []
    head = unit_head(incident.unit)
    chain = bureau_chain(incident=incident, at=at)
    if head is not None and incident.unit.kind != Unit.Kind.BUREAU:
        alerts.append((Alert.Line.UNIT, Step(staff=head, capacity="unit_head")))
    on_duty = duty_officer_at(unit=incident.unit, at=at)
    if on_duty is not None and incident.unit.kind != Unit.Kind.BUREAU and on_duty != head:
        alerts.append((Alert.Line.UNIT, Step(staff=on_duty, capacity="unit_duty")))
    if chain:
        alerts.append((Alert.Line.BUREAU, chain[0]))
    if incident.grade in SEVERE:
        alerts += [(Alert.Line.LEADERS, step) for step in chain[1:] if step.capacity == "leader"]
    return alerts


# --- who sees what ---------------------------------------------------------------------------


def sees_all_incidents(user: User) -> bool:
    """The bureau's leaders and the safety department's staff see every incident."""
    roles = user_roles(user)
    if not roles or roles & ADMIN_ROLES:
        return False
    if Role.LEADER in roles:
        return True
    staff = staff_for(user)
    department = staff.department if staff is not None else None
    return bool(
        staff is not None
        and department is not None
        and staff.unit.kind == Unit.Kind.BUREAU
        and department.code == settings.XIAONENG_EMERGENCY_DEPARTMENT
    )


def incidents_for(user: User) -> QuerySet[Incident]:
    """Deny by default: the administrators see none, the bureau's safety department and
    leaders see all, everyone else their own unit's."""
    roles = user_roles(user)
    if not roles or roles & ADMIN_ROLES:
        return Incident.objects.none()
    if sees_all_incidents(user):
        return Incident.objects.all()
    staff = staff_for(user)
    if staff is None:
        return Incident.objects.none()
    return Incident.objects.filter(unit_id=staff.unit_id)


def incident_for_user(user: User, pk: int) -> Incident:
    """The incident if ``user`` may see it; 404 otherwise (its existence is not revealed)."""
    incident = (
        incidents_for(user).select_related("unit", "department", "reporter").filter(pk=pk).first()
    )
    if incident is None:
        raise Http404
    return incident


def alert_for_user(user: User, pk: int) -> Alert:
    """An alert addressed to ``user`` (only its recipient acknowledges it); 404 otherwise."""
    staff = staff_for(user)
    roles = user_roles(user)
    alert = (
        Alert.objects.select_related("incident", "case", "recipient__user").filter(pk=pk).first()
        if staff is not None and not roles & ADMIN_ROLES
        else None
    )
    if alert is None or staff is None or alert.recipient_id != staff.pk:
        raise Http404
    return alert


def board(user: User) -> list[Incident]:
    """Open incidents, most severe first, each with its open deadline and pending alerts
    prefetched (three queries whatever their number)."""
    return list(
        incidents_for(user)
        .exclude(state=Incident.State.CLOSED)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "deadlines",
                queryset=ReportDeadline.objects.filter(state=ReportDeadline.State.OPEN),
                to_attr="open_deadlines",
            ),
            Prefetch(
                "alerts",
                queryset=Alert.objects.filter(state=Alert.State.PENDING).select_related(
                    "recipient__user"
                ),
                to_attr="pending_alerts",
            ),
        )
        .order_by("grade", "discovered_at", "id")
    )


def pending_alerts_for(user: User) -> list[Alert]:
    staff = staff_for(user)
    if staff is None:
        return []
    return list(
        Alert.objects.filter(recipient=staff, state=Alert.State.PENDING, incident__isnull=False)
        .select_related("incident__unit")
        .order_by("sent_at", "id")
    )
