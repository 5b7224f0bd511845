"""The internal-matter sweep: a pre-warning, a yellow and a red card per clock, at the same
points as a case's (``clock_thresholds``), each raised once; the yellow card on the sign-for
clock and every red card become automatic violations through accountability's service.

Reads only the matter clocks whose ``next_check_at`` has come (an index range) and locks them
with ``skip_locked`` so several sweepers share the work; a card is unique in the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from xiaoneng.accountability.descriptions import Described
from xiaoneng.accountability.models import Violation
from xiaoneng.accountability.services import violation_record_automatic
from xiaoneng.cases.notifications import efficiency_office_staff
from xiaoneng.internal.models import MATTER_OWNER, Matter, MatterSignal
from xiaoneng.internal.services.common import SIGN_FOR, audit, department_people, event, tell
from xiaoneng.workdays.models import Clock
from xiaoneng.workdays.selectors import clock_thresholds
from xiaoneng.workdays.services.clocks import clock_schedule_next

LEVELS = {
    "prewarn": MatterSignal.Level.PREWARN,
    "due": MatterSignal.Level.YELLOW,
    "red": MatterSignal.Level.RED,
}


@dataclass
class InternalSweepResult:
    checked: int = 0
    raised: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{name}={count}" for name, count in sorted(self.raised.items())]
        return " ".join([f"checked={self.checked}", *parts])


def internal_sweep(*, now: datetime | None = None, batch: int = 200) -> InternalSweepResult:
    now = now or timezone.now()
    result = InternalSweepResult()
    while True:
        with transaction.atomic():
            due = list(
                Clock.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    next_check__next_check_at__lte=now,
                    next_check__owner_type=MATTER_OWNER,
                    state=Clock.State.RUNNING,
                )
                .select_related("policy_version")
                .prefetch_related("pauses", "extensions")
                .order_by("next_check__next_check_at", "id")[:batch]
            )
            matters = Matter.objects.select_related(
                "lead_department__head__user", "leader__user", "registered_by__user"
            ).in_bulk({clock.owner_id for clock in due})
            for clock in due:
                matter = matters.get(clock.owner_id)
                if matter is not None:
                    _check(clock, matter, now=now, result=result)
                clock_schedule_next(clock=clock, now=now)
        result.checked += len(due)
        if len(due) < batch:
            return result


def _check(clock: Clock, matter: Matter, *, now: datetime, result: InternalSweepResult) -> None:
    for point in clock_thresholds(clock):
        level = LEVELS.get(point.kind)
        if level is not None and now >= point.at and _raise_once(matter, clock, level, now=now):
            result.raised[level] += 1


def _raise_once(matter: Matter, clock: Clock, level: str, *, now: datetime) -> bool:
    if MatterSignal.objects.filter(clock=clock, level=level).exists():
        return False
    try:
        with transaction.atomic():
            signal = MatterSignal.objects.create(
                matter=matter, clock=clock, level=level, raised_at=now
            )
    except IntegrityError:
        return False  # Raised a moment ago by another sweeper.
    event(matter, action=f"card_{level}", staff=None, at=now, note=clock.stage)
    audit(matter, action=f"card.{level}", by=None, stage=clock.stage, signal=signal.pk)
    people = department_people(matter.lead_department)
    subjects = {
        MatterSignal.Level.PREWARN: gettext("Pre-warning: an internal matter's limit is near"),
        MatterSignal.Level.YELLOW: gettext("Yellow card: an internal matter's limit has passed"),
        MatterSignal.Level.RED: gettext("Red card: an internal matter is still overdue"),
    }
    if level != MatterSignal.Level.PREWARN:
        people += [matter.registered_by, matter.leader, *efficiency_office_staff()]
    tell(people, matter, kind=f"card.{level}", subject=subjects[MatterSignal.Level(level)])
    if level == MatterSignal.Level.YELLOW and clock.stage == SIGN_FOR:
        violation_record_automatic(
            kind=Violation.Kind.LATE_SIGN_FOR,
            source_key=f"internal-sign:{clock.pk}",
            description=Described(
                gettext_noop("Internal matter %(number)s not signed for by the deadline."),
                {"number": matter.number},
            ),
            department=matter.lead_department,
            unit_id=matter.unit_id,
        )
    if level == MatterSignal.Level.RED:
        violation_record_automatic(
            kind=Violation.Kind.RED_CARD,
            source_key=f"internal-red:{clock.pk}",
            description=Described(
                gettext_noop(
                    "Red card: internal matter %(number)s missed its limit and the grace period."
                ),
                {"number": matter.number},
            ),
            department=matter.lead_department,
            unit_id=matter.unit_id,
        )
    return True
