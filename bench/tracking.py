"""Public tracking lookups at a constant rate against the production-like server.

    python bench/tracking.py            1 000 000 generated cases, 3 runs of 60 s at 200/s
    python bench/tracking.py --quick       50 000 generated cases, 3 runs of 10 s at 200/s

Copies the PostgreSQL template of N generated cases (``xiaoneng bench-data``, built once; the
local server unless DATABASE_URL is set), reads 2 000 random ones with their secrets
(``bench_tracking_secret``), a tenth given a wrong secret, and starts ``xiaoneng serve
--production`` (gunicorn, its default workers and threads) on a free port without the periodic
jobs (bench/sweep.py measures those). Goal (DESIGN.md §9): p99 < 25 ms at 200 lookups/s.

A lookup is what a browser does: POST /portal/track/ (code, secret, CSRF token), answered with
the request's page itself (issue #25 item 4: one request, no redirect, no session), which must
show the case number and set no session cookie; a wrong secret must get 200 and the "not found"
message. With ``--link`` a tenth of the valid lookups instead open the page's signed link (GET
/portal/track/case/?t=…), as a bookmark or a refresh does.

The load is open-loop (bench/_loadgen.py): lookup i is due at start + i/rate whatever the
answers, and its latency runs from that moment to the last byte, so when the server falls
behind the wait is counted (no coordinated omission). The client is asyncio on raw sockets
with every request built before the run, so it takes little of the cores it shares with the
server; its CPU and the server's (gunicorn's processes, from /proc) per lookup are printed
with each run. ``--ramp`` then raises the rate by 50/s to the highest rate answered in full
and the highest within the goal. Last, when ``wrk`` is installed, a closed-loop run (wrk, C,
one thread) gives the server's capacity with the client's share at its smallest.

Rate limiting: 30 lookups per address per 10 minutes (portal/ratelimit.py), a Django setting
with no environment variable. The server runs with XIAONENG_TRUSTED_PROXIES=127.0.0.1, as behind a
deployment's reverse proxy, and each lookup comes from its own X-Forwarded-For address: the
limiter still runs and is measured, but a crowd of citizens is not one address. A 429 or any
other unexpected answer counts as an error.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _loadgen as loadgen
from _db import QUICK_CASES, ROOT, BenchDatabase, machine
from _loadgen import Answer, Judge, Planned, exchange_one
from intake import free_port, percentile, wait_ready

GOAL_RATE = 200
GOAL_P99_MS = 25
RUNS = 3
MAX_BACKLOG_SECONDS = 5  # stop a run once this much work is queued and unanswered
NOT_FOUND = b'data-testid="not-found"'
TRACK, PAGE = "/portal/track/", "/portal/track/case/"  # checked against reverse() in main()
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
LINK = re.compile(rb'\?t=([^"&]+)" data-testid="track-link"')
WRK_CONNECTIONS = 8


def machine_load() -> str:
    return f"load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""


class Pair(NamedTuple):
    number: str
    code: str
    secret: str
    valid: bool


def address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def _request(method: str, path: str, port: int, headers: dict[str, str], body: str = "") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if method == "POST":
        lines.append(f"Content-Length: {len(body.encode())}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


class Lookups:
    """The requests of lookups, built before a run, and the judges of their answers: the CSRF
    cookie and token of one visit to /track/ (as a browser has them), and the signed links seen
    so far (code -> token, with ``--link``)."""

    def __init__(self, port: int, links: bool) -> None:
        self.port = port
        self.links: dict[str, str] | None = {} if links else None
        answer = exchange_one("127.0.0.1", port, _request("GET", TRACK, port, {}))
        match = TOKEN.search(answer.body)
        if answer.status != 200 or "csrftoken" not in answer.cookies or not match:
            raise SystemExit(f"GET {TRACK} gave no CSRF token (status {answer.status})")
        self.csrf, self.token = answer.cookies["csrftoken"], match.group(1).decode()

    def request(self, pair: Pair, n: int) -> Planned:
        headers = {"Cookie": f"csrftoken={self.csrf}", "X-Forwarded-For": address(n)}
        if pair.valid and self.links and pair.code in self.links and n % 10 == 0:
            path = f"{PAGE}?t={self.links[pair.code]}"
            return Planned(_request("GET", path, self.port, headers), self._judge_link(pair))
        form = {"csrfmiddlewaretoken": self.token, "code": pair.code, "secret": pair.secret}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = _request("POST", TRACK, self.port, headers, urlencode(form))
        return Planned(data, self._judge_post(pair))

    def _judge_link(self, pair: Pair) -> Judge:
        def judge(answer: Answer) -> str | None:
            ok = answer.status == 200 and pair.number.encode() in answer.body
            return None if ok and "sessionid" not in answer.cookies else "link: " + _said(answer)

        return judge

    def _judge_post(self, pair: Pair) -> Judge:
        def judge(answer: Answer) -> str | None:
            if not pair.valid:
                ok = answer.status == 200 and NOT_FOUND in answer.body
                return None if ok else "wrong secret: " + _said(answer)
            if "sessionid" in answer.cookies:
                return "valid pair: a session was written"
            if answer.status != 200 or pair.number.encode() not in answer.body:
                return "valid pair: " + _said(answer)
            if self.links is not None and pair.code not in self.links:
                link = LINK.search(answer.body)
                if link:
                    self.links[pair.code] = link.group(1).decode()
            return None

        return judge

    def plan(self, pairs: list[Pair], count: int, first: int) -> list[Planned]:
        chosen = random.Random(first).choices(pairs, k=count)
        return [self.request(pair, first + i) for i, pair in enumerate(chosen)]


def _said(answer: Answer) -> str:
    return f"{answer.status}" + (" (page without the case)" if answer.status == 200 else "")


def server_cpu(pid: int) -> float:
    """CPU seconds of the server process, its live children and the children it reaped
    (recycled workers), from /proc (0 where there is none)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            own = int(entry.name) == pid
            if own or int(fields[1]) == pid:  # fields[1]: the parent's pid
                total += int(fields[11]) + int(fields[12])  # utime, stime
                if own:
                    total += int(fields[13]) + int(fields[14])  # cutime, cstime (reaped)
    except OSError:
        return 0.0
    return total / ticks


@dataclass
class Run:
    lookups: int
    planned: int
    rate: float
    p50: float
    p95: float
    p99: float
    queued_p99: float
    server_ms: float  # server CPU per answered lookup
    client_ms: float  # this client's CPU per lookup sent
    errors: dict[str, int]


def load(
    server: subprocess.Popen, lookups: Lookups, pairs: list[Pair], rate: float,
    seconds: float, first: int, connections: int,
) -> Run:  # fmt: skip
    """Open loop: lookup i is due at start + i/rate; latency runs from that moment."""
    plan = lookups.plan(pairs, round(rate * seconds), first)  # built outside the timing
    cpu, client = server_cpu(server.pid), time.process_time()
    out = loadgen.run(
        "127.0.0.1", lookups.port, plan, rate=rate, connections=connections,
        max_backlog=MAX_BACKLOG_SECONDS,
    )  # fmt: skip
    cpu, client = server_cpu(server.pid) - cpu, time.process_time() - client
    ok = sorted(out.latencies)
    ms = [percentile(ok, f) * 1000 for f in (0.5, 0.95, 0.99)]
    queued = percentile(sorted(out.queued), 0.99) * 1000
    answered = max(1, len(ok))
    return Run(
        out.sent, out.planned, len(ok) / out.elapsed, *ms, queued,
        cpu * 1000 / answered, client * 1000 / max(1, out.sent), out.errors,
    )  # fmt: skip


def ramp(server: subprocess.Popen, lookups: Lookups, pairs: list[Pair], connections: int) -> None:
    """The highest offered rate (50/s steps, 10 s each) answered in full (≥ 97 %, no backlog),
    and the highest whose p99 meets the goal; the first step that falls short ends the ramp."""
    best = within = 0.0
    rate, under_goal = 100.0, True
    while rate <= 2000:
        run = load(server, lookups, pairs, rate, 10, int(rate) * 7_000_000, connections)
        kept = run.lookups == run.planned and run.rate >= 0.97 * rate
        print(
            f"ramp {rate:g}/s: {run.rate:.1f}/s answered, p50 {run.p50:.1f}, p99 "
            f"{run.p99:.1f} ms{'' if kept else ' (not sustained)'}; server CPU "
            f"{run.server_ms:.2f} ms a lookup; errors {run.errors or 0}",
            flush=True,
        )
        if not kept:
            break
        best = rate
        under_goal = under_goal and run.p99 < GOAL_P99_MS
        within = rate if under_goal else within
        rate += 50
    print(f"maximum sustainable rate: {best:g} lookups/s (all answered, any latency)")
    print(f"maximum rate with p99 < {GOAL_P99_MS} ms: {within:g} lookups/s")


WRK_SCRIPT = """
local i = 0
request = function()
  i = i + 1
  return requests[(i % #requests) + 1]
end
done = function(summary, latency, requests)
  io.write(string.format("wrk-latency-ms %.2f %.2f %.2f\\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def _lua_string(text: str) -> str:
    """A Lua string literal (not a long bracket, which would turn CR LF into LF)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "\\r").replace("\n", "\\n") + '"'


def wrk_capacity(
    server: subprocess.Popen, lookups: Lookups, pairs: list[Pair], folder: Path, connections: int
) -> None:
    """The server's capacity, closed loop: wrk (C, one thread, ``connections`` keep-alive
    connections) sends prepared lookups as fast as they are answered for 10 s. Its latencies
    are not the open-loop ones (a closed loop waits for the server); the rate is what the
    server answers with little of the cores spent on the client. Skipped without wrk."""
    wrk = shutil.which("wrk")
    if wrk is None:
        print("capacity (wrk, closed loop): wrk is not installed, skipped")
        return
    # Every address once (the limiter allows 30 lookups per address), valid pairs only
    # (the links are already in the open-loop figures), at most 10 000 requests.
    plan = lookups.plan([p for p in pairs if p.valid], 10_000, 90_000_000)
    quoted = ",\n".join(_lua_string(item.data.decode()) for item in plan)
    script = folder / "lookups.lua"
    script.write_text("requests = {\n" + quoted + "\n}\n" + WRK_SCRIPT)
    command = [wrk, "-t1", f"-c{connections}", "-d10s", "-s", str(script)]
    cpu = server_cpu(server.pid)
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{lookups.port}/"], capture_output=True, text=True
    ).stdout
    cpu = server_cpu(server.pid) - cpu
    total = re.search(r"(\d+) requests in", out)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"wrk-latency-ms ([\d.]+) ([\d.]+) ([\d.]+)", out)
    if not (total and rate and latency):
        print(f"capacity (wrk, closed loop): no figures from wrk:\n{out}")
        return
    print(
        f"capacity (wrk -t1 -c{connections}, closed loop, 10 s): {float(rate.group(1)):.1f} "
        f"lookups/s answered, p50 {latency.group(1)}, p99 {latency.group(2)} ms; server CPU "
        f"{cpu * 1000 / max(1, int(total.group(1))):.2f} ms a lookup; non-2xx "
        f"{bad.group(1) if bad else 0}",
        flush=True,
    )


def read_pairs(count: int) -> list[Pair]:
    """Random generated cases whose stored hash matches the derived secret (demo cases don't)."""
    from xiaoneng.cases.identifiers import secret_hash
    from xiaoneng.cases.models import Case
    from xiaoneng.demo.benchlife import ALPHABET, bench_tracking_secret

    rows = Case.objects.order_by("?").values_list("number", "tracking_code", "tracking_secret_hash")
    pairs = []
    rng = random.Random(7)
    for number, code, stored in rows[: count + count // 2]:
        secret = bench_tracking_secret(code)
        if secret_hash(code, secret) != stored:
            continue
        if rng.random() < 0.1:  # Same length and alphabet, one character off.
            wrong = rng.choice([c for c in ALPHABET if c != secret[0]])
            pairs.append(Pair(number, code, wrong + secret[1:], valid=False))
        else:
            pairs.append(Pair(number, code, secret, valid=True))
    return pairs[:count]


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 000 cases, 10 s per run")
    parser.add_argument("--cases", type=int)
    parser.add_argument("--rate", type=float, default=GOAL_RATE, help="lookups per second")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--pairs", type=int, default=2000, help="distinct (code, secret) pairs")
    parser.add_argument(
        "--connections", type=int, default=64, help="most keep-alive connections of the client"
    )
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: serve's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: serve's)")
    parser.add_argument(
        "--no-wrk", action="store_true", help="skip the closed-loop capacity run with wrk"
    )
    parser.add_argument(
        "--cache-url",
        default="",
        help="the server's XIAONENG_CACHE_URL (a Redis URL: one cache shared by its processes)",
    )
    parser.add_argument(
        "--link", action="store_true", help="a tenth of valid lookups open the signed link"
    )
    parser.add_argument(
        "--ramp",
        action="store_true",
        help="after the runs, raise the rate by 50/s (10 s each) to find the sustainable maximum",
    )
    args = parser.parse_args(argv)
    cases = args.cases or (QUICK_CASES if args.quick else 1_000_000)
    seconds = args.seconds or (10 if args.quick else 60)
    print(machine())
    with BenchDatabase("xiaoneng_bench_tracking", cases=cases) as db:
        db.setup_django()
        from django.urls import reverse

        from xiaoneng.cases.models import Case
        from xiaoneng.ops.management.commands.serve import default_workers

        assert (reverse("portal:track"), reverse("portal:track_detail")) == (TRACK, PAGE)
        pairs = read_pairs(args.pairs)
        if len(pairs) < args.pairs // 2:
            raise SystemExit(f"only {len(pairs)} generated cases with derivable secrets")
        print(
            f"database: {db.engine}, {Case.objects.count():,} cases ({cases:,} generated); "
            f"{len(pairs):,} pairs, {sum(not p.valid for p in pairs)} with a wrong secret"
        )
        workers = args.workers or default_workers()
        port = free_port()
        command = [
            str(Path(sys.executable).parent / "xiaoneng"), "serve", "--production",
            "--no-periodic", "--workers", str(workers), "--port", str(port),
            "--access-log", str(db.tmp / "access.log"),
        ]  # fmt: skip
        if args.threads:
            command += ["--threads", str(args.threads)]
        env = {**db.env(), "XIAONENG_TRUSTED_PROXIES": "127.0.0.1"}
        # The server runs this checkout's code: the virtualenv's ``xiaoneng`` script imports
        # the package from wherever it was installed (a worktree sharing the main checkout's
        # virtualenv would otherwise measure the main checkout).
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])
        )
        if args.cache_url:
            # A fresh prefix: nothing a former run cached is found (its cases are the same).
            env["XIAONENG_CACHE_URL"] = args.cache_url
            env["XIAONENG_CACHE_PREFIX"] = f"{db.name}-{os.getpid()}-{time.time_ns()}"
        log = open(db.tmp / "server.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
        runs: list[Run] = []
        try:
            wait_ready(port, server)
            print(
                f"server: xiaoneng serve --production (gunicorn, {workers} workers"
                f"{f', {args.threads} threads each' if args.threads else ''}, "
                f"{'a shared Redis cache' if args.cache_url else 'a cache per process'}, no "
                f"periodic jobs); client: asyncio, open loop at {args.rate:g} lookups/s, up to "
                f"{args.connections} keep-alive connections, {RUNS} runs of {seconds:g} s",
                flush=True,
            )
            lookups = Lookups(port, links=args.link)
            # First prove that the answers are the right ones, one by one.
            good = [p for p in pairs if p.valid][:5] + [p for p in pairs if not p.valid][:5]
            for n, pair in enumerate(good):
                planned = lookups.request(pair, n)
                error = planned.judge(exchange_one("127.0.0.1", port, planned.data))
                if error:
                    raise SystemExit(f"check failed for {pair}: {error}")
            print(f"check: {len(good)} lookups answer the case page or 'not found' as expected")
            # Warm every worker (templates, connections, the links) outside the timing.
            load(server, lookups, pairs, args.rate, 3, 1_000, args.connections)
            for index in range(RUNS):
                first = (index + 1) * 1_000_000
                run = load(server, lookups, pairs, args.rate, seconds, first, args.connections)
                runs.append(run)
                print(
                    f"run {index + 1}: {run.lookups:,} of {run.planned:,} lookups sent"
                    f"{' (stopped: server saturated)' if run.lookups < run.planned else ''}, "
                    f"{run.rate:.1f}/s answered; latency ms "
                    f"p50 {run.p50:.1f}, p95 {run.p95:.1f}, p99 {run.p99:.1f}; "
                    f"waiting for a connection p99 {run.queued_p99:.1f} ms; CPU a lookup: "
                    f"server {run.server_ms:.2f} ms, client {run.client_ms:.2f} ms; "
                    f"errors {run.errors or 0}; {machine_load()}",
                    flush=True,
                )
            if args.ramp:
                ramp(server, lookups, pairs, args.connections)
            if not args.no_wrk:
                wrk_capacity(server, lookups, pairs, db.tmp, WRK_CONNECTIONS)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
    total = sum(r.lookups for r in runs)
    errors = sum(sum(r.errors.values()) for r in runs)
    p99 = statistics.median(r.p99 for r in runs)
    rate = statistics.median(r.rate for r in runs)
    print(
        f"median (min–max) of {RUNS} runs: p50 {spread([r.p50 for r in runs])}, "
        f"p95 {spread([r.p95 for r in runs])}, p99 {spread([r.p99 for r in runs])} ms; "
        f"rate {spread([r.rate for r in runs])}/s; errors {errors} of {total:,}"
    )
    met = p99 < GOAL_P99_MS and rate >= 0.97 * GOAL_RATE
    print(
        f"tracking lookup p99 {p99:.1f} ms at {rate:.0f} req/s "
        f"(goal < {GOAL_P99_MS} ms at {GOAL_RATE}/s: {'met' if met else 'NOT met'})"
    )
    return 1 if errors > 0.001 * total else 0


if __name__ == "__main__":
    sys.exit(main())
