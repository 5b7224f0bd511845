"""A migrated SQLite test database, built once and copied to every test process.

Migrating the test database costs every xdist worker about fifteen seconds of CPU. On SQLite
the result depends only on the migrations and the installed code, so it is built once, in a
file keyed by a hash of those, and each worker starts from a copy of that file (Django then
finds every migration applied and only checks). PostgreSQL, ``--create-db`` and
``--nomigrations`` take the usual path.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import django

SRC = Path(__file__).resolve().parent.parent / "src" / "xiaoneng"


def migrations_fingerprint() -> str:
    """A hash over every migration file and the Django version."""
    digest = hashlib.sha256(django.get_version().encode())
    for path in sorted(SRC.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(SRC)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_template(folder: Path) -> Path:
    """The path of the migrated template database, built now if it does not exist yet.

    Workers that start together wait on a lock file while the first one builds it; templates
    of other fingerprints are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / f"test-template-{migrations_fingerprint()}.sqlite3"
    with open(folder / "test-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            # Earlier templates, and what a build that was interrupted left behind.
            for old in folder.glob("test-template-*"):
                old.unlink()
            building = template.with_suffix(".building")
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{building}"}
            subprocess.run(
                [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
                env=env,
                check=True,
            )
            # Fold the write-ahead log into the file, so that one file is the whole database.
            with closing(sqlite3.connect(building)) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.execute("PRAGMA journal_mode=DELETE")
            building.rename(template)
    return template


def copy_template_to(target: Path, folder: Path) -> None:
    template = migrated_template(folder)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
