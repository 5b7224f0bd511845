"""The incident report documents (初报/续报/终报), DOCX and PDF in the 公文 layout: the real
files opened and read; numbered once; downloads scoped like the incident and audited."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from xiaoneng.audit.models import AuditEntry
from xiaoneng.emergencies.models import IncidentReport
from xiaoneng.emergencies.services import incident_end_response, report_send

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditor")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _docx(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _pdf(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _url(report: IncidentReport, fmt: str) -> str:
    return reverse("documents:report_document", args=[report.pk, fmt])


def test_initial_progress_and_final_reports_as_docx_and_pdf(users, report) -> None:
    incident = report(users)
    handler = users["school_handler"]
    report_send(
        incident=incident,
        kind="progress",
        by=handler,
        situation="12名学生中10人已出院，2人留院观察。",
        injured=12,
        dead=0,
        missing=0,
        measures="食堂停业整顿，留样送检。",
    )
    incident_end_response(incident=incident, by=handler)
    report_send(
        incident=incident,
        kind="final",
        by=handler,
        situation="全部学生已康复出院。",
        injured=12,
        dead=0,
        missing=0,
        measures="更换供餐单位。",
        causes="午餐凉拌菜被污染。",
        lessons="加强食堂留样和晨检制度。",
    )
    initial, progress, final = incident.reports.order_by("sent_at", "id")
    client = _client(handler)

    response = client.get(_url(initial, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx(response.content)
    assert "关于午餐后多名学生腹痛呕吐的初报" in text
    assert "教安初〔" in text
    assert "学校食堂发生一起食品安全类突发事件" in text
    assert "Ⅲ级（较大）" in text
    assert "受伤12人，死亡0人，失踪0人" in text
    assert "原因" not in text  # 快报事实，慎报原因
    assert "联系电话：13800000000" in text
    number = text.split("\n")[1]

    again = _docx(client.get(_url(initial, "docx")).content)
    assert number in again  # the same number on every download

    pdf = _pdf(client.get(_url(progress, "pdf")).content)
    assert "续报" in pdf
    assert "2人留院观察" in pdf
    assert "教安续" in pdf

    final_text = _docx(client.get(_url(final, "docx")).content)
    assert "终报" in final_text
    assert "原因：午餐凉拌菜被污染。" in final_text
    assert "教训与整改措施：加强食堂留样和晨检制度。" in final_text
    assert _pdf(client.get(_url(final, "pdf")).content).count("终报") >= 1

    assert AuditEntry.objects.filter(action="documents.download").count() == 5
    # The incident page links each report's documents.
    page = client.get(reverse("emergencies:incident", args=[incident.pk])).content.decode()
    assert page.count('data-testid="report-document"') == 3
    assert _url(final, "pdf") in page


def test_report_documents_are_scoped(users, report) -> None:
    incident = report(users)
    initial = incident.reports.get()
    url = _url(initial, "pdf")
    assert _client(users["safety_a"]).get(url).status_code == 200
    assert _client(users["s2_intake"]).get(url).status_code == 404  # another school
    for admin in ADMINS:
        assert _client(users[admin]).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    assert _client(users["school_handler"]).get(_url(initial, "odt")).status_code == 404
    missing = reverse("documents:report_document", args=[999999, "pdf"])
    assert _client(users["safety_a"]).get(missing).status_code == 404
