"""Reliability against the real services on this machine (PostgreSQL, Redis, RabbitMQ).

Run with ``-m reliability`` and DATABASE_URL pointing at PostgreSQL; CI sets
XIAONENG_REQUIRE_SERVICES=1 so a missing service fails instead of skipping.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg
import pytest
import requests
from django.db import connection, connections, transaction
from django.utils import timezone

from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Case, CaseEvent, Signal
from xiaoneng.cases.services import case_register
from xiaoneng.cases.sweeps import sweep
from xiaoneng.notify.models import Notification, SmsRecord
from xiaoneng.notify.services import notification_enqueue
from xiaoneng.ops.backup import backup_create
from xiaoneng.ops.tasks import relay_outbox, send_task_safely

from .conftest import staff_session
from .services import (
    RABBITMQ_URL,
    REDIS_URL,
    Proc,
    TcpProxy,
    database_url,
    env,
    free_port,
    http_ready,
    need_broker,
    need_postgres,
    wait_for,
)

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres() -> None:
    need_postgres()


def _register(users, category, n: int) -> list[Case]:
    return [
        case_register(
            by=users["intake"],
            channel="hotline",
            kind="complaint",
            category=category,
            title=f"reliability {i}",
            content="家长反映学校违规收费，请核查。",
            requester_name="张家长",
            requester_phone=f"1391234{i:04d}",
        ).case
        for i in range(n)
    ]


def _sms(n: int, tag: str, start: int = 0) -> list[int]:
    with transaction.atomic():
        return [
            notification_enqueue(
                channel="sms",
                kind="test",
                subject=tag,
                body=f"{tag} {i}",
                address=f"1380000{start + i:04d}",
            ).pk
            for i in range(n)
        ]


def _delete_queue(url: str, queue: str) -> None:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.default_channel.queue_delete(queue)
    except Exception:
        pass


def test_broker_down_then_back_nothing_lost_nothing_twice(
    users, category, broker, closed_broker_url, tmp_path
) -> None:
    need_broker(REDIS_URL)
    queue = f"xn-rel-{uuid.uuid4().hex[:8]}"
    broker(closed_broker_url, queue)
    started = time.monotonic()
    cases = _register(users, category, 3)  # state changes with the broker down
    rows = _sms(5, "broker-down")
    assert time.monotonic() - started < 30, "a dead broker must not hold state changes up"
    assert len(cases) == 3
    assert Case.objects.count() >= 3
    pending = Notification.objects.filter(status=Notification.Status.PENDING)
    assert pending.filter(pk__in=rows).count() == 5  # waiting in the outbox

    broker(REDIS_URL, queue)
    extra = {"CELERY_BROKER_URL": REDIS_URL, "CELERY_QUEUE": queue}
    worker = Proc(
        ["worker", "--pool", "solo", "--hostname", f"w1-{queue}@%h"],
        env(tmp_path, **extra),
        tmp_path / "worker.log",
    )
    beat = Proc(
        ["beat"],
        env(tmp_path, XIAONENG_PERIODIC_INTERVAL="5", **extra),
        tmp_path / "beat.log",
    )
    try:
        wait_for(
            lambda: (
                not Notification.objects.filter(
                    status=Notification.Status.PENDING, next_attempt_at__lte=timezone.now()
                ).exists()
            ),
            timeout=90,
            what="the outbox to drain after the broker returned",
            proc=worker,
        )
        # A change made now is relayed at once (queued on commit), not only by beat.
        late = _sms(1, "broker-up", start=100)
        wait_for(
            lambda: Notification.objects.get(pk=late[0]).status == Notification.Status.SENT,
            timeout=30,
            what="the after-commit relay",
            proc=worker,
        )
    finally:
        beat.kill()
        worker.kill()
        _delete_queue(REDIS_URL, queue)
    sms = Notification.objects.filter(channel="sms")
    assert set(sms.values_list("status", flat=True)) == {"sent"}
    assert set(sms.values_list("attempts", flat=True)) == {1}
    phones = list(SmsRecord.objects.values_list("phone", flat=True))
    assert len(phones) == len(set(phones)) == sms.count()  # each delivered, none twice


def test_worker_killed_mid_task_runs_again_and_acts_once(users, broker, tmp_path) -> None:
    need_broker(RABBITMQ_URL)
    queue = f"xn-rel-{uuid.uuid4().hex[:8]}"
    (row,) = _sms(1, "killed")  # committed before any broker is configured: nothing queued
    sms_dir = tmp_path / "sms"
    sms_dir.mkdir()
    extra = {
        "CELERY_BROKER_URL": RABBITMQ_URL,
        "CELERY_QUEUE": queue,
        "XIAONENG_SMS_BACKEND": "tests.ops.slow_sms.SlowOnceSmsBackend",
        "XIAONENG_TEST_SMS_DIR": str(sms_dir),
    }
    first = Proc(["worker", "--pool", "solo"], env(tmp_path, **extra), tmp_path / "w1.log")
    second = None
    try:
        broker(RABBITMQ_URL, queue)
        assert send_task_safely(relay_outbox)
        wait_for(lambda: (sms_dir / "slowed").exists(), timeout=60, what="the task", proc=first)
        first.kill()  # SIGKILL in the middle of the delivery
        assert Notification.objects.get(pk=row).status == Notification.Status.PENDING
        second = Proc(["worker", "--pool", "solo"], env(tmp_path, **extra), tmp_path / "w2.log")
        wait_for(
            lambda: Notification.objects.get(pk=row).status == Notification.Status.SENT,
            timeout=60,
            what="the redelivered task",
            proc=second,
        )
    finally:
        first.kill()
        if second is not None:
            second.kill()
        _delete_queue(RABBITMQ_URL, queue)
    calls = (sms_dir / "calls").read_text().split()
    assert len(calls) == 2
    assert calls[0] != calls[1]
    assert "relay_outbox" in second.output()
    assert SmsRecord.objects.filter(text__startswith="killed").count() == 1  # effect once
    assert Notification.objects.get(pk=row).attempts == 1


def test_two_sweepers_at_once_raise_each_signal_once(users, category) -> None:
    cases = _register(users, category, 12)
    later = timezone.now() + timedelta(days=90)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            sweep(now=later, batch=3)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    for case in cases:
        levels = list(Signal.objects.filter(case=case).values_list("level", flat=True))
        assert sorted(levels) == sorted(set(levels)), levels
        assert len(levels) == 3, levels
    kinds = Notification.objects.filter(kind="case.red").values_list(
        "recipient_user_id", "object_id"
    )
    assert len(kinds) == len(set(kinds))


def _count(url_name: str) -> dict[str, int]:
    dsn = database_url(name=url_name).replace("postgres://", "postgresql://")
    with psycopg.connect(dsn) as db:
        return {
            model.__name__: db.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}").fetchone()[0]
            for model in (Case, CaseEvent, AuditEntry)
        }


def _admin(sql: str) -> None:
    dsn = database_url(name="postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute(sql)


def test_backup_wipe_restore_brings_everything_back(users, category, tmp_path) -> None:
    _register(users, category, 5)
    expected = {
        "Case": Case.objects.count(),
        "CaseEvent": CaseEvent.objects.count(),
        "AuditEntry": AuditEntry.objects.count(),
    }
    archive = backup_create(output=tmp_path / "backup.tar.gz").path
    scratch = f"xn_ops_restore_{os.getpid()}"
    _admin(f"DROP DATABASE IF EXISTS {scratch}")
    _admin(f"CREATE DATABASE {scratch}")  # the wiped, empty database
    target = {**env(tmp_path), "DATABASE_URL": database_url(name=scratch)}
    try:

        def xn(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [os.sys.executable, "-m", "xiaoneng.cli", *args],
                env=target,
                capture_output=True,
                text=True,
                timeout=180,
            )

        done = xn("restore", str(archive))
        assert done.returncode == 0, done.stderr
        assert _count(scratch) == expected
        assert xn("audit", "verify").returncode == 0
        again = xn("restore", str(archive))
        assert again.returncode == 1
        assert again.stderr.strip()
    finally:
        _admin(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")


@pytest.fixture
def server(tmp_path):
    """A real gunicorn server subprocess reaching PostgreSQL through a cuttable proxy."""
    proxy = TcpProxy(int(connection.settings_dict.get("PORT") or 5432))
    port = free_port()
    proc = Proc(
        [
            "serve",
            "--production",
            "--port",
            str(port),
            "--workers",
            "3",
            "--no-periodic",
            "--access-log",
            str(tmp_path / "access.log"),
        ],
        env(tmp_path, DATABASE_URL=database_url(port=proxy.port), DB_CONN_MAX_AGE="60"),
        tmp_path / "server.log",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: http_ready(f"{base}/healthz"), timeout=60, what="the server", proc=proc)
        yield base, proxy, proc
    finally:
        proc.kill(15)
        proxy.close()


def test_database_unavailable_gives_a_clear_503(users, server) -> None:
    base, proxy, proc = server
    cookies = {"sessionid": staff_session(users["intake"])}
    page = f"{base}/cases/"
    assert requests.get(page, cookies=cookies, timeout=30).status_code == 200
    hotline = apiclient_create(name="down", scopes=["cases:create"], roles=["intake"], by=None)
    key = apikey_issue(client=hotline, by=None).plaintext
    before = Case.objects.count()
    proxy.cut()
    try:
        intake = requests.post(
            f"{base}/api/v1/cases",
            json={
                "channel": "hotline",
                "kind": "complaint",
                "category": "enrolment",
                "title": "t",
                "content": "c",
                "requester_name": "张家长",
            },
            headers={"Authorization": f"Bearer {key}"},
            timeout=30,
        )
        assert intake.status_code == 503
        answer = requests.get(page, cookies=cookies, headers={"Accept-Language": "en"}, timeout=30)
        assert answer.status_code == 503
        assert "Service unavailable" in answer.text
        assert "Traceback" not in answer.text
        api = requests.get(
            f"{base}/api/v1/cases", headers={"Authorization": f"Bearer {key}"}, timeout=30
        )
        assert api.status_code == 503
        assert api.json()["error"] == "unavailable"
        ready = requests.get(f"{base}/readyz", timeout=30)
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"]["ok"] is False
        assert requests.get(f"{base}/healthz", timeout=30).status_code == 200
    finally:
        proxy.restore()
    wait_for(
        lambda: requests.get(page, cookies=cookies, timeout=30).status_code == 200,
        timeout=30,
        what="recovery",
        proc=proc,
    )
    assert Case.objects.count() == before  # the refused intake left nothing behind


LOAD_REQUESTS = int(os.environ.get("XIAONENG_LOAD_REQUESTS", "400"))


def test_sustained_mixed_load_no_server_errors(users, server) -> None:
    base, _proxy, _proc = server
    hotline = apiclient_create(
        name="load", scopes=["cases:create", "cases:read"], roles=["intake"], by=None
    )
    key = apikey_issue(client=hotline, by=None).plaintext
    session_cookie = staff_session(users["intake"])
    before = Case.objects.count()
    created: list[tuple[str, str]] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def intake(i: int) -> int:
        body = {
            "channel": "hotline",
            "kind": "complaint",
            "category": "enrolment",
            "title": f"load {i}",
            "content": "家长反映学校违规收费，请核查。",
            "requester_name": "张家长",
            "requester_phone": "13912345678",
            "external_number": f"load-{uuid.uuid4().hex[:12]}",
        }
        r = requests.post(
            f"{base}/api/v1/cases",
            json=body,
            headers={"Authorization": f"Bearer {key}"},
            timeout=60,
        )
        if r.status_code == 201:
            data = r.json()
            with lock:
                created.append((data["case"].get("tracking_code", ""), data["tracking_secret"]))
        return r.status_code

    def track(i: int) -> int:
        with lock:
            known = created[i % len(created)] if created else None
        s = requests.Session()
        page = s.get(f"{base}/portal/track/", timeout=60)
        if known is None or page.status_code != 200:
            return page.status_code
        token = s.cookies.get("csrftoken", "")
        r = s.post(
            f"{base}/portal/track/",
            data={"code": known[0], "secret": known[1], "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base}/portal/track/"},
            timeout=60,
        )
        return r.status_code

    def office(i: int) -> int:
        cookies = {"sessionid": session_cookie}
        path = "/cases/" if i % 2 else "/api/v1/cases?limit=20"
        return requests.get(f"{base}{path}", cookies=cookies, timeout=60).status_code

    mix = [intake, intake, track, office, intake]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        for status in pool.map(lambda i: mix[i % len(mix)](i), range(LOAD_REQUESTS)):
            statuses.append(status)
    elapsed = time.monotonic() - started
    errors = [s for s in statuses if s >= 500]
    assert not errors, f"{len(errors)} server errors of {len(statuses)}"
    assert Case.objects.count() - before == len(created) > 0
    print(f"load: {len(statuses)} requests in {elapsed:.1f}s, {len(created)} cases created")
