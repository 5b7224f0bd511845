"""Links to a document's downloads (PDF and DOCX), and the documents of an application's
page. The case page's links are built in ``cases/documents.py``."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from xiaoneng.accountability.filings import DenialFiling
from xiaoneng.cases.applications import OneTimeNotice
from xiaoneng.cases.models import Case, Signal
from xiaoneng.documents.content import TITLES, Kind


@dataclass(frozen=True)
class DocumentLink:
    kind: str
    title: str
    pdf_url: str
    docx_url: str


def document_link(kind: str, name: str, pk: int, title: str = "") -> DocumentLink:
    """The PDF and DOCX links of the download ``documents:<name>`` about object ``pk``."""
    return DocumentLink(
        kind=kind,
        title=title or TITLES[kind],
        pdf_url=reverse(f"documents:{name}", args=[pk, "pdf"]),
        docx_url=reverse(f"documents:{name}", args=[pk, "docx"]),
    )


def case_documents(*, case: Case) -> list[DocumentLink]:
    """Receipt, one-time notices, refusal decisions, reminders and rectification notices."""
    links = [document_link(Kind.RECEIPT, "case_receipt", case.pk)]
    notices = OneTimeNotice.objects.filter(application__case=case).order_by("sequence")
    for notice in notices:
        title = TITLES[Kind.ONE_TIME_NOTICE] if notice.sequence == 1 else "补正材料告知书（补充）"
        links.append(document_link(Kind.ONE_TIME_NOTICE, "notice", notice.pk, title))
    filings = DenialFiling.objects.filter(case=case).exclude(kind=DenialFiling.Kind.OVERDUE)
    for filing in filings.order_by("filed_at", "id"):
        kind = (
            Kind.NOT_ACCEPTED
            if filing.kind == DenialFiling.Kind.NOT_ACCEPTED
            else Kind.NOT_APPROVED
        )
        links.append(document_link(kind, "denial_decision", filing.pk))
    signals = Signal.objects.filter(case=case, revoked=False).order_by("raised_at", "id")
    for signal in signals:
        if signal.level == Signal.Level.YELLOW:
            links.append(document_link(Kind.REMINDER, "signal_reminder", signal.pk))
        elif signal.level == Signal.Level.RED:
            links.append(document_link(Kind.RECTIFICATION, "signal_rectification", signal.pk))
    return links
