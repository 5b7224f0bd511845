"""`xiaoneng import-referrals`: output, exit codes, modes, dry run."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from tests.referrals.files import row, rows, write_csv, write_xlsx
from xiaoneng.cases.models import Case
from xiaoneng.referrals import services
from xiaoneng.referrals.models import ReferralImport

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import-referrals", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _mixed(tmp_path):
    data = rows(4)
    data[1] = row("RX00002", received="yesterday")
    return write_xlsx(tmp_path / "mixed.xlsx", data)


def test_good_file_imports_and_prints_report(demo_org, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    out, err = run(str(write_xlsx(tmp_path / "good.xlsx", rows(4))), "--by", "intake")
    assert "Rows: 4, cases created: 4, already imported (skipped): 0" in out
    # One pass (all or nothing): the rows read so far, then the total.
    assert "imported: 2\n" in err
    assert "imported: 4/4" in err
    assert Case.objects.filter(external_number__startswith="RX").count() == 4


def test_all_or_nothing_errors_exit_1_and_store_nothing(demo_org, tmp_path) -> None:
    with pytest.raises(CommandError) as caught:
        run(str(_mixed(tmp_path)), "--by", "intake")
    assert caught.value.returncode == 1
    assert not Case.objects.filter(external_number__startswith="RX").exists()
    assert ReferralImport.objects.get().status == ReferralImport.Status.REJECTED


def test_errors_are_printed_with_row_and_column(demo_org, tmp_path, capsys) -> None:
    out = StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import-referrals", str(_mixed(tmp_path)), "--by", "intake", stdout=out)
    assert "3\t来电时间\tNot a date and time" in out.getvalue()


def test_good_rows_mode_exits_0_with_errors_listed(demo_org, tmp_path) -> None:
    out, _err = run(str(_mixed(tmp_path)), "--by", "xiaoneng", "--mode", "good-rows")
    assert "cases created: 3" in out
    assert "rows with errors: 1" in out
    assert Case.objects.filter(external_number__startswith="RX").count() == 3


def test_dry_run_stores_nothing(demo_org, tmp_path) -> None:
    path = write_csv(tmp_path / "ok.csv", rows(3), encoding="gb18030")
    out, _err = run(str(path), "--by", "intake", "--dry-run")
    assert "Rows: 3, valid: 3" in out
    assert "Nothing was stored." in out
    assert not Case.objects.filter(external_number__startswith="RX").exists()
    assert not ReferralImport.objects.exists()
    with pytest.raises(CommandError) as caught:
        run(str(_mixed(tmp_path)), "--by", "intake", "--dry-run")
    assert caught.value.returncode == 1


def test_reimport_reports_skipped(demo_org, tmp_path) -> None:
    path = str(write_xlsx(tmp_path / "good.xlsx", rows(2)))
    run(path, "--by", "intake")
    out, _err = run(path, "--by", "intake")
    assert "cases created: 0, already imported (skipped): 2" in out


def test_refusals(demo_org, tmp_path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"\x89PNG not a workbook")
    with pytest.raises(CommandError, match="not a spreadsheet"):
        run(str(fake), "--by", "intake")
    with pytest.raises(CommandError, match="No user named"):
        run(str(fake), "--by", "nobody")
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "missing.csv"), "--by", "intake")
    with pytest.raises(CommandError, match="Only first-contact officers"):
        run(str(fake), "--by", "handler_a")
