"""Fixtures for webhook tests: a real HTTP receiver on 127.0.0.1 and cases to report."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_register
from xiaoneng.webhooks.delivery import SETTLE_SECONDS, webhook_deliveries_plan


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    status: int = 200
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with state.lock:
                state.requests.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status = state.status
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def category(demo_org) -> Category:
    return Category.objects.get(code="enrolment")


@pytest.fixture
def register(users, category):
    def make(by: str = "intake", **extra: Any):
        values = {
            "channel": "hotline",
            "kind": "complaint",
            "category": category,
            "title": "学校违规收费",
            "content": "家长反映学校违规收费，请核查。",
            "requester_name": "张家长",
            "requester_phone": "13912345678",
        }
        values.update(extra)
        return case_register(by=users[by], **values).case

    return make


def plan_settled(now: datetime) -> int:
    """Plan twice: once to take the horizon (settle delay + 1 s before ``now``), once at ``now``
    to fan out; the deliveries are due at ``now``."""
    first = webhook_deliveries_plan(now=now - timedelta(seconds=SETTLE_SECONDS + 1))
    second = webhook_deliveries_plan(now=now)
    return first.deliveries + second.deliveries


@pytest.fixture
def basic_dept(demo_org):
    from xiaoneng.org.models import Department

    return Department.objects.get(unit__code="bureau", code="basic")
