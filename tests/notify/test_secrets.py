"""No stored copy of an outgoing message holds a secret: the tracking secret reaches the SMS
gateway and the e-mail, and every table, the session and the log show it as ``******``."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from tests.notify.backends import CapturingSmsBackend
from xiaoneng.cases.models import Case, Category
from xiaoneng.errors import DomainError
from xiaoneng.notify.models import Notification, SmsRecord
from xiaoneng.notify.relay import outbox_relay
from xiaoneng.notify.services import notification_enqueue, notification_retry
from xiaoneng.sealing import MASK, SealError, Secret, seal, unseal

pytestmark = pytest.mark.django_db

_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@pytest.fixture
def capturing_sms(settings) -> Iterator[type[CapturingSmsBackend]]:
    settings.XIAONENG_SMS_BACKEND = "tests.notify.backends.CapturingSmsBackend"
    CapturingSmsBackend.handed = []
    cache.clear()
    yield CapturingSmsBackend
    CapturingSmsBackend.handed = []


def _stored_text() -> Iterator[tuple[str, str]]:
    """(table.column, text) for every text column of every row of every model, and every
    session decoded."""
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, _TEXT_FIELDS)]
        if not fields:
            continue
        names = [f.attname for f in fields]
        for row in model._default_manager.values_list(*names):
            for name, value in zip(names, row, strict=True):
                yield f"{model._meta.db_table}.{name}", str(value)
    for session in Session.objects.all():
        yield "django_session (decoded)", str(session.get_decoded())


def _submit(client, category: Category) -> tuple[str, str]:
    data = {
        "kind": "complaint",
        "category": category.pk,
        "title": "学校违规收费",
        "content": "第一中学收取择校费，请核查。",
        "requester_name": "刘家长",
        "requester_phone": "13800001234",
        "requester_email": "parent@example.cn",
        "consent_publish": "on",
        "website": "",
    }
    response = client.post(reverse("portal:submit"), data)
    assert response.status_code == 302, response.content.decode()[:1000]
    html = client.get(response["Location"]).content.decode()
    code = re.search(r'data-testid="tracking-code">([A-Z0-9]+)<', html)
    secret = re.search(r'data-testid="tracking-secret">([A-Z0-9]+)<', html)
    assert code
    assert secret
    return code[1], secret[1]


def test_portal_submission_leaves_the_secret_in_no_table_and_no_log(
    client, demo_org, capturing_sms, caplog, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    caplog.set_level(logging.DEBUG)
    code, secret = _submit(client, Category.objects.get(code="enrolment"))
    case = Case.objects.get(tracking_code=code)
    sms = Notification.objects.get(channel="sms", kind="case.registered")
    assert f"{code}" in sms.body
    assert MASK in sms.body
    assert sms.secret_params == ["secret"]
    assert sms.params["code"] == code
    assert sms.sealed  # sealed until sent
    outbox_relay()

    # The gateway and the e-mail received the secret ...
    assert [phone for phone, _text in capturing_sms.handed] == ["13800001234"]
    assert secret in capturing_sms.handed[0][1]
    assert len(mail.outbox) == 1
    assert secret in mail.outbox[0].body
    # ... the recorded copy, the outbox and every other stored text did not.
    assert MASK in SmsRecord.objects.get().text
    sms.refresh_from_db()
    assert (sms.status, sms.sealed) == ("sent", "")
    found = [where for where, text in _stored_text() if secret in text]
    assert found == []
    logged = [r for r in caplog.records if secret in r.getMessage()]
    assert logged == []
    assert case.tracking_secret_hash
    assert secret not in case.tracking_secret_hash


def test_the_office_receipt_keeps_the_secret_sealed_in_the_session(
    demo_org, client, demo_password, capturing_sms
) -> None:
    assert client.login(username="intake", password=demo_password)
    response = client.post(
        reverse("office:intake"),
        {
            "channel": "phone",
            "kind": "complaint",
            "category": Category.objects.get(code="enrolment").pk,
            "content": "家长来电反映晚自习收费问题，请予核查。",
            "requester_name": "王先生",
            "requester_phone": "13900002222",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(content="家长来电反映晚自习收费问题，请予核查。")
    receipt = client.get(reverse("office:case_receipt", args=[case.pk])).content.decode()
    secret = re.search(r'data-testid="tracking-secret">([A-Z0-9]+)<', receipt)
    assert secret
    outbox_relay()
    assert secret[1] in capturing_sms.handed[0][1]
    assert [where for where, text in _stored_text() if secret[1] in text] == []


def test_a_gateway_error_quoting_the_message_is_masked_and_the_secret_discarded(
    demo_org, settings, caplog
) -> None:
    settings.XIAONENG_SMS_BACKEND = "tests.notify.test_secrets.QuotingBrokenBackend"
    settings.XIAONENG_NOTIFY_MAX_ATTEMPTS = 2
    caplog.set_level(logging.DEBUG)
    with transaction.atomic():
        row = notification_enqueue(
            channel="sms",
            kind="case.registered",
            subject="XN1",
            body="查询码：%(code)s，查询密码：%(secret)s",
            params={"code": "ABCDEFGHJK", "secret": Secret("QWERTYUP")},
            address="13912345678",
        )
    assert row.body == f"查询码：ABCDEFGHJK，查询密码：{MASK}"
    now = timezone.now()
    outbox_relay(now=now)
    row.refresh_from_db()
    assert "QWERTYUP" not in row.last_error
    assert MASK in row.last_error
    assert row.sealed  # kept for the next attempt
    outbox_relay(now=now + timezone.timedelta(hours=1))
    row.refresh_from_db()
    assert (row.status, row.sealed) == ("failed", "")
    assert not [r for r in caplog.records if "QWERTYUP" in r.getMessage()]
    # Sending it again would send ******: refused with a clear message.
    with pytest.raises(DomainError):
        notification_retry(notification=row, by=None)


class QuotingBrokenBackend:
    def send(self, *, phone: str, text: str) -> None:
        raise ConnectionError(f"gateway refused text {str.__str__(text)!r}")


def test_a_secret_parameter_shows_as_the_mask_wherever_it_is_formatted() -> None:
    secret = Secret("QWERTYUP")
    assert str(secret) == MASK
    assert "QWERTYUP" not in repr(secret)
    assert f"{secret}" == MASK
    assert secret.reveal() == "QWERTYUP"


def test_sealed_values_open_only_with_the_key_and_the_purpose(settings) -> None:
    token = seal({"secret": "QWERTYUP"})
    assert "QWERTYUP" not in token
    assert unseal(token) == {"secret": "QWERTYUP"}
    with pytest.raises(SealError):
        unseal(token, purpose="receipt")
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-" + "x" * 40
    with pytest.raises(SealError):
        unseal(token)
    settings.SECRET_KEY_FALLBACKS = [old]
    assert unseal(token) == {"secret": "QWERTYUP"}  # rotation: the old key still opens it
