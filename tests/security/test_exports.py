"""Exports: a reason, an hourly limit, a watermark, and an audit row with the row count."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiaoneng.audit.models import AuditEntry
from xiaoneng.cases.models import Category
from xiaoneng.cases.services import case_register
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.security.exports import export_authorize

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_case(users):
    return case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="择校费",
        content="家长反映择校费问题。",
        requester_name="张家长",
        requester_phone="13912345678",
    ).case


def test_export_asks_for_a_reason_then_sends_a_watermarked_file(client, some_case, demo_password):
    client.login(username="xiaoneng", password=demo_password)
    url = reverse("office:case_export") + "?q=择校费"
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="export-reason"' in page.content.decode()
    refused = client.post(url, {"reason": "   "})
    assert refused.status_code == 200
    assert not AuditEntry.objects.filter(action="case.export").exists()
    response = client.post(url, {"reason": "月度效能分析"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = list(sheet.values)
    assert "xiaoneng" in rows[0][0]
    assert "xiaoneng" in sheet.oddHeader.center.text
    assert "xiaoneng" in sheet.oddFooter.center.text
    assert rows[1][0] == "编号"
    assert rows[2][10] == "张**"
    assert rows[2][11] == "139****5678"
    assert "13912345678" not in str(rows)
    entry = AuditEntry.objects.get(action="case.export")
    assert entry.summary["rows"] == 1
    assert entry.summary["reason"] == "月度效能分析"
    assert entry.actor.username == "xiaoneng"


def test_export_is_rate_limited(client, some_case, demo_password, settings):
    settings.XIAONENG_EXPORTS_PER_HOUR = 2
    client.login(username="xiaoneng", password=demo_password)
    url = reverse("office:case_export")
    for _n in range(2):
        assert client.post(url, {"reason": "核查"}).get("Content-Disposition")
    third = client.post(url, {"reason": "核查"})
    assert third.get("Content-Disposition") is None
    assert third.context["form"].errors
    assert AuditEntry.objects.filter(action="case.export").count() == 2


def test_export_authorize_rules(users):
    with pytest.raises(PermissionDenied):
        export_authorize(user=users["auditor"], reason="x", kind="case", roles=["intake"])
    with pytest.raises(DomainError):
        export_authorize(user=users["intake"], reason="", kind="case", roles=["intake"])
    assert export_authorize(user=users["intake"], reason=" 对账  ", kind="case") == "对账"
