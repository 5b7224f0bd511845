"""Links to a document's downloads (PDF and DOCX). Each app builds the links of its own
documents: the case page's in ``cases/documents.py``, an application's page's in
``applications/selectors.py``."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from xiaoneng.documents.content import TITLES


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
