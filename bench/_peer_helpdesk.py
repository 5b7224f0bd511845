"""The django-helpdesk half of bench/peer.py: runs INSIDE the helpdesk virtual environment.

    PEER_SERVER=postgres://postgres@127.0.0.1:5432 \\
        <helpdesk-venv>/bin/python bench/_peer_helpdesk.py --rows 100000 --creates 2000

Writes a minimal Django project (settings as helpdesk's install docs require, teams mode off so
pinax-teams is not needed) into a temporary directory, creates its own PostgreSQL database
``xiaoneng_bench_peer`` on that server (dropped afterwards), migrates, makes one staff user and
one queue, bulk-inserts ``rows`` tickets with their "Ticket Opened" follow-up, then measures
with django.test.Client logged in as the staff user: ticket creation through the staff
"create ticket" form (POST /helpdesk/tickets/submit/, the page a person uses), and the ticket
list as a browser opens it: the HTML page, then the JSON its server-side DataTable fetches for
the first page. Prints one JSON object on the last stdout line for peer.py.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

DATABASE = "xiaoneng_bench_peer"

SETTINGS = """
SECRET_KEY = "bench-peer-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
SITE_ID = 1
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "peer_urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": %(name)r,
    "HOST": %(host)r, "PORT": %(port)r, "USER": %(user)r, "PASSWORD": %(password)r}}
STATIC_URL = "/static/"
MEDIA_ROOT = %(media)r
LOGIN_URL = "/helpdesk/login/"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
HELPDESK_TEAMS_MODE_ENABLED = False
"""

URLS = """
from django.contrib import admin
from django.urls import include, path

urlpatterns = [path("admin/", admin.site.urls), path("helpdesk/", include("helpdesk.urls"))]
"""

TOPICS = [
    ("Printer on floor 3 jams on every duplex job", "Since Monday the printer jams"),
    ("VPN drops every 20 minutes", "Working from home, the VPN disconnects"),
    ("Password reset email never arrives", "I asked for a reset link three times"),
    ("Projector in room 204 shows no signal", "HDMI and VGA both tried"),
    ("Request: new laptop for incoming teacher", "Starting next month in the maths team"),
    ("Invoice portal returns error 500", "Uploading the PDF invoice fails"),
]


def admin_sql(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def configure(server: str, tmp: Path) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(server)
    (tmp / "peer_settings.py").write_text(
        SETTINGS
        % {
            "name": DATABASE,
            "host": parts.hostname or "",
            "port": str(parts.port or ""),
            "user": parts.username or "",
            "password": parts.password or "",
            "media": str(tmp / "media"),
        }
    )
    (tmp / "peer_urls.py").write_text(URLS)
    sys.path.insert(0, str(tmp))
    os.environ["DJANGO_SETTINGS_MODULE"] = "peer_settings"


def fill(rows: int, queue, staff) -> None:
    """Bulk-insert tickets and their opening follow-up: bypasses the views on purpose, the
    measured part is what a person does on top of a big table."""
    from django.db import connection
    from django.utils import timezone
    from helpdesk.models import FollowUp, Ticket

    rng = random.Random(14)
    now = timezone.now()
    # Mostly closed and resolved history, a working set open, as in a real helpdesk.
    statuses = [Ticket.CLOSED_STATUS] * 70 + [Ticket.RESOLVED_STATUS] * 18
    statuses += [Ticket.OPEN_STATUS] * 10 + [Ticket.REOPENED_STATUS] * 2
    batch = 5_000
    for start in range(0, rows, batch):
        tickets = []
        for n in range(start, min(rows, start + batch)):
            title, text = TOPICS[n % len(TOPICS)]
            created = now - timedelta(minutes=rng.randint(10, 4 * 365 * 24 * 60))
            tickets.append(
                Ticket(
                    title=f"{title} (#{n})",
                    queue=queue,
                    created=created,
                    modified=created,
                    submitter_email=f"user{n % 5000}@school.example",
                    assigned_to=staff if n % 3 else None,
                    status=rng.choice(statuses),
                    description=f"{text}; reported by user {n % 5000}. Details follow. " * 3,
                    priority=rng.randint(1, 5),
                )
            )
        Ticket.objects.bulk_create(tickets)
        FollowUp.objects.bulk_create(
            FollowUp(ticket=t, date=t.created, title="Ticket Opened", comment=t.description)
            for t in tickets
        )
    # Vacuumed and analysed like xiaoneng's side, so autovacuum does not wake during the timing.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed_get(client, url: str, repeats: int) -> dict:
    """One warm-up, then ``repeats`` timed requests; the query count from one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: {response.status_code}")
        return response

    get()
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        get()
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = get()
    return {"ms": times, "queries": len(queries.captured_queries), "bytes": len(response.content)}


def creations(client, queue, count: int, repeats: int) -> dict:
    """``count`` tickets through the staff form, in ``repeats`` rounds (one rate each)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from helpdesk.models import Ticket

    def create(n: int) -> None:
        data = {
            "queue": queue.pk,
            "title": f"Classroom projector flickers (bench {n})",
            "body": f"The projector in room {n % 300} flickers after ten minutes of use.",
            "priority": 3,
            "submitter_email": f"teacher{n}@school.example",
            "assigned_to": "",
            "due_date": "",
        }
        response = client.post("/helpdesk/tickets/submit/", data)
        if response.status_code != 302:
            raise SystemExit(f"create ticket: {response.status_code} {response.content[:500]!r}")

    before = Ticket.objects.count()
    create(-1)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        create(-2)
    # Read now: the next request's request_started signal empties the connection's log.
    create_queries = len(queries.captured_queries)
    rates, latencies, cpu = [], [], []
    per_round = max(1, count // repeats)
    for r in range(repeats):
        began, used = time.perf_counter(), time.process_time()
        for n in range(r * per_round, (r + 1) * per_round):
            one = time.perf_counter()
            create(n)
            latencies.append((time.perf_counter() - one) * 1000)
        rates.append(per_round / (time.perf_counter() - began))
        # CPU of this process per create (client, view, services): comparable on a loaded
        # machine, where the rates are not.
        cpu.append((time.process_time() - used) / per_round * 1000)
    made = Ticket.objects.count() - before - 2
    return {
        "rates": rates,
        "latency_ms": latencies,
        "cpu_ms": cpu,
        "queries": create_queries,
        "expected": per_round * repeats,
        "in_db": made,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--creates", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    args.server = os.environ["PEER_SERVER"]  # postgres://user@host:port, set by peer.py
    tmp = Path(tempfile.mkdtemp(prefix="peer-helpdesk-"))
    configure(args.server, tmp)
    admin_sql(args.server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    admin_sql(args.server, f"CREATE DATABASE {DATABASE}")
    try:
        import django

        django.setup()
        from importlib.metadata import version

        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client
        from helpdesk.models import Queue

        began = time.perf_counter()
        call_command("migrate", verbosity=0)
        staff = get_user_model().objects.create_user(
            "agent", "agent@school.example", "bench-password", is_staff=True
        )
        queue = Queue.objects.create(title="IT support", slug="it", email_address="it@x.example")
        fill(args.rows, queue, staff)
        print(
            f"helpdesk: {args.rows:,} tickets in {time.perf_counter() - began:.0f} s",
            file=sys.stderr,
        )
        client = Client()
        client.force_login(staff)
        page = timed_get(client, "/helpdesk/tickets/", args.repeats)
        html = client.get("/helpdesk/tickets/").content.decode()
        match = re.search(r'"url": "(/helpdesk/datatables_ticket_list/[^"]+)"', html)
        if not match:
            raise SystemExit("the DataTable URL was not found on the ticket list page")
        # What DataTables sends for the first page with the default page length.
        per_page = staff.usersettings_helpdesk.tickets_per_page
        url = f"{match.group(1)}?draw=1&start=0&length={per_page}&search%5Bvalue%5D="
        data = timed_get(client, url, args.repeats)
        rows_shown = len(json.loads(client.get(url).content)["data"])
        create = creations(client, queue, args.creates, args.repeats)
        result = {
            "version": version("django-helpdesk"),
            "django": version("django"),
            "rows": args.rows,
            "page": page,
            "data": {**data, "rows_shown": rows_shown},
            "create": create,
        }
        connections.close_all()
    finally:
        admin_sql(args.server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    print(json.dumps(result))
    return 0 if create["in_db"] == create["expected"] else 1


if __name__ == "__main__":
    sys.exit(main())
