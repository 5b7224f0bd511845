"""A fresh database for a benchmark: PostgreSQL when DATABASE_URL is set, else temporary SQLite.

With DATABASE_URL, a database named ``name`` is created on that server (dropped afterwards); the
server's own database in the URL is never touched. Without it, SQLite lives in a temporary
directory that also serves as XIAONENG_DATA_DIR. Files starting with "_" are not run by make bench.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


# Fixed keys for every benchmark run. Personal data in a template database is encrypted when the
# template is built; a later run copying that template must decrypt it, so the keys cannot be the
# per-data-folder SECRET_KEY that embedded mode generates (each run has a fresh data folder). The
# data key is configured explicitly (not derived from SECRET_KEY), as in production, so encryption
# stays inside the measured path. Not secret: benchmark databases hold generated data only.
BENCH_SECRET_KEY = "xiaoneng-benchmark-secret-key-not-secret-" + "0123456789abcdef" * 2
BENCH_DATA_KEYS = "bench1:" + base64.urlsafe_b64encode(
    hashlib.sha256(b"xiaoneng/benchmark-data-key").digest()
).decode("ascii")


def _history_key() -> str:
    """Changes whenever the schema, the generator or the benchmark keys do, so a stale template
    (or one encrypted under other keys) is never used."""
    digest = hashlib.sha256()
    digest.update(BENCH_SECRET_KEY.encode())
    digest.update(BENCH_DATA_KEYS.encode())
    sources = sorted((ROOT / "src" / "xiaoneng").glob("*/migrations/*.py"))
    sources += sorted((ROOT / "src" / "xiaoneng" / "demo").glob("*.py"))
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


LOCAL_POSTGRESQL = "postgres://postgres@127.0.0.1:5432/postgres"
# Generated cases behind the quick runs of make bench (a template built in about 90 s); the
# full runs use 1 000 000.
QUICK_CASES = 50_000


def _prefixed(name: str) -> str:
    """``XIAONENG_BENCH_DB_PREFIX`` replaces the leading "xiaoneng_bench" of every database name
    (templates included), so that several checkouts sharing one server do not drop each other's
    templates as stale."""
    prefix = os.environ.get("XIAONENG_BENCH_DB_PREFIX", "").strip()
    if prefix and name.startswith("xiaoneng_bench"):
        return prefix + name.removeprefix("xiaoneng_bench")
    return name


class BenchDatabase:
    """``cases``: start from a copy of a template database holding that many generated cases
    (``xiaoneng bench-data``), built once on first use and kept for the next runs."""

    def __init__(self, name: str, keep: bool = False, cases: int | None = None) -> None:
        self.name = _prefixed(name)
        self.keep = keep
        self.cases = cases
        self.tmp = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        url = os.environ.get("DATABASE_URL", "")
        if cases and not url:
            url = LOCAL_POSTGRESQL
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
        # Also in force in this process: __enter__ installs this environment before Django starts.
        env["SECRET_KEY"] = BENCH_SECRET_KEY
        env["XIAONENG_DATA_KEYS"] = BENCH_DATA_KEYS
        env.pop("XIAONENG_DATA_KEY_FILE", None)
        if self.server:
            env["DATABASE_URL"] = f"{self.server}/{self.name}"
        else:
            env.pop("DATABASE_URL", None)
        return env

    def _template(self) -> str:
        """The template database with ``cases`` generated cases, built if missing."""
        import psycopg

        prefix = _prefixed(f"xiaoneng_bench_tpl_{self.cases}_")
        if "bench" not in prefix:
            # ``xiaoneng bench-data`` fills only a database whose name says "bench": a template
            # named otherwise failed after its migration and demo, minutes later.
            raise SystemExit(
                f"generated cases need a database prefix containing 'bench' ({prefix!r}): "
                "set XIAONENG_BENCH_DB_PREFIX to e.g. xnb_bench_<name>"
            )
        name = prefix + _history_key()
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            # Compared in Python: in LIKE, "_" matches any character (1000_ would match 1000000).
            existing = [
                row[0]
                for row in conn.execute("SELECT datname FROM pg_database")
                if row[0].startswith(prefix)
            ]
        if name in existing:
            return name
        for stale in existing:
            if not stale.endswith("_building"):  # Another run may be building it right now.
                self._admin(f"DROP DATABASE IF EXISTS {stale} WITH (FORCE)")
        building = f"{name}_building"
        self._admin(f"DROP DATABASE IF EXISTS {building} WITH (FORCE)")
        self._admin(f"CREATE DATABASE {building}")
        # No statement timeout for the build: one COPY of a chunk of generated rows outlasted
        # the default 30 s on a loaded machine and failed a 1 000 000-case build at half way.
        env = {
            **self.env(),
            "DATABASE_URL": f"{self.server}/{building}",
            "DB_STATEMENT_TIMEOUT_MS": "0",
        }
        xiaoneng = str(Path(sys.executable).parent / "xiaoneng")
        print(f"building the template database {name} ({self.cases:,} cases, once)", flush=True)
        for command in (["migrate", "-v0"], ["demo"], ["bench-data", "--cases", str(self.cases)]):
            subprocess.run(
                [xiaoneng, *command], env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT
            )
        self._admin(f"ALTER DATABASE {building} RENAME TO {name}")
        return name

    def __enter__(self) -> BenchDatabase:
        if self.server:
            self._admin(f"DROP DATABASE IF EXISTS {self.name}")
            if self.cases:
                self._admin(f"CREATE DATABASE {self.name} TEMPLATE {self._template()}")
            else:
                self._admin(f"CREATE DATABASE {self.name}")
        elif self.cases:
            raise SystemExit("generated cases need PostgreSQL: set DATABASE_URL")
        # Worked out before the environment is cleared: ``env`` starts from it (PATH, HOME and
        # the caller's variables are kept; only what ``env`` drops or sets changes).
        env = self.env()
        os.environ.clear()
        os.environ.update(env)
        return self

    def setup_django(self) -> None:
        import django
        from django.core.management import call_command

        django.setup()
        if self.cases:
            return  # The template is migrated and holds the demo organisation.
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


def backend_cpu() -> float | None:
    """CPU seconds (user + system) of this process's PostgreSQL backend so far, when the
    server runs on this machine (read from /proc); None otherwise."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
