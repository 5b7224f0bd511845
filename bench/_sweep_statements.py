"""Where the sweep's PostgreSQL time goes, statement by statement (an experiment harness).

    python bench/_sweep_statements.py build [--cases N]   fill a template database once
    python bench/_sweep_statements.py run [--slices K] [--workers W]

``build`` fills a template (``<prefix>_tpl_<N>``, prefix from ``BENCH_SWEEP_DB``, default
``xiaoneng_bench_sweep``) as ``bench/sweep.py`` does and keeps it. ``run`` clones the template,
migrates the clone (so a schema change under test is measured on the same rows), turns on
statement logging for the clone only (``ALTER DATABASE … SET log_min_duration_statement = 0``),
sweeps K slices of 1 % one by one, then sums the logged durations by statement (the slices'
``release`` left out) from the server log (``BENCH_PG_LOG``, default the Debian path). It
prints each slice's wall and CPU time (the sweeper's and, with one worker, its backend's) and
the WAL written meanwhile too. ``BENCH_PG_SET`` (``name=value,…``) sets parameters on the clone
only. The clone is dropped at the end.
Files starting with "_" are not run by make bench.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import sweep as bench  # noqa: E402
from _db import backend_cpu, machine  # noqa: E402

LOG = Path(os.environ.get("BENCH_PG_LOG", "/var/log/postgresql/postgresql-15-main.log"))
_DURATION = re.compile(
    r"\[(\d+)\] \S+@(\S+) LOG:  duration: ([\d.]+) ms  (?:statement|execute [^:]*|parse [^:]*"
    r"|bind [^:]*): ?(.*)"
)


def _template(cases: int) -> str:
    return f"{bench.DB_NAME}_tpl_{cases}"


def build(cases: int) -> None:
    template = _template(cases)
    bench.admin(f"DROP DATABASE IF EXISTS {template}")
    bench.admin(f"CREATE DATABASE {template}")
    bench.DB_NAME = template
    bench.setup_django()
    from django.core.management import call_command
    from django.db import connections

    from xiaoneng.demo.services import demo_load

    call_command("migrate", verbosity=0)
    demo_load()
    started = time.perf_counter()
    bench.fill(cases, cases // 100)
    print(f"filled {cases:,} in {time.perf_counter() - started:.1f} s: template {template}")
    connections.close_all()


def _key(statement: str) -> str:
    text = re.sub(r"\s+", " ", statement).strip()
    text = re.sub(r"'[^']*'", "?", text)  # Parameters bound on the client side appear inline.
    text = re.sub(r"\$\d+|\b\d+\b", "?", text)
    return text[:90]


def _wal_position() -> int:
    """The server's WAL insert position in bytes: the difference over a slice is the WAL
    the slice wrote, plus whatever other databases on the same server wrote meanwhile."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")
        return int(cursor.fetchone()[0])


def run(cases: int, slices: int, workers: int) -> None:
    template = _template(cases)
    clone = f"{bench.DB_NAME}_run"
    bench.admin(f"DROP DATABASE IF EXISTS {clone} WITH (FORCE)")
    started = time.perf_counter()
    bench.admin(f"CREATE DATABASE {clone} TEMPLATE {template}")
    print(f"cloned {template} in {time.perf_counter() - started:.1f} s")
    bench.DB_NAME = clone
    bench.setup_django()
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    bench.admin(f"ALTER DATABASE {clone} SET log_min_duration_statement = 0")
    # Settings under test for the clone only, e.g. BENCH_PG_SET="wal_compression=lz4".
    for setting in filter(None, os.environ.get("BENCH_PG_SET", "").split(",")):
        name, _, value = setting.partition("=")
        bench.admin(f"ALTER DATABASE {clone} SET {name.strip()} = '{value.strip()}'")
        print(f"{name.strip()} = {value.strip()} on the clone")
    connections.close_all()
    offset = LOG.stat().st_size
    print(machine())
    total_wall = total_cpu = total_backend = 0.0
    for slice_ in range(slices):
        released = bench.release(slice_)
        # The backend of this process's connection: the one sweeper's (one worker only).
        before, wal = backend_cpu() or 0.0, _wal_position()
        result, wall, cpu = bench.timed_sweep(workers)
        backend = (backend_cpu() or 0.0) - before if workers == 1 else float("nan")
        wal = _wal_position() - wal
        total_wall += wall
        total_cpu += cpu
        total_backend += backend
        print(
            f"slice {slice_}: {released:,} due, {result.summary()}: {wall:.2f} s wall, "
            f"CPU of the sweepers {cpu:.2f} s, of its PostgreSQL backend {backend:.2f} s, "
            f"WAL {wal / 2**20:.0f} MiB, load {os.getloadavg()[0]:.2f}"
        )
    connections.close_all()
    time.sleep(1)
    bench.admin(f"DROP DATABASE IF EXISTS {clone} WITH (FORCE)")
    by_statement: dict[str, list[float]] = defaultdict(list)
    with LOG.open(errors="replace") as log:
        log.seek(offset)
        for line in log:
            found = _DURATION.search(line)
            if not found or found.group(2) != clone:
                continue
            statement = found.group(4)
            if statement.startswith(
                (
                    "UPDATE workdays_clock SET next_check_at = now()",
                    "INSERT INTO workdays_clockcheck (clock_id, owner_type, next_check_at) SELECT",
                )
            ):
                continue  # The benchmark's release of a slice.
            by_statement[_key(statement)].append(float(found.group(3)))
    rows = sorted(by_statement.items(), key=lambda item: -sum(item[1]))
    overall = sum(sum(times) for _key_, times in rows)
    print(
        f"{slices} slices: wall {total_wall:.2f} s, CPU of the sweepers {total_cpu:.2f} s, "
        f"of the backend {total_backend:.2f} s, PostgreSQL (logged statements) "
        f"{overall / 1000:.2f} s"
    )
    for statement, times in rows[:25]:
        print(f"{sum(times):9.1f} ms {len(times):6d}×  {statement}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["build", "run"])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--slices", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.action == "build":
        build(args.cases)
    else:
        run(args.cases, args.slices, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
