"""Acknowledging by SMS: the alert's text carries a reply code; the providers' callbacks
(Tencent Cloud's 回复回调, Alibaba Cloud's SmsUp push, as documented) acknowledge it; unknown
or expired codes are kept and ignored; delivery statuses land on the outbox rows."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xiaoneng.audit.models import AuditEntry
from xiaoneng.emergencies.models import Alert, SmsReply, TimelineEvent
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Staff

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-callback-token"
PHONE = "13900001111"


@pytest.fixture(autouse=True)
def _token(settings) -> None:
    settings.XIAONENG_SMS_CALLBACK_TOKEN = TOKEN


@pytest.fixture
def alert(users, report) -> Alert:
    Staff.objects.filter(user=users["safety_a"]).update(phone=PHONE)
    incident = report(users)
    return incident.alerts.get(recipient__user__username="safety_a")


def _push(provider: str, body: object, token: str = TOKEN):
    return Client().post(
        reverse("sms:callback", args=[provider, token]),
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
    )


def test_the_alert_text_carries_the_code(alert) -> None:
    sms = Notification.objects.get(kind="emergencies.alert", channel="sms")
    assert alert.reply_code in sms.body


def test_tencent_reply_acknowledges(alert) -> None:
    body = {
        "extend": "",
        "mobile": PHONE,
        "nationcode": "86",
        "sign": "教育局",
        "text": f"收到 {alert.reply_code}",
        "time": int(timezone.now().timestamp()),
    }
    response = _push("tencent", body)
    assert response.status_code == 200
    assert response.json() == {"result": 0, "errmsg": "OK"}
    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED
    event = alert.incident.timeline.get(kind=TimelineEvent.Kind.ACKNOWLEDGED)
    assert event.data["via"] == "sms"
    assert SmsReply.objects.get().outcome == SmsReply.Outcome.ACKNOWLEDGED
    assert AuditEntry.objects.filter(action="emergencies.alert.acknowledge").exists()
    # The same reply again: kept, nothing changes.
    _push("tencent", body)
    assert SmsReply.objects.filter(outcome=SmsReply.Outcome.ALREADY).count() == 1


def test_aliyun_smsup_acknowledges(alert) -> None:
    body = [
        {
            "phone_number": PHONE,
            "send_time": "2026-05-12 13:00:00",
            "content": alert.reply_code,
            "sign_name": "教育局",
            "dest_code": "1234",
            "sequence_id": 1234567890,
        }
    ]
    response = _push("aliyun", body)
    assert response.status_code == 200
    assert response.json()["code"] == 0
    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED


def test_unknown_wrong_number_and_expired_codes_are_recorded_and_ignored(alert, settings) -> None:
    wrong = "0000" if alert.reply_code != "0000" else "1111"
    _push("aliyun", [{"phone_number": PHONE, "content": wrong, "send_time": ""}])
    _push("aliyun", [{"phone_number": "13700000000", "content": alert.reply_code}])
    _push("aliyun", [{"phone_number": PHONE, "content": "好的"}])
    settings.XIAONENG_EMERGENCY_REPLY_CODE_HOURS = 1
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        _push("tencent", {"mobile": PHONE, "text": alert.reply_code, "time": 0})
    outcomes = sorted(SmsReply.objects.values_list("outcome", flat=True))
    assert outcomes == ["expired", "unknown", "unknown", "unknown"]
    alert.refresh_from_db()
    assert alert.state != Alert.State.ACKNOWLEDGED


def test_the_provider_is_authenticated_and_bad_bodies_refused(alert, settings) -> None:
    body = {"mobile": PHONE, "text": alert.reply_code, "time": 0}
    assert _push("tencent", body, token="wrong").status_code == 404
    assert _push("other", body).status_code == 404
    assert Client().get(reverse("sms:callback", args=["tencent", TOKEN])).status_code == 405
    refused = Client().post(
        reverse("sms:callback", args=["tencent", TOKEN]), "not json", content_type="text/plain"
    )
    assert refused.status_code == 400
    assert refused.json()["result"] == 1
    assert "格式" in refused.json()["errmsg"]
    assert _push("aliyun", [{"nothing": 1}]).status_code == 400
    assert _push("aliyun", ["x"]).status_code == 400
    settings.XIAONENG_SMS_CALLBACK_TOKEN = ""
    assert _push("tencent", body).status_code == 404
    assert not SmsReply.objects.exists()
    alert.refresh_from_db()
    assert alert.state == Alert.State.PENDING


def test_delivery_statuses_are_recorded(alert) -> None:
    sms = Notification.objects.get(kind="emergencies.alert", channel="sms")
    Notification.objects.filter(pk=sms.pk).update(
        provider="aliyun", provider_message_id="900619746936498440^0", status="sent"
    )
    report = {
        "phone_number": PHONE,
        "send_time": "2026-05-12 13:00:00",
        "report_time": "2026-05-12 13:00:05",
        "success": True,
        "err_code": "DELIVERED",
        "err_msg": "用户接收成功",
        "sms_size": "1",
        "biz_id": "900619746936498440^0",
        "out_id": "",
    }
    assert _push("aliyun", [report]).status_code == 200
    sms.refresh_from_db()
    assert sms.receipt_status == Notification.Receipt.DELIVERED
    assert sms.receipt_code == "DELIVERED"
    Notification.objects.filter(pk=sms.pk).update(
        provider="tencent", provider_message_id="sid-1", receipt_status=""
    )
    status = {
        "user_receive_time": "2026-05-12 13:00:09",
        "nationcode": "86",
        "mobile": PHONE,
        "report_status": "FAIL",
        "errmsg": "MK:0004",
        "description": "用户短信接收失败",
        "sid": "sid-1",
    }
    assert _push("tencent", [status]).status_code == 200
    sms.refresh_from_db()
    assert sms.receipt_status == Notification.Receipt.UNDELIVERED
