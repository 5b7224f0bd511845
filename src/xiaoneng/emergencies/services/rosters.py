"""Duty rosters: filling a period, swaps asked by the person on duty and decided by the head,
and the warning about holiday shifts nobody covers. Each change with its audit row in the same
transaction; refusals as translated ``DomainError``s."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.emergencies.models_safety import DutyShift, DutySwap, RosterGapWarning, Shift
from xiaoneng.emergencies.selectors_rosters import (
    MAX_FILL_DAYS,
    efficiency_office,
    manages_roster,
    roster_managers,
)
from xiaoneng.errors import DomainError, PermissionDenied, lazy_format
from xiaoneng.notify.services import notify_people
from xiaoneng.org.models import Staff, Unit
from xiaoneng.org.selectors import require_staff
from xiaoneng.workdays.arithmetic import DayKind
from xiaoneng.workdays.calendar import get_calendar

FILL_ALL = "all"
FILL_DAYS_OFF = "off"


def _check_people(unit: Unit, people: Sequence[Staff]) -> None:
    for person in people:
        if person.unit_id != unit.pk or not person.user.is_active:
            raise DomainError(
                lazy_format(
                    _("%(name)s is not an active staff member of this unit."),
                    {"name": person.name},
                )
            )


def _fill_days(unit: Unit, start: date, end: date, days: str) -> list[date]:
    calendar = get_calendar(unit.pk)
    span = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if days == FILL_ALL:
        return span
    return [day for day in span if calendar.day_kind(day) in (DayKind.HOLIDAY, DayKind.WEEKEND)]


def roster_fill(
    *,
    by: Any,
    unit: Unit,
    start: date,
    end: date,
    day_people: Sequence[Staff] = (),
    night_people: Sequence[Staff] = (),
    days: str = FILL_ALL,
    at: datetime | None = None,
) -> int:
    """Put people on duty from ``start`` to ``end``: the day shifts go round ``day_people``
    and the night shifts round ``night_people``, in the order given, on every day or only on
    the days off (weekends and official holidays; a 调休 working day is a working day). A shift
    already entered is replaced. Returns how many shifts were written."""
    at = at or timezone.now()
    if not manages_roster(by, unit):
        raise PermissionDenied(_("Only the unit's head or the efficiency office enter its roster."))
    if end < start:
        raise DomainError(_("The end of the period is before its start."))
    if (end - start).days + 1 > MAX_FILL_DAYS:
        raise DomainError(
            lazy_format(_("Enter at most %(n)d days at a time."), {"n": MAX_FILL_DAYS})
        )
    if days not in (FILL_ALL, FILL_DAYS_OFF):
        raise DomainError(_("Choose which days to fill."))
    if not day_people and not night_people:
        raise DomainError(_("Choose who is on duty for the day or the night shifts."))
    _check_people(unit, [*day_people, *night_people])
    chosen = _fill_days(unit, start, end, days)
    written = 0
    with transaction.atomic():
        for shift, people in ((Shift.DAY, day_people), (Shift.NIGHT, night_people)):
            if not people:
                continue
            for index, day in enumerate(chosen):
                DutyShift.objects.update_or_create(
                    unit=unit,
                    day=day,
                    shift=shift,
                    defaults={
                        "staff": people[index % len(people)],
                        "entered_by": by,
                        "entered_at": at,
                    },
                )
                written += 1
        log_action(
            action="emergencies.roster.fill",
            obj=unit,
            actor=by,
            unit_id=unit.pk,
            summary={
                "from": start.isoformat(),
                "to": end.isoformat(),
                "days": days,
                "day": [p.pk for p in day_people],
                "night": [p.pk for p in night_people],
                "shifts": written,
            },
        )
    return written


def swap_request(
    *, by: Any, shift: DutyShift, to_staff: Staff, reason: str, at: datetime | None = None
) -> DutySwap:
    """The person on duty asks to hand the shift to a colleague of the same unit."""
    at = at or timezone.now()
    staff = require_staff(by)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = DutyShift.objects.select_for_update().select_related("unit").get(pk=shift.pk)
        if locked.staff_id != staff.pk:
            raise PermissionDenied(_("Only the person on duty can ask to swap this shift."))
        if to_staff.pk == staff.pk:
            raise DomainError(_("Choose a colleague to take the shift over."))
        _check_people(locked.unit, [to_staff])
        if timezone.localdate(at) > locked.day:
            raise DomainError(_("This shift is over."))
        if not reason:
            raise DomainError(_("Give the reason for the swap."))
        if DutySwap.objects.filter(shift=locked, state=DutySwap.State.REQUESTED).exists():
            raise DomainError(_("A swap of this shift is already waiting for a decision."))
        swap = DutySwap.objects.create(
            shift=locked, from_staff=staff, to_staff=to_staff, reason=reason[:300], requested_at=at
        )
        log_action(
            action="emergencies.roster.swap_request",
            obj=swap,
            actor=by,
            unit_id=locked.unit_id,
            summary={"shift": locked.pk, "to": to_staff.pk},
        )
        notify_people(
            roster_managers(locked.unit),
            kind="emergencies.roster.swap",
            subject=gettext("A duty swap awaits your decision"),
            body=gettext("%(from)s asks %(to)s to take the %(shift)s of %(day)s: %(reason)s")
            % {
                "from": staff.name,
                "to": to_staff.name,
                "shift": locked.get_shift_display(),
                "day": locked.day.isoformat(),
                "reason": reason,
            },
            obj=swap,
            unit_id=locked.unit_id,
        )
    return swap


def swap_decide(
    *, by: Any, swap: DutySwap, approve: bool, note: str = "", at: datetime | None = None
) -> DutySwap:
    """The head approves (the colleague is now on duty) or rejects a swap."""
    at = at or timezone.now()
    with transaction.atomic():
        shift = (
            DutyShift.objects.select_for_update()
            .select_related("unit")
            .get(pk=DutySwap.objects.values_list("shift_id", flat=True).get(pk=swap.pk))
        )
        swap = (
            DutySwap.objects.select_for_update().select_related("from_staff__user").get(pk=swap.pk)
        )
        if not manages_roster(by, shift.unit):
            raise PermissionDenied(_("Only the unit's head or the efficiency office decide swaps."))
        if swap.from_staff.user_id == getattr(by, "pk", None):
            raise PermissionDenied(_("You cannot decide your own swap."))
        if swap.state != DutySwap.State.REQUESTED:
            raise DomainError(_("This swap has already been decided."))
        if approve and shift.staff_id != swap.from_staff_id:
            raise DomainError(_("The shift has changed hands since the request."))
        swap.state = DutySwap.State.APPROVED if approve else DutySwap.State.REJECTED
        swap.decided_by, swap.decided_at, swap.note = by, at, (note or "").strip()[:300]
        swap.save(update_fields=["state", "decided_by", "decided_at", "note"])
        if approve:
            shift.staff_id = swap.to_staff_id
            shift.save(update_fields=["staff"])
        log_action(
            action="emergencies.roster.swap_decide",
            obj=swap,
            actor=by,
            unit_id=shift.unit_id,
            summary={"shift": shift.pk, "approved": approve, "on_duty": shift.staff_id},
        )
        notify_people(
            [swap.from_staff, swap.to_staff] if approve else [swap.from_staff],
            kind="emergencies.roster.swap",
            subject=gettext("Duty swap approved") if approve else gettext("Duty swap rejected"),
            body=f"{shift.day.isoformat()} {shift.get_shift_display()}",
            obj=swap,
            unit_id=shift.unit_id,
        )
    return swap


def roster_gaps_warn(*, unit: Unit, gaps: Sequence[tuple[date, str]], at: datetime) -> int:
    """Warn the efficiency office and the unit's head about holiday shifts nobody covers,
    once per shift: a shift already warned about (by this or another sweeper) is skipped.
    Returns how many shifts were warned about."""
    new: list[tuple[date, str]] = []
    try:
        with transaction.atomic():
            for day, shift in gaps:
                _row, created = RosterGapWarning.objects.get_or_create(
                    unit=unit, day=day, shift=shift, defaults={"warned_at": at}
                )
                if created:
                    new.append((day, shift))
            if not new:
                return 0
            # The body names no shift by its label: it is stored in the language of the moment
            # and read again in the reader's; the roster page lists the gaps in either.
            days = sorted(day for day, _shift in new)
            log_action(
                action="emergencies.roster.gap_warning",
                obj=unit,
                unit_id=unit.pk,
                summary={"gaps": [[day.isoformat(), shift] for day, shift in new]},
            )
            notify_people(
                [*efficiency_office(unit), *roster_managers(unit)],
                kind="emergencies.roster.gap",
                subject=gettext("Holiday duty roster has gaps: %(unit)s")
                % {"unit": unit.short_name or unit.name},
                body=gettext(
                    "Nobody is on duty for %(count)d holiday shifts between %(first)s and "
                    "%(last)s. Please complete the roster."
                )
                % {"count": len(new), "first": days[0].isoformat(), "last": days[-1].isoformat()},
                obj=unit,
                unit_id=unit.pk,
            )
    except IntegrityError:  # another sweeper warned at the same moment
        return 0
    return len(new)
