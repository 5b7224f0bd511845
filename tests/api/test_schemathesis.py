"""Schemathesis against the live schema, in process through WSGI: no 5xx, and every response
conforms to the schema (status code, content type, body)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from types import ModuleType

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from xiaoneng.audit.models import AuditEntry

EXAMPLES_PER_OPERATION = 8


@pytest.fixture(scope="module")
def schemathesis() -> ModuleType:
    """Imported by the test process that runs these tests, not by every one that collects them:
    the import costs about 1.5 s of CPU (issue #27)."""
    return pytest.importorskip("schemathesis")


def _checks() -> list:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


@contextmanager
def keep_connection():
    """The WSGI handler closes the connection around each request; the test transaction must
    survive it (Django's test client does the same, and reconnects afterwards)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    schemathesis, hotline, new_case
) -> None:
    # A few real cases so that ids hit something now and then.
    for n in range(3):
        hotline.post("/cases", {**new_case, "external_number": f"st-{n}"})
    with keep_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {hotline.key}", "Accept-Language": "en"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    checks = _checks()
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        try:
            with keep_connection():
                run()
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
    # The calls really reached the application (each client call leaves its audit row).
    assert AuditEntry.objects.filter(action="api.call").count() > 5 * len(operations)


@pytest.mark.django_db
def test_every_operation_refuses_an_oversized_body_with_a_4xx(
    schemathesis, hotline, settings
) -> None:
    """Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE on every route with a body: 413 in the API's
    error format (401/404/405 first where those apply), never a 5xx."""
    with keep_connection():
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    with_body = [op for op in operations if op.method.upper() in {"POST", "PUT", "PATCH"}]
    assert with_body
    body = '{"content": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'
    seen = set()
    for operation in with_body:
        path = re.sub(r"\{[^}]+\}", "1", operation.path)
        response = hotline.client.post(
            path,
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {hotline.key}"},
        )
        assert response.status_code < 500, (operation.label, response.content[:300])
        seen.add(response.status_code)
        if response.status_code == 413:
            assert response.json()["code"] == "too_large"
    assert 413 in seen
