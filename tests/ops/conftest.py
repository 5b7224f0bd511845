"""Fixtures for operations tests: a case (as in tests/cases) and a closed port."""

from __future__ import annotations

import socket

import pytest

from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_register


@pytest.fixture
def category(demo_org) -> Category:
    return Category.objects.get(code="enrolment")


@pytest.fixture
def hotline_case(users, category):
    return case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=category,
        title="学校违规收取择校费",
        content="家长反映第一中学在招生时违规收取择校费，请核查。",
        requester_name="张家长",
        requester_phone="13912345678",
        external_number="12345-2026-0001",
    ).case


def closed_port() -> int:
    """A loopback port nobody listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_broker_url() -> str:
    return f"redis://127.0.0.1:{closed_port()}/0"


def use_broker(settings, url: str, queue: str = "xiaoneng-test") -> None:
    """Point both Django settings and the (already configured) Celery app at ``url``."""
    from xiaoneng.ops.celery_app import app

    settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url or None
    app.conf.task_default_queue = queue
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """Call with a URL to switch brokers; restored to "no broker" afterwards."""
    yield lambda url, queue="xiaoneng-test": use_broker(settings, url, queue)
    use_broker(settings, "")


def staff_session(user) -> str:
    """A signed-in session as the login view stores it, without the login signals (whose
    side effects belong to other apps' tests)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def sign_in(client, user) -> None:
    from django.conf import settings

    client.cookies[settings.SESSION_COOKIE_NAME] = staff_session(user)
