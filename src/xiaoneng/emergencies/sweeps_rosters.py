"""The periodic job ``emergencies.roster_gaps``: official holidays of the coming week with a
shift nobody is on duty for are warned about once per shift (not once per run)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from xiaoneng.emergencies.selectors_rosters import holiday_gaps, roster_units
from xiaoneng.emergencies.services.rosters import roster_gaps_warn


def roster_gaps_sweep(*, now: datetime | None = None) -> int:
    """Warn about the uncovered holiday shifts of the next week; returns how many."""
    now = now or timezone.now()
    units = {unit.pk: unit for unit in roster_units()}
    gaps = holiday_gaps(today=timezone.localdate(now), units=list(units.values()))
    return sum(
        roster_gaps_warn(unit=units[unit_id], gaps=slots, at=now) for unit_id, slots in gaps.items()
    )
