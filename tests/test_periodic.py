"""The periodic runner: every job runs and is recorded, a failing job does not stop the others."""

from __future__ import annotations

import pytest

from xiaoneng import periodic
from xiaoneng.ops.jobs import jobs_run_all
from xiaoneng.ops.models import JobRun

pytestmark = pytest.mark.django_db


def test_failing_job_does_not_stop_the_others(monkeypatch) -> None:
    monkeypatch.setattr(periodic, "_jobs", {})
    ran: list[str] = []

    def broken() -> None:
        raise ValueError("boom")

    periodic.register("broken", broken)
    periodic.register("fine", lambda: ran.append("fine") or "3 signals")
    assert jobs_run_all() == {"broken": "failed", "fine": "3 signals"}
    assert ran == ["fine"]
    runs = {run.name: run for run in JobRun.objects.all()}
    assert (runs["broken"].last_ok, runs["broken"].last_outcome) == (False, "ValueError")
    assert (runs["fine"].last_ok, runs["fine"].last_outcome) == (True, "3 signals")
