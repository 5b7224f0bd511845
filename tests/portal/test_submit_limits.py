"""Portal submission limits and oversized uploads: only accepted submissions count, a refusal
keeps what the person typed and says when to come back, and nothing half-stored is left."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.portal.conftest import submit_form
from xiaoneng.cases.models import Attachment, Case

CONTENT = "第一中学在招生时收取择校费五千元，请核查。"
# 13:20 in Beijing: the hourly window (aligned to the hour) has room again at 14:00.
FROZEN = datetime(2026, 5, 6, 5, 20, tzinfo=UTC)


def _post(client, category, **overrides):
    extra = {key: overrides.pop(key) for key in list(overrides) if key.isupper()}
    return client.post(reverse("portal:submit"), submit_form(category, **overrides), **extra)


def test_failed_validations_do_not_use_up_the_allowance(client, settings, category) -> None:
    settings.XIAONENG_RATE_SUBMIT = (2, 3600)
    for _n in range(5):
        assert _post(client, category, requester_phone="not a phone").status_code == 400
    assert _post(client, category).status_code == 302
    assert _post(client, category).status_code == 302
    assert _post(client, category).status_code == 429
    assert Case.objects.count() == 2


def test_the_refusal_keeps_the_input_and_says_when(client, settings, category) -> None:
    settings.XIAONENG_RATE_SUBMIT = (1, 3600)
    with time_machine.travel(FROZEN, tick=False):
        assert _post(client, category).status_code == 302
        response = _post(client, category, requester_name="王老师", title="第二次反映")
    assert response.status_code == 429
    assert response["Retry-After"] == str(40 * 60)
    body = response.content.decode()
    assert "提交过于频繁，请在 14:00 后再试。" in body
    assert CONTENT in body
    assert 'value="王老师"' in body
    assert 'value="第二次反映"' in body
    assert Case.objects.count() == 1


def test_the_refusal_speaks_the_persons_language(client, settings, category) -> None:
    settings.XIAONENG_RATE_SUBMIT = (1, 3600)
    with time_machine.travel(FROZEN, tick=False):
        _post(client, category)
        response = _post(client, category, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many submissions. Please try again after 14:00." in response.content.decode()


def test_one_phone_number_is_limited_from_any_address(client, settings, category) -> None:
    settings.XIAONENG_RATE_SUBMIT_PHONE = (2, 86400)
    assert _post(client, category, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert _post(client, category, REMOTE_ADDR="10.0.0.2").status_code == 302
    # The same number written another way is the same number.
    again = _post(client, category, REMOTE_ADDR="10.0.0.3", requester_phone="+86 138-0000-1234")
    assert again.status_code == 429
    assert "提交过于频繁" in again.content.decode()
    # Another parent at the same address is not affected.
    other = _post(client, category, REMOTE_ADDR="10.0.0.3", requester_phone="13900005678")
    assert other.status_code == 302


def test_a_school_behind_one_address_is_not_blocked_by_default(client, category) -> None:
    for n in range(12):
        phone = f"1390000{n:04d}"
        assert _post(client, category, requester_phone=phone).status_code == 302, n


def test_an_oversized_upload_is_refused_with_the_input_kept(client, category) -> None:
    """About 16 MB of attachments: more than the 3 × 5 MB the form accepts in all."""
    big = b"\xff\xd8\xff" + b"\0" * (16 * 1024 * 1024)
    upload = SimpleUploadedFile("photo.jpg", big, content_type="image/jpeg")
    response = _post(client, category, attachments=upload, requester_name="王老师")
    assert response.status_code == 413
    body = response.content.decode()
    assert "附件过大：每个文件不超过 5 MB。" in body
    assert CONTENT in body
    assert 'value="王老师"' in body
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_the_oversized_refusal_speaks_the_persons_language(client, settings, category) -> None:
    settings.XIAONENG_PORTAL_MAX_FILE_SIZE = 1024 * 1024
    big = b"%PDF-" + b"0" * (4 * 1024 * 1024)
    upload = SimpleUploadedFile("scan.pdf", big, content_type="application/pdf")
    response = _post(client, category, attachments=upload, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert "Attachments too large: each file at most 1 MB." in response.content.decode()
    assert Case.objects.count() == 0


def test_the_daily_phone_limit_ends_at_local_midnight(client, settings, category) -> None:
    settings.XIAONENG_RATE_SUBMIT_PHONE = (1, 86400)
    with time_machine.travel(FROZEN, tick=False):
        assert _post(client, category).status_code == 302
        response = _post(client, category, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "提交过于频繁，请在 2026-05-07 00:00 后再试。" in response.content.decode()
    assert response["Retry-After"] == str((10 * 60 + 40) * 60)
