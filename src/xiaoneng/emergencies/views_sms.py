"""The SMS providers' callbacks: replies to alerts (a reply code acknowledges) and delivery
statuses, in Tencent Cloud's and Alibaba Cloud's documented formats (``notify/inbound.py``).
Reached without a login; the provider is authenticated by the shared secret in the address
(``XIAONENG_SMS_CALLBACK_TOKEN``): a wrong or missing one is a 404, as for any unknown page."""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from xiaoneng.emergencies.services.sms_replies import sms_reply_receive
from xiaoneng.notify.inbound import PROVIDERS, CallbackError, parse_push, sms_status_record

log = logging.getLogger("xiaoneng.notify")
MAX_BODY = 256 * 1024


def _answer(provider: str, ok: bool, message: str, status: int) -> JsonResponse:
    if provider == "tencent":
        body: dict[str, object] = {"result": 0 if ok else 1, "errmsg": "OK" if ok else message}
    else:
        body = {"code": 0 if ok else 1, "msg": message}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@login_not_required
@require_POST
def sms_callback(request: HttpRequest, provider: str, token: str) -> JsonResponse:
    expected = settings.XIAONENG_SMS_CALLBACK_TOKEN
    if provider not in PROVIDERS or not expected:
        raise Http404
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise Http404
    if len(request.body) > MAX_BODY:
        return _answer(provider, False, _("The message is too large."), 413)
    try:
        pushed = parse_push(provider, request.body)
    except CallbackError as exc:
        log.warning("SMS callback from %s refused: %s", provider, exc)
        return _answer(provider, False, _("The message is not in the provider's format."), 400)
    now = timezone.now()
    for text in pushed.texts:
        sms_reply_receive(provider=provider, phone=text.phone, text=text.text, sent_at=text.sent_at)
    for status in pushed.statuses:
        sms_status_record(provider=provider, status=status, now=now)
    return _answer(provider, True, _("Received"), 200)
