"""Reading internal matters: what a person may see, one matter, the lists and the counts the
assessment figures are made of (``assessment/internal.py`` turns them into rates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from xiaoneng.internal.models import (
    MATTER_OWNER,
    Decision,
    ExtensionRequest,
    Matter,
    MatterSignal,
    RerouteRequest,
)
from xiaoneng.internal.permissions import visible_q
from xiaoneng.workdays.models import Clock

if TYPE_CHECKING:
    from xiaoneng.org.actors import User

# The counts behind the figures, each the size of a list of matters (the drill-down).
COUNTED = (
    "requests_replied",
    "requests_on_time",
    "instructions_registered",
    "instructions_done",
    "reroute_attempts",
    "reroute_refused",
)


def matters_visible(user: User) -> QuerySet[Matter]:
    scope = visible_q(user)
    if scope is None:
        return Matter.objects.none()
    matters = Matter.objects.filter(scope)
    if scope:  # joins through assists and re-routes can repeat a row
        matters = Matter.objects.filter(pk__in=matters.values("pk"))
    return matters


def matter_for_user(user: User, pk: int) -> Matter:
    """The matter if the person may see it, else 404 (its existence is not confirmed)."""
    matter = (
        matters_visible(user)
        .select_related(
            "lead_department",
            "leader__user",
            "asking_unit",
            "asking_department",
            "asked_by__user",
            "registered_by__user",
            "signed_by__user",
            "policy_version__policy",
            "unit",
        )
        .filter(pk=pk)
        .first()
    )
    if matter is None:
        raise Http404
    return matter


def _reply_on_time() -> Exists:
    return Exists(
        Clock.objects.filter(
            owner_type=MATTER_OWNER,
            owner_id=OuterRef("pk"),
            stage=Clock.Stage.REPLY,
            state=Clock.State.STOPPED,
            stopped_at__lte=F("due_at"),
        )
    )


MATTER_COUNTS = COUNTED[:4]
REROUTE_COUNTS = COUNTED[4:]


def _matter_q(counted: str, start: datetime, end: datetime) -> Q:
    """The matters of a count (without the department), as one condition on Matter."""
    if counted.startswith("requests"):
        q = Q(kind=Matter.Kind.REQUEST, replied_at__gte=start, replied_at__lt=end)
        return q & Q(_reply_on_time()) if counted == "requests_on_time" else q
    if counted.startswith("instructions"):
        q = Q(kind=Matter.Kind.INSTRUCTION, registered_at__gte=start, registered_at__lt=end)
        return q & Q(state=Matter.State.DONE) if counted == "instructions_done" else q
    raise ValueError(f"unknown count {counted!r}")


def _reroute_q(counted: str, start: datetime, end: datetime) -> Q:
    q = Q(requested_at__gte=start, requested_at__lt=end)
    return q & Q(decision=Decision.REFUSED) if counted == "reroute_refused" else q


def matters_counted(
    counted: str, *, start: datetime, end: datetime, department_id: int | None = None
) -> QuerySet[Matter]:
    """Exactly the matters a count is made of: 请示 replied, 批办件 registered, or matters a
    department asked to re-route, in [start, end) and, with ``department_id``, of that
    department (the lead department; for re-routes, the department that asked)."""
    if counted in REROUTE_COUNTS:
        requests = RerouteRequest.objects.filter(_reroute_q(counted, start, end))
        if department_id:
            requests = requests.filter(department_id=department_id)
        return Matter.objects.filter(pk__in=requests.values("matter_id"))
    rows = Matter.objects.filter(_matter_q(counted, start, end))
    return rows.filter(lead_department_id=department_id) if department_id else rows


def internal_counts(
    *, start: datetime, end: datetime, department_id: int | None = None
) -> dict[str, int]:
    """Every count at once, in two queries (matters; re-route requests)."""
    matters = Matter.objects.all()
    requests = RerouteRequest.objects.all()
    if department_id:
        matters = matters.filter(lead_department_id=department_id)
        requests = requests.filter(department_id=department_id)
    counts: dict[str, int] = matters.aggregate(
        **{name: Count("pk", filter=_matter_q(name, start, end)) for name in MATTER_COUNTS}
    )
    counts.update(
        requests.aggregate(
            **{
                name: Count("matter_id", filter=_reroute_q(name, start, end), distinct=True)
                for name in REROUTE_COUNTS
            }
        )
    )
    return {name: counts.get(name) or 0 for name in COUNTED}


@dataclass(frozen=True)
class DepartmentCounts:
    id: int
    name: str
    counts: dict[str, int]


def internal_counts_by_department(*, start: datetime, end: datetime) -> list[DepartmentCounts]:
    """The counts of every department that has any, in two grouped queries."""
    rows: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    grouped: list[tuple[str, Any]] = [
        (
            "lead_department",
            Matter.objects.exclude(lead_department=None)
            .values("lead_department_id", "lead_department__name")
            .annotate(
                **{name: Count("pk", filter=_matter_q(name, start, end)) for name in MATTER_COUNTS}
            ),
        ),
        (
            "department",
            RerouteRequest.objects.values("department_id", "department__name").annotate(
                **{
                    name: Count("matter_id", filter=_reroute_q(name, start, end), distinct=True)
                    for name in REROUTE_COUNTS
                }
            ),
        ),
    ]
    for prefix, query in grouped:
        for row in query:
            counted = {k: v for k, v in row.items() if k in COUNTED and v}
            if not counted:
                continue
            pk = row[f"{prefix}_id"]
            rows.setdefault(pk, dict.fromkeys(COUNTED, 0)).update(counted)
            names[pk] = row[f"{prefix}__name"]
    return [
        DepartmentCounts(id=pk, name=names[pk], counts=counts)
        for pk, counts in sorted(rows.items(), key=lambda item: names[item[0]])
    ]


@dataclass(frozen=True)
class ListFilters:
    kind: str = ""
    state: str = ""
    department_id: int | None = None
    open_only: bool = False
    counted: str = ""
    start: datetime | None = None
    end: datetime | None = None


def matter_list(user: User, filters: ListFilters) -> QuerySet[Matter]:
    """The 内部事项 list: visible matters with the filters, newest first; a ``counted`` filter
    gives exactly the matters a figure counts (within what the person may see)."""
    matters = matters_visible(user)
    if filters.counted in COUNTED and filters.start and filters.end:
        matters = matters.filter(
            pk__in=matters_counted(
                filters.counted,
                start=filters.start,
                end=filters.end,
                department_id=filters.department_id,
            ).values("pk")
        )
    elif filters.department_id:
        matters = matters.filter(lead_department_id=filters.department_id)
    if filters.kind:
        matters = matters.filter(kind=filters.kind)
    if filters.state:
        matters = matters.filter(state=filters.state)
    if filters.open_only:
        matters = matters.exclude(state=Matter.State.DONE)
    return (
        matters.select_related("lead_department", "asking_unit", "asking_department")
        .annotate(
            yellow=Count(
                "signals", filter=Q(signals__level=MatterSignal.Level.YELLOW), distinct=True
            ),
            red=Count("signals", filter=Q(signals__level=MatterSignal.Level.RED), distinct=True),
        )
        .order_by("-registered_at", "-id")
    )


def pending_extensions(matter: Matter) -> QuerySet[ExtensionRequest]:
    return matter.extensions.filter(decision=Decision.PENDING)
