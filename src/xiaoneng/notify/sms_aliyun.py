"""Alibaba Cloud SMS (阿里云短信服务) through its official SDK, ``alibabacloud-dysmsapi20170525``.

``SendSms`` sends one approved template under the approved sign name and answers ``Code`` "OK"
with a ``BizId``, the message id kept on the outbox row; any other ``Code`` is a refusal, turned
into an ``SmsError`` with a clear reason. ``QuerySendDetails`` (by number, ``BizId`` and send
date) gives the delivery receipt: ``SendStatus`` 3 delivered, 2 not delivered, 1 still waiting.
Configuration (settings, from the environment): ``XIAONENG_SMS_ALIYUN_ACCESS_KEY_ID``,
``…_ACCESS_KEY_SECRET``, ``…_SIGN_NAME``, ``…_TEMPLATES``, ``…_ENDPOINT``; ``XIAONENG_SMS_TIMEOUT``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from alibabacloud_dysmsapi20170525 import models as sms_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi import models as openapi_models
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from darabonba.runtime import RuntimeOptions
from django.conf import settings

from xiaoneng.notify.sms import SmsError, SmsReceipt
from xiaoneng.notify.sms_templates import (
    mainland_number,
    network_error,
    parse_templates,
    split_endpoint,
    template_for,
    template_values,
)

PROVIDER = "aliyun"
DEFAULT_ENDPOINT = "dysmsapi.aliyuncs.com"
# The provider's dates are Beijing time.
PROVIDER_TZ = ZoneInfo("Asia/Shanghai")

# The provider's codes (SendSms "Code", or the error code of an HTTP error) → (reason, permanent).
ERRORS: dict[str, tuple[str, bool]] = {
    "isv.BUSINESS_LIMIT_CONTROL": (
        "the provider's sending limit for this number was reached",
        False,
    ),
    "isv.DAY_LIMIT_CONTROL": ("the provider's daily limit was reached", False),
    "isv.AMOUNT_NOT_ENOUGH": ("the SMS account has no balance left", False),
    "isv.OUT_OF_SERVICE": ("the SMS account is suspended", False),
    "isp.SYSTEM_ERROR": ("the provider had an internal error", False),
    "isp.RAM_PERMISSION_DENY": ("the access key may not send SMS", False),
    "InvalidAccessKeyId.NotFound": ("the access key id is not known to the provider", False),
    "SignatureDoesNotMatch": ("the access key secret is wrong", False),
    "isv.MOBILE_NUMBER_ILLEGAL": ("the phone number is not valid", True),
    "isv.MOBILE_COUNT_OVER_LIMIT": ("too many phone numbers in one message", True),
    "isv.SMS_TEMPLATE_ILLEGAL": ("the template is not approved for this account", True),
    "isv.SMS_SIGNATURE_ILLEGAL": ("the sign name is not approved for this account", True),
    "isv.SMS_SIGN_ILLEGAL": ("the sign name is not approved for this account", True),
    "isv.TEMPLATE_MISSING_PARAMETERS": ("the template's variables were not all given", True),
    "isv.INVALID_PARAMETERS": ("the provider rejected the request's parameters", True),
    "isv.INVALID_JSON_PARAM": ("the template variables are not valid JSON", True),
    "isv.PARAM_LENGTH_LIMIT": ("a template variable is too long", True),
    "isv.BLACK_KEY_CONTROL_LIMIT": ("the text contains words the provider blocks", True),
    "isv.DENY_IP_RANGE": ("the number is in a range the provider does not serve", True),
}


def provider_error(code: str) -> SmsError:
    reason, permanent = ERRORS.get(code, ("Alibaba Cloud SMS refused the message", False))
    return SmsError(f"Alibaba Cloud SMS: {reason}", code=code, permanent=permanent)


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, f"XIAONENG_SMS_ALIYUN_{name}", default) or default)


class AliyunSmsBackend:
    provider = PROVIDER

    def __init__(self) -> None:
        self.sign_name = _setting("SIGN_NAME")
        self.templates = parse_templates(getattr(settings, "XIAONENG_SMS_ALIYUN_TEMPLATES", ""))
        self.timeout = float(getattr(settings, "XIAONENG_SMS_TIMEOUT", 10))
        scheme, host = split_endpoint(_setting("ENDPOINT"), DEFAULT_ENDPOINT)
        self.client = Client(
            openapi_models.Config(
                access_key_id=_setting("ACCESS_KEY_ID"),
                access_key_secret=_setting("ACCESS_KEY_SECRET"),
                endpoint=host,
                protocol=scheme,
            )
        )

    def _runtime(self) -> RuntimeOptions:
        millis = int(self.timeout * 1000)
        # No retries inside the SDK: the relay retries, with backoff, and records each attempt.
        return RuntimeOptions(autoretry=False, read_timeout=millis, connect_timeout=millis)

    def _call(self, method: Callable[..., Any], request: Any) -> Any:
        try:
            return method(request, self._runtime()).body
        except Exception as exc:
            code = str(getattr(exc, "code", "") or "")
            # An answer from the provider (an HTTP error with its code), not a network failure.
            if code and (isinstance(exc, AlibabaCloudException) or code in ERRORS):
                raise provider_error(code) from None
            raise network_error("Alibaba Cloud SMS", exc, self.timeout) from None

    def send(self, *, phone: str, text: str) -> str:
        template = template_for(self.templates, getattr(text, "kind", ""))
        values = dict(template_values(template, text))
        request = sms_models.SendSmsRequest(
            phone_numbers=mainland_number(phone),
            sign_name=self.sign_name,
            template_code=template.code,
            template_param=json.dumps(values, ensure_ascii=False) if values else None,
        )
        body = self._call(self.client.send_sms_with_options, request)
        if body.code != "OK":
            raise provider_error(body.code or "")
        if not body.biz_id:
            raise SmsError("Alibaba Cloud SMS answered without a message id", code="no-id")
        return str(body.biz_id)

    def receipt(self, *, phone: str, message_id: str, sent_at: datetime) -> SmsReceipt | None:
        """The delivery receipt, or None while the provider is still waiting for one."""
        request = sms_models.QuerySendDetailsRequest(
            phone_number=mainland_number(phone),
            biz_id=message_id,
            send_date=sent_at.astimezone(PROVIDER_TZ).strftime("%Y%m%d"),
            page_size=10,
            current_page=1,
        )
        body = self._call(self.client.query_send_details_with_options, request)
        if body.code != "OK":
            raise provider_error(body.code or "")
        details = body.sms_send_detail_dtos.sms_send_detail_dto if body.sms_send_detail_dtos else []
        for detail in details or []:
            if detail.send_status == 3:
                return SmsReceipt(True, _provider_time(detail.receive_date), detail.err_code or "")
            if detail.send_status == 2:
                return SmsReceipt(False, _provider_time(detail.receive_date), detail.err_code or "")
        return None


def _provider_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=PROVIDER_TZ)
    except ValueError:
        return None
