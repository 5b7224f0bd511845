"""Changing the calendar, and recomputing the open clocks a change touches.

Every change replaces the calendar token (so every process rebuilds its cached calendar),
then recomputes in bulk the open clocks whose period touches the changed days; closed clocks
keep the due date they ran under. Each moved due date gets its own audit row with the cause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.audit.services import log_action
from xiaoneng.errors import DomainError
from xiaoneng.workdays.calendar import calendar_touch, get_calendar
from xiaoneng.workdays.deadlines import clock_period, office_tz
from xiaoneng.workdays.models import CalendarOverride, CalendarYear, Clock
from xiaoneng.workdays.periods import Counting, end_of_day, start_of_day
from xiaoneng.workdays.selectors import Threshold
from xiaoneng.workdays.services.clocks import apply_period, clock_checks_save
from xiaoneng.workdays.sources import official_days, package_version

if TYPE_CHECKING:
    from xiaoneng.org.actors import Actor

Kind = CalendarOverride.Kind


def clocks_recalculate(
    *,
    first_day: date,
    last_day: date,
    cause: dict[str, Any],
    unit_id: int | None = None,
    by: Actor = None,
) -> int:
    """Recompute the open day-counted clocks whose period touches ``first_day…last_day``.

    ``unit_id`` limits the work to clocks on that unit's local calendar (a change to the
    national calendar concerns everyone). Returns the number of clocks whose due moment or
    provisional flag changed. Call inside the transaction of the calendar change.
    """
    tz = office_tz()
    clocks = (
        Clock.objects.select_for_update(of=("self",))
        .exclude(state=Clock.State.STOPPED)
        .exclude(counting=Counting.HOURS)
        # A change after the due day or before the start day cannot move the due day.
        .filter(started_at__lte=end_of_day(last_day, tz), due_at__gte=start_of_day(first_day, tz))
        .select_related("policy_version")
        .prefetch_related("pauses", "extensions")
        .order_by("id")
    )
    if unit_id is not None:
        clocks = clocks.filter(unit_id=unit_id)
    now = timezone.now()
    changed: list[Clock] = []
    for clock in clocks:
        calendar = get_calendar(clock.unit_id)
        old_due, old_provisional = clock.due_at, clock.provisional
        period = clock_period(clock, calendar)
        if period.due_at == old_due and period.provisional == old_provisional:
            continue
        # Only the old due moment is known (the calendar it came from is gone); a due moment
        # that the change pulled into the past asks the sweep for an immediate look.
        apply_period(clock, period, now=now, old=[Threshold("due", old_due)])
        clock.updated_at = now
        changed.append(clock)
        log_action(
            action="workdays.clock.recalculate",
            obj=clock,
            actor=by,
            summary={
                "stage": clock.stage,
                "owner": f"{clock.owner_type}:{clock.owner_id}",
                "previous_due_at": timezone.localtime(old_due, tz).isoformat(),
                "due_at": timezone.localtime(clock.due_at, tz).isoformat(),
                "previous_provisional": old_provisional,
                "provisional": clock.provisional,
                "cause": cause,
            },
        )
    Clock.objects.bulk_update(changed, ["due_at", "provisional", "updated_at"], batch_size=500)
    clock_checks_save(changed)
    return len(changed)


def _validate_kind(*, day: date, kind: str, unit_id: int | None) -> None:
    if kind not in Kind.values:
        raise DomainError(_("Unknown kind of calendar day."))
    if kind == Kind.MAKEUP_WORKDAY and unit_id is None and day.weekday() < 5:
        # Nationally, only a Saturday or Sunday can be worked in exchange for a holiday; a
        # weekday that is wrongly marked as a holiday is corrected by deleting that holiday.
        raise DomainError(_("A make-up working day must be a Saturday or a Sunday."))


def calendar_override_set(
    *,
    day: date,
    kind: str,
    name: str,
    unit_id: int | None = None,
    by: Actor = None,
    source: str = CalendarOverride.Source.MANUAL,
) -> CalendarOverride:
    """Mark ``day`` as a holiday or a make-up working day (nationally, or for one unit)."""
    _validate_kind(day=day, kind=kind, unit_id=unit_id)
    with transaction.atomic():
        override = (
            CalendarOverride.objects.select_for_update()
            .filter(day=day, unit_id=unit_id)  # type: ignore[misc]  # None: national
            .first()
        )
        previous = {"kind": override.kind, "name": override.name} if override else None
        if override is not None and override.kind == kind and override.name == name:
            return override
        if override is None:
            override = CalendarOverride(day=day, unit_id=unit_id)
        override.kind, override.name, override.source = kind, name, source
        override.save()
        calendar_touch()
        cause: dict[str, Any] = {
            "change": "override_set",
            "day": day.isoformat(),
            "kind": kind,
            "name": name,
        }
        if unit_id is not None:
            cause["unit_id"] = unit_id
        moved = clocks_recalculate(first_day=day, last_day=day, cause=cause, unit_id=unit_id, by=by)
        log_action(
            action="workdays.calendar.override_set",
            obj=override,
            actor=by,
            summary={
                "day": day.isoformat(),
                "kind": kind,
                "name": name,
                "previous": previous,
                "clocks_moved": moved,
            },
        )
    return override


def calendar_override_delete(*, override: CalendarOverride, by: Actor = None) -> None:
    """Remove an override: the day follows the weekend rule again."""
    with transaction.atomic():
        override = CalendarOverride.objects.select_for_update().get(pk=override.pk)
        day, unit_id = override.day, override.unit_id
        summary = {"day": day.isoformat(), "kind": override.kind, "name": override.name}
        # A detached copy, so the audit row still names the deleted row's id and unit.
        entry_obj = CalendarOverride(pk=override.pk, day=day, unit_id=unit_id)
        override.delete()
        calendar_touch()
        cause = {"change": "override_delete", **summary}
        moved = clocks_recalculate(first_day=day, last_day=day, cause=cause, unit_id=unit_id, by=by)
        log_action(
            action="workdays.calendar.override_delete",
            obj=entry_obj,
            actor=by,
            summary={**summary, "clocks_moved": moved},
        )


@dataclass
class LoadResult:
    source: str
    years: list[int] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0
    # Days entered by hand that differ from the package: the administrator's word stands.
    kept_manual: list[date] = field(default_factory=list)
    clocks_moved: int = 0


def calendar_load(*, years: Iterable[int] | None = None, by: Actor = None) -> LoadResult:
    """Load the official schedules from the chinesecalendar package (every year it carries).

    Idempotent: rows from the package are created, corrected or removed to match it; rows an
    administrator entered by hand are kept and reported when they disagree.
    """
    result = LoadResult(source=f"chinesecalendar {package_version()}")
    data = official_days()
    wanted = sorted(data if years is None else set(years) & set(data))
    if not wanted:
        return result
    with transaction.atomic():
        existing = {
            row.day: row
            for row in CalendarOverride.objects.select_for_update().filter(
                unit__isnull=True, day__year__in=wanted
            )
        }
        changed_days: list[date] = []
        to_create: list[CalendarOverride] = []
        to_update: list[CalendarOverride] = []
        seen: set[date] = set()
        for year in wanted:
            for entry in data[year]:
                seen.add(entry.day)
                kind = Kind.MAKEUP_WORKDAY if entry.is_workday else Kind.HOLIDAY
                row = existing.get(entry.day)
                if row is None:
                    to_create.append(
                        CalendarOverride(
                            day=entry.day,
                            kind=kind,
                            name=entry.name,
                            source=CalendarOverride.Source.CHINESECALENDAR,
                        )
                    )
                    changed_days.append(entry.day)
                elif row.kind == kind and row.name == entry.name:
                    continue
                elif row.source == CalendarOverride.Source.MANUAL:
                    if row.kind != kind:
                        result.kept_manual.append(entry.day)
                else:
                    row.kind, row.name = kind, entry.name
                    to_update.append(row)
                    changed_days.append(entry.day)
        stale = [
            row
            for day, row in existing.items()
            if day not in seen and row.source == CalendarOverride.Source.CHINESECALENDAR
        ]
        CalendarOverride.objects.bulk_create(to_create, batch_size=500)
        CalendarOverride.objects.bulk_update(to_update, ["kind", "name"], batch_size=500)
        CalendarOverride.objects.filter(pk__in=[row.pk for row in stale]).delete()
        changed_days += [row.day for row in stale]
        official_before = set(CalendarYear.objects.values_list("year", flat=True))
        new_years = [year for year in wanted if year not in official_before]
        CalendarYear.objects.filter(year__in=wanted).update(
            source=result.source, loaded_at=timezone.now()
        )
        CalendarYear.objects.bulk_create(
            CalendarYear(year=year, source=result.source) for year in new_years
        )
        result.years = wanted
        result.created, result.updated, result.deleted = len(to_create), len(to_update), len(stale)
        if changed_days or new_years:
            calendar_touch()
            bounds = changed_days + [date(year, 1, 1) for year in new_years]
            bounds += [date(year, 12, 31) for year in new_years]
            result.clocks_moved = clocks_recalculate(
                first_day=min(bounds),
                last_day=max(bounds),
                cause={"change": "load", "source": result.source, "years": new_years or wanted},
                by=by,
            )
        log_action(
            action="workdays.calendar.load",
            actor=by,
            summary={
                "source": result.source,
                "years": [min(wanted), max(wanted)],
                "new_years": new_years,
                "created": result.created,
                "updated": result.updated,
                "deleted": result.deleted,
                "kept_manual": [day.isoformat() for day in result.kept_manual],
                "clocks_moved": result.clocks_moved,
            },
        )
    return result


def calendar_year_set_official(*, year: int, official: bool, by: Actor = None) -> None:
    """Declare a year's schedule complete (entered by hand from the State Council notice) or not.

    An official year stops using the provisional fixed-date holidays; clocks are recomputed.
    """
    with transaction.atomic():
        exists = CalendarYear.objects.filter(year=year).exists()
        if exists == official:
            return
        if official:
            CalendarYear.objects.create(year=year, source=CalendarOverride.Source.MANUAL)
        else:
            CalendarYear.objects.filter(year=year).delete()
        calendar_touch()
        moved = clocks_recalculate(
            first_day=date(year, 1, 1),
            last_day=date(year, 12, 31),
            cause={"change": "year_official" if official else "year_provisional", "year": year},
            by=by,
        )
        log_action(
            action="workdays.calendar.year_set",
            actor=by,
            summary={"year": year, "official": official, "clocks_moved": moved},
        )
