"""Hotspots (热点、难点、急点): a category rising sharply at one unit.

Rules, on complaints received (from the rollups, so the sweep never scans the case table):
- at least ``MIN_COUNT`` complaints in the same category at the same unit within the last
  7 days (rule "cluster"), and
- when those are also at least twice the 7 days before, the alert says "surge".
One alert per (unit, category, window); the window is the ISO week (Monday) of detection, so
a rolling count that stays high all week alerts once, and again the next week if it still is.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.assessment.models import HotspotAlert, Rollup
from xiaoneng.audit.services import log_action
from xiaoneng.cases.models import Category, Kind
from xiaoneng.cases.notifications import efficiency_office_staff
from xiaoneng.notify.services import notification_enqueue

MIN_COUNT = 3
SURGE_FACTOR = 2
KINDS = [Kind.COMPLAINT.value, Kind.REPORT.value]


def _counts(start: date, end: date) -> dict[tuple[int, int], int]:
    rows = (
        Rollup.objects.filter(day__gte=start, day__lte=end, kind__in=KINDS)
        .values("unit_id", "category_id")
        .annotate(n=Sum("received"))
    )
    return {(r["unit_id"], r["category_id"]): r["n"] or 0 for r in rows}


def hotspots_detect(*, now: datetime | None = None) -> list[HotspotAlert]:
    """Create the alerts due now and notify the efficiency office; returns the new ones."""
    today = timezone.localtime(now or timezone.now()).date()
    start = today - timedelta(days=6)
    current = _counts(start, today)
    previous: dict[tuple[int, int], int] = defaultdict(int)
    previous.update(_counts(start - timedelta(days=7), start - timedelta(days=1)))
    window = today - timedelta(days=today.weekday())
    created = []
    for (unit_id, category_id), count in sorted(current.items()):
        if count < MIN_COUNT:
            continue
        before = previous[(unit_id, category_id)]
        rule = (
            HotspotAlert.Rule.SURGE if count >= SURGE_FACTOR * before else HotspotAlert.Rule.CLUSTER
        )
        alert = _create(unit_id, category_id, window, start, today, rule, count, before, now)
        if alert is not None:
            created.append(alert)
    return created


def _create(
    unit_id: int,
    category_id: int,
    window: date,
    start: date,
    end: date,
    rule: str,
    count: int,
    before: int,
    now: datetime | None,
) -> HotspotAlert | None:
    if HotspotAlert.objects.filter(
        unit_id=unit_id, category_id=category_id, window_start=window
    ).exists():
        return None
    try:
        with transaction.atomic():
            alert = HotspotAlert.objects.create(
                unit_id=unit_id,
                category_id=category_id,
                window_start=window,
                window_end=end,
                rule=rule,
                count=count,
                previous_count=before,
                created_at=now or timezone.now(),
            )
            log_action(
                action="assessment.hotspot",
                obj=alert,
                actor=None,
                unit_id=unit_id,
                summary={"category": category_id, "count": count, "previous": before, "rule": rule},
            )
            category = Category.objects.get(pk=category_id)
            subject = gettext("Hotspot: %(category)s, %(count)d complaints in 7 days") % {
                "category": category.name,
                "count": count,
            }
            body = gettext(
                "%(count)d complaints about %(category)s at one unit from %(start)s to %(end)s "
                "(%(before)d in the 7 days before)."
            ) % {
                "count": count,
                "category": category.name,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "before": before,
            }
            for staff in efficiency_office_staff():
                notification_enqueue(
                    channel="inbox",
                    kind="assessment.hotspot",
                    subject=subject,
                    body=body,
                    user=staff.user,
                    obj=alert,
                    unit_id=unit_id,
                    link=reverse("assessment:hotspots"),
                )
    except IntegrityError:
        return None  # another sweeper created it first
    return alert
