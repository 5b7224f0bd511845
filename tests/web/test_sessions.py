"""The session store (web/sessions.py): Django's database sessions, read with written SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xiaoneng.web.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data: object) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    assert store.session_key
    return store.session_key


def test_reads_what_django_reads_in_one_statement() -> None:
    key = _saved(colour="红", count=3)
    with CaptureQueriesContext(connection) as queries:
        data = dict(SessionStore(key).items())
    assert data == {"colour": "红", "count": 3} == dict(DjangoStore(key).items())
    assert len(queries) == 1


def test_an_expired_session_is_empty_and_gets_a_new_key() -> None:
    key = _saved(colour="red")
    past = timezone.now() - timedelta(seconds=1)
    Session.objects.filter(session_key=key).update(expire_date=past)
    store = SessionStore(key)
    assert dict(store.items()) == {}
    assert store.session_key is None
    assert dict(DjangoStore(key).items()) == {}


def test_an_unknown_key_is_empty() -> None:
    store = SessionStore("x" * 32)
    assert dict(store.items()) == {}
    assert store.session_key is None


def test_the_site_uses_it(client, users) -> None:
    client.force_login(users["handler_a"])
    assert isinstance(client.session, SessionStore)
    assert client.get("/").status_code == 200
