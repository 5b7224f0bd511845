"""Tencent Cloud SMS (腾讯云短信) through its official SDK, ``tencentcloud-sdk-python-sms``.

``SendSms`` (API 2021-01-11) sends one approved template (``TemplateId``, variables in order)
under the approved ``SignName`` from the ``SmsSdkAppId`` application, and answers one
``SendStatusSet`` entry per number: ``Code`` "Ok" with a ``SerialNo``, the message id kept on the
outbox row, or a refusal code. A refusal of the whole request raises the SDK's exception with
its code. ``PullSmsSendStatusByPhoneNumber`` gives the delivery receipt (``ReportStatus``
SUCCESS or FAIL for the ``SerialNo``).
Configuration (settings, from the environment): ``XIAONENG_SMS_TENCENT_SECRET_ID``,
``…_SECRET_KEY``, ``…_SDK_APP_ID``, ``…_SIGN_NAME``, ``…_TEMPLATES``, ``…_REGION``,
``…_ENDPOINT``; ``XIAONENG_SMS_TIMEOUT``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models as sms_models
from tencentcloud.sms.v20210111.sms_client import SmsClient

from xiaoneng.notify.sms import SmsError, SmsReceipt
from xiaoneng.notify.sms_templates import (
    e164_number,
    network_error,
    parse_templates,
    split_endpoint,
    template_for,
    template_values,
)

PROVIDER = "tencent"
DEFAULT_ENDPOINT = "sms.tencentcloudapi.com"
DEFAULT_REGION = "ap-guangzhou"

# The provider's codes (a SendStatusSet "Code", or the SDK exception's code) → (reason, permanent).
# Codes are matched exactly, then by their family (the part before the dot).
ERRORS: dict[str, tuple[str, bool]] = {
    "LimitExceeded.PhoneNumberThirtySecondLimit": (
        "the provider's 30-second limit for this number was reached",
        False,
    ),
    "LimitExceeded.PhoneNumberOneHourLimit": (
        "the provider's hourly limit for this number was reached",
        False,
    ),
    "LimitExceeded.PhoneNumberDailyLimit": (
        "the provider's daily limit for this number was reached",
        False,
    ),
    "LimitExceeded.DailyLimit": ("the provider's daily limit was reached", False),
    "LimitExceeded": ("the provider's sending limit was reached", False),
    "RequestLimitExceeded": ("too many requests to the provider", False),
    "FailedOperation.InsufficientBalanceInSmsPackage": (
        "the SMS package has no balance left",
        False,
    ),
    "FailedOperation.SignatureIncorrectOrUnapproved": (
        "the sign name is not approved for this application",
        True,
    ),
    "FailedOperation.TemplateIncorrectOrUnapproved": (
        "the template is not approved for this application",
        True,
    ),
    "FailedOperation.PhoneNumberInBlacklist": ("the number refuses messages", True),
    "FailedOperation.ContainSensitiveWord": ("the text contains words the provider blocks", True),
    "InvalidParameterValue.IncorrectPhoneNumber": ("the phone number is not valid", True),
    "InvalidParameterValue.TemplateParameterFormatError": (
        "a template variable has the wrong format",
        True,
    ),
    "InvalidParameterValue.TemplateParameterLengthLimit": (
        "a template variable is too long",
        True,
    ),
    "InvalidParameterValue.SdkAppIdNotExist": ("the SMS application id is not known", False),
    "AuthFailure": ("the secret id or key is wrong", False),
    "UnauthorizedOperation": ("the credentials may not send from this application", False),
    "InternalError": ("the provider had an internal error", False),
}


def provider_error(code: str) -> SmsError:
    known = ERRORS.get(code) or ERRORS.get(code.partition(".")[0])
    reason, permanent = known or ("Tencent Cloud SMS refused the message", False)
    return SmsError(f"Tencent Cloud SMS: {reason}", code=code, permanent=permanent)


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, f"XIAONENG_SMS_TENCENT_{name}", default) or default)


class TencentSmsBackend:
    provider = PROVIDER

    def __init__(self) -> None:
        self.sign_name = _setting("SIGN_NAME")
        self.app_id = _setting("SDK_APP_ID")
        self.templates = parse_templates(getattr(settings, "XIAONENG_SMS_TENCENT_TEMPLATES", ""))
        self.timeout = float(getattr(settings, "XIAONENG_SMS_TIMEOUT", 10))
        scheme, host = split_endpoint(_setting("ENDPOINT"), DEFAULT_ENDPOINT)
        if not _setting("SECRET_ID") or not _setting("SECRET_KEY"):
            raise SmsError(
                "Tencent Cloud SMS is not configured: XIAONENG_SMS_TENCENT_SECRET_ID and "
                "XIAONENG_SMS_TENCENT_SECRET_KEY are needed",
                code="not-configured",
            )
        http = HttpProfile(protocol=scheme, endpoint=host, reqTimeout=self.timeout)
        self.client = SmsClient(
            credential.Credential(_setting("SECRET_ID"), _setting("SECRET_KEY")),
            _setting("REGION", DEFAULT_REGION),
            ClientProfile(httpProfile=http),
        )

    def _call(self, method: Callable[..., Any], request: Any) -> Any:
        try:
            return method(request)
        except TencentCloudSDKException as exc:
            code = str(exc.code or "")
            # The provider's codes are dotted or listed; the SDK wraps its own network failures
            # in the same exception under the failure's class name (ReadTimeout, …).
            if "." in code or code in ERRORS:
                raise provider_error(code) from None
            raise network_error("Tencent Cloud SMS", exc, self.timeout) from None
        except Exception as exc:
            raise network_error("Tencent Cloud SMS", exc, self.timeout) from None

    def send(self, *, phone: str, text: str) -> str:
        template = template_for(self.templates, getattr(text, "kind", ""))
        request = sms_models.SendSmsRequest()
        request.PhoneNumberSet = [e164_number(phone)]
        request.SmsSdkAppId = self.app_id
        request.SignName = self.sign_name
        request.TemplateId = template.code
        request.TemplateParamSet = [value for _name, value in template_values(template, text)]
        response = self._call(self.client.SendSms, request)
        statuses = response.SendStatusSet or []
        if not statuses:
            raise SmsError("Tencent Cloud SMS answered without a send status", code="no-status")
        status = statuses[0]
        if (status.Code or "") != "Ok":
            raise provider_error(status.Code or "")
        if not status.SerialNo:
            raise SmsError("Tencent Cloud SMS answered without a message id", code="no-id")
        return str(status.SerialNo)

    def receipt(self, *, phone: str, message_id: str, sent_at: datetime) -> SmsReceipt | None:
        """The delivery receipt, or None while the provider has none for the message yet."""
        request = sms_models.PullSmsSendStatusByPhoneNumberRequest()
        request.BeginTime = int((sent_at - timedelta(minutes=5)).timestamp())
        request.Offset = 0
        request.Limit = 100
        request.PhoneNumber = e164_number(phone)
        request.SmsSdkAppId = self.app_id
        response = self._call(self.client.PullSmsSendStatusByPhoneNumber, request)
        for status in response.PullSmsSendStatusSet or []:
            if status.SerialNo != message_id:
                continue
            at = (
                datetime.fromtimestamp(int(status.UserReceiveTime), tz=UTC)
                if status.UserReceiveTime
                else None
            )
            delivered = (status.ReportStatus or "").upper() == "SUCCESS"
            return SmsReceipt(delivered, at, status.Description or status.ReportStatus or "")
        return None
