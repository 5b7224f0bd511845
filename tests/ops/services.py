"""Helpers for the reliability tests: real services, subprocesses, a TCP proxy."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
RABBITMQ_URL = os.environ.get("RABBITMQ_URL") or "amqp://guest:guest@127.0.0.1:5672//"


def need(ok: bool, reason: str) -> None:
    """Skip when a service is missing, unless CI demands the services (then fail)."""
    if ok:
        return
    if os.environ.get("XIAONENG_REQUIRE_SERVICES"):
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


def need_postgres() -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    need(engine == "django.db.backends.postgresql", "needs DATABASE_URL pointing at PostgreSQL")


def broker_reachable(url: str) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return False
    return True


def need_broker(url: str) -> None:
    need(broker_reachable(url), f"broker {url.split('@')[-1]} is unreachable")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(*, port: int | None = None, name: str | None = None) -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return (
        f"postgres://{user}{password}@{host}:{port or db.get('PORT') or 5432}/{name or db['NAME']}"
    )


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    base = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "XIAONENG_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "XIAONENG_REQUIRE_OTP": "0",
        "PYTHONUNBUFFERED": "1",
        # One deployment, one configuration: the subprocesses derive the same development keys
        # (personal data, audit chain, sealed secrets) as the test process that wrote the rows.
        "SECRET_KEY": settings.SECRET_KEY,
    }
    base.pop("CELERY_BROKER_URL", None)
    base.update(extra)
    return base


class Proc:
    """A subprocess in its own session, so SIGKILL reaches its children too."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.handle = log.open("wb")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "xiaoneng.cli", *args],
            env=env,
            cwd=ROOT,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        self.handle.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for(check: Callable[[], bool], *, timeout: float, what: str, proc: Proc | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and proc.popen.poll() is not None:
            raise AssertionError(
                f"process ended while waiting for {what}:\n{proc.output()[-3000:]}"
            )
        time.sleep(0.3)
    tail = proc.output()[-3000:] if proc else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


def http_ready(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


class TcpProxy:
    """A loopback proxy to PostgreSQL that can be cut (the database 'goes away') and restored."""

    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.up = threading.Event()
        self.up.set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", self.port))
        self.server.listen(64)
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.up.clear()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                    sock.close()
                except OSError:
                    pass
            self.sockets.clear()

    def restore(self) -> None:
        self.up.set()

    def close(self) -> None:
        self.closed = True
        self.cut()
        self.server.close()
