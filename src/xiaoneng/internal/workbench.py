"""The internal-matter sections of a person's workbench: what waits for them, by role, the most
urgent first (red card, yellow card, pre-warning, then the soonest due: ``urgency_key``, the
order of the case groups), each with the time left on its clock ("剩余 3 个工作日", read from the
clock's due moment by ``workdays.remaining``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.deadlines import NO_DEADLINE, Deadline, deadline_level
from xiaoneng.internal import permissions as may
from xiaoneng.internal.models import MATTER_OWNER, Decision, ExtensionRequest, Matter
from xiaoneng.internal.selectors import matters_visible
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.web.workbench import Section, SectionItem, register_section, urgency_key
from xiaoneng.workdays.arithmetic import WorkCalendar
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.remaining import TimeLeft, time_left

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

SHOWN = 10
S = Matter.State


def _conditions(user: User) -> list[tuple[str, str, Q]]:
    roles = user_roles(user)
    staff = staff_for(user)
    found: list[tuple[str, str, Q]] = []
    if staff is None:
        return found
    if may.may_route(user):
        found.append(("internal-route", str(_("Internal matters to route")), Q(state=S.REGISTERED)))
    if may.may_arbitrate(user):
        found.append(
            (
                "internal-reroute",
                str(_("Re-route requests to decide")),
                Q(state=S.REROUTE_REQUESTED),
            )
        )
    if roles & may.WORKER_ROLES and staff.department_id and staff.unit.kind == Unit.Kind.BUREAU:
        lead = Q(lead_department_id=staff.department_id)
        found.append(
            ("internal-sign", str(_("Internal matters to sign for")), lead & Q(state=S.ROUTED))
        )
        found.append(
            ("internal-handle", str(_("Internal matters to handle")), lead & Q(state=S.IN_PROGRESS))
        )
        if Role.DEPT_HEAD in roles:
            found.append(
                ("internal-head", str(_("Replies to sign off")), lead & Q(state=S.HEAD_REVIEW))
            )
    if Role.LEADER in roles:
        mine = Q(leader__isnull=True) | Q(leader=staff)
        found.append(
            (
                "internal-leader",
                str(_("Replies for the leader's sign-off")),
                mine & Q(state=S.LEADER_REVIEW),
            )
        )
    if roles & may.WORKER_ROLES:
        asked = (
            Q(asking_department_id=staff.department_id)
            if staff.unit.kind == Unit.Kind.BUREAU
            else Q(asking_unit_id=staff.unit_id, asking_department__isnull=True)
        )
        found.append(("internal-confirm", str(_("Replies to confirm")), asked & Q(state=S.REPLIED)))
    return found


def _due_first(rows: QuerySet[Matter]) -> QuerySet[Matter]:
    """The matters by their running clock's due moment, soonest first (a paused or stopped
    clock, or none, last): red, yellow and pre-warning come with the earliest due moments, so
    the first rows are the most urgent ones; ``urgency_key`` then orders them exactly."""
    running = Clock.objects.filter(
        owner_type=MATTER_OWNER, owner_id=OuterRef("pk"), state=Clock.State.RUNNING
    ).order_by("due_at")
    return rows.annotate(running_due=Subquery(running.values("due_at")[:1])).order_by(
        F("running_due").asc(nulls_last=True), "registered_at", "id"
    )


def _deadlines(
    matters: list[Matter], now: datetime, calendars: list[WorkCalendar]
) -> dict[int, tuple[Deadline, TimeLeft | None]]:
    """Each matter's deadline (its most urgent unstopped clock) and the time left on it; the
    calendar is read once for the whole workbench (``calendars`` holds it), and only when a
    clock runs."""
    if not matters:
        return {}
    clocks = (
        Clock.objects.filter(owner_type=MATTER_OWNER, owner_id__in=[m.pk for m in matters])
        .exclude(state=Clock.State.STOPPED)
        .select_related("policy_version")
        .prefetch_related("pauses", "extensions")
    )
    found: dict[int, tuple[Deadline, TimeLeft | None]] = {}
    for clock in clocks:
        deadline = Deadline(level=deadline_level(clock, now), due_at=clock.due_at)
        held = found.get(clock.owner_id)
        if held is not None and urgency_key(held[0], 0) <= urgency_key(deadline, 0):
            continue
        left = None
        if clock.state == Clock.State.RUNNING and clock.due_at is not None:
            if not calendars:
                calendars.append(get_calendar(None))
            left = time_left(
                due_at=clock.due_at, counting=clock.counting, calendar=calendars[0], now=now
            )
        found[clock.owner_id] = (deadline, left)
    return found


def _section(
    code: str, label: str, rows: QuerySet[Matter], now: datetime, calendars: list[WorkCalendar]
) -> Section:
    matters = list(_due_first(rows.select_related("lead_department"))[:SHOWN])
    deadlines = _deadlines(matters, now, calendars)
    matters.sort(key=lambda m: urgency_key(deadlines.get(m.pk, (NO_DEADLINE,))[0], m.pk))
    items = []
    for m in matters:
        deadline, left = deadlines.get(m.pk, (NO_DEADLINE, None))
        items.append(
            SectionItem(
                url=reverse("internal:detail", args=[m.pk]),
                text=f"{m.number} {m.title}",
                meta=(
                    str(m.get_kind_display()),
                    m.lead_department.label if m.lead_department else "",
                ),
                css=deadline.css if m.pk in deadlines else "",
                level_label=deadline.label if m.pk in deadlines else "",
                level=deadline.level if m.pk in deadlines else "",
                remaining=left.text if left is not None else "",
                overdue=left is not None and left.overdue,
            )
        )
    return Section(
        code=code,
        label=label,
        count=rows.count(),
        items=items,
        more_url=reverse("internal:list") + "?open=on",
    )


def internal_sections(user: User) -> list[Section]:
    visible = matters_visible(user)
    now = timezone.now()
    calendars: list[WorkCalendar] = []
    sections = [
        _section(code, label, visible.filter(condition), now, calendars)
        for code, label, condition in _conditions(user)
    ]
    if may.may_decide_extension(user):
        waiting = ExtensionRequest.objects.filter(decision=Decision.PENDING)
        sections.append(
            _section(
                "internal-extension",
                str(_("Extension requests of internal matters")),
                visible.filter(pk__in=waiting.values("matter_id")),
                now,
                calendars,
            )
        )
    return [section for section in sections if section.count]


def register() -> None:
    register_section(internal_sections)
