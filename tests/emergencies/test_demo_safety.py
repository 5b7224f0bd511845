"""The demo's campus safety: rosters through the next holiday, closed past incidents with their
reports, alerts and acknowledgements, plans and drills with one school behind."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from xiaoneng.audit.selectors import audit_chain_verify
from xiaoneng.emergencies.demo_safety import BEHIND, demo_emergencies_load
from xiaoneng.emergencies.models import (
    Alert,
    Drill,
    DutyShift,
    EmergencyPlan,
    Incident,
    TimelineEvent,
)
from xiaoneng.emergencies.selectors_drills import drill_status
from xiaoneng.emergencies.selectors_rosters import duty_officer_at
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db


def test_the_demo_safety_data(demo_org) -> None:
    demo_emergencies_load()
    incidents = list(Incident.objects.all())
    assert len(incidents) == 3
    assert all(i.state == Incident.State.CLOSED for i in incidents)
    assert all(i.reports.filter(kind="final").exists() for i in incidents)
    assert all(i.created_at < timezone.now() for i in incidents)
    assert not Alert.objects.filter(state=Alert.State.PENDING).exists()
    assert TimelineEvent.objects.filter(kind="escalated").count() == 1
    assert Alert.objects.filter(state=Alert.State.ACKNOWLEDGED).count() >= 4
    bureau = Unit.objects.get(code="bureau")
    assert duty_officer_at(unit=bureau, at=timezone.now()) is not None
    assert DutyShift.objects.filter(unit__code="school-1").exists()
    assert EmergencyPlan.objects.count() == 6
    status = {row.unit.code: row.behind for row in drill_status(today=timezone.localdate())}
    assert [code for code, behind in status.items() if behind] == [BEHIND]
    counts = (Incident.objects.count(), Drill.objects.count(), DutyShift.objects.count())
    demo_emergencies_load()
    assert (Incident.objects.count(), Drill.objects.count(), DutyShift.objects.count()) == counts
    assert audit_chain_verify().ok


def test_someone_is_on_duty_when_the_demo_is_loaded_just_after_midnight(demo_org) -> None:
    # Monday 00:05 in Shanghai belongs to Sunday's night shift, which the roster must hold.
    now = timezone.make_aware(datetime(2026, 12, 7, 0, 5))
    with time_machine.travel(now, tick=False):
        demo_emergencies_load(now=now)
        bureau = Unit.objects.get(code="bureau")
        assert duty_officer_at(unit=bureau, at=now) is not None
