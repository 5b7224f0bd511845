"""The demo's internal matters: a few dozen across departments and schools, made through the
services at past times, with cards, a refused re-route and late replies; loaded once."""

from __future__ import annotations

import pytest

from xiaoneng.internal.demo import demo_internal_load
from xiaoneng.internal.models import Decision, Matter, MatterSignal, RerouteRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_few_dozen_matters_across_departments_and_schools(demo_org) -> None:
    made = demo_internal_load()
    assert made >= 24
    assert set(Matter.objects.values_list("kind", flat=True)) == {
        "instruction",
        "request",
        "meeting",
    }
    assert Matter.objects.values("lead_department").distinct().count() >= 6
    assert (
        Matter.objects.filter(asking_unit__kind="school").values("asking_unit").distinct().count()
        >= 5
    )
    assert RerouteRequest.objects.filter(decision=Decision.REFUSED).exists()
    assert MatterSignal.objects.filter(level="yellow").exists()
    assert Matter.objects.filter(state=Matter.State.DONE).count() >= 10
    assert Matter.objects.exclude(state=Matter.State.DONE).exists()
    assert demo_internal_load() == 0
