"""The internal-matter sections of a person's workbench: what waits for them, by role."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.cases.deadlines import LEVEL_LABELS, deadline_level
from xiaoneng.internal import permissions as may
from xiaoneng.internal.models import MATTER_OWNER, Decision, ExtensionRequest, Matter
from xiaoneng.internal.selectors import matters_visible
from xiaoneng.org.models import Unit
from xiaoneng.org.roles import Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.web.workbench import Section, SectionItem, register_section
from xiaoneng.workdays.models import Clock

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


def _levels(matters: list[Matter], now: datetime) -> dict[int, str]:
    clocks = (
        Clock.objects.filter(owner_type=MATTER_OWNER, owner_id__in=[m.pk for m in matters])
        .exclude(state=Clock.State.STOPPED)
        .select_related("policy_version")
        .prefetch_related("pauses", "extensions")
    )
    return {clock.owner_id: deadline_level(clock, now) for clock in clocks}


def _section(code: str, label: str, rows: QuerySet[Matter], now: datetime) -> Section:
    matters = list(rows.select_related("lead_department").order_by("registered_at", "id")[:SHOWN])
    levels = _levels(matters, now)
    items = [
        SectionItem(
            url=reverse("internal:detail", args=[m.pk]),
            text=f"{m.number} {m.title}",
            meta=(str(m.get_kind_display()), m.lead_department.label if m.lead_department else ""),
            css=f"dl-{levels[m.pk]}" if m.pk in levels else "",
            level_label=str(LEVEL_LABELS.get(levels.get(m.pk, ""), "")),
        )
        for m in matters
    ]
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
    sections = [
        _section(code, label, visible.filter(condition), now)
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
            )
        )
    return [section for section in sections if section.count]


def register() -> None:
    register_section(internal_sections)
