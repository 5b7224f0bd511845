"""Retention: requester data blanked after the period after closing; statistics and audit stay."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_register
from xiaoneng.notify.models import Notification
from xiaoneng.portal.selectors import case_find_for_tracking
from xiaoneng.security.retention import retention_run

pytestmark = pytest.mark.django_db


def _case(users, **fields):
    result = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="食堂问题",
        content="家长反映食堂问题。",
        requester_name="欧阳明",
        requester_phone="13700007777",
        requester_email="oy@example.org",
        **fields,
    )
    return result.case, result.tracking_secret


def _close(case: Case, when) -> None:
    Case.objects.filter(pk=case.pk).update(state="closed", closed_at=when, satisfaction="good")


def test_old_closed_cases_lose_personal_data_and_keep_the_rest(users, settings) -> None:
    now = timezone.now()
    period = timedelta(days=settings.XIAONENG_PERSONAL_DATA_RETENTION_DAYS)
    old, secret = _case(users)
    recent, _secret = _case(users)
    still_open, _secret = _case(users)
    _close(old, now - period - timedelta(days=1))
    _close(recent, now - period + timedelta(days=1))

    def with_address(case) -> bool:  # addresses are encrypted at rest: compared decrypted
        rows = Notification.objects.filter(object_id=str(case.pk))
        return any(row.recipient_address == "13700007777" for row in rows)

    assert with_address(old)
    audit_before = AuditEntry.objects.count()
    with time_machine.travel(now, tick=False):
        report = retention_run(now=now)
    assert report.cases_anonymised == 1
    old.refresh_from_db()
    assert (old.requester_name, old.requester_phone, old.requester_email) == ("", "", "")
    assert old.state == "closed"
    assert old.satisfaction == "good"
    assert old.category_id
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.requester_name == "欧阳明"
    # The tracking code with its secret still opens the case; it shows no personal data.
    assert case_find_for_tracking(code=old.tracking_code, secret=secret) == old
    entry = AuditEntry.objects.get(action="security.retention_run")
    assert entry.summary["cases_anonymised"] == 1
    assert entry.summary["notifications_blanked"] >= 1
    assert not with_address(old)
    assert with_address(recent)
    assert old.requester_phone_index == ""  # the keyed index goes with the phone
    assert "欧阳明" not in str(entry.summary)
    # Nothing deleted from the audit log: only this run's row was added.
    assert AuditEntry.objects.count() == audit_before + 1
    # A second run finds nothing more to do.
    assert retention_run(now=now).cases_anonymised == 0


def test_command_reports_and_dry_run_changes_nothing(users, settings) -> None:
    old, _secret = _case(users)
    _close(old, timezone.now() - timedelta(days=settings.XIAONENG_PERSONAL_DATA_RETENTION_DAYS + 5))
    out = StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    assert "would anonymise on 1 closed case" in out.getvalue()
    old.refresh_from_db()
    assert old.requester_name == "欧阳明"
    out = StringIO()
    call_command("retention", "run", stdout=out)
    assert "anonymised on 1 closed case" in out.getvalue()
    assert "Rows deleted: 0" in out.getvalue()
    old.refresh_from_db()
    assert old.requester_name == ""


def test_audit_rows_past_retention_are_counted_never_deleted(users, settings) -> None:
    first = AuditEntry.objects.count()
    assert first > 0
    later = timezone.now() + timedelta(days=settings.XIAONENG_AUDIT_RETENTION_DAYS + 1)
    with time_machine.travel(later, tick=False):
        report = retention_run(now=later)
    assert report.audit_rows_past_retention == first
    assert report.audit_rows_deleted == 0
    assert AuditEntry.objects.count() == first + 1
