"""The Alibaba Cloud and Tencent Cloud SMS adapters, through the providers' own SDKs, against a
local server on 127.0.0.1 that answers as the providers' documented APIs do (Alibaba: SendSms
answers Code "OK" and a BizId, or a Code such as isv.BUSINESS_LIMIT_CONTROL; QuerySendDetails
answers SmsSendDetailDTOs with SendStatus 3 delivered / 2 failed. Tencent: SendSms answers a
SendStatusSet with Code "Ok" and a SerialNo, or an Error such as LimitExceeded…;
PullSmsSendStatusByPhoneNumber answers ReportStatus SUCCESS / FAIL per SerialNo).

Nothing of ours is replaced: enqueue, relay, adapter and receipt job run as in production."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.notify.provider_servers import ProviderServer
from xiaoneng.notify.models import Notification, SmsRecord
from xiaoneng.notify.receipts import sms_receipts_fetch
from xiaoneng.notify.relay import RelayResult, outbox_relay
from xiaoneng.notify.selectors import notifications_failed
from xiaoneng.sealing import MASK, Secret

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
TEMPLATE = "您的诉求%(number)s已受理，查询码%(code)s，密码%(secret)s。"
PARAMS = {"number": "XN2026-0001", "code": "Q7K2", "secret": Secret("s3cr3t-x9")}

ALIYUN_OK = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655"}
TENCENT_OK = {
    "Response": {
        "SendStatusSet": [
            {
                "SerialNo": "5000:1045710669157053657849499619",
                "PhoneNumber": "+8613912345678",
                "Fee": 1,
                "SessionContext": "",
                "Code": "Ok",
                "Message": "send success",
                "IsoCode": "CN",
            }
        ],
        "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
    }
}


def tencent_error(code: str) -> dict:
    return {"Response": {"Error": {"Code": code, "Message": "refused"}, "RequestId": "r-1"}}


def tencent_status(code: str) -> dict:
    answer = json.loads(json.dumps(TENCENT_OK))
    status = answer["Response"]["SendStatusSet"][0]
    status.update(Code=code, SerialNo="", Message="refused")
    return answer


@pytest.fixture
def aliyun(settings) -> Iterator[ProviderServer]:
    server = ProviderServer("aliyun")
    settings.XIAONENG_SMS_BACKEND = "aliyun"
    settings.XIAONENG_SMS_ALIYUN_ENDPOINT = server.start()
    settings.XIAONENG_SMS_ALIYUN_ACCESS_KEY_ID = "LTAI5tTestKeyId"
    settings.XIAONENG_SMS_ALIYUN_ACCESS_KEY_SECRET = "test-access-key-secret"
    settings.XIAONENG_SMS_ALIYUN_SIGN_NAME = "某市教育局"
    settings.XIAONENG_SMS_ALIYUN_TEMPLATES = (
        "case.registered=SMS_460765012:number,code,secret; *=SMS_460765099:subject"
    )
    settings.XIAONENG_SMS_TIMEOUT = 0.5
    yield server
    server.stop()


@pytest.fixture
def tencent(settings) -> Iterator[ProviderServer]:
    server = ProviderServer("tencent")
    settings.XIAONENG_SMS_BACKEND = "tencent"
    settings.XIAONENG_SMS_TENCENT_ENDPOINT = server.start()
    settings.XIAONENG_SMS_TENCENT_SECRET_ID = "AKIDtestsecretid"
    settings.XIAONENG_SMS_TENCENT_SECRET_KEY = "test-secret-key"
    settings.XIAONENG_SMS_TENCENT_SDK_APP_ID = "1400006666"
    settings.XIAONENG_SMS_TENCENT_SIGN_NAME = "某市教育局"
    settings.XIAONENG_SMS_TENCENT_TEMPLATES = (
        "case.registered=1110001:number,code,secret; *=1110099:subject"
    )
    settings.XIAONENG_SMS_TIMEOUT = 0.5
    yield server
    server.stop()


def registered(enqueue) -> Notification:
    return enqueue(
        channel="sms",
        kind="case.registered",
        subject="XN2026-0001",
        body=TEMPLATE,
        params=PARAMS,
        address=PHONE,
    )


def assert_nothing_secret_stored(row: Notification) -> None:
    row.refresh_from_db()
    for value in (row.body, row.last_error, row.sealed, json.dumps(row.params)):
        assert "s3cr3t-x9" not in value
    assert not SmsRecord.objects.exists()  # a real provider: nothing recorded instead


# --- Alibaba Cloud ---------------------------------------------------------------------------


def test_aliyun_sends_the_approved_template_and_keeps_the_biz_id(aliyun, enqueue) -> None:
    aliyun.answer("SendSms", ALIYUN_OK)
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(sent=1)
    (call,) = aliyun.calls("SendSms")
    assert call.params["PhoneNumbers"] == PHONE
    assert call.params["SignName"] == "某市教育局"
    assert call.params["TemplateCode"] == "SMS_460765012"
    # The secret reaches the provider in clear, and only the provider.
    assert json.loads(call.params["TemplateParam"]) == {
        "number": "XN2026-0001",
        "code": "Q7K2",
        "secret": "s3cr3t-x9",
    }
    assert call.headers["Authorization"].startswith("ACS3-HMAC-SHA256 Credential=LTAI5tTestKeyId")
    row.refresh_from_db()
    assert (row.status, row.provider, row.provider_message_id) == (
        "sent",
        "aliyun",
        "900619746936498440^0",
    )
    assert row.body.endswith(f"密码{MASK}。")
    assert row.sealed == ""
    assert_nothing_secret_stored(row)


def test_aliyun_kind_without_its_own_template_uses_the_default_one(aliyun, enqueue) -> None:
    aliyun.answer("SendSms", ALIYUN_OK)
    enqueue(channel="sms", kind="case.replied", subject="您的诉求已答复", body="", address=PHONE)
    assert outbox_relay().sent == 1
    (call,) = aliyun.calls("SendSms")
    assert call.params["TemplateCode"] == "SMS_460765099"
    assert json.loads(call.params["TemplateParam"]) == {"subject": "您的诉求已答复"}


def test_aliyun_business_limit_is_retried_with_backoff_then_sent(aliyun, enqueue) -> None:
    aliyun.answer("SendSms", {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"})
    aliyun.answer("SendSms", ALIYUN_OK)
    row = registered(enqueue)
    now = timezone.now()
    assert outbox_relay(now=now) == RelayResult(retried=1)
    row.refresh_from_db()
    assert row.status == "pending"
    assert row.next_attempt_at == now + timedelta(minutes=1)
    assert row.last_error == (
        "SmsError: Alibaba Cloud SMS: the provider's sending limit for this number was reached "
        "[isv.BUSINESS_LIMIT_CONTROL]"
    )
    assert row.sealed  # still waiting for the next attempt
    assert outbox_relay(now=now + timedelta(seconds=30)) == RelayResult()  # not yet due
    assert outbox_relay(now=now + timedelta(minutes=1)) == RelayResult(sent=1)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider_message_id) == ("sent", 2, ALIYUN_OK["BizId"])
    assert len(aliyun.calls("SendSms")) == 2
    assert_nothing_secret_stored(row)


def test_aliyun_invalid_number_fails_at_once_in_the_failed_list(aliyun, enqueue) -> None:
    aliyun.answer("SendSms", {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(failed=1)
    row.refresh_from_db()
    assert row.status == "failed"
    assert row.attempts == 1
    assert "the phone number is not valid [isv.MOBILE_NUMBER_ILLEGAL]" in row.last_error
    assert row.sealed == ""


def test_aliyun_wrong_access_key_is_a_clear_reason(aliyun, enqueue) -> None:
    aliyun.answer(
        "SendSms",
        {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."},
        status=404,
    )
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(retried=1)
    row.refresh_from_db()
    assert "the access key id is not known to the provider" in row.last_error
    assert "test-access-key-secret" not in row.last_error


def test_aliyun_timeout_is_a_failed_attempt(aliyun, enqueue) -> None:
    aliyun.answer("SendSms", ALIYUN_OK, delay=1.5)
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(retried=1)
    row.refresh_from_db()
    assert row.last_error == "SmsError: Alibaba Cloud SMS did not answer within 0.5 s [timeout]"
    assert row.provider_message_id == ""
    assert_nothing_secret_stored(row)


def test_aliyun_server_down_is_a_failed_attempt(settings, aliyun, enqueue) -> None:
    settings.XIAONENG_SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:9"
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(retried=1)
    row.refresh_from_db()
    assert row.last_error.startswith("SmsError: Alibaba Cloud SMS could not be reached")


def test_aliyun_delivery_receipt_is_recorded(aliyun, enqueue) -> None:
    aliyun.answer("SendSms", ALIYUN_OK)
    row = registered(enqueue)
    outbox_relay()
    # First the provider is still waiting for the carrier, then the handset has it.
    waiting = {"SendStatus": 1, "ErrCode": "", "PhoneNum": PHONE, "SendDate": "2026-12-06 09:00:00"}
    delivered = {**waiting, "SendStatus": 3, "ErrCode": "DELIVERED"}
    delivered["ReceiveDate"] = "2026-12-06 09:00:05"
    for detail in (waiting, delivered):
        aliyun.answer(
            "QuerySendDetails",
            {
                "Code": "OK",
                "Message": "OK",
                "RequestId": "q-1",
                "TotalCount": 1,
                "SmsSendDetailDTOs": {"SmsSendDetailDTO": [detail]},
            },
        )
    assert sms_receipts_fetch() == 0
    assert sms_receipts_fetch() == 1
    query = aliyun.calls("QuerySendDetails")[0].params
    assert query["BizId"] == ALIYUN_OK["BizId"]
    assert query["PhoneNumber"] == PHONE
    assert len(query["SendDate"]) == 8
    row.refresh_from_db()
    assert (row.receipt_status, row.receipt_code) == ("delivered", "DELIVERED")
    assert row.receipt_at.isoformat() == "2026-12-06T01:00:05+00:00"
    assert sms_receipts_fetch() == 0  # recorded once; not asked again
    assert len(aliyun.calls("QuerySendDetails")) == 2


def test_aliyun_undelivered_receipt(aliyun, enqueue) -> None:
    aliyun.answer("SendSms", ALIYUN_OK)
    row = registered(enqueue)
    outbox_relay()
    aliyun.answer(
        "QuerySendDetails",
        {
            "Code": "OK",
            "SmsSendDetailDTOs": {
                "SmsSendDetailDTO": [{"SendStatus": 2, "ErrCode": "MK:0001", "PhoneNum": PHONE}]
            },
        },
    )
    assert sms_receipts_fetch() == 1
    row.refresh_from_db()
    assert (row.receipt_status, row.receipt_code) == ("undelivered", "MK:0001")


# --- Tencent Cloud ---------------------------------------------------------------------------


def test_tencent_sends_the_approved_template_and_keeps_the_serial_no(tencent, enqueue) -> None:
    tencent.answer("SendSms", TENCENT_OK)
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(sent=1)
    (call,) = tencent.calls("SendSms")
    assert call.params == {
        "PhoneNumberSet": ["+8613912345678"],
        "SmsSdkAppId": "1400006666",
        "SignName": "某市教育局",
        "TemplateId": "1110001",
        "TemplateParamSet": ["XN2026-0001", "Q7K2", "s3cr3t-x9"],
    }
    assert "Credential=AKIDtestsecretid/" in call.headers["Authorization"]
    row.refresh_from_db()
    assert (row.status, row.provider, row.provider_message_id) == (
        "sent",
        "tencent",
        "5000:1045710669157053657849499619",
    )
    assert_nothing_secret_stored(row)


def test_tencent_limit_exceeded_is_retried_with_backoff_then_sent(tencent, enqueue) -> None:
    tencent.answer("SendSms", tencent_error("LimitExceeded.PhoneNumberDailyLimit"))
    tencent.answer("SendSms", TENCENT_OK)
    row = registered(enqueue)
    now = timezone.now()
    assert outbox_relay(now=now) == RelayResult(retried=1)
    row.refresh_from_db()
    assert row.last_error == (
        "SmsError: Tencent Cloud SMS: the provider's daily limit for this number was reached "
        "[LimitExceeded.PhoneNumberDailyLimit]"
    )
    assert row.next_attempt_at == now + timedelta(minutes=1)
    assert outbox_relay(now=now + timedelta(minutes=1)) == RelayResult(sent=1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert_nothing_secret_stored(row)


def test_tencent_refusal_of_the_number_in_the_send_status(tencent, enqueue) -> None:
    tencent.answer("SendSms", tencent_status("InvalidParameterValue.IncorrectPhoneNumber"))
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(failed=1)
    row.refresh_from_db()
    assert "the phone number is not valid" in row.last_error
    assert row.status == "failed"


def test_tencent_unapproved_template_fails_at_once(tencent, enqueue) -> None:
    tencent.answer("SendSms", tencent_error("FailedOperation.TemplateIncorrectOrUnapproved"))
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(failed=1)
    row.refresh_from_db()
    assert "the template is not approved" in row.last_error


def test_tencent_timeout_is_a_failed_attempt(tencent, enqueue) -> None:
    tencent.answer("SendSms", TENCENT_OK, delay=1.5)
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(retried=1)
    row.refresh_from_db()
    assert row.last_error == "SmsError: Tencent Cloud SMS did not answer within 0.5 s [timeout]"
    assert_nothing_secret_stored(row)


def test_tencent_delivery_receipt_is_recorded(tencent, enqueue) -> None:
    tencent.answer("SendSms", TENCENT_OK)
    row = registered(enqueue)
    outbox_relay()
    serial = TENCENT_OK["Response"]["SendStatusSet"][0]["SerialNo"]
    tencent.answer(
        "PullSmsSendStatusByPhoneNumber",
        {
            "Response": {
                "PullSmsSendStatusSet": [
                    {
                        "UserReceiveTime": 1796547605,
                        "CountryCode": "86",
                        "SubscriberNumber": PHONE,
                        "PhoneNumber": "+8613912345678",
                        "SerialNo": serial,
                        "ReportStatus": "SUCCESS",
                        "Description": "DELIVRD",
                        "SessionContext": "",
                    }
                ],
                "RequestId": "p-1",
            }
        },
    )
    assert sms_receipts_fetch() == 1
    (call,) = tencent.calls("PullSmsSendStatusByPhoneNumber")
    assert call.params["PhoneNumber"] == "+8613912345678"
    assert call.params["SmsSdkAppId"] == "1400006666"
    row.refresh_from_db()
    assert (row.receipt_status, row.receipt_code) == ("delivered", "DELIVRD")
    assert int(row.receipt_at.timestamp()) == 1796547605


def test_no_template_for_the_kind_fails_with_a_clear_reason(settings, tencent, enqueue) -> None:
    settings.XIAONENG_SMS_TENCENT_TEMPLATES = "case.registered=1110001:number,code,secret"
    row = enqueue(channel="sms", kind="case.replied", subject="答复", body="", address=PHONE)
    assert outbox_relay() == RelayResult(failed=1)
    row.refresh_from_db()
    assert "no approved template is configured for messages of kind 'case.replied'" in (
        row.last_error
    )
    assert tencent.received == []


def test_the_recording_backend_sends_nothing_and_needs_no_receipt(settings, enqueue) -> None:
    settings.XIAONENG_SMS_BACKEND = "recording"
    row = registered(enqueue)
    assert outbox_relay().sent == 1
    row.refresh_from_db()
    assert (row.provider, row.provider_message_id) == ("", "")
    assert SmsRecord.objects.get().text.endswith(f"密码{MASK}。")
    assert sms_receipts_fetch() == 0


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_no_secret_in_any_log_even_at_debug_level(request, caplog, provider, enqueue) -> None:
    server = request.getfixturevalue(provider)
    if provider == "aliyun":
        server.answer("SendSms", {"Code": "isv.BUSINESS_LIMIT_CONTROL"})
        server.answer("SendSms", ALIYUN_OK)
    else:
        server.answer("SendSms", tencent_error("LimitExceeded.PhoneNumberDailyLimit"))
        server.answer("SendSms", TENCENT_OK)
    caplog.set_level(logging.DEBUG)
    registered(enqueue)
    now = timezone.now()
    assert outbox_relay(now=now).retried == 1
    assert outbox_relay(now=now + timedelta(minutes=1)).sent == 1
    assert "s3cr3t-x9" not in caplog.text
    assert PHONE not in caplog.text
    assert "attempt 1 failed" in caplog.text


def test_a_failed_text_shows_in_the_failed_list(aliyun, enqueue) -> None:
    aliyun.answer("SendSms", {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法"})
    row = registered(enqueue)
    outbox_relay()
    assert list(notifications_failed()) == [row]


def test_an_unconfigured_provider_is_a_clear_reason(settings, enqueue) -> None:
    settings.XIAONENG_SMS_BACKEND = "tencent"
    settings.XIAONENG_SMS_TENCENT_SECRET_ID = settings.XIAONENG_SMS_TENCENT_SECRET_KEY = ""
    row = registered(enqueue)
    assert outbox_relay() == RelayResult(retried=1)
    row.refresh_from_db()
    assert "Tencent Cloud SMS is not configured" in row.last_error
    assert sms_receipts_fetch() == 0
