"""The internal-matter sections of a person's workbench: what waits for them, by role, the most
urgent first (red card, yellow card, pre-warning, then the soonest due: ``urgency_key``, the
order of the case groups), each with the time left on its clock ("剩余 3 个工作日", read from the
clock's due moment by ``workdays.remaining``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
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
from xiaoneng.web.compiled import compiled_rows
from xiaoneng.web.workbench import Section, SectionItem, register_section, urgency_key
from xiaoneng.workdays.calendar import calendar_pinned, get_calendar
from xiaoneng.workdays.deadlines import clock_period
from xiaoneng.workdays.models import Clock, ClockExtension, ClockPause
from xiaoneng.workdays.periods import PauseSpan
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


def _ranked(
    user: User,
    conditions: list[tuple[str, str, Q]],
    extension: Q | None,
) -> tuple[list[Matter], dict[str, int]]:
    """The SHOWN most urgent matters of every section and the exact count of every section,
    in one query.

    Within a section the matters are ranked by their running clock's due moment, soonest
    first (a paused or stopped clock, or none, last): red, yellow and pre-warning come with
    the earliest due moments, so the first rows are the most urgent ones; ``urgency_key`` then
    orders them exactly. The sections of ``conditions`` are told apart by the matter's state
    (no matter is in two of them), so one ``ROW_NUMBER()`` partitioned by section ranks them
    all; the extension requests, which can concern a matter in any of them, are ranked by a
    second one. Each count rides along as a window ``COUNT(*) FILTER (…) OVER ()``. The
    statement is compiled once per connection and person (``web.compiled``).
    """
    counted = [(code, condition) for code, _label, condition in conditions]
    if extension is not None:
        counted.append((EXTENSION, extension))
    staff = staff_for(user)
    key = (
        "internal.workbench",
        user.pk,
        tuple(sorted(user_roles(user))),
        staff and (staff.pk, staff.unit_id, staff.unit.kind, staff.department_id),
        may.sees_all(user),
        tuple(code for code, _condition in counted),
    )
    rows = compiled_rows(key, lambda: _ranked_query(matters_visible(user), conditions, extension))
    counts = {
        code: (getattr(rows[0], f"wb_count_{number}") or 0) if rows else 0
        for number, (code, _condition) in enumerate(counted)
    }
    return rows, counts


def _ranked_query(
    visible: QuerySet[Matter],
    conditions: list[tuple[str, str, Q]],
    extension: Q | None,
) -> QuerySet[Matter]:
    running = Clock.objects.filter(
        owner_type=MATTER_OWNER, owner_id=OuterRef("pk"), state=Clock.State.RUNNING
    ).order_by("due_at")
    order: list[Any] = [F("running_due").asc(nulls_last=True), "registered_at", "id"]
    counted = [(code, condition) for code, _label, condition in conditions]
    whole = Q()
    for _code, condition in counted:
        whole |= condition
    ranked = visible.annotate(running_due=Subquery(running.values("due_at")[:1]))
    kept = Q()
    if counted:
        ranked = ranked.annotate(
            wb_section=SqlCase(
                *(When(condition, then=Value(code)) for code, condition in counted),
                default=Value(""),
            )
        ).annotate(wb_rank=Window(RowNumber(), partition_by=[F("wb_section")], order_by=order))
        kept |= Q(wb_rank__lte=SHOWN) & ~Q(wb_section="")
    if extension is not None:
        whole |= extension
        counted.append((EXTENSION, extension))
        ranked = ranked.annotate(
            wb_extension=SqlCase(When(extension, then=Value(True)), default=Value(False))
        ).annotate(
            wb_extension_rank=Window(RowNumber(), partition_by=[F("wb_extension")], order_by=order)
        )
        kept |= Q(wb_extension=True, wb_extension_rank__lte=SHOWN)
    ranked = (
        ranked.filter(whole)
        .annotate(
            **{
                f"wb_count_{number}": Window(Count("pk", filter=condition))
                for number, (_code, condition) in enumerate(counted)
            }
        )
        .filter(kept)
        .select_related("lead_department")
    )
    return ranked.order_by(*order)


def _deadlines(matters: list[Matter], now: datetime) -> dict[int, tuple[Deadline, TimeLeft | None]]:
    """Each matter's deadline (its most urgent unstopped clock) and the time left on it, for
    the matters shown only, in one query: their clocks with the units of their extensions
    summed and whether they were ever paused. The exact thresholds of a running clock need
    its past pauses: read in one more query, only when a shown running clock has any."""
    if not matters:
        return {}
    extended = (
        ClockExtension.objects.filter(clock_id=OuterRef("pk"))
        .order_by()
        .values("clock_id")
        .annotate(units=Sum("units"))
        .values("units")
    )
    clocks = list(
        Clock.objects.filter(owner_type=MATTER_OWNER, owner_id__in=[m.pk for m in matters])
        .exclude(state=Clock.State.STOPPED)
        .select_related("policy_version")
        .annotate(
            wb_extension_units=Coalesce(Subquery(extended[:1]), 0),
            wb_was_paused=Exists(ClockPause.objects.filter(clock_id=OuterRef("pk"))),
        )
    )
    running = [clock for clock in clocks if clock.state == Clock.State.RUNNING]
    spans: dict[int, list[PauseSpan]] = {clock.pk: [] for clock in running}
    was_paused = [clock.pk for clock in running if clock.wb_was_paused]
    if was_paused:
        for clock_id, start, end, restart in ClockPause.objects.filter(
            clock_id__in=was_paused
        ).values_list("clock_id", "paused_at", "resumed_at", "restart"):
            spans[clock_id].append(PauseSpan(start=start, end=end, restart=restart))
    found: dict[int, tuple[Deadline, TimeLeft | None]] = {}
    for clock in clocks:
        period = None
        if clock.pk in spans:
            period = clock_period(
                clock,
                get_calendar(clock.unit_id),
                pauses=spans[clock.pk],
                extension_units=clock.wb_extension_units,
            )
        deadline = Deadline(level=deadline_level(clock, now, period=period), due_at=clock.due_at)
        held = found.get(clock.owner_id)
        if held is not None and urgency_key(held[0], 0) <= urgency_key(deadline, 0):
            continue
        left = None
        if clock.state == Clock.State.RUNNING and clock.due_at is not None:
            left = time_left(
                due_at=clock.due_at, counting=clock.counting, calendar=get_calendar(None), now=now
            )
        found[clock.owner_id] = (deadline, left)
    return found


def _items(
    matters: list[Matter], deadlines: dict[int, tuple[Deadline, TimeLeft | None]]
) -> list[SectionItem]:
    kinds = dict(Matter.Kind.choices)
    matters = sorted(
        matters, key=lambda m: urgency_key(deadlines.get(m.pk, (NO_DEADLINE,))[0], m.pk)
    )
    items = []
    for m in matters:
        deadline, left = deadlines.get(m.pk, (NO_DEADLINE, None))
        shown = m.pk in deadlines
        items.append(
            SectionItem(
                url=reverse("internal:detail", args=[m.pk]),
                text=f"{m.number} {m.title}",
                meta=(
                    str(kinds.get(m.kind, m.kind)),
                    m.lead_department.label if m.lead_department else "",
                ),
                css=deadline.css if shown else "",
                level_label=deadline.label if shown else "",
                level=deadline.level if shown else "",
                remaining=left.text if left is not None else "",
                overdue=left is not None and left.overdue,
            )
        )
    return items


EXTENSION = "internal-extension"


def _kept_for(matter: Matter, code: str) -> bool:
    """Whether the ranked query kept ``matter`` for the section ``code`` (its annotations)."""
    ranked = vars(matter)
    if code == EXTENSION:
        return bool(ranked.get("wb_extension")) and ranked["wb_extension_rank"] <= SHOWN
    return ranked.get("wb_section") == code and ranked["wb_rank"] <= SHOWN


def internal_sections(user: User) -> list[Section]:
    """The person's sections, each with its exact count and its SHOWN most urgent matters:
    two queries whatever the sections (the ranked rows with the counts, the clocks of the rows
    shown; a third when a shown clock was paused and resumed), none when the person has no
    section."""
    conditions = _conditions(user)
    extension = None
    if may.may_decide_extension(user):
        waiting = ExtensionRequest.objects.filter(decision=Decision.PENDING)
        extension = Q(pk__in=waiting.values("matter_id"))
    if not conditions and extension is None:
        return []
    # The calendar's token read once (none when the page has already pinned it).
    with calendar_pinned():
        rows, counts = _ranked(user, conditions, extension)
        deadlines = _deadlines(rows, timezone.now())
    labelled = [(code, label) for code, label, _condition in conditions]
    if extension is not None:
        labelled.append((EXTENSION, str(_("Extension requests of internal matters"))))
    more_url = reverse("internal:list") + "?open=on"
    sections = []
    for code, label in labelled:
        if not counts[code]:
            continue
        mine = [m for m in rows if _kept_for(m, code)]
        sections.append(
            Section(
                code=code,
                label=label,
                count=counts[code],
                items=_items(mine, deadlines),
                more_url=more_url,
            )
        )
    return sections


def register() -> None:
    register_section(internal_sections)
