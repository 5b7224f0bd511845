"""A fresh database for a benchmark: PostgreSQL when DATABASE_URL is set, else temporary SQLite.

With DATABASE_URL, a database named ``name`` is created on that server (dropped afterwards); the
server's own database in the URL is never touched. Without it, SQLite lives in a temporary
directory that also serves as XIAONENG_DATA_DIR. Files starting with "_" are not run by make bench.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


class BenchDatabase:
    def __init__(self, name: str, keep: bool = False) -> None:
        self.name = name
        self.keep = keep
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        url = os.environ.get("DATABASE_URL", "")
        self.server = ""
        if url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(url)
            self.server = urlunsplit((parts.scheme, parts.netloc, "", "", ""))

    @property
    def engine(self) -> str:
        return "PostgreSQL" if self.server else "SQLite (temporary file, WAL)"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def env(self) -> dict[str, str]:
        """Environment for this process and for any server started as a subprocess."""
        env = dict(os.environ)
        env["XIAONENG_DATA_DIR"] = str(self.tmp)
        env.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
        if self.server:
            env["DATABASE_URL"] = f"{self.server}/{self.name}"
        else:
            env.pop("DATABASE_URL", None)
        return env

    def __enter__(self) -> BenchDatabase:
        if self.server:
            self._admin(f"DROP DATABASE IF EXISTS {self.name}")
            self._admin(f"CREATE DATABASE {self.name}")
        os.environ.clear()
        os.environ.update(self.env())
        return self

    def setup_django(self) -> None:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from xiaoneng.demo.services import demo_load

        demo_load()

    def __exit__(self, *exc: object) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        if self.server and not self.keep:
            self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


def machine() -> str:
    import platform

    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}{load}"
    )
