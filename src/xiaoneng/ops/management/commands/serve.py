"""`xiaoneng serve`: waitress with the periodic jobs in-process (embedded), or gunicorn
(``--production``) for a deployment with Celery worker and beat beside it."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from xiaoneng.ops import jobs

MAX_DEFAULT_WORKERS = 12


def default_workers() -> int:
    """2 × cores + 1, capped: more workers than that only queue on the database."""
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


class Command(BaseCommand):
    help = "Serve Xiaoneng over HTTP (embedded: migrate first, run sweeps in-process)."
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not run the sweeps in this process."
        )
        parser.add_argument(
            "--production",
            action="store_true",
            help="Serve with gunicorn (several worker processes); see docs/operations.md.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("XIAONENG_WEB_WORKERS", 0)) or None,
            help="gunicorn worker processes (default XIAONENG_WEB_WORKERS or 2×cores+1, max 12).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("XIAONENG_WEB_TIMEOUT", 60)),
            help="Seconds before a stuck gunicorn worker is restarted (default 60).",
        )
        parser.add_argument(
            "--access-log", default="-", help="gunicorn access log file ('-' = stdout)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.PRODUCTION:
            call_command("migrate", interactive=False, verbosity=0)
        self.check(databases=["default"], display_num_errors=False)
        host, port = options["host"], options["port"]
        shown = f"[{host}]" if ":" in host else host
        # With a broker, beat queues the jobs; without one this process runs them.
        run_periodic = not options["no_periodic"] and not settings.CELERY_BROKER_URL
        if options["production"]:
            self._gunicorn(options, bind=f"{shown}:{port}", run_periodic=run_periodic)
            return
        import waitress

        # Imported when serving: the project's WSGI application, built once the command runs.
        from xiaoneng.wsgi import application

        if run_periodic:
            jobs.start_in_background(settings.XIAONENG_PERIODIC_INTERVAL)
        self.stdout.write(f"Xiaoneng is serving on http://{shown}:{port}/  (Ctrl-C to stop)")
        waitress.serve(
            application, host=host, port=port, threads=options["threads"], ident="xiaoneng"
        )

    def _gunicorn(self, options: dict[str, Any], *, bind: str, run_periodic: bool) -> None:
        from django.db import connections
        from gunicorn.app.base import BaseApplication

        # Imported when serving: the project's WSGI application, built once the command runs.
        from xiaoneng.wsgi import application

        workers = options["workers"] or default_workers()
        config = {
            "bind": bind,
            "workers": workers,
            "worker_class": "gthread",
            "threads": max(1, options["threads"] // 2),
            "timeout": options["timeout"],
            "graceful_timeout": 30,
            "keepalive": 5,
            # Recycle workers now and then so a slow leak never grows without bound; not often,
            # because a new worker starts with empty caches (the tracking pages and the rate
            # limits when they are kept per process, compiled statements, templates): at 200
            # lookups a second, 2 000 requests recycled one of 5 workers every 10 s.
            "max_requests": 20000,
            "max_requests_jitter": 2000,
            "accesslog": options["access_log"],
            "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(L)ss rid=%({x-request-id}o)s',
            "errorlog": "-",
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "proc_name": "xiaoneng-web",
        }
        stdout = self.stdout

        def when_ready(server: Any) -> None:
            stdout.write(f"Xiaoneng (gunicorn, {workers} workers) is serving on http://{bind}/")
            if run_periodic:
                # Only in the master process, so N workers do not run N sweepers.
                jobs.start_in_background(settings.XIAONENG_PERIODIC_INTERVAL)

        def post_fork(server: Any, worker: Any) -> None:
            # Never share a database socket opened before the fork with the parent.
            for conn in connections.all(initialized_only=True):
                conn.close()

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in {**config, "when_ready": when_ready}.items():
                    self.cfg.set(key, value)
                self.cfg.set("post_fork", post_fork)

            def load(self) -> Any:
                return application

        connections.close_all()
        Server().run()
