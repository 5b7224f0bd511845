"""Milestone clocks raise the same signals as cases, at the same points, once each."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xiaoneng.notify.models import Notification
from xiaoneng.targets.models import MilestoneSignal
from xiaoneng.targets.sweeps import targets_sweep
from xiaoneng.workdays.selectors import clock_thresholds

pytestmark = pytest.mark.django_db


def _levels(milestone) -> set[str]:
    return set(MilestoneSignal.objects.filter(milestone=milestone).values_list("level", flat=True))


def test_prewarning_yellow_and_red_at_the_clocks_thresholds_once_each(users, milestone) -> None:
    points = {p.kind: p.at for p in clock_thresholds(milestone.clock)}
    assert {"prewarn", "due", "red"} <= set(points)
    second = timedelta(seconds=1)
    assert targets_sweep(now=points["prewarn"] - second).raised == {}
    assert _levels(milestone) == set()
    assert targets_sweep(now=points["prewarn"]).raised == {"prewarn": 1}
    assert targets_sweep(now=points["prewarn"] + second).raised == {}
    assert targets_sweep(now=points["due"]).raised == {"yellow": 1}
    assert targets_sweep(now=points["red"]).raised == {"red": 1}
    assert _levels(milestone) == {"prewarn", "yellow", "red"}
    for _ in range(2):  # Later runs raise nothing more.
        assert targets_sweep(now=points["red"] + timedelta(days=3)).raised == {}
    yellow = Notification.objects.filter(kind="targets.yellow")
    assert {n.recipient_user.username for n in yellow} >= {"handler_a", "head", "xiaoneng"}
    assert not Notification.objects.filter(
        kind="targets.prewarn", recipient_user=users["xiaoneng"]
    ).exists()


def test_a_done_milestone_raises_nothing(users, task, milestone) -> None:
    from xiaoneng.targets.services import progress_report, progress_sign_off

    report = progress_report(
        by=users["handler_a"], task=task, percent=25, narrative="完成", milestone=milestone
    )
    progress_sign_off(by=users["head"], report=report, approve=True)
    points = {p.kind: p.at for p in clock_thresholds(milestone.clock)}
    assert targets_sweep(now=points["red"]).raised == {}
    assert _levels(milestone) == set()


def test_the_sweep_is_a_periodic_job() -> None:
    from xiaoneng import periodic

    assert "targets.sweep" in {job.name for job in periodic.registered_jobs()}
