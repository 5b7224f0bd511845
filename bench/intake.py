"""Sustained case creation through the API against the production-like server.

    python bench/intake.py            20 000 requests
    python bench/intake.py --quick       500 requests

Starts ``xiaoneng serve --production`` (gunicorn, 2 workers, gthread) on a free port in a
subprocess, on a fresh database (PostgreSQL when DATABASE_URL is set, else a temporary SQLite
file), issues an API key, and has N client threads POST /api/v1/cases over keep-alive
connections (http.client). Prints cases/s, latency percentiles, errors, and checks that the
number of cases in the database equals the successful creates. Goal (DESIGN.md §9 / issue #10):
at least 300 cases/s with p99 under 100 ms. The client runs on the same machine and takes
CPU from the server: on 2 shared cores the figure is a floor, not the server's capacity.

Then the same server takes ``--batches`` requests of POST /api/v1/cases:batch (500 cases each;
goal ≥ 3 000 cases/s), and this process measures the queries and CPU of one create in process
(goal ≤ 8 queries, ≤ 5 ms of Python) and verifies the audit chain (nothing left queued).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import ROOT, BenchDatabase, backend_cpu, machine

GOAL_RATE = 300
GOAL_P99_MS = 100
WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/categories")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start in time")


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


class Client(threading.Thread):
    def __init__(
        self,
        port: int,
        key: str,
        numbers: list[int],
        barrier: threading.Barrier,
        prefix: str = "bench-",
    ) -> None:
        super().__init__(daemon=True)
        self.port, self.key, self.numbers, self.barrier = port, key, numbers, barrier
        self.prefix = prefix
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"}
        self.barrier.wait()
        for number in self.numbers:
            body = json.dumps(
                {
                    "kind": "complaint",
                    "category": "fees",
                    "content": f"基准测试：家长反映学校违规收费，请核实。编号 {number}",
                    "requester_name": "测试",
                    "requester_phone": f"139{number:08d}",
                    "external_number": f"{self.prefix}{number}",
                }
            )
            began = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/cases", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            elapsed = time.perf_counter() - began
            if status == 201:
                self.latencies.append(elapsed)
            else:
                self.errors[str(status)] = self.errors.get(str(status), 0) + 1
        conn.close()


def batch_rate(port: int, key: str, batches: int, size: int, clients: int = 2) -> None:
    """POST /api/v1/cases:batch: ``batches`` requests of ``size`` cases from ``clients``."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    times: list[float] = []
    failures: list[int] = []

    def run(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        for index in range(offset, batches, clients):
            items = [
                {
                    "kind": "complaint",
                    "category": "fees",
                    "content": f"批量基准：家长反映学校违规收费，请核实。{index}-{n}",
                    "requester_phone": f"138{index:04d}{n:04d}",
                    "external_number": f"batch-{index}-{n}",
                }
                for n in range(size)
            ]
            began = time.perf_counter()
            conn.request(
                "POST", "/api/v1/cases:batch", body=json.dumps({"items": items}), headers=headers
            )
            response = conn.getresponse()
            response.read()
            times.append(time.perf_counter() - began)
            if response.status != 201:
                failures.append(response.status)
        conn.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    rate = batches * size / seconds
    print(
        f"batch: {batches} x {size} cases from {clients} clients in {seconds:.1f} s: "
        f"{rate:,.0f} cases/s, {1000 * statistics.median(times):.0f} ms per batch (median); "
        f"failures {failures or 0}   (goal >= 3000 cases/s: "
        f"{'met' if rate >= 3000 and not failures else 'NOT met'})"
    )


# With --broker the tasks queued by the timed creates go to a queue of their own, emptied at the
# end: no worker of a real deployment sharing the broker ever sees them.
BENCH_QUEUE = "xiaoneng-bench-intake"


def purge_bench_queue() -> None:
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        return
    from xiaoneng.ops.celery_app import app

    with app.connection_for_write() as conn:
        dropped = conn.default_channel.queue_purge(BENCH_QUEUE)
    print(f"broker: {dropped or 0} queued tasks dropped from {BENCH_QUEUE}")


def reading_mode() -> str:
    from django.conf import settings

    if settings.CELERY_BROKER_URL:
        return "triage reading queued to a worker (broker set; the publish is in the figures)"
    return "triage reading in the request after its commit (no broker: embedded mode)"


def timed_creates(client: Any, bodies: list[str]) -> tuple[float, float]:
    """CPU and wall milliseconds per create of ``bodies`` posted in turn (its own function so
    that a py-spy profile can keep only the samples under it)."""
    cpu, wall = time.process_time(), time.perf_counter()
    for body in bodies:
        response = client.post("/api/v1/cases", body, content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(f"in process: {response.status_code} {response.content[:200]!r}")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu / len(bodies) * 1000, wall / len(bodies) * 1000


def in_process(key: str, count: int) -> float:
    """Queries and CPU per create, in this process through Django's test client (the client's
    own work included, so the CPU figure is an upper bound for the server's)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    client = DjangoClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="localhost")

    def body(n: int) -> str:
        return json.dumps(
            {
                "kind": "complaint",
                "category": "fees",
                "content": f"进程内基准：家长反映学校违规收费。{n}",
                "requester_phone": f"137{n:08d}",
                "external_number": f"inproc-{n}",
            }
        )

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # Each request would close the connection (CONN_MAX_AGE 0 here), and the new connection
    # starts an empty query log: the capture read 0 queries. Keep the connection across the
    # measured requests, as a server's persistent connection does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    for n in range(5):
        client.post("/api/v1/cases", body(n), content_type="application/json")
    # Counted by an execute wrapper (what reaches the driver), with the transaction each ran in:
    # the registration's, then the triage reading's after the commit.
    seen: list[tuple[int, str]] = []
    commits = {"n": 0}

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append((commits["n"], sql))
        return execute(sql, params, many, context)

    connection.ensure_connection()
    # Django's own commit step is counted (sqlite3's connection, unlike psycopg's, does not let
    # its ``commit`` be replaced).
    real_commit = connection._commit

    def commit() -> None:
        commits["n"] += 1
        real_commit()

    connection._commit = commit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(counted):
            response = client.post("/api/v1/cases", body(5), content_type="application/json")
    finally:
        connection._commit = real_commit  # type: ignore[method-assign]
    if response.status_code != 201:
        raise SystemExit(f"in process: {response.status_code} {response.content[:200]!r}")
    database = backend_cpu()
    cpu, wall = timed_creates(client, [body(n) for n in range(6, 6 + count)])
    after = backend_cpu()
    if database is not None and after is not None:
        print(
            f"in process: PostgreSQL's backend used {(after - database) / count * 1000:.1f} ms "
            f"CPU per create (clock ticks of 10 ms, summed over {count} creates)"
        )
    print(f"in process: {reading_mode()}")
    statements = [sql for step, sql in seen if step == 0]
    after = [sql for step, sql in seen if step > 0]
    print(
        f"in process: {len(statements)} statements in the registration's transaction (plus "
        f"BEGIN/COMMIT), {len(after)} in the triage reading after its commit; "
        f"{cpu:.1f} ms CPU (this process: Django's test client, the view, the services, the "
        f"reading) and {wall:.1f} ms wall per create over {count} creates "
        f"(goal <= 8 queries: {'met' if len(statements) <= 8 else 'NOT met'}; "
        f"<= 5 ms Python: {'met' if cpu <= 5 else 'NOT met'})"
    )
    for step, sql in seen:
        print(f"    {'after ' if step else ''}{sql[:110]}")
    # The batch endpoint in process: CPU of this process per case (PostgreSQL's own time not
    # included; see the HTTP batch figure for the whole).
    size = 500
    batch = json.dumps(
        {
            "items": [
                json.loads(body(100_000 + n)) | {"external_number": f"inproc-batch-{n}"}
                for n in range(size)
            ]
        }
    )
    database = backend_cpu()
    cpu, wall = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/cases:batch", batch, content_type="application/json")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    after = backend_cpu()
    if database is not None and after is not None:
        print(
            f"batch in process: PostgreSQL's backend used {(after - database) * 1000 / size:.2f} "
            f"ms CPU a case"
        )
    if response.status_code != 201:
        raise SystemExit(f"batch in process: {response.status_code} {response.content[:200]!r}")
    print(
        f"batch in process: {size} cases in {len(queries.captured_queries)} statements, "
        f"{cpu * 1000 / size:.2f} ms CPU a case ({size / cpu:,.0f} cases/s of this process's "
        f"CPU), {wall:.2f} s wall (goal >= 3 000 cases/s)"
    )
    return 1000 / (cpu * 1000 / size) if cpu else 0.0


# A case-sized transaction as the issue names it (6 INSERT + UPDATE + SELECT), rows about the
# size of a case's, for pgbench on the same server: the physical anchor of a create.
PGBENCH_SCHEMA = """
DROP TABLE IF EXISTS pgb_case, pgb_clock, pgb_event, pgb_outbox, pgb_audit, pgb_counter,
    pgb_state;
CREATE TABLE pgb_state (id int PRIMARY KEY, token text);
INSERT INTO pgb_state VALUES (1, 'token'), (2, 'token');
CREATE TABLE pgb_counter (day int PRIMARY KEY, value bigint);
INSERT INTO pgb_counter VALUES (1, 0);
CREATE TABLE pgb_case (id bigserial PRIMARY KEY, code text UNIQUE, body text);
CREATE TABLE pgb_clock (id bigserial PRIMARY KEY, case_id bigint, body text);
CREATE TABLE pgb_event (id bigserial PRIMARY KEY, case_id bigint, body text);
CREATE TABLE pgb_outbox (id bigserial PRIMARY KEY, case_id bigint, body text);
CREATE TABLE pgb_audit (id bigserial PRIMARY KEY, body text);
"""
PGBENCH_SCRIPT = """\\set n random(1, 1000000000)
BEGIN;
SELECT id, token FROM pgb_state WHERE id IN (1, 2);
INSERT INTO pgb_case (code, body) VALUES (md5(random()::text), repeat('c', 600));
INSERT INTO pgb_clock (case_id, body) VALUES (:n, repeat('k', 150));
INSERT INTO pgb_clock (case_id, body) VALUES (:n, repeat('k', 150));
INSERT INTO pgb_event (case_id, body) VALUES (:n, repeat('e', 150));
INSERT INTO pgb_outbox (case_id, body) VALUES (:n, repeat('o', 300));
INSERT INTO pgb_audit (body) VALUES (repeat('a', 400));
UPDATE pgb_counter SET value = value + 1 WHERE day = 1;
END;
"""


def pgbench_rate(db: BenchDatabase, clients: int, seconds: int) -> float | None:
    """pgbench's rate of case-sized transactions on the same server and database (None when
    pgbench or PostgreSQL is not there)."""
    import re
    import shutil

    from django.db import connection

    pgbench = shutil.which("pgbench") or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None
    )
    if pgbench is None or connection.vendor != "postgresql":
        print("pgbench: not available (PostgreSQL only)")
        return None
    with connection.cursor() as cursor:
        cursor.execute(PGBENCH_SCHEMA)
    script = db.tmp / "case.sql"
    script.write_text(PGBENCH_SCRIPT)
    url = f"{db.server}/{db.name}"
    result = subprocess.run(
        [pgbench, "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", str(script), url],
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"tps = ([0-9.]+)", result.stdout)
    if not found:
        print(f"pgbench failed: {result.stderr.strip()[:300]}")
        return None
    rate = float(found.group(1))
    print(
        f"pgbench, a case-sized transaction (6 INSERT + UPDATE + SELECT), -c{clients} "
        f"-T{seconds}: {rate:,.0f} tx/s"
    )
    return rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 requests instead of 20 000")
    parser.add_argument("--requests", type=int)
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--batches", type=int, help="POST /cases:batch requests (after the run)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--in-process", type=int, default=100, help="creates measured in process")
    parser.add_argument(
        "--in-process-only",
        action="store_true",
        help="only the in-process figures (no HTTP server, no pgbench): for profiling a create",
    )
    parser.add_argument(
        "--broker",
        help=(
            "a Celery broker URL (redis://…): measure as in production, where the triage reading "
            "of a pooled case is queued to a worker instead of run in the request; the bench's "
            "own queue is emptied at the end (no worker needed)"
        ),
    )
    args = parser.parse_args(argv)
    total = args.requests or (500 if args.quick else 20_000)
    args.batches = args.batches or (4 if args.quick else 20)
    print(machine())
    with BenchDatabase("xiaoneng_bench_intake", keep=args.keep) as db:
        if args.broker:
            # Set here: entering the database replaced the environment. Read by the settings
            # when Django starts, and passed on to the server (``db.env()`` copies it).
            os.environ["CELERY_BROKER_URL"] = args.broker
            os.environ["CELERY_QUEUE"] = BENCH_QUEUE
        db.setup_django()
        from xiaoneng.api.services import apiclient_create, apikey_issue
        from xiaoneng.cases.models import Case

        client = apiclient_create(
            name="bench-hotline", scopes=["cases:create", "catalog:read"], roles=["intake"], by=None
        )
        key = apikey_issue(client=client, by=None).plaintext
        if args.in_process_only:
            try:
                in_process(key, args.in_process)
            finally:
                purge_bench_queue()
            print(machine())
            return 0
        port = free_port()
        command = [
            str(Path(sys.executable).parent / "xiaoneng"),
            "serve",
            "--production",
            "--workers",
            str(WORKERS),
            "--port",
            str(port),
            "--access-log",
            str(db.tmp / "access.log"),
        ]
        log = open(db.tmp / "server.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen(command, env=db.env(), cwd=ROOT, stdout=log, stderr=log)
        try:
            wait_ready(port, server)
            print(
                f"server: xiaoneng serve --production (gunicorn, {WORKERS} workers, gthread), "
                f"database: {db.engine}; {args.clients} client threads, keep-alive"
            )
            # Warm up every worker (imports, URL resolver, connections) outside the timing.
            warm = [Client(port, key, list(range(20)), threading.Barrier(1), prefix="warm-")]
            for thread in warm:
                thread.start()
                thread.join()
            numbers = list(range(total))
            barrier = threading.Barrier(args.clients + 1)
            clients = [
                Client(port, key, numbers[index :: args.clients], barrier)
                for index in range(args.clients)
            ]
            for thread in clients:
                thread.start()
            barrier.wait()
            began = time.perf_counter()
            for thread in clients:
                thread.join()
            seconds = time.perf_counter() - began
            batch_rate(port, key, batches=args.batches, size=args.batch_size)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
        latencies = sorted(value for thread in clients for value in thread.latencies)
        errors: dict[str, int] = {}
        for thread in clients:
            for status, count in thread.errors.items():
                errors[status] = errors.get(status, 0) + count
        ok = len(latencies)
        rate = ok / seconds
        p50, p95, p99 = (percentile(latencies, f) * 1000 for f in (0.50, 0.95, 0.99))
        print(f"{total:,} requests in {seconds:.1f} s: {ok:,} created, errors {errors or 0}")
        print(
            f"cases/s: {rate:,.0f}   "
            f"(goal >= {GOAL_RATE}: {'met' if rate >= GOAL_RATE else 'NOT met'})"
        )
        print(
            f"latency ms: p50 {p50:.1f}, p95 {p95:.1f}, p99 {p99:.1f}, "
            f"mean {statistics.fmean(latencies) * 1000 if latencies else float('nan'):.1f}   "
            f"(goal p99 < {GOAL_P99_MS}: {'met' if p99 < GOAL_P99_MS else 'NOT met'})"
        )
        in_db = Case.objects.filter(external_number__startswith="bench-").count()
        print(f"cases in the database: {in_db:,} == successful creates {ok:,}: {in_db == ok}")
        try:
            inproc_batch = in_process(key, args.in_process)
        finally:
            purge_bench_queue()
        anchor = pgbench_rate(db, clients=args.clients, seconds=5 if args.quick else 15)
        print(machine())
        if anchor:
            share = rate / anchor * 100
            print(
                f"share of pgbench's case-sized transaction rate: HTTP creates {share:.1f} % "
                f"(goal >= 10 %: {'met' if share >= 10 else 'NOT met'}); the batch's "
                f"in-process CPU rate is {inproc_batch / anchor * 100:.0f} % of it"
            )
        from xiaoneng.audit.models import AuditQueued
        from xiaoneng.audit.selectors import audit_chain_verify

        report = audit_chain_verify()
        print(
            f"audit chain: {report.rows:,} rows, intact: {report.ok}; "
            f"queued: {AuditQueued.objects.count()}"
        )
        return 0 if in_db == ok and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
