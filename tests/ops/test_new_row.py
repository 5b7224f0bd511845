"""``deferred.new_row`` builds the instance Django's keyword constructor builds: every
concrete field's value, defaults (callable ones evaluated per row), related objects cached."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict

from xiaoneng.cases.models import CaseEvent
from xiaoneng.deferred import new_row
from xiaoneng.notify.models import Notification

AT = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def _values(row: object) -> dict[str, object]:
    return {f.attname: getattr(row, f.attname) for f in type(row)._meta.concrete_fields}


def test_the_same_row_as_the_keyword_constructor() -> None:
    user = get_user_model()(pk=7, username="someone")
    fields = {
        "created_at": AT,
        "channel": "inbox",
        "kind": "case.pooled",
        "recipient_user": user,
        "subject": "subject",
        "body": "body",
        "next_attempt_at": AT,
        "unit_id": 3,
    }
    mine, theirs = new_row(Notification, **fields), Notification(**fields)
    assert _values(mine) == _values(theirs)
    assert mine.recipient_user is user
    assert mine._state.adding
    assert mine.pk is None
    assert model_to_dict(mine) == model_to_dict(theirs)


def test_callable_defaults_are_fresh_for_each_row() -> None:
    first = new_row(Notification, created_at=AT, next_attempt_at=AT, channel="sms", kind="k")
    second = new_row(Notification, created_at=AT, next_attempt_at=AT, channel="sms", kind="k")
    assert first.params == {}
    assert first.secret_params == []
    assert first.params is not second.params


def test_keys_by_attname_and_unknown_names() -> None:
    event = new_row(CaseEvent, case_id=5, at=AT, action="register", data={"a": 1})
    assert event.case_id == 5
    assert event.actor_id is None
    assert event.data == {"a": 1}
    with pytest.raises(TypeError, match="no field"):
        new_row(CaseEvent, case_id=5, at=AT, colour="red")
