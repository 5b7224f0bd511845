"""JSON logs carry the request id and user id, and never a phone number."""

from __future__ import annotations

import io
import json
import logging

import pytest

from xiaoneng.audit.context import ActionContext, reset_context, set_context
from xiaoneng.ops.logs import ContextFilter, JsonFormatter, case_context
from xiaoneng.privacy import mask_contacts

from .conftest import sign_in


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_log_line_has_the_request_id_and_no_phone(client, captured) -> None:
    response = client.get("/no-such-page/13912345678/", headers={"X-Request-ID": "rid-0123456789"})
    assert response.status_code in (302, 404)
    sign_in(client, _user())
    response = client.get("/no-such-page/13912345678/", headers={"X-Request-ID": "rid-0123456789"})
    assert response.status_code == 404
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    entry = [line for line in lines if "no-such-page" in line["message"]][-1]
    assert entry["request_id"] == "rid-0123456789"
    assert entry["user_id"] == str(_user().pk)
    assert "13912345678" not in captured.getvalue()
    assert entry["level"] == "WARNING"


def _user():
    from xiaoneng.org.models import User

    return User.objects.get_or_create(username="log-test")[0]


def test_formatter_adds_case_and_masks_email_and_id_number() -> None:
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "mail %s id %s",
        ("a.b@example.com", "110101199003071234"),
        None,
    )
    token = set_context(ActionContext(request_id="req-abcdef12"))
    try:
        with case_context(case_id=42, number="XN-2026-000042"):
            ContextFilter().filter(record)
    finally:
        reset_context(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "req-abcdef12"
    assert entry["case_id"] == "42"
    assert entry["case_number"] == "XN-2026-000042"
    assert "a.b@example.com" not in entry["message"]
    assert "110101199003071234" not in entry["message"]


def test_log_masking_keeps_short_numbers() -> None:
    assert mask_contacts("case 42 took 3 days", standalone=True) == "case 42 took 3 days"
