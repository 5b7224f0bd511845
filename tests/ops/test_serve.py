"""`xiaoneng serve` in a real process: applies the migrations the database lacks, serves pages
and static files."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import ConnectionHandler

from tests.db_template import copy_template_to

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def database_one_migration_behind(path: Path) -> tuple[str, str]:
    """A copy of the migrated test template (tests/db_template.py) with the newest migration of
    one of our apps unapplied, which ``serve`` must apply. (Migrating an empty database costs
    some fifteen seconds of CPU; the command's path is the same: ``migrate`` before serving.)"""
    copy_template_to(path, folder=Path(settings.DATA_DIR))
    alias = "served"
    # Under its own alias: the migration recorder finds its connection by alias.
    connections.settings[alias] = ConnectionHandler().configure_settings(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}}
    )["default"]
    try:
        executor = MigrationExecutor(connections[alias])
        graph = executor.loader.graph
        ours = {c.label for c in apps.get_app_configs() if c.name.startswith("xiaoneng.")}
        app, name = sorted(node for node in graph.leaf_nodes() if node[0] in ours)[-1]
        parents = sorted(node for node in graph.node_map[(app, name)].parents if node[0] == app)
        executor.migrate([(app, parents[-1][1] if parents else None)])
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]
    return app, name


def applied(path: Path, app: str, name: str) -> bool:
    with closing(sqlite3.connect(path)) as db:
        query = "SELECT COUNT(*) FROM django_migrations WHERE app = ? AND name = ?"
        return db.execute(query, (app, name)).fetchone()[0] == 1


def test_serve_migrates_and_serves_the_login_page(tmp_path, django_db_blocker) -> None:
    database = tmp_path / "xiaoneng.sqlite3"
    with django_db_blocker.unblock():  # the served database, not the tests' own
        app, name = database_one_migration_behind(database)
    assert not applied(database, app, name)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PYTHONPATH=str(ROOT / "src"), XIAONENG_DATA_DIR=str(tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "xiaoneng.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180  # migrating, on a busy machine
        while True:
            try:
                status, body = fetch(f"{base}/login/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    # Reading the output waits for the end of the process: end it first.
                    process.terminate()
                    raise AssertionError(process.communicate(timeout=20)[0]) from None
                time.sleep(0.3)
        assert status == 200
        assert "登录" in body
        css_status, css = fetch(f"{base}/static/office/office.css")
        assert css_status == 200
        assert "--brand" in css
        assert applied(database, app, name)
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in output
