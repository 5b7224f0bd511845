"""The receipt after submitting on the portal: by when the reply is promised (the case's own due
date, as the tracking page and the SMS say it), a text to copy, a print layout and a PDF."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.documents.pdftext import pdf_text
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case
from xiaoneng.documents.content import chinese_date
from xiaoneng.notify.models import Notification

from .conftest import receipt_of, submit_form

pytestmark = pytest.mark.django_db


def _receipt(client, category) -> tuple[str, Case, str, str]:
    response = client.post(reverse("portal:submit"), submit_form(category))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    code, secret = receipt_of(html)
    return html, Case.objects.get(tracking_code=code), code, secret


def test_receipt_promises_the_due_date_shown_everywhere(client, category) -> None:
    html, case, code, secret = _receipt(client, category)
    due = clocks.current(case=case, stage=clocks.REPLY).due_at
    promised = f"{timezone.localtime(due):%Y-%m-%d %H:%M}"
    assert re.search(rf'data-testid="promised">[^<]*<strong>{promised}</strong>', html)
    # The tracking page shows the same moment as its "to be answered by".
    page = client.post(reverse("portal:track"), {"code": code, "secret": secret})
    assert f'data-testid="due">{promised}<' in page.content.decode()
    # And the SMS says it too.
    sms = Notification.objects.get(channel="sms", kind="case.registered")
    assert promised in sms.body
    assert "承诺于" in sms.body
    assert secret not in sms.body


def test_receipt_text_to_copy_holds_code_secret_and_date(client, category) -> None:
    html, case, code, secret = _receipt(client, category)
    area = re.search(r'<textarea[^>]*data-testid="copy-text"[^>]*>(.*?)</textarea>', html, re.S)
    assert area, "the receipt's text is on the page, selectable without a script"
    assert "readonly" in area[0]
    text = unescape(area[1])
    due = clocks.current(case=case, stage=clocks.REPLY).due_at
    assert code in text
    assert secret in text
    assert f"{timezone.localtime(due):%Y-%m-%d %H:%M}" in text
    assert case.number in text
    # The copy button needs the script, so it is hidden until the script shows it.
    assert re.search(r'<button[^>]*data-copy="receipt-text"[^>]*hidden', html)
    assert "portal/receipt.js" in html


def test_receipt_pdf_is_the_official_receipt_with_the_secret(client, category) -> None:
    html, case, code, secret = _receipt(client, category)
    link = re.search(r'href="([^"]+)" data-testid="receipt-pdf"', html)
    assert link
    response = client.get(unescape(link[1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "受理回执" in text
    assert code in text
    assert secret in text
    assert case.number in text
    due = clocks.current(case=case, stage=clocks.REPLY).due_at
    assert chinese_date(due) in text
    assert "刘家长" not in text  # the name is masked, as on every copy a link can reach


def test_a_changed_receipt_pdf_link_is_refused(client, category) -> None:
    html, _case, _code, _secret = _receipt(client, category)
    link = unescape(re.search(r'href="([^"]+)" data-testid="receipt-pdf"', html)[1])
    token = unquote(link.split("?r=", 1)[1])
    response = client.get(reverse("portal:receipt_pdf"), {"r": token[:-4] + "AAAA"})
    assert response.status_code == 400
    assert "回执链接无效或已过期" in response.content.decode()
    assert client.get(reverse("portal:receipt_pdf")).status_code == 400


def test_receipt_link_to_progress_needs_no_session(client, category) -> None:
    html, case, _code, _secret = _receipt(client, category)
    link = unescape(re.search(r'href="([^"]+)" data-testid="track-link"', html)[1])
    fresh = client.__class__()  # another browser: the link alone opens the page
    page = fresh.get(link)
    assert page.status_code == 200
    assert case.number in page.content.decode()


def test_receipt_prints_without_buttons(client, category) -> None:
    html, *_ = _receipt(client, category)
    assert 'class="card noprint" data-testid="keep"' in html
    css = Path(__file__).resolve().parents[2] / "src/xiaoneng/portal/static/portal/portal.css"
    css = css.read_text()
    assert "@media print" in css
    assert ".noprint" in css
