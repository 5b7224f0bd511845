"""Backup and restore on SQLite: archive with manifest, restore into an empty database only."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Case, CaseEvent
from xiaoneng.errors import DomainError
from xiaoneng.ops.backup import backup_create, backup_restore

pytestmark = pytest.mark.django_db(transaction=True)


def _xiaoneng(*args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def sqlite_only(settings) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite backup path; PostgreSQL is covered by the reliability tests")


def test_backup_then_restore_into_an_empty_database(sqlite_only, hotline_case, tmp_path) -> None:
    archive = backup_create(output=tmp_path / "b.tar.gz").path
    with tarfile.open(archive) as tar:
        assert sorted(tar.getnames()) == ["database.sqlite3", "manifest.json"]
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["schema"]["cases"].startswith("00")
    assert len(manifest["dump"]["sha256"]) == 64

    target = tmp_path / "restored.sqlite3"
    url = f"sqlite:///{target}"
    done = _xiaoneng("restore", str(archive), database_url=url)
    assert done.returncode == 0, done.stderr
    assert "Audit chain OK" in done.stdout or "审计" in done.stdout
    assert _xiaoneng("audit", "verify", database_url=url).returncode == 0
    with sqlite3.connect(target) as db:
        counts = [
            db.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}").fetchone()[0]
            for model in (Case, CaseEvent, AuditEntry)
        ]
    assert counts == [Case.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count()]

    again = _xiaoneng("restore", str(archive), database_url=url)
    assert again.returncode == 1
    assert "数据库不为空" in again.stderr


def test_restore_refuses_a_non_empty_database(sqlite_only, demo_org, tmp_path) -> None:
    archive = backup_create(output=tmp_path / "b.tar.gz").path
    with pytest.raises(DomainError, match="数据库不为空"):
        backup_restore(path=archive)


def test_restore_refuses_a_damaged_dump(sqlite_only, demo_org, tmp_path) -> None:
    archive = backup_create(output=tmp_path / "b.tar.gz").path
    damaged = _rewrite(archive, tmp_path, dump=b"garbage")
    with pytest.raises(DomainError, match="校验和不符"):
        backup_restore(path=damaged)


def test_restore_refuses_a_backup_from_newer_code(sqlite_only, demo_org, tmp_path) -> None:
    archive = backup_create(output=tmp_path / "b.tar.gz").path
    newer = _rewrite(archive, tmp_path, schema={"cases": "9999_from_the_future"})
    with pytest.raises(DomainError, match="更新的版本"):
        backup_restore(path=newer)


def _rewrite(archive: Path, tmp_path: Path, *, dump: bytes | None = None, schema=None) -> Path:
    work = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    if dump is not None:
        (work / "database.sqlite3").write_bytes(dump)
    if schema is not None:
        manifest = json.loads((work / "manifest.json").read_text())
        manifest["schema"].update(schema)
        (work / "manifest.json").write_text(json.dumps(manifest))
    out = tmp_path / "rewritten.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(work / "manifest.json", arcname="manifest.json")
        tar.add(work / "database.sqlite3", arcname="database.sqlite3")
    return out
