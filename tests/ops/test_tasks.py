"""Tasks and queueing: recorded runs, after-commit queueing, and a broker outage never fails a
state change (the outbox keeps the message for the next beat tick)."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from xiaoneng.deferred import deferred_inserts
from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import notification_enqueue, notifications_enqueue_for_users
from xiaoneng.ops import tasks
from xiaoneng.ops.celery_app import beat_schedule
from xiaoneng.ops.jobs import UnknownJob, job_names, job_run
from xiaoneng.ops.models import JobRun

pytestmark = pytest.mark.django_db


def test_every_registered_job_is_in_the_beat_schedule() -> None:
    schedule = beat_schedule()
    assert {"cases.sweep", "notify.relay"} <= set(job_names())
    assert {entry["args"][0] for entry in schedule.values()} == set(job_names())
    assert all(entry["options"]["expires"] <= entry["schedule"] for entry in schedule.values())


def test_tasks_run_the_jobs_and_record_them(demo_org) -> None:
    assert tasks.sweep.apply().get().startswith("checked=")
    tasks.run_periodic_job.apply(args=("notify.relay",)).get()
    tasks.relay_outbox.apply().get()
    assert JobRun.objects.get(name="cases.sweep").runs == 1
    assert JobRun.objects.get(name="notify.relay").runs == 2
    assert tasks.run_periodic_job.apply(args=("no.such.job",)).get() == "unknown"
    with pytest.raises(UnknownJob):
        job_run(name="no.such.job")


def test_tasks_acknowledge_late_and_retry_database_errors() -> None:
    for task in (tasks.sweep, tasks.relay_outbox, tasks.run_periodic_job):
        assert task.acks_late
        assert task.reject_on_worker_lost
        assert task.max_retries >= 5
        assert task.retry_backoff


def test_embedded_mode_queues_nothing(users, settings, django_capture_on_commit_callbacks) -> None:
    settings.CELERY_BROKER_URL = ""
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        notification_enqueue(channel="sms", kind="t", subject="s", body="b", address="13912345678")
    assert callbacks == []


def test_one_relay_kick_per_transaction_after_commit(
    users, broker, closed_broker_url, django_capture_on_commit_callbacks
) -> None:
    broker(closed_broker_url)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for _ in range(3):
            notification_enqueue(
                channel="sms", kind="t", subject="s", body="b", address="13912345678"
            )
    assert len(callbacks) == 1


@pytest.fixture
def eager_tasks():
    """Queued tasks run here and now (no broker is contacted)."""
    from xiaoneng.ops.celery_app import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_rows_inserted_in_bulk_are_relayed_after_commit(
    users, broker, closed_broker_url, django_capture_on_commit_callbacks, eager_tasks
) -> None:
    """Rows held back by ``deferred`` are written with one bulk insert (no model signal): the
    notify service itself asks for the relay, which delivers them once the change commits."""
    broker(closed_broker_url)
    recipients = [users["head"], users["intake"], users["xiaoneng"]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with deferred_inserts():
            notifications_enqueue_for_users(users=recipients, kind="bulk", subject="s", body="b")
            assert not Notification.objects.filter(kind="bulk").exists()  # not yet written
        rows = Notification.objects.filter(kind="bulk")
        assert [row.status for row in rows] == [Notification.Status.PENDING] * 3
    assert len(callbacks) == 1
    assert {row.status for row in Notification.objects.filter(kind="bulk")} == {
        Notification.Status.SENT
    }


def test_an_unreachable_broker_never_fails_the_change(
    users, broker, closed_broker_url, django_capture_on_commit_callbacks
) -> None:
    broker(closed_broker_url)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = notification_enqueue(
            channel="sms", kind="t", subject="s", body="b", address="13912345678"
        )
    assert time.monotonic() - started < 10
    assert Notification.objects.get(pk=row.pk).status == Notification.Status.PENDING
