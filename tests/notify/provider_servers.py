"""Local stand-ins for the SMS providers' HTTP APIs, on 127.0.0.1, for the SDKs to talk to.

Each answers as the provider's documented API does: Alibaba Cloud SMS (RPC style: ``Action`` and
the parameters in the query string, a JSON body with ``Code``, ``Message``, ``RequestId`` …) and
Tencent Cloud SMS (API 3.0: ``X-TC-Action`` header, JSON request, ``{"Response": {…}}``). A test
queues the answers (or a delay, for a timeout) per action and reads back the requests received.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Received:
    action: str
    params: dict[str, Any]
    headers: dict[str, str]


@dataclass
class Answer:
    body: dict[str, Any]
    status: int = 200
    delay: float = 0.0


@dataclass
class ProviderServer:
    """Answers queued per action; the last answer of an action repeats."""

    kind: str  # "aliyun" or "tencent"
    answers: dict[str, deque[Answer]] = field(default_factory=lambda: defaultdict(deque))
    received: list[Received] = field(default_factory=list)

    def answer(self, action: str, body: dict[str, Any], *, status: int = 200, delay: float = 0):
        self.answers[action].append(Answer(body, status, delay))

    def calls(self, action: str) -> list[Received]:
        return [call for call in self.received if call.action == action]

    def _next(self, action: str) -> Answer:
        queue = self.answers[action]
        if not queue:
            return Answer({"Code": "NoAnswerQueued"}, status=500)
        return queue.popleft() if len(queue) > 1 else queue[0]

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                query = dict(parse_qsl(urlsplit(self.path).query))
                if server.kind == "aliyun":
                    params = {**query, **dict(parse_qsl(raw.decode("utf-8")))}
                    action = params.get("Action", "") or self.headers.get("x-acs-action", "")
                else:
                    params = json.loads(raw.decode("utf-8") or "{}")
                    action = self.headers.get("X-TC-Action", "")
                server.received.append(Received(action, params, dict(self.headers)))
                answer = server._next(action)
                if answer.delay:
                    time.sleep(answer.delay)
                payload = json.dumps(answer.body).encode("utf-8")
                try:
                    self.send_response(answer.status)
                    # Tencent's API answers exactly "application/json" (its SDK looks for that).
                    self.send_header(
                        "Content-Type",
                        "application/json"
                        if server.kind == "tencent"
                        else "application/json;charset=utf-8",
                    )
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
