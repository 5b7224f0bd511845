"""/healthz and /readyz: anonymous, JSON, truthful about each dependency, no secrets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from xiaoneng.notify.models import Notification
from xiaoneng.notify.services import notification_enqueue
from xiaoneng.ops.jobs import jobs_run_all
from xiaoneng.ops.models import JobRun

pytestmark = pytest.mark.django_db


def test_healthz_is_public_json_200(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_readyz_is_503_until_the_sweeper_ran(client, demo_org) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["sweeper"]["ok"] is False
    assert body["checks"]["broker"] == {"ok": True, "configured": False}

    jobs_run_all()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["sweeper"]["ok"] is True
    assert JobRun.objects.get(name="cases.sweep").runs == 1


def test_readyz_reports_an_old_sweep(client, demo_org) -> None:
    jobs_run_all()
    JobRun.objects.filter(name="cases.sweep").update(
        last_finished_at=timezone.now() - timedelta(minutes=4)
    )
    body = client.get("/readyz").json()
    assert body["checks"]["sweeper"]["ok"] is False
    assert body["checks"]["sweeper"]["age_seconds"] >= 240


def test_readyz_reports_a_stuck_outbox(client, users) -> None:
    jobs_run_all()
    with transaction.atomic():
        row = notification_enqueue(
            channel="sms", kind="test", subject="s", body="b", address="13912345678"
        )
    Notification.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=11)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["outbox"]["ok"] is False
    assert response.json()["checks"]["outbox"]["oldest_due_age_seconds"] >= 660


def test_readyz_reports_an_unreachable_broker_without_its_url(
    client, demo_org, settings, closed_broker_url
) -> None:
    jobs_run_all()
    settings.CELERY_BROKER_URL = closed_broker_url.replace("redis://", "redis://:s3cret@")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    text = response.content.decode()
    assert "s3cret" not in text
    assert str(settings.DATABASES["default"]["NAME"]) not in text


def test_health_endpoints_answer_only_get(client) -> None:
    assert client.post("/healthz").status_code == 405
