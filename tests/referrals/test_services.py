"""Importing referrals: modes, dedup, the centre's deadline, the record of the run, refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation

from tests.referrals.files import row, rows, write_csv, write_xlsx
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.referrals import parsing, services
from xiaoneng.referrals.models import ReferralImport
from xiaoneng.referrals.services import referral_import_preview, referral_import_run

pytestmark = pytest.mark.django_db

Status = ReferralImport.Status


def _bad_file(tmp_path):
    data = rows(6)
    data[2] = row("RX00003", phone="not a phone")
    data[4] = row("RX00005", category="无此类别")
    return write_xlsx(tmp_path / "mixed.xlsx", data)


def test_good_file_imports_every_row_as_hotline_case(users, tmp_path) -> None:
    path = write_xlsx(tmp_path / "good.xlsx", rows(5))
    report = referral_import_run(by=users["intake"], file=path, mode="all-or-nothing")
    assert report.ok
    assert (report.rows, report.created, report.skipped, report.error_rows) == (5, 5, 0, 0)
    case = Case.objects.get(external_number="RX00003")
    assert case.channel == "hotline"
    assert case.kind == "complaint"
    assert case.category.name == "教育收费"
    assert case.requester_phone == "13812345678"
    # Not taken in person: it waits in the bureau's intake pool (tests/referrals/test_pool.py).
    assert case.first_contact is None
    assert case.state == "registered"
    event = CaseEvent.objects.get(case=case, action=services.DEADLINE_EVENT)
    assert event.public is False
    assert event.data["referral_import"] == report.import_id
    assert event.data["deadline"] > case.registered_at.date().isoformat()
    record = ReferralImport.objects.get(pk=report.import_id)
    assert (record.status, record.rows_created, record.mode) == (Status.DONE, 5, "all-or-nothing")
    assert record.created_by == users["intake"]
    assert record.file_name == "good.xlsx"


def test_import_is_audited_without_personal_data(users, tmp_path) -> None:
    path = write_csv(tmp_path / "good.csv", rows(2))
    report = referral_import_run(by=users["xiaoneng"], file=path, mode="good-rows")
    entry = AuditEntry.objects.get(action="referrals.import", object_id=str(report.import_id))
    assert entry.summary["rows"] == 2
    assert entry.summary["created"] == 2
    assert entry.summary["file"] == "good.csv"
    assert "13812345678" not in str(entry.summary)
    assert "张三" not in str(entry.summary)


def test_all_or_nothing_stores_nothing_on_errors(users, tmp_path) -> None:
    report = referral_import_run(
        by=users["intake"], file=_bad_file(tmp_path), mode="all-or-nothing"
    )
    assert report.status == Status.REJECTED
    assert report.created == 0
    assert {(e.row, e.column) for e in report.errors} == {(4, "联系电话"), (6, "诉求类别")}
    assert not Case.objects.filter(external_number__startswith="RX").exists()
    record = ReferralImport.objects.get(pk=report.import_id)
    assert record.rows_error == 2
    assert [error[:2] for error in record.errors] == [[4, "联系电话"], [6, "诉求类别"]]


def test_all_or_nothing_rolls_back_chunks_registered_before_a_bad_row(
    users, tmp_path, monkeypatch
) -> None:
    # One pass: chunks of 2 are registered before row 6 shows its error; nothing stays, and
    # every error of the file is still reported.
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)
    report = referral_import_run(
        by=users["intake"], file=_bad_file(tmp_path), mode="all-or-nothing"
    )
    assert report.status == Status.REJECTED
    assert (report.rows, report.created, report.error_rows) == (6, 0, 2)
    assert {(e.row, e.column) for e in report.errors} == {(4, "联系电话"), (6, "诉求类别")}
    assert not Case.objects.filter(external_number__startswith="RX").exists()
    assert not CaseEvent.objects.filter(action=services.DEADLINE_EVENT).exists()


def test_good_rows_stores_nothing_from_a_file_refused_half_way(
    users, tmp_path, monkeypatch
) -> None:
    # Good rows commit chunk by chunk, so the file is checked whole first.
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)
    monkeypatch.setattr(parsing, "MAX_ROWS", 5)
    path = write_xlsx(tmp_path / "long.xlsx", rows(6))
    report = referral_import_run(by=users["intake"], file=path, mode="good-rows")
    assert report.status == Status.REFUSED
    assert not Case.objects.filter(external_number__startswith="RX").exists()


def test_good_rows_mode_stores_only_good_rows(users, tmp_path) -> None:
    report = referral_import_run(by=users["intake"], file=_bad_file(tmp_path), mode="good-rows")
    assert report.status == Status.DONE
    assert (report.created, report.error_rows) == (4, 2)
    numbers = set(
        Case.objects.filter(external_number__startswith="RX").values_list(
            "external_number", flat=True
        )
    )
    assert numbers == {"RX00001", "RX00002", "RX00004", "RX00006"}


def test_reimport_creates_nothing_new(users, tmp_path) -> None:
    path = write_xlsx(tmp_path / "again.xlsx", rows(4))
    referral_import_run(by=users["intake"], file=path, mode="all-or-nothing")
    before = Case.objects.count()
    preview = referral_import_preview(file=path)
    assert (preview.already_imported, preview.to_import) == (4, 0)
    report = referral_import_run(by=users["intake"], file=path, mode="all-or-nothing")
    assert report.status == Status.DONE
    assert (report.created, report.skipped) == (0, 4)
    assert Case.objects.count() == before


def test_duplicate_against_database_is_skipped_not_error(users, tmp_path) -> None:
    referral_import_run(
        by=users["intake"], file=write_csv(tmp_path / "one.csv", rows(2)), mode="good-rows"
    )
    report = referral_import_run(
        by=users["intake"], file=write_csv(tmp_path / "two.csv", rows(3)), mode="all-or-nothing"
    )
    assert (report.created, report.skipped, report.error_rows) == (1, 2, 0)


def test_failing_row_in_all_or_nothing_rolls_back_every_batch(users, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)
    real = services.prepare

    def flaky(**kwargs):
        if kwargs["external_number"] == "RX00005":
            raise DomainError("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "prepare", flaky)
    path = write_xlsx(tmp_path / "flaky.xlsx", rows(6))
    report = referral_import_run(by=users["intake"], file=path, mode="all-or-nothing")
    assert report.status == Status.FAILED
    assert report.created == 0
    assert [(e.row, e.message) for e in report.errors] == [(6, "boom")]
    assert not Case.objects.filter(external_number__startswith="RX").exists()
    assert not CaseEvent.objects.filter(action=services.DEADLINE_EVENT).exists()


def test_failing_row_in_good_rows_keeps_the_rest_of_its_batch(users, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(services, "IMPORT_BATCH", 3)
    real = services.prepare

    def flaky(**kwargs):
        if kwargs["external_number"] == "RX00005":
            raise DomainError("boom")
        return real(**kwargs)

    monkeypatch.setattr(services, "prepare", flaky)
    path = write_xlsx(tmp_path / "flaky.xlsx", rows(6))
    report = referral_import_run(by=users["intake"], file=path, mode="good-rows")
    assert report.status == Status.DONE
    assert (report.created, report.error_rows) == (5, 1)
    assert Case.objects.filter(external_number__startswith="RX").count() == 5
    # One deadline event per created case: the rolled-back batch left no half-changes.
    assert CaseEvent.objects.filter(action=services.DEADLINE_EVENT).count() == 5


def test_refused_file_is_recorded(users, tmp_path) -> None:
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"this is not a workbook" * 10)
    with translation.override("en"):
        report = referral_import_run(by=users["intake"], file=path, mode="good-rows")
    assert report.status == Status.REFUSED
    assert "not a spreadsheet" in report.message
    assert ReferralImport.objects.get(pk=report.import_id).status == Status.REFUSED


@pytest.mark.parametrize("username", ["handler_a", "head", "inspector", "auditor"])
def test_only_intake_and_office_may_import(users, tmp_path, username) -> None:
    path = write_csv(tmp_path / "r.csv", rows(1))
    with pytest.raises(PermissionDenied):
        referral_import_run(by=users[username], file=path, mode="good-rows")
    assert not ReferralImport.objects.exists()


def test_unknown_mode_refused(users, tmp_path) -> None:
    with pytest.raises(DomainError):
        referral_import_run(
            by=users["intake"], file=write_csv(tmp_path / "r.csv", rows(1)), mode="half"
        )


def test_progress_is_reported(users, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    calls = []
    path = write_csv(tmp_path / "p.csv", rows(5))
    referral_import_run(
        by=users["intake"], file=path, mode="good-rows", progress=lambda *a: calls.append(a)
    )
    assert ("check", 2, 0) in calls
    assert ("check", 5, 5) in calls
    assert calls[-1] == ("import", 5, 5)


def test_preview_stores_nothing(users, tmp_path, django_assert_max_num_queries) -> None:
    path = write_xlsx(tmp_path / "p.xlsx", rows(50))
    connection.ensure_connection()
    # Categories once, then one external-number check per batch of 500: nothing written.
    with django_assert_max_num_queries(3):
        preview = referral_import_preview(file=path)
    assert preview.rows == 50
    assert not ReferralImport.objects.exists()
    assert not Case.objects.filter(external_number__startswith="RX").exists()
