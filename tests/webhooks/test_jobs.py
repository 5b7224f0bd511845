"""The periodic job and the `webhooks_send` command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from xiaoneng import periodic
from xiaoneng.webhooks.delivery import SETTLE_SECONDS, webhooks_run
from xiaoneng.webhooks.models import WebhookDelivery
from xiaoneng.webhooks.services import webhook_endpoint_create

pytestmark = pytest.mark.django_db


def test_periodic_job_is_registered() -> None:
    assert "webhooks.deliver" in {job.name for job in periodic.registered_jobs()}


def test_job_plans_then_sends(users, receiver, register) -> None:
    webhook_endpoint_create(by=users["sysadmin"], name="x", url=receiver.url)
    register()
    now = timezone.now()
    assert webhooks_run(now=now) == "planned 0, delivered 0, retried 0, failed 0"
    later = now + timedelta(seconds=SETTLE_SECONDS)
    assert webhooks_run(now=later) == "planned 1, delivered 1, retried 0, failed 0"
    assert len(receiver.requests) == 1


def test_command_reports_counts(users, receiver, register) -> None:
    webhook_endpoint_create(by=users["sysadmin"], name="x", url=receiver.url)
    register()
    out = StringIO()
    call_command("webhooks_send", stdout=out)
    assert "0 deliveries planned" in out.getvalue()
    # The horizon was taken now: after the settle delay the next run delivers.
    from xiaoneng.webhooks.models import WebhookCursor

    WebhookCursor.objects.update(horizon_at=timezone.now() - timedelta(seconds=SETTLE_SECONDS))
    out = StringIO()
    call_command("webhooks_send", "--limit", "5", stdout=out)
    assert "1 deliveries planned; 1 delivered" in out.getvalue()
    assert WebhookDelivery.objects.get().status == "delivered"
