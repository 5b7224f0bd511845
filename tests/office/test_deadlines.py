"""Deadline colours: the fast list path agrees with the exact thresholds at every boundary."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xiaoneng.cases import clocks
from xiaoneng.cases.deadlines import (
    NORMAL,
    PREWARN,
    RED,
    YELLOW,
    attach_deadlines,
    deadline_level,
    with_case_clocks,
)
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_dispatch, case_sign_for

pytestmark = pytest.mark.django_db


def test_levels_at_the_thresholds(hotline_case, users, basic) -> None:
    case = case_sign_for(
        case=case_dispatch(case=hotline_case, by=users["intake"], lead=basic), by=users["head"]
    )
    clock = clocks.current(case=case, stage=clocks.REPLY)
    marks = clocks.thresholds(clock)
    moments = [
        (marks.prewarn_at - timedelta(minutes=1), NORMAL),
        (marks.prewarn_at + timedelta(minutes=1), PREWARN),
        (marks.due_at + timedelta(minutes=1), YELLOW),
        (marks.grace_due_at + timedelta(minutes=1), RED),
    ]
    row = with_case_clocks(Case.objects.select_related("policy_version")).get(pk=case.pk)
    for moment, level in moments:
        assert deadline_level(clock, moment) == level
        [listed] = attach_deadlines([row], now=moment)
        assert listed.deadline.level == level, moment
        assert listed.deadline.stage == "reply"


def test_dispatched_case_races_the_sign_for_clock(hotline_case, users, basic) -> None:
    case = case_dispatch(case=hotline_case, by=users["intake"], lead=basic)
    row = with_case_clocks(Case.objects.select_related("policy_version")).get(pk=case.pk)
    [listed] = attach_deadlines([row])
    assert listed.deadline.stage == "sign_for"
    assert listed.deadline.level == NORMAL
