"""Public tracking lookups at a constant rate against the production-like server.

    python bench/tracking.py            1 000 000 generated cases, 3 runs of 60 s at 200/s
    python bench/tracking.py --quick       50 000 generated cases, 3 runs of 10 s at 200/s

Copies the PostgreSQL template of N generated cases (``xiaoneng bench-data``, built once; the
local server unless DATABASE_URL is set), reads 2 000 random ones with their secrets
(``bench_tracking_secret``), a tenth given a wrong secret, and starts ``xiaoneng serve
--production`` (gunicorn gthread, 2 × cores + 1 workers) on a free port without the periodic
jobs (bench/sweep.py measures those). Goal (DESIGN.md §9): p99 < 25 ms at 200 lookups/s.

A lookup is what a browser does: POST /portal/track/ (code, secret, CSRF token), answered with
the request's page itself (issue #25 item 4: one request, no redirect, no session), which must
show the case number and set no session cookie; a wrong secret must get 200 and the "not found"
message. With ``--link`` a tenth of the valid lookups instead open the page's signed link (GET
/portal/track/case/?t=…), as a bookmark or a refresh does. Latency runs from the lookup's
scheduled time to the last byte. The load is open-loop: lookups are scheduled 1/rate apart
whatever the answers and sent by a pool of threads on keep-alive connections (http.client), so
when the server falls behind the wait is counted (no coordinated omission; wrk is closed-loop).
Client (this process) and server (gunicorn's) share the machine's cores.

Rate limiting: 30 lookups per address per 10 minutes (portal/ratelimit.py), a Django setting
with no environment variable. The server runs with XIAONENG_TRUSTED_PROXIES=127.0.0.1, as behind a
deployment's reverse proxy, and each lookup comes from its own X-Forwarded-For address: the
limiter still runs and is measured, but a crowd of citizens is not one address. A 429 or any
other unexpected answer counts as an error.
"""

from __future__ import annotations

import argparse
import http.client
import queue
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import QUICK_CASES, ROOT, BenchDatabase, machine
from intake import free_port, percentile, wait_ready

GOAL_RATE = 200
GOAL_P99_MS = 25
RUNS = 3
MAX_BACKLOG_SECONDS = 5  # stop a run once this much work is queued and unanswered
NOT_FOUND = b'data-testid="not-found"'
TRACK, PAGE = "/portal/track/", "/portal/track/case/"  # checked against reverse() in main()
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
LINK = re.compile(rb'\?t=([^"&]+)" data-testid="track-link"')
RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Pair(NamedTuple):
    number: str
    code: str
    secret: str
    valid: bool


def address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Browser:
    """One keep-alive connection with the CSRF cookie and token a visit to /track/ gives."""

    def __init__(self, port: int, links: dict[str, str] | None = None) -> None:
        # Signed links seen so far (code -> token), shared by the pool: None without --link.
        self.links = links
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status, cookies, body = self.send("GET", TRACK, {})
        match = TOKEN.search(body)
        if status != 200 or "csrftoken" not in cookies or not match:
            raise SystemExit(f"GET {TRACK} gave no CSRF token (status {status})")
        self.csrf, self.token = cookies["csrftoken"], match.group(1).decode()

    def send(
        self, method: str, path: str, headers: dict[str, str], body: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except RETRYABLE:
                # The server closed an idle or recycled worker's keep-alive connection: a
                # browser reconnects and resends, and so do we (once).
                self.conn.close()
                if attempt == 2:
                    raise
        pairs = (
            h.split(";", 1)[0].partition("=") for h in response.headers.get_all("Set-Cookie") or []
        )
        return response.status, {name.strip(): value for name, _, value in pairs}, data

    def lookup(self, pair: Pair, n: int) -> tuple[str | None, float]:
        """Error (None when the answer is the expected one) and the end time of the POST."""
        headers = {"Cookie": f"csrftoken={self.csrf}", "X-Forwarded-For": address(n)}
        form = {"csrfmiddlewaretoken": self.token, "code": pair.code, "secret": pair.secret}
        post = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            if pair.valid and self.links and pair.code in self.links and n % 10 == 0:
                status, cookies, body = self.send(
                    "GET", f"{PAGE}?t={self.links[pair.code]}", headers
                )
                posted = time.perf_counter()
                ok = status == 200 and pair.number.encode() in body and "sessionid" not in cookies
                return (None if ok else f"valid pair: link {status}"), posted
            status, cookies, body = self.send("POST", TRACK, post, urlencode(form))
            posted = time.perf_counter()
            if not pair.valid:
                ok = status == 200 and NOT_FOUND in body
                return (None if ok else f"wrong secret: {status}"), posted
            if "sessionid" in cookies:
                return "valid pair: a session was written", posted
            if status != 200 or pair.number.encode() not in body:
                return f"valid pair: POST {status}", posted
            if self.links is not None and pair.code not in self.links:
                link = LINK.search(body)
                if link:
                    self.links[pair.code] = link.group(1).decode()
            return None, posted
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            return type(exc).__name__, time.perf_counter()


@dataclass
class Run:
    lookups: int
    planned: int
    rate: float
    p50: float
    p95: float
    p99: float
    post_p99: float
    lag_p99: float
    errors: dict[str, int]


def load(
    port: int,
    pairs: list[Pair],
    rate: float,
    seconds: float,
    first: int,
    pool: int,
    links: dict[str, str] | None = None,
) -> Run:
    """Open loop: the main thread queues lookup i at start + i/rate; pool threads send them."""
    jobs: queue.SimpleQueue[tuple[float, Pair, int] | None] = queue.SimpleQueue()
    results: list[tuple[float, float, float, str | None]] = []  # latency, POST, lag, error
    browsers = [Browser(port, links) for _ in range(pool)]  # CSRF visits outside the timing

    def work(browser: Browser) -> None:
        while (job := jobs.get()) is not None:
            due, pair, n = job
            lag = time.perf_counter() - due  # waiting for a free connection (or the GIL)
            error, posted = browser.lookup(pair, n)
            results.append((time.perf_counter() - due, posted - due, lag, error))

    threads = [threading.Thread(target=work, args=(b,), daemon=True) for b in browsers]
    for thread in threads:
        thread.start()
    total = round(rate * seconds)
    chosen = random.Random(first).choices(pairs, k=total)
    start = time.perf_counter() + 0.05
    for i, pair in enumerate(chosen):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        if i - len(results) > rate * MAX_BACKLOG_SECONDS:
            # Saturated: the queue only grows from here, and draining it would take minutes.
            # The lookups not sent are left out; the latencies so far already show the miss.
            break
        jobs.put((due, pair, first + i))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    for browser in browsers:
        browser.conn.close()
    ok = sorted(r[0] for r in results if r[3] is None)
    post = sorted(r[1] for r in results if r[3] is None)
    lag = sorted(r[2] for r in results)
    ms = [percentile(values, f) * 1000 for values, f in ((ok, 0.5), (ok, 0.95), (ok, 0.99))]
    ms += [percentile(post, 0.99) * 1000, percentile(lag, 0.99) * 1000]
    errors = Counter(r[3] for r in results if r[3] is not None)
    return Run(len(results), total, len(ok) / elapsed, *ms, dict(errors))


def ramp(port: int, pairs: list[Pair], pool: int, links: dict[str, str] | None) -> float:
    """The highest offered rate (50/s steps, 10 s each) answered in full (≥ 97 %, no backlog),
    with the p99 at each step; the first step that falls short ends the ramp."""
    best = 0.0
    rate = 100.0
    while rate <= 2000:
        run = load(port, pairs, rate, 10, int(rate) * 7_000_000, pool, links)
        kept = run.lookups == run.planned and run.rate >= 0.97 * rate
        print(
            f"ramp {rate:g}/s: {run.rate:.1f}/s answered, p50 {run.p50:.1f}, p99 "
            f"{run.p99:.1f} ms{'' if kept else ' (not sustained)'}; errors {run.errors or 0}"
        )
        if not kept:
            break
        best = rate
        rate += 50
    print(f"maximum sustainable rate: {best:g} lookups/s (all answered, any latency)")
    return best


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
    parser.add_argument("--connections", type=int, default=32, help="client keep-alive pool")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 × cores + 1)")
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
        env = {**db.env(), "XIAONENG_TRUSTED_PROXIES": "127.0.0.1"}
        log = open(db.tmp / "server.log", "wb")  # noqa: SIM115 - closed below
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
        runs: list[Run] = []
        try:
            wait_ready(port, server)
            print(
                f"server: xiaoneng serve --production (gunicorn, {workers} workers × 4 threads, "
                f"gthread, no periodic jobs); client: open loop at {args.rate:g} lookups/s, "
                f"{args.connections} keep-alive connections, {RUNS} runs of {seconds:g} s"
            )
            # First prove that the answers are the right ones, one by one.
            browser = Browser(port)
            good = [p for p in pairs if p.valid][:5] + [p for p in pairs if not p.valid][:5]
            for n, pair in enumerate(good):
                error, _ = browser.lookup(pair, n)
                if error:
                    raise SystemExit(f"check failed for {pair}: {error}")
            print(f"check: {len(good)} lookups answer the case page or 'not found' as expected")
            # Warm every worker (templates, connections, the session table) outside the timing.
            links: dict[str, str] | None = {} if args.link else None
            load(port, pairs, args.rate, 3, 1_000, args.connections, links)
            for index in range(RUNS):
                run = load(
                    port,
                    pairs,
                    args.rate,
                    seconds,
                    (index + 1) * 1_000_000,
                    args.connections,
                    links,
                )
                runs.append(run)
                print(
                    f"run {index + 1}: {run.lookups:,} of {run.planned:,} lookups sent"
                    f"{' (stopped: server saturated)' if run.lookups < run.planned else ''}, "
                    f"{run.rate:.1f}/s answered; latency ms "
                    f"p50 {run.p50:.1f}, p95 {run.p95:.1f}, p99 {run.p99:.1f}; "
                    f"client wait p99 {run.lag_p99:.1f} ms; "
                    f"errors {run.errors or 0}"
                )
            if args.ramp:
                ramp(port, pairs, args.connections, links)
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
