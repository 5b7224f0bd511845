"""Explanations of clocks: policy and version, days, pauses, extensions, provisional years."""

from __future__ import annotations

import pytest
from django.utils import translation

from xiaoneng.catalog.selectors import policy_current_version
from xiaoneng.workdays.arithmetic import DayKind
from xiaoneng.workdays.explain import SKIPPED, explain_clock, explain_deadline
from xiaoneng.workdays.services import (
    calendar_load,
    clock_extend,
    clock_pause,
    clock_resume,
    clock_start,
)

from .conftest import at

pytestmark = pytest.mark.django_db


def test_explain_a_clock_with_pause_and_extension(
    official: None, policies: None, admin: object
) -> None:
    clock = clock_start(
        owner_type="cases.case",
        owner_id=7,
        stage="reply",
        started_at=at("2026-09-30 10:00"),
        policy_version=policy_current_version(code="efficiency-referral"),
    )
    clock = clock_pause(clock=clock, at=at("2026-10-09 09:00"), reason="补正")
    clock = clock_resume(clock=clock, at=at("2026-10-13 09:00"))
    clock = clock_extend(clock=clock, units=5, reason="情况复杂", approver=admin, by=admin)
    explanation = explain_clock(clock)
    assert (explanation.policy_code, explanation.policy_version) == ("efficiency-referral", 1)
    assert explanation.limit == 30
    assert explanation.extension == 5
    # 10/10 (make-up Saturday), 10/12 and 10/13 fell in the pause: 35 days counted, 3 paused.
    assert explanation.pauses[0].added_days == 3
    assert explanation.days_counted == 35
    assert explanation.due_at == clock.due_at
    holidays = [
        s for s in explanation.spans if s.kind == DayKind.HOLIDAY and s.treatment == SKIPPED
    ]
    # The official holidays by their names in the reader's language (English in this module).
    assert holidays[0].name == "National Day"
    with translation.override("zh-hans"):
        chinese = explain_clock(clock)
    assert next(s.name for s in chinese.spans if s.kind == DayKind.HOLIDAY) == "国庆节"
    with translation.override("en"):
        text = "\n".join(explanation.lines())
    assert (
        "Policy: Efficiency office referral/efficiency complaint (efficiency-referral), version 1"
        in text
    )
    assert "Stage: Reply" in text
    assert "+ 5 by extension" in text
    assert "Paused from 2026-10-09 09:00 to 2026-10-13 09:00: 3 days not counted." in text
    assert "Extended by 5 working days" in text
    assert explanation.as_dict()["pauses"][0]["added_days"] == 3


def test_explain_a_restart(official: None, policies: None) -> None:
    clock = clock_start(
        owner_type="cases.case",
        owner_id=8,
        stage="reply",
        started_at=at("2026-09-30 10:00"),
        policy_version=policy_current_version(code="info-disclosure"),
    )
    clock = clock_pause(clock=clock, at=at("2026-10-09 09:00"))
    clock = clock_resume(clock=clock, at=at("2026-10-12 09:00"), restart=True)
    explanation = explain_clock(clock)
    assert explanation.restarted_at == at("2026-10-12 09:00")
    assert explanation.days_counted == 20
    with translation.override("en"):
        assert any("counted again from the start" in line for line in explanation.lines())


def test_explain_provisional(db: None) -> None:
    calendar_load(years=range(2004, 2026))
    explanation = explain_deadline(start=at("2026-09-30 10:00"), limit=5)
    assert explanation.provisional
    assert explanation.provisional_years == [2026]
    with translation.override("en"):
        assert explanation.lines()[-1].startswith("Provisional:")
