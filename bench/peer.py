"""Side by side with django-helpdesk: case creation and the list's first page at 100 000 rows.

    python bench/peer.py                     100 000 rows, 2 000 creates
    python bench/peer.py --quick              50 000 rows,   300 creates
    python bench/peer.py --rows N --creates N

PostgreSQL only (DATABASE_URL, default the local server postgres://postgres@127.0.0.1:5432).
django-helpdesk (pinned below) is installed from PyPI into its own virtual environment under
$XIAONENG_BENCH_CACHE (default ~/.cache/xiaoneng-bench), created once and reused, and measured
by bench/_peer_helpdesk.py running in that environment; xiaoneng is measured here, in this
process. Both sides run one after the other on the same machine and server, with the same
in-process django.test.Client and DEBUG off, so HTTP and server workers are left out of both:
  - creation: one client, sequential requests through the path a user takes (xiaoneng:
    POST /api/v1/cases with a key; helpdesk: its staff "create ticket" form), in 5 rounds;
  - list: the first page as a staff member who sees every row opens it (xiaoneng: the office
    case list as the efficiency office, and GET /api/v1/cases; helpdesk: the ticket list page
    and the JSON its DataTable fetches), 1 warm-up then 5 timed requests.
Prints medians with min–max over the rounds/requests, query counts and ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _db import QUICK_CASES, ROOT, BenchDatabase, machine
from lists import login

HELPDESK_VERSION = "2.6.1"
# Exact pins, so two runs months apart measure the same peer (Django as resolved for 2.6.1).
HELPDESK_REQUIREMENTS = [
    f"django-helpdesk=={HELPDESK_VERSION}",
    "Django==5.2.19",
    "psycopg[binary]==3.3.9",
]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REPEATS = 5


def helpdesk_python() -> Path:
    """The helpdesk venv's interpreter; (re)installed only when missing or the pins changed."""
    cache = Path(os.environ.get("XIAONENG_BENCH_CACHE", Path.home() / ".cache" / "xiaoneng-bench"))
    venv = cache / "helpdesk-venv"
    python = venv / "bin" / "python"
    marker = venv / "bench-requirements.txt"
    wanted = "\n".join(HELPDESK_REQUIREMENTS)
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    print(f"installing {' '.join(HELPDESK_REQUIREMENTS)} into {venv} …", flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-qq", *HELPDESK_REQUIREMENTS], check=True)
    marker.write_text(wanted)
    return python


def run_helpdesk(server: str, rows: int, creates: int) -> dict:
    command = [
        str(helpdesk_python()),
        str(ROOT / "bench" / "_peer_helpdesk.py"),
        f"--rows={rows}",
        f"--creates={creates}",
        f"--repeats={REPEATS}",
    ]
    # A clean environment for the peer: none of our settings or DATABASE_URL leaks into it.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env["PEER_SERVER"] = server  # not on the command line: it may hold a password
    done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"django-helpdesk run failed ({done.returncode}): {done.stdout[-2000:]}")
    return json.loads(lines[-1])


def timed_get(client, url: str, **extra) -> dict:
    """One warm-up, REPEATS timed requests, and the query count of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url, **extra)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
        return response

    get()
    times = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        get()
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = get()
    return {"ms": times, "queries": len(queries.captured_queries), "bytes": len(response.content)}


def creations(client, key: str, count: int) -> dict:
    """``count`` cases through POST /api/v1/cases (intake.py's body), in REPEATS rounds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xiaoneng.cases.models import Case

    headers = {"Authorization": f"Bearer {key}"}

    def create(n: int) -> None:
        body = {
            "kind": "complaint",
            "category": "fees",
            "content": f"基准测试：家长反映学校违规收费，请核实。编号 {n}",
            "requester_name": "测试",
            "requester_phone": f"139{n + 10:08d}",
            "external_number": f"peer-{n}",
        }
        response = client.post(
            "/api/v1/cases", json.dumps(body), content_type="application/json", headers=headers
        )
        if response.status_code != 201:
            raise SystemExit(f"POST /api/v1/cases: {response.status_code} {response.content!r}")

    create(-1)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        create(-2)
    # Read now: the next request's request_started signal empties the connection's log.
    create_queries = len(queries.captured_queries)
    rates, latencies, cpu = [], [], []
    per_round = max(1, count // REPEATS)
    for r in range(REPEATS):
        began, used = time.perf_counter(), time.process_time()
        for n in range(r * per_round, (r + 1) * per_round):
            one = time.perf_counter()
            create(n)
            latencies.append((time.perf_counter() - one) * 1000)
        rates.append(per_round / (time.perf_counter() - began))
        # CPU of this process per create (client, view, services): comparable on a loaded
        # machine, where the rates are not.
        cpu.append((time.process_time() - used) / per_round * 1000)
    made = Case.objects.filter(external_number__startswith="peer-").count() - 2
    return {
        "rates": rates,
        "latency_ms": latencies,
        "cpu_ms": cpu,
        "queries": create_queries,
        "expected": per_round * REPEATS,
        "in_db": made,
    }


def run_xiaoneng(rows: int, creates: int) -> dict:
    began = time.perf_counter()
    # A copy of the template database holding ``rows`` cases generated by `xiaoneng bench-data`.
    with BenchDatabase("xiaoneng_bench_peer_ours", cases=rows) as db:
        db.setup_django()
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from xiaoneng.api.services import apiclient_create, apikey_issue

        # Vacuumed and analysed like the peer, so autovacuum does not wake during the timing.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"xiaoneng: {rows:,} cases in {time.perf_counter() - began:.0f} s", flush=True)
        api = apiclient_create(
            name="bench-peer", scopes=["cases:create", "cases:read"], roles=["intake"], by=None
        )
        key = apikey_issue(client=api, by=None).plaintext
        # The efficiency office sees every case, as helpdesk's staff see every ticket.
        client = login("xiaoneng")
        page = timed_get(client, reverse("office:case_list"))
        data = timed_get(Client(), "/api/v1/cases", headers={"Authorization": f"Bearer {key}"})
        create = creations(Client(), key, creates)
        return {"rows": rows, "page": page, "data": data, "create": create}


def spread(values: list[float], unit: str = "") -> str:
    def num(x: float) -> str:
        return f"{x:,.1f}" if x < 10 else f"{x:,.0f}".replace(",", " ")

    return f"{num(statistics.median(values))}{unit} ({num(min(values))}–{num(max(values))})"


def faster(ours: list[float], theirs: list[float]) -> str:
    ratio = statistics.median(theirs) / statistics.median(ours)
    return f"×{ratio:,.1f} faster" if ratio >= 1 else f"×{1 / ratio:,.1f} slower"


def timing(side: dict) -> str:
    return f"{spread(side['ms'], ' ms')}, {side['queries']} queries"


def report(ours: dict, theirs: dict) -> None:
    """A table of medians (min–max); ratios are xiaoneng against helpdesk, from the medians."""
    mine, peer = ours["create"], theirs["create"]
    rate = statistics.median(mine["rates"]) / statistics.median(peer["rates"])
    # helpdesk's list page holds no rows: its DataTable fetches them right after, so the
    # person waits for both (request i of the page + request i of the data). The office
    # list renders its rows in the page itself.
    shown = [a + b for a, b in zip(theirs["page"]["ms"], theirs["data"]["ms"], strict=True)]
    per_round = mine["expected"] // REPEATS
    rows = [
        ("metric", "xiaoneng", f"django-helpdesk {theirs['version']}", "ratio"),
        (
            f"creation rate ({REPEATS} rounds of {per_round})",
            spread(mine["rates"], " cases/s"),
            spread(peer["rates"], " tickets/s"),
            f"×{rate:,.1f}" if rate >= 1 else f"×{rate:,.2f} (slower)",
        ),
        (
            "  latency per create",
            spread(mine["latency_ms"], " ms"),
            spread(peer["latency_ms"], " ms"),
            faster(mine["latency_ms"], peer["latency_ms"]),
        ),
        (
            "  CPU per create (this process)",
            spread(mine["cpu_ms"], " ms"),
            spread(peer["cpu_ms"], " ms"),
            faster(mine["cpu_ms"], peer["cpu_ms"]),
        ),
        ("  queries per create", str(mine["queries"]), str(peer["queries"]), ""),
        (
            "list page (HTML)",
            timing(ours["page"]),
            timing(theirs["page"]),
            faster(ours["page"]["ms"], theirs["page"]["ms"]),
        ),
        (
            "list data, first page (JSON)",
            timing(ours["data"]),
            timing(theirs["data"]),
            faster(ours["data"]["ms"], theirs["data"]["ms"]),
        ),
        (
            "list first page shown (HTML+data)",
            spread(ours["page"]["ms"], " ms"),
            spread(shown, " ms"),
            faster(ours["page"]["ms"], shown),
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = zip(row, widths, strict=True)
        print(" | ".join(cell.ljust(width) for cell, width in cells).rstrip())
    print(
        f"xiaoneng: POST /api/v1/cases; /office/cases/ as the efficiency office "
        f"({ours['page']['bytes']:,} bytes, 50 rows in the page); GET /api/v1/cases (20 rows)\n"
        f"helpdesk: POST /helpdesk/tickets/submit/ (staff form); /helpdesk/tickets/ "
        f"({theirs['page']['bytes']:,} bytes, no rows) + DataTable JSON "
        f"({theirs['data']['rows_shown']} rows, open and reopened, with total counts)\n"
        f"{REPEATS} timed requests after 1 warm-up, in-process django.test.Client, DEBUG off"
    )


def reference() -> str:
    """The machine reference of the helpers' rules: a pure-Python loop (about 1.0–1.3 s on the
    2-core machine when quiet); slower means the run shared the cores."""
    began = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return f"machine reference (10 000 000 additions): {time.perf_counter() - began:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 000 rows, 300 creates")
    parser.add_argument("--rows", type=int, help="rows in each list")
    parser.add_argument("--creates", type=int)
    args = parser.parse_args()
    rows = args.rows or (QUICK_CASES if args.quick else 100_000)
    creates = args.creates or (300 if args.quick else 2_000)
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/peer.py needs PostgreSQL: set DATABASE_URL to a postgres:// URL")
    parts = urlsplit(url)
    server = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    print(machine())
    print(reference())
    where = f"{parts.hostname}:{parts.port or 5432}"
    print(f"sizes: {rows:,} rows on each side, {creates:,} creates; PostgreSQL at {where}")
    theirs = run_helpdesk(server, rows, creates)
    print(f"django-helpdesk {theirs['version']} on Django {theirs['django']} (own venv)")
    ours = run_xiaoneng(rows, creates)
    report(ours, theirs)
    ok = all(side["create"]["in_db"] == side["create"]["expected"] for side in (ours, theirs))
    print(f"creates verified in both databases: {ok}")
    print(machine())
    print(reference())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
