"""`xiaoneng serve` in a real process: migrates an empty database, serves pages and static files."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def test_serve_migrates_and_serves_the_login_page(tmp_path) -> None:
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
        deadline = time.monotonic() + 180  # migrating a new database, on a busy machine
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
        assert (tmp_path / "xiaoneng.sqlite3").exists()
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in output
