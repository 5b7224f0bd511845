"""Triage's Celery task: the reading of cases that arrived in a request nobody watches (an
intake pool's), done by a worker instead of the request (``case_facts``). Listed in the Celery
app's ``include`` (``ops/celery_app.py``); nothing here imports a model before Django is set
up (Celery imports this module first)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(
    name="xiaoneng.triage.read_arrived",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def read_arrived_task(self: Any, ids: list[int]) -> str:
    """Read the arrived cases ``ids`` once (a second delivery finds them read and does
    nothing new: the reading is idempotent per case)."""
    from xiaoneng.triage.case_facts import read_arrived

    read_arrived(ids, new=False)
    return str(len(ids))
