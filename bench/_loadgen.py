"""A cheap open-loop HTTP/1.1 load client: asyncio on raw sockets, requests built in advance.

Each request is scheduled at ``start + i / rate`` whatever the answers, and its latency runs
from that scheduled time to the answer's last byte, so a server that falls behind is charged
for the wait (no coordinated omission). A request goes out on an idle keep-alive connection
(the one idle longest: the load spreads over every connection and so over every server
process that accepted one), or on a new connection when none is idle, up to ``connections``;
past that it waits for one, and the wait counts.

Cheap on purpose: the client shares the server's cores, and the Python thread pool it replaces
(32 threads on ``http.client``) took a large share of them. Here a request costs the client one
``write`` and a few ``read`` calls on bytes prepared before the run; the answer is parsed only
as far as its status, its ``Set-Cookie`` names, ``Content-Length`` and the body.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# A judge sees the answer and says what was wrong with it (None: the expected answer).
Judge = Callable[["Answer"], str | None]


@dataclass(frozen=True)
class Answer:
    status: int
    cookies: dict[str, str]  # Set-Cookie: name -> value
    body: bytes


@dataclass(frozen=True)
class Planned:
    """One request: the bytes to send, when, and how to judge the answer."""

    data: bytes
    judge: Judge


@dataclass
class Outcome:
    planned: int
    sent: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, answered as expected
    queued: list[float] = field(default_factory=list)  # seconds waiting for a connection
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    stopped: bool = False  # the backlog grew past the limit: the rest was not sent
    connections: int = 0  # connections opened during the run

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    def close(self) -> None:
        self.writer.close()

    async def exchange(self, data: bytes) -> tuple[Answer, bool]:
        """Send one request and read its answer; also whether the connection stays open."""
        self.writer.write(data)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length, chunked, keep, cookies = None, False, True, {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and value.strip().lower() == b"close":
                keep = False
            elif name == b"set-cookie":
                pair = value.split(b";", 1)[0].decode("latin-1")
                name_, _, cookie = pair.partition("=")
                cookies[name_.strip()] = cookie
        if chunked:
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size + 2))
            await self.reader.readuntil(b"\r\n")
            body = b"".join(part[:-2] for part in parts)
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            body, keep = await self.reader.read(), False
        return Answer(status, cookies, body), keep


async def _open(host: str, port: int) -> _Connection:
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
    return _Connection(reader, writer)


async def _run(
    host: str,
    port: int,
    plan: Sequence[Planned],
    rate: float,
    connections: int,
    max_backlog: float,
) -> Outcome:
    outcome = Outcome(planned=len(plan))
    idle: deque[_Connection] = deque()
    opened = 0
    freed = asyncio.Condition()
    loop = asyncio.get_running_loop()
    pending: set[asyncio.Task[None]] = set()

    async def connection() -> _Connection:
        nonlocal opened
        async with freed:
            while not idle and opened >= connections:
                await freed.wait()
            if idle:
                return idle.popleft()  # idle longest: spread the load over every connection
            opened += 1
            outcome.connections += 1
        try:
            return await _open(host, port)
        except OSError:
            await give_back(None)  # its place is free again for the waiting requests
            raise

    async def give_back(conn: _Connection | None) -> None:
        nonlocal opened
        async with freed:
            if conn is None:
                opened -= 1
            else:
                idle.append(conn)
            freed.notify()

    async def one(request: Planned, due: float) -> None:
        try:
            conn = await connection()
        except OSError as exc:
            outcome.error(type(exc).__name__)
            return
        outcome.queued.append(loop.time() - due)
        for attempt in (1, 2):
            try:
                answer, keep = await conn.exchange(request.data)
                break
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                # A keep-alive connection the server closed while idle: a browser reconnects
                # and resends, and so do we (once).
                conn.close()
                if attempt == 2:
                    outcome.error(type(exc).__name__)
                    await give_back(None)
                    return
                try:
                    conn = await _open(host, port)
                    outcome.connections += 1
                except OSError as exc2:
                    outcome.error(type(exc2).__name__)
                    await give_back(None)
                    return
        done = loop.time()
        if not keep:
            conn.close()
        await give_back(conn if keep else None)
        wrong = request.judge(answer)
        if wrong is None:
            outcome.latencies.append(done - due)
        else:
            outcome.error(wrong)

    start = loop.time() + 0.05
    finished = 0

    def count(task: asyncio.Task[None]) -> None:
        nonlocal finished
        finished += 1
        pending.discard(task)

    for index, request in enumerate(plan):
        due = start + index / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if index - finished > rate * max_backlog:
            # Saturated: the backlog only grows from here, and draining it would take minutes;
            # the latencies so far already show the miss.
            outcome.stopped = True
            break
        task = asyncio.ensure_future(one(request, due))
        pending.add(task)
        task.add_done_callback(count)
        outcome.sent += 1
    if pending:
        await asyncio.wait(pending)
    outcome.elapsed = loop.time() - start
    while idle:
        idle.popleft().close()
    return outcome


def run(
    host: str,
    port: int,
    plan: Sequence[Planned],
    *,
    rate: float,
    connections: int = 64,
    max_backlog: float = 5.0,
) -> Outcome:
    """Send ``plan`` open-loop at ``rate`` a second; stop early once more than ``max_backlog``
    seconds of requests are unanswered."""
    return asyncio.run(_run(host, port, plan, rate, connections, max_backlog))


def exchange_one(host: str, port: int, data: bytes) -> Answer:
    """One request on its own connection (a check before the timed runs)."""

    async def once() -> Answer:
        conn = await _open(host, port)
        try:
            return (await conn.exchange(data))[0]
        finally:
            conn.close()

    return asyncio.run(once())


def cpu_seconds() -> float:
    """CPU time of this process so far (the client's own cost, printed beside the figures)."""
    return time.process_time()
