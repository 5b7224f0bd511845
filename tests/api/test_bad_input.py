"""Oversized and malformed bodies answer a clear 4xx in the API's error format, store nothing."""

from __future__ import annotations

import json

import pytest

from xiaoneng.cases.models import Case

pytestmark = pytest.mark.django_db


def test_a_body_over_the_upload_limit_answers_413_in_the_error_format(hotline, new_case) -> None:
    body = json.dumps({**new_case, "content": "长" * 900_000}, ensure_ascii=False)
    assert len(body.encode()) > 2_600_000
    response = hotline.post("/cases", raw=body, headers={"Accept-Language": "en"})
    assert response.status_code == 413
    error = response.json()
    assert error["code"] == "too_large"
    assert "too large" in error["message"]
    assert error["message_zh"] != error["message_en"]
    assert not Case.objects.exists()


def test_the_limit_applies_to_every_route_and_without_a_key(client) -> None:
    body = "x" * 2_700_000
    for path in ("/api/v1/cases/1/actions/accept", "/api/v1/cases", "/api/v1/nope"):
        response = client.post(path, body, content_type="application/json")
        assert response.status_code in {401, 404, 405, 413}, path
        assert response.status_code < 500
    response = client.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code in {401, 413}
    assert response.json()["code"] in {"unauthorized", "too_large"}
