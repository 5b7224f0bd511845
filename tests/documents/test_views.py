"""Downloads from the case page: every document opens and reads right; each is audited;
people outside the case's scope get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.documents.conftest import MISSING, docx_text
from tests.documents.pdftext import pdf_text
from xiaoneng.applications.selectors import case_documents
from xiaoneng.applications.services import application_decide_acceptance
from xiaoneng.audit.models import AuditEntry
from xiaoneng.privacy import mask_name

pytestmark = pytest.mark.django_db


def test_every_document_of_the_case_downloads_opens_and_is_audited(
    client, demo_password, users, application
) -> None:
    case = application.case
    application_decide_acceptance(
        case=case,
        accept=False,
        by=users["personnel_head"],
        reason="不属于本机关职责",
        basis="《行政许可法》第三十二条",
    )
    links = case_documents(case=case)
    assert [link.kind for link in links] == ["receipt", "one_time_notice", "not_accepted"]
    assert client.login(username="intake", password=demo_password)
    for link in links:
        pdf = client.get(link.pdf_url)
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert "attachment" in pdf["Content-Disposition"]
        text = pdf_text(pdf.content)
        assert link.title in text
        assert case.number in text
        docx = client.get(link.docx_url)
        assert docx.status_code == 200
        assert link.title in docx_text(docx.content)
    notice_text = pdf_text(client.get(links[1].pdf_url).content)
    assert all(name in notice_text for name in MISSING)
    downloads = AuditEntry.objects.filter(action="documents.download")
    assert downloads.count() == 7
    assert downloads.filter(actor_label="intake").count() == 7
    numbers = {entry.summary["number"] for entry in downloads}
    assert len(numbers) == 3  # one number per document, the same on every download


def test_downloads_are_scoped_and_need_a_known_format(client, demo_password, application) -> None:
    url = reverse("documents:case_receipt", args=[application.case_id, "pdf"])
    assert client.get(url).status_code == 302  # anonymous
    assert client.login(username="school_handler", password=demo_password)
    assert client.get(url).status_code == 404
    assert client.login(username="auditor", password=demo_password)
    assert client.get(url).status_code == 403
    assert client.login(username="intake", password=demo_password)
    bad = reverse("documents:case_receipt", args=[application.case_id, "exe"])
    assert client.get(bad).status_code == 404
    assert not AuditEntry.objects.filter(action="documents.download").exists()


def test_downloaded_documents_mask_the_requesters_name(client, demo_password, users, application):
    """Item 7(a) of issue 20: every role that can open the case downloads the receipt, the
    one-time notice and the refusal; none of them names the requester in full (the reveal
    action is the only way to the full name). Read back from the real PDF and DOCX files."""
    case = application.case
    application_decide_acceptance(
        case=case,
        accept=False,
        by=users["personnel_head"],
        reason="不属于本机关职责",
        basis="《行政许可法》第三十二条",
    )
    full, masked = case.requester_name, mask_name(case.requester_name)
    assert masked.startswith("林*")
    assert "小雨" not in masked
    links = case_documents(case=case)
    assert [link.kind for link in links] == ["receipt", "one_time_notice", "not_accepted"]
    for username in ("intake", "personnel_head", "xiaoneng", "leader"):
        assert client.login(username=username, password=demo_password)
        for link in links:
            pdf = pdf_text(client.get(link.pdf_url).content)
            docx = docx_text(client.get(link.docx_url).content)
            for text in (pdf, docx):
                assert link.title in text, (username, link.kind)
                assert masked in text, (username, link.kind)
                assert "小雨" not in text, (username, link.kind)
                assert full not in text, (username, link.kind)


def test_the_requesters_own_copy_may_name_them_in_full(application) -> None:
    from xiaoneng.cases.documents import receipt_document
    from xiaoneng.documents.docx import render_docx

    document = receipt_document(application.case, number="x", full_name=True)
    assert document.addressee == application.case.requester_name
    assert application.case.requester_name in docx_text(render_docx(document))
