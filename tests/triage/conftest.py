"""Fixtures for triage: the demo organisation and past cases made through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_register
from xiaoneng.cases.states import State
from xiaoneng.org.models import Department


@pytest.fixture
def bureau_departments(demo_org) -> dict[str, Department]:
    return {d.code: d for d in Department.objects.filter(unit__code="bureau")}


@pytest.fixture
def past_case(users, bureau_departments):
    """A case registered through the service, then set as closed by ``code`` ``days`` ago
    (the history a model learns from; living each through its life would take minutes)."""

    def make(text: str, code: str, *, days: int = 10, category: str = "other") -> Case:
        case = case_register(
            by=users["intake"],
            channel="phone",
            kind="complaint",
            category=Category.objects.get(code=category),
            title=text[:20],
            content=text,
            requester_name="张三",
            requester_phone="13900000000",
        ).case
        closed = timezone.now() - timedelta(days=days)
        Case.objects.filter(pk=case.pk).update(
            state=State.CLOSED,
            lead_department=bureau_departments[code],
            closed_at=closed,
            registered_at=closed - timedelta(days=5),
        )
        return case

    return make


def committed():
    """Run what waits for the commit (triage reads an arrived case after its registration
    commits) at the end of the block, as a real commit would."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
