"""What the SMS providers push to us: texts people sent back (replies) and delivery statuses,
in each provider's documented format. Pure parsing; what a reply means is for the app that
sent the text (emergencies: an alert's reply code), a status goes to the outbox row.

Tencent Cloud SMS: a reply (回复回调) is one JSON object ``{"extend", "mobile", "nationcode",
"sign", "text", "time"}`` (``time`` in Unix seconds); a status report (状态回调) a JSON array of
``{"user_receive_time", "nationcode", "mobile", "report_status", "errmsg", "description",
"sid"}``. It expects ``{"result": 0, "errmsg": "OK"}``.

Alibaba Cloud SMS, HTTP batch push: an uplink message (SmsUp) is a JSON array of
``{"phone_number", "send_time", "content", "sign_name", "dest_code", "sequence_id"}``; a status
report (SmsReport) a JSON array of ``{"phone_number", "send_time", "report_time", "success",
"err_code", "err_msg", "sms_size", "biz_id", "out_id"}``. It expects ``{"code": 0, "msg": …}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xiaoneng.notify.models import Notification
from xiaoneng.notify.sms_templates import mainland_number

PROVIDERS = ("aliyun", "tencent")
# The providers write their moments in China's time.
PROVIDER_TZ = ZoneInfo("Asia/Shanghai")
MAX_ITEMS = 500


class CallbackError(ValueError):
    """The body is not what the provider documents."""


@dataclass(frozen=True)
class InboundText:
    phone: str
    text: str
    sent_at: datetime | None


@dataclass(frozen=True)
class DeliveryStatus:
    phone: str
    message_id: str
    delivered: bool
    code: str
    at: datetime | None


@dataclass(frozen=True)
class Pushed:
    texts: list[InboundText]
    statuses: list[DeliveryStatus]


def _local(value: Any) -> datetime | None:
    """``2017-09-01 00:00:00`` in the provider's (China's) time, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = parse_datetime(value.strip())
    except ValueError:
        return None
    if moment is None:
        return None
    return timezone.make_aware(moment, PROVIDER_TZ) if timezone.is_naive(moment) else moment


def _unix(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise CallbackError(f"{key} is not text")
    return str(value).strip()


def _items(body: Any) -> list[dict[str, Any]]:
    items = body if isinstance(body, list) else [body]
    if len(items) > MAX_ITEMS or not all(isinstance(item, dict) for item in items):
        raise CallbackError("not a JSON object or an array of objects")
    return items


def _tencent(item: dict[str, Any], pushed: Pushed) -> None:
    phone = mainland_number(_text(item, "mobile"))
    if "text" in item:
        pushed.texts.append(
            InboundText(phone=phone, text=_text(item, "text"), sent_at=_unix(item.get("time")))
        )
    elif "report_status" in item:
        status = _text(item, "report_status")
        pushed.statuses.append(
            DeliveryStatus(
                phone=phone,
                message_id=_text(item, "sid"),
                delivered=status == "SUCCESS",
                code=_text(item, "errmsg") or status,
                at=_local(item.get("user_receive_time")),
            )
        )
    else:
        raise CallbackError("neither a reply nor a status report")


def _aliyun(item: dict[str, Any], pushed: Pushed) -> None:
    phone = mainland_number(_text(item, "phone_number"))
    if "content" in item:
        pushed.texts.append(
            InboundText(
                phone=phone, text=_text(item, "content"), sent_at=_local(item.get("send_time"))
            )
        )
    elif "success" in item:
        pushed.statuses.append(
            DeliveryStatus(
                phone=phone,
                message_id=_text(item, "biz_id"),
                delivered=item.get("success") is True,
                code=_text(item, "err_code"),
                at=_local(item.get("report_time")),
            )
        )
    else:
        raise CallbackError("neither an uplink message nor a status report")


def parse_push(provider: str, raw: bytes) -> Pushed:
    """The replies and statuses in one push of ``provider``; ``CallbackError`` when malformed."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CallbackError("not JSON") from exc
    pushed = Pushed(texts=[], statuses=[])
    parse = _tencent if provider == "tencent" else _aliyun
    for item in _items(body):
        parse(item, pushed)
    for text in pushed.texts:
        if not text.phone:
            raise CallbackError("a message without a phone number")
    return pushed


_CODE_MAX = Notification._meta.get_field("receipt_code").max_length


def sms_status_record(*, provider: str, status: DeliveryStatus, now: datetime) -> int:
    """A pushed delivery status on the outbox row of the text it is about (the first answer
    wins, as with the polled receipts of ``receipts.py``); returns the rows updated."""
    if not status.message_id:
        return 0
    return Notification.objects.filter(
        channel=Notification.Channel.SMS,
        provider=provider,
        provider_message_id=status.message_id,
        receipt_status="",
    ).update(
        receipt_status=(
            Notification.Receipt.DELIVERED if status.delivered else Notification.Receipt.UNDELIVERED
        ),
        receipt_at=status.at or now,
        receipt_code=status.code[:_CODE_MAX],
    )
