"""Questions about emergency plans, drills and the bureau's drill requirements: who sees which,
the school terms, and which schools are behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from xiaoneng.emergencies.models_safety import Drill, DrillRequirement, EmergencyPlan
from xiaoneng.emergencies.selectors_rosters import visible_units
from xiaoneng.org.models import Unit, User


@dataclass(frozen=True)
class Window:
    """A term or school year: both ends included."""

    start: date
    end: date
    label: str


def term_of(day: date) -> Window:
    """The school term of ``day``: the autumn term from 1 September to 31 January, the spring
    term from 1 February to 31 August."""
    if day.month >= 9:
        return Window(date(day.year, 9, 1), date(day.year + 1, 1, 31), _autumn(day.year))
    if day.month == 1:
        return Window(date(day.year - 1, 9, 1), date(day.year, 1, 31), _autumn(day.year - 1))
    return Window(date(day.year, 2, 1), date(day.year, 8, 31), _spring(day.year))


def _autumn(year: int) -> str:
    return str(_("Autumn term %(a)d–%(b)d")) % {"a": year, "b": year + 1}


def _spring(year: int) -> str:
    return str(_("Spring term %(a)d–%(b)d")) % {"a": year - 1, "b": year}


def school_year_of(day: date) -> Window:
    first = day.year if day.month >= 9 else day.year - 1
    label = str(_("School year %(a)d–%(b)d")) % {"a": first, "b": first + 1}
    return Window(date(first, 9, 1), date(first + 1, 8, 31), label)


def window_for(requirement: DrillRequirement, day: date) -> Window:
    return term_of(day) if requirement.per == DrillRequirement.Per.TERM else school_year_of(day)


def plans_for(user: User) -> QuerySet[EmergencyPlan]:
    """Deny by default: the plans of the units the user may see (visible_units)."""
    return EmergencyPlan.objects.filter(unit__in=visible_units(user))


def drills_for(user: User) -> QuerySet[Drill]:
    return Drill.objects.filter(unit__in=visible_units(user))


def plan_for_user(user: User, pk: int) -> EmergencyPlan:
    plan = plans_for(user).select_related("unit").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def drill_list(
    user: User,
    *,
    unit_id: int | None = None,
    type: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Drill]:
    """The drills a user may see, filtered as the status page's links ask."""
    drills = drills_for(user).select_related("unit", "plan", "recorded_by__user")
    if unit_id:
        drills = drills.filter(unit_id=unit_id)
    if type:
        drills = drills.filter(type=type)
    if start:
        drills = drills.filter(held_on__gte=start)
    if end:
        drills = drills.filter(held_on__lte=end)
    return drills.order_by("-held_on", "-id")


def requirements() -> list[DrillRequirement]:
    return list(DrillRequirement.objects.order_by("type", "per"))


@dataclass(frozen=True)
class RequirementCell:
    requirement: DrillRequirement
    window: Window
    held: int

    @property
    def met(self) -> bool:
        return self.held >= self.requirement.minimum

    def filters(self) -> dict[str, Any]:
        return {
            "type": self.requirement.type,
            "from": self.window.start.isoformat(),
            "to": self.window.end.isoformat(),
        }


@dataclass(frozen=True)
class SchoolStatus:
    unit: Unit
    cells: list[RequirementCell]
    plans: int

    @property
    def behind(self) -> bool:
        return any(not cell.met for cell in self.cells)


def school_units(unit_ids: list[int] | None = None) -> QuerySet[Unit]:
    schools = Unit.objects.filter(is_active=True, kind=Unit.Kind.SCHOOL)
    if unit_ids is not None:
        schools = schools.filter(pk__in=unit_ids)
    return schools.order_by("sort_order", "id")


@dataclass(frozen=True)
class DrillOverview:
    """The schools against the requirements, and the drills of the term of ``today``."""

    requirements: list[DrillRequirement]
    schools: list[SchoolStatus]
    term: Window
    term_drills: int
    term_participants: int


def drill_overview(*, today: date, unit_ids: list[int] | None = None) -> DrillOverview:
    """Each school against every requirement: the drills of the type it held in the term or
    school year of ``today`` so far, how many plans it keeps, and the schools' drills of the
    term (three queries whatever the number of schools, drills and requirements)."""
    wanted = requirements()
    term = term_of(today)
    windows = {(r.type, r.per): window_for(r, today) for r in wanted}
    start = min([term.start, *(w.start for w in windows.values())])
    end = max([term.end, *(w.end for w in windows.values())])
    plan_count = (
        EmergencyPlan.objects.filter(unit=OuterRef("pk"))
        .values("unit")
        .annotate(n=Count("id"))
        .values("n")
    )
    schools = list(
        school_units(unit_ids).annotate(
            plan_count=Coalesce(Subquery(plan_count, output_field=IntegerField()), 0)
        )
    )
    rows = (
        Drill.objects.filter(unit__in=[s.pk for s in schools], held_on__gte=start, held_on__lte=end)
        .values("unit_id", "type", "held_on")
        .annotate(n=Count("id"), people=Sum("participants"))
    )
    held: dict[tuple[int, str], list[tuple[date, int]]] = {}
    term_drills = term_people = 0
    for row in rows:
        held.setdefault((row["unit_id"], row["type"]), []).append((row["held_on"], row["n"]))
        if term.start <= row["held_on"] <= term.end:
            term_drills += row["n"]
            term_people += row["people"] or 0
    status = []
    for school in schools:
        cells = []
        for requirement in wanted:
            window = windows[(requirement.type, requirement.per)]
            n = sum(
                count
                for day, count in held.get((school.pk, requirement.type), [])
                if window.start <= day <= window.end
            )
            cells.append(RequirementCell(requirement=requirement, window=window, held=n))
        status.append(SchoolStatus(unit=school, cells=cells, plans=school.plan_count))
    return DrillOverview(
        requirements=wanted,
        schools=status,
        term=term,
        term_drills=term_drills,
        term_participants=term_people,
    )


def drill_status(*, today: date, unit_ids: list[int] | None = None) -> list[SchoolStatus]:
    return drill_overview(today=today, unit_ids=unit_ids).schools


def school_drills(*, start: date, end: date, unit_ids: list[int] | None = None) -> QuerySet[Drill]:
    """The drills the schools held from ``start`` to ``end`` (both included)."""
    return Drill.objects.filter(
        unit__in=school_units(unit_ids), held_on__gte=start, held_on__lte=end
    )


def school_filter(status: list[SchoolStatus], which: str) -> list[SchoolStatus]:
    """The rows a status page link asks for: ``behind``, ``met`` or ``planned`` (else all)."""
    if which == "behind":
        return [row for row in status if row.behind]
    if which == "met":
        return [row for row in status if not row.behind]
    if which == "planned":
        return [row for row in status if row.plans]
    return status
