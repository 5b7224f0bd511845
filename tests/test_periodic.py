"""The in-process periodic runner: every job runs, a failing job does not stop the others."""

from __future__ import annotations

from xiaoneng import periodic


def test_failing_job_does_not_stop_the_others(monkeypatch) -> None:
    monkeypatch.setattr(periodic, "_jobs", {})
    ran: list[str] = []

    def broken() -> None:
        raise ValueError("boom")

    periodic.register("broken", broken)
    periodic.register("fine", lambda: ran.append("fine") or "3 signals")
    assert periodic.run_all() == {"broken": "failed", "fine": "3 signals"}
    assert ran == ["fine"]
