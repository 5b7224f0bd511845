"""The receipt a person gets after submitting on the portal: what it says (number, tracking code,
secret, by when the reply is promised), and its PDF.

The promised date is the due moment of the case's reply clock, the figure the tracking page,
the office and the official receipt (受理回执) show. The PDF is that official receipt, built with
the documents app (numbered once, its download audited) and the secret added for the person:
the link to it carries the secret sealed (AES-GCM, ``sealing.py``) inside a signed token that
lapses after ``PDF_LINK_SECONDS``, so no session or table keeps it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core import signing
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from xiaoneng.cases.documents import receipt_document
from xiaoneng.cases.models import Case
from xiaoneng.cases.pool import pool_next_step
from xiaoneng.cases.services.intake import Registered
from xiaoneng.documents.content import Kind, OfficialDocument
from xiaoneng.documents.services import RenderedDocument, document_render
from xiaoneng.sealing import SealError, seal, unseal

PDF_SALT = "xiaoneng.portal.receipt.pdf"
PDF_PURPOSE = "receipt.pdf"
PDF_LINK_SECONDS = 3600


def receipt_data(registered: Registered) -> dict[str, Any]:
    """What the receipt page shows, fit for the session (JSON; the secret sealed)."""
    case = registered.case
    secret = registered.tracking_secret or ""
    return {
        "number": case.number,
        "code": case.tracking_code,
        # The session is a table row too: the secret stays sealed until the receipt shows it.
        "secret": seal({"secret": secret}, purpose="receipt"),
        "copy_sent": bool(case.requester_phone or case.requester_email),
        "anonymous": case.is_anonymous,
        "reply_due": registered.reply_due_at.isoformat() if registered.reply_due_at else "",
        "pdf": receipt_pdf_token(case, secret) if secret else "",
        "case": case.pk,
        # Which unit accepts it and by when, so the confirmation says what happens next.
        **pool_next_step(case),
    }


def receipt_shown(data: dict[str, Any]) -> dict[str, Any]:
    """The session's receipt opened for the page: the secret unsealed, the date parsed."""
    try:
        data["secret"] = unseal(data["secret"], purpose="receipt").get("secret", "")
    except SealError:
        # Sealed under a SECRET_KEY no longer configured: the SMS copy still has it.
        data["secret"] = ""
    due: datetime | None = parse_datetime(data.get("reply_due") or "")
    data["reply_due"] = timezone.localtime(due) if due else None
    return data


def receipt_pdf_token(case: Case, secret: str) -> str:
    sealed = seal({"secret": secret}, purpose=PDF_PURPOSE)
    return signing.dumps([case.pk, sealed], salt=PDF_SALT, compress=True)


class ReceiptLinkError(Exception):
    """The PDF link was changed, cut short or is older than ``PDF_LINK_SECONDS``."""


def _opened(token: str) -> tuple[Case, str]:
    try:
        pk, sealed = signing.loads(token, salt=PDF_SALT, max_age=PDF_LINK_SECONDS)
        secret = unseal(sealed, purpose=PDF_PURPOSE)["secret"]
        return Case.objects.select_related("unit").get(pk=pk), secret
    except (signing.BadSignature, SealError, ValueError, TypeError, KeyError, Case.DoesNotExist):
        raise ReceiptLinkError from None


def _with_secret(case: Case, secret: str) -> Any:
    def build(obj: Case, *, number: str) -> OfficialDocument:
        document = receipt_document(obj, number=number)
        document.body.append(
            f"查询码：{case.tracking_code}　查询密码：{secret}（请妥善保管，查询密码只显示一次）。"
        )
        return document

    return build


def receipt_pdf(token: str) -> RenderedDocument:
    """The official receipt of the case the token names, as PDF with the secret added."""
    case, secret = _opened(token)
    return document_render(
        kind=Kind.RECEIPT,
        obj=case,
        build=_with_secret(case, secret),
        fmt="pdf",
        by=None,
        case_number=case.number,
        unit_id=case.unit_id,
    )
