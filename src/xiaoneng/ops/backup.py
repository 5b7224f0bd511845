"""Backup and restore: one tar.gz archive with the database dump and a manifest.

SQLite is copied with its online backup API (consistent while the server writes); PostgreSQL
with ``pg_dump --format=custom``. Restore goes into an EMPTY database only, after checking the
checksum and that this code knows every migration the backup was taken at.

Personal data is in the dump as ciphertext only (docs/security.md): the manifest names the
data key it needs (id and check value, never the key), and restore refuses to start without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng import __version__
from xiaoneng.errors import DomainError
from xiaoneng.fieldcrypt import datakeys

MANIFEST = "manifest.json"
FORMAT = "xiaoneng-backup/1"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _db() -> dict[str, Any]:
    return settings.DATABASES["default"]


def _pg_env() -> dict[str, str]:
    """libpq settings from DATABASES; the password travels in the environment, not argv."""
    db = _db()
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def schema_version() -> dict[str, str]:
    """The latest applied migration of every app, as recorded in the database."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def database_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def _dump(target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while others keep writing.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
        env=_pg_env(),
        check=True,
        capture_output=True,
    )


def _data_keys_manifest() -> dict[str, Any]:
    """Which keys the personal data in the dump needs: ids and check values, never the keys."""
    ring = datakeys.keyring()
    return {
        "current": ring.current_id,
        "check": {key_id: datakeys.key_check_value(key_id) for key_id in ring.keys},
    }


def _check_data_key(manifest: dict[str, Any]) -> None:
    """The dump holds personal data only as ciphertext: without its key it cannot be read."""
    wanted = manifest.get("data_keys") or {}
    key_id = wanted.get("current")
    if not key_id:
        return  # taken before personal data was encrypted
    ring = datakeys.keyring()
    check = (wanted.get("check") or {}).get(key_id)
    if key_id not in ring.keys or datakeys.key_check_value(key_id) != check:
        raise DomainError(
            _(
                "The personal data in this backup is encrypted with key %(key)s, which is not "
                "configured here (or differs). Set XIAONENG_DATA_KEYS (or "
                "XIAONENG_DATA_KEY_FILE) to include that key, then restore again."
            )
            % {"key": key_id}
        )


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write the database and a manifest to a tar.gz archive; return its path and manifest."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise DomainError(_("Backups support SQLite and PostgreSQL only."))
    now = timezone.now()
    if output is None:
        folder = Path(settings.DATA_DIR) / "backups"
        folder.mkdir(parents=True, exist_ok=True)
        output = folder / f"xiaoneng-{now:%Y%m%d-%H%M%S}.tar.gz"
    output = Path(output)
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DUMP_NAMES[vendor]
        try:
            _dump(dump)
        except subprocess.CalledProcessError as exc:
            detail = exc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
            raise DomainError(_("pg_dump failed: %(detail)s") % {"detail": detail[0]}) from None
        manifest = {
            "format": FORMAT,
            "app_version": __version__,
            "schema": schema_version(),
            "database": {"vendor": vendor, "version": database_version()},
            "created_at": now.isoformat(timespec="seconds"),
            "dump": {"name": dump.name, "sha256": _sha256(dump), "size": dump.stat().st_size},
            "data_keys": _data_keys_manifest(),
        }
        manifest_path = Path(scratch) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_path, arcname=MANIFEST)
            archive.add(dump, arcname=dump.name)
        # Only a complete archive ever carries the final name.
        partial.replace(output)
    output.chmod(0o600)
    return BackupResult(path=output, manifest=manifest)


def _read_archive(path: Path, scratch: Path) -> tuple[dict[str, Any], Path]:
    try:
        with tarfile.open(path, "r:*") as archive:
            names = set(archive.getnames())
            if MANIFEST not in names:
                raise DomainError(_("This file is not a Xiaoneng backup (no manifest)."))
            manifest = json.load(archive.extractfile(MANIFEST))  # type: ignore[arg-type]
            dump_name = manifest.get("dump", {}).get("name")
            if manifest.get("format") != FORMAT or dump_name not in DUMP_NAMES.values():
                raise DomainError(_("This backup has a format this version cannot read."))
            if dump_name not in names:
                raise DomainError(_("The backup is incomplete: the database dump is missing."))
            archive.extract(dump_name, scratch, filter="data")
    except (tarfile.TarError, OSError, json.JSONDecodeError) as exc:
        raise DomainError(
            _("The backup file cannot be read: %(error)s") % {"error": type(exc).__name__}
        ) from None
    return manifest, scratch / dump_name


def _check_schema(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup from newer code; return the apps whose migrations are newer here."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = [
        f"{app}.{name}" for app, name in manifest["schema"].items() if (app, name) not in known
    ]
    if unknown:
        raise DomainError(
            _(
                "The backup was taken by a newer version (unknown migrations: %(names)s). "
                "Install that version, or a newer one, to restore it."
            )
            % {"names": ", ".join(sorted(unknown)[:5])}
        )
    newer = []
    for app in sorted({app for app, _name in known}):
        latest_here = max(name for a, name in known if a == app)
        if latest_here > manifest["schema"].get(app, ""):
            newer.append(app)
    return newer


def database_is_empty() -> bool:
    if connection.vendor == "sqlite":
        path = Path(str(_db()["NAME"]))
        if not path.exists() or path.stat().st_size == 0:
            return True
    return not connection.introspection.table_names()


def _load(dump: Path, vendor: str) -> None:
    if vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        connection.close()
        return
    connection.close()
    result = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            _pg_env()["PGDATABASE"],
            str(dump),
        ],
        env=_pg_env(),
        capture_output=True,
    )
    if result.returncode:
        detail = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise DomainError(_("pg_restore failed: %(detail)s") % {"detail": detail[0]})


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    newer_apps: list[str]


def backup_restore(*, path: Path) -> RestoreResult:
    """Restore an archive into the configured database, which must be empty."""
    path = Path(path)
    if not path.is_file():
        raise DomainError(_("No backup file at %(path)s.") % {"path": path})
    vendor = connection.vendor
    with tempfile.TemporaryDirectory() as scratch_dir:
        manifest, dump = _read_archive(path, Path(scratch_dir))
        if _sha256(dump) != manifest["dump"]["sha256"]:
            raise DomainError(
                _("The checksum of the database dump does not match: the file is damaged.")
            )
        source_vendor = manifest["database"]["vendor"]
        if source_vendor != vendor:
            raise DomainError(
                _("This is a %(source)s backup; the configured database is %(target)s.")
                % {"source": source_vendor, "target": vendor}
            )
        newer = _check_schema(manifest)
        _check_data_key(manifest)
        if not database_is_empty():
            raise DomainError(
                _(
                    "The database is not empty. Restore only into a newly created, empty "
                    "database (do not run migrate before restoring)."
                )
            )
        _load(dump, vendor)
    return RestoreResult(manifest=manifest, newer_apps=newer)
