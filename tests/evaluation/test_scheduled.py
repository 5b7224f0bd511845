"""The quarterly report drafted by the periodic job at the quarter's end, once."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from xiaoneng import periodic
from xiaoneng.assessment.models import Bulletin
from xiaoneng.assessment.scheduled import scheduled_reports_draft
from xiaoneng.notify.models import Notification
from xiaoneng.ops.jobs import jobs_run_all

pytestmark = pytest.mark.django_db(transaction=False)


def test_quarterly_report_drafted_once_by_the_periodic_job(demo_org, users) -> None:
    assert "assessment.scheduled_reports" in {job.name for job in periodic.registered_jobs()}
    with time_machine.travel("2026-09-30 12:00 +0800", tick=False):
        scheduled_reports_draft()
        assert not Bulletin.objects.filter(
            period_kind="quarter", period_from=date(2026, 7, 1)
        ).exists()
    with time_machine.travel("2026-10-01 00:05 +0800", tick=False):
        jobs_run_all()
        jobs_run_all()  # every minute: still one draft
        assert scheduled_reports_draft() == []
    drafts = Bulletin.objects.filter(period_kind="quarter", period_from=date(2026, 7, 1))
    assert drafts.count() == 1
    report = drafts.get()
    assert (report.period_to, report.state) == (date(2026, 9, 30), "draft")
    assert report.title == "2026年第三季度效能建设情况通报"
    assert {"units", "departments", "schools", "evaluation", "typical_cases", "targets"} <= set(
        report.content
    )
    told = Notification.objects.filter(kind="assessment.report_drafted", channel="inbox")
    assert set(told.values_list("recipient_user__username", flat=True)) == {
        "xiaoneng",
        "xiaoneng_b",
    }
    assert told.count() == 2
    # No half-year or yearly report at the end of September.
    assert not Bulletin.objects.exclude(period_kind__in=["", "quarter"]).exists()


def test_year_end_drafts_quarter_half_and_year_but_not_old_periods(demo_org) -> None:
    with time_machine.travel("2027-01-02 09:00 +0800", tick=False):
        made = scheduled_reports_draft()
    assert sorted(
        (b.period_kind, b.period_from.isoformat(), b.period_to.isoformat()) for b in made
    ) == [
        ("half_year", "2026-07-01", "2026-12-31"),
        ("quarter", "2026-10-01", "2026-12-31"),
        ("year", "2026-01-01", "2026-12-31"),
    ]
    with time_machine.travel("2027-03-20 09:00 +0800", tick=False):
        assert scheduled_reports_draft() == []  # the last ones ended more than a month ago
