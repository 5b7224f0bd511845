"""Questions about duty rosters: who is on duty now, who may see and enter a unit's roster,
the days of a roster page, and the holiday shifts nobody covers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from xiaoneng.emergencies.models_safety import (
    DAY_SHIFT_START,
    NIGHT_SHIFT_START,
    DutyShift,
    DutySwap,
    RosterGapWarning,
    Shift,
)
from xiaoneng.org.models import Department, Staff, Unit, User
from xiaoneng.org.roles import ADMIN_ROLES, Role
from xiaoneng.org.selectors import staff_for, user_roles
from xiaoneng.workdays.arithmetic import DayKind
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.sources import holiday_label

# A roster is entered at most this many days at a time.
MAX_FILL_DAYS = 92
# Holiday shifts without anyone on duty are warned about this many days ahead.
GAP_WARNING_DAYS = 7


def shift_of(at: datetime) -> tuple[date, str]:
    """The roster day and shift covering the moment ``at`` (local time): 03:00 belongs to the
    night shift of the day before."""
    local = timezone.localtime(at)
    moment = local.time()
    if moment < DAY_SHIFT_START:
        return local.date() - timedelta(days=1), Shift.NIGHT
    if moment < NIGHT_SHIFT_START:
        return local.date(), Shift.DAY
    return local.date(), Shift.NIGHT


def duty_shift_at(*, unit: Unit, at: datetime) -> DutyShift | None:
    day, shift = shift_of(at)
    return (
        DutyShift.objects.select_related("staff__user")
        .filter(unit=unit, day=day, shift=shift)
        .first()
    )


def duty_officer_at(*, unit: Unit, at: datetime) -> Staff | None:
    """Whoever is on duty for ``unit`` at ``at`` per its roster (None when nobody is)."""
    found = duty_shift_at(unit=unit, at=at)
    if found is None or not found.staff.user.is_active:
        return None
    return found.staff


# --- who sees and enters what ----------------------------------------------------------------


def sees_all_safety(user: User) -> bool:
    """The bureau's leaders, efficiency office and safety department see every unit's rosters,
    plans and drills."""
    roles = user_roles(user)
    if not roles or roles & ADMIN_ROLES:
        return False
    if roles & {Role.LEADER, Role.EFFICIENCY_OFFICE}:
        return True
    staff = staff_for(user)
    department = staff.department if staff is not None else None
    return bool(
        staff is not None
        and department is not None
        and staff.unit.kind == Unit.Kind.BUREAU
        and department.code == settings.XIAONENG_EMERGENCY_DEPARTMENT
    )


def visible_units(user: User) -> QuerySet[Unit]:
    """Deny by default: the administrators none, the bureau-wide readers every active unit,
    everyone else their own unit."""
    roles = user_roles(user)
    if not roles or roles & ADMIN_ROLES:
        return Unit.objects.none()
    if sees_all_safety(user):
        return Unit.objects.filter(is_active=True).order_by("sort_order", "id")
    staff = staff_for(user)
    if staff is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=staff.unit_id)


def unit_for_user(user: User, pk: int | None) -> Unit:
    """The unit asked for (default: the user's own) if the user may see it; 404 otherwise."""
    staff = staff_for(user)
    wanted = pk if pk is not None else (staff.unit_id if staff is not None else None)
    unit = visible_units(user).filter(pk=wanted).first() if wanted is not None else None
    if unit is None:
        raise Http404
    return unit


def manages_roster(user: User, unit: Unit) -> bool:
    """The efficiency office enters any unit's roster; the head of a unit's first department
    (a school's principal) its own unit's; at the bureau the safety department's head too."""
    roles = user_roles(user)
    if not roles or roles & ADMIN_ROLES:
        return False
    staff = staff_for(user)
    if staff is None:
        return False
    if Role.EFFICIENCY_OFFICE in roles and staff.unit.kind == Unit.Kind.BUREAU:
        return True
    if staff.unit_id != unit.pk:
        return False
    headed = Department.objects.filter(unit=unit, head=staff, is_active=True)
    first = (
        Department.objects.filter(unit=unit, is_active=True, head__isnull=False)
        .order_by("sort_order", "id")
        .values_list("pk", flat=True)
        .first()
    )
    return (first is not None and headed.filter(pk=first).exists()) or (
        unit.kind == Unit.Kind.BUREAU
        and headed.filter(code=settings.XIAONENG_EMERGENCY_DEPARTMENT).exists()
    )


def roster_managers(unit: Unit) -> list[Staff]:
    """Who is told about a unit's roster (gaps, swaps): its managing heads."""
    codes = [settings.XIAONENG_EMERGENCY_DEPARTMENT] if unit.kind == Unit.Kind.BUREAU else []
    departments = Department.objects.filter(unit=unit, is_active=True, head__isnull=False)
    first = departments.order_by("sort_order", "id").first()
    heads = [first.head] if first is not None and first.head is not None else []
    heads += [d.head for d in departments.filter(code__in=codes) if d.head is not None]
    return heads


def efficiency_office(unit: Unit) -> list[Staff]:
    bureau = unit if unit.kind == Unit.Kind.BUREAU or unit.parent is None else unit.parent
    return list(
        Staff.objects.select_related("user")
        .filter(unit=bureau, user__groups__name=Role.EFFICIENCY_OFFICE, user__is_active=True)
        .distinct()
        .order_by("id")
    )


def duty_candidates(unit: Unit) -> QuerySet[Staff]:
    """The staff who can be put on duty for a unit: its active staff with a login."""
    return (
        Staff.objects.select_related("user", "department")
        .filter(unit=unit, user__is_active=True)
        .exclude(user__groups__name__in=[str(role) for role in ADMIN_ROLES])
        .order_by("department__sort_order", "id")
    )


# --- the roster page -------------------------------------------------------------------------


@dataclass
class RosterDay:
    day: date
    kind: str
    name: str
    shifts: dict[str, DutyShift | None] = field(default_factory=dict)

    @property
    def day_shift(self) -> DutyShift | None:
        return self.shifts.get(Shift.DAY)

    @property
    def night_shift(self) -> DutyShift | None:
        return self.shifts.get(Shift.NIGHT)

    @property
    def is_off(self) -> bool:
        return self.kind in (DayKind.HOLIDAY, DayKind.WEEKEND)


def roster_days(*, unit: Unit, start: date, days: int) -> list[RosterDay]:
    """The roster of ``days`` days from ``start``: each day's kind per the official calendar
    (holiday, weekend, 调休 working day) and its shifts (one query)."""
    calendar = get_calendar(unit.pk)
    end = start + timedelta(days=days - 1)
    shifts = DutyShift.objects.select_related("staff__user").filter(
        unit=unit, day__gte=start, day__lte=end
    )
    by_day: dict[tuple[date, str], DutyShift] = {(s.day, s.shift): s for s in shifts}
    rows = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        kind = calendar.day_kind(day)
        rows.append(
            RosterDay(
                day=day,
                kind=str(kind),
                name=(
                    holiday_label(calendar.day_name(day))
                    if kind in (DayKind.HOLIDAY, DayKind.MAKEUP)
                    else ""
                ),
                shifts={shift: by_day.get((day, shift)) for shift in Shift.values},
            )
        )
    return rows


def swaps_to_decide(user: User, unit: Unit) -> list[DutySwap]:
    if not manages_roster(user, unit):
        return []
    return list(
        DutySwap.objects.select_related("shift", "from_staff__user", "to_staff__user")
        .filter(shift__unit=unit, state=DutySwap.State.REQUESTED)
        .order_by("requested_at", "id")
    )


def swaps_of(unit: Unit, *, limit: int = 20) -> list[DutySwap]:
    return list(
        DutySwap.objects.select_related("shift", "from_staff__user", "to_staff__user")
        .filter(shift__unit=unit)
        .order_by("-requested_at", "-id")[:limit]
    )


def shift_for_user(user: User, pk: int) -> DutyShift:
    """A shift of a unit the user may see; 404 otherwise."""
    shift = (
        DutyShift.objects.select_related("unit", "staff__user")
        .filter(pk=pk, unit__in=visible_units(user))
        .first()
    )
    if shift is None:
        raise Http404
    return shift


def swap_for_user(user: User, pk: int) -> DutySwap:
    swap = (
        DutySwap.objects.select_related("shift__unit", "from_staff__user", "to_staff__user")
        .filter(pk=pk, shift__unit__in=visible_units(user))
        .first()
    )
    if swap is None:
        raise Http404
    return swap


# --- holiday gaps ----------------------------------------------------------------------------


def roster_units() -> list[Unit]:
    """The units that keep a duty roster: the bureaus and the schools."""
    return list(
        Unit.objects.filter(is_active=True, kind__in=[Unit.Kind.BUREAU, Unit.Kind.SCHOOL]).order_by(
            "sort_order", "id"
        )
    )


def holiday_gaps(*, today: date, units: list[Unit]) -> dict[int, list[tuple[date, str]]]:
    """For each unit, the shifts of the official holidays from ``today`` through a week ahead
    that have nobody on duty and have not been warned about yet."""
    end = today + timedelta(days=GAP_WARNING_DAYS)
    wanted: dict[int, list[tuple[date, str]]] = {}
    for unit in units:
        calendar = get_calendar(unit.pk)
        days = [
            today + timedelta(days=n)
            for n in range(GAP_WARNING_DAYS + 1)
            if calendar.day_kind(today + timedelta(days=n)) == DayKind.HOLIDAY
        ]
        if days:
            wanted[unit.pk] = [(day, shift) for day in days for shift in Shift.values]
    if not wanted:
        return {}
    covered = set(
        DutyShift.objects.filter(unit_id__in=wanted, day__gte=today, day__lte=end).values_list(
            "unit_id", "day", "shift"
        )
    )
    covered |= set(
        RosterGapWarning.objects.filter(
            unit_id__in=wanted, day__gte=today, day__lte=end
        ).values_list("unit_id", "day", "shift")
    )
    gaps = {
        unit_id: [(day, shift) for day, shift in slots if (unit_id, day, shift) not in covered]
        for unit_id, slots in wanted.items()
    }
    return {unit_id: slots for unit_id, slots in gaps.items() if slots}
