"""The documents a case has, as links for the case page. An application's page adds its
notices and refusal decisions (``applications/selectors.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from xiaoneng.cases.models import Case, Signal
from xiaoneng.documents.content import TITLES, Kind


@dataclass(frozen=True)
class DocumentLink:
    kind: str
    title: str
    pdf_url: str
    docx_url: str


def document_link(kind: str, name: str, pk: int, title: str = "") -> DocumentLink:
    """The PDF and DOCX links of the ``documents:<name>`` download of object ``pk``."""
    return DocumentLink(
        kind=kind,
        title=title or TITLES[kind],
        pdf_url=reverse(f"documents:{name}", args=[pk, "pdf"]),
        docx_url=reverse(f"documents:{name}", args=[pk, "docx"]),
    )


def case_page_documents(*, case: Case) -> list[DocumentLink]:
    """The documents the case page links: the receipt and one per yellow or red card, in one
    query. Notices and refusal decisions of an application are on the application's page."""
    links = [document_link(Kind.RECEIPT, "case_receipt", case.pk)]
    signals = Signal.objects.filter(
        case=case, revoked=False, level__in=[Signal.Level.YELLOW, Signal.Level.RED]
    ).order_by("raised_at", "id")
    for pk, level in signals.values_list("pk", "level"):
        if level == Signal.Level.YELLOW:
            links.append(document_link(Kind.REMINDER, "signal_reminder", pk))
        else:
            links.append(document_link(Kind.RECTIFICATION, "signal_rectification", pk))
    return links
