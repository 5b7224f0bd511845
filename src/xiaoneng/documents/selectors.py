"""Links to a document's downloads (PDF and DOCX). Each app builds the links of its own
documents: the case page's in ``cases/documents.py``, an application's page's in
``applications/selectors.py``."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xiaoneng.documents.content import Kind

# The name of each kind of document in the reader's language, for the links to it (the
# document itself keeps its Chinese title, content.TITLES: official documents are Chinese).
LABELS: dict[str, Promise] = {
    Kind.RECEIPT: _("Acknowledgement of receipt"),
    Kind.ONE_TIME_NOTICE: _("One-time notice of missing materials"),
    Kind.NOT_ACCEPTED: _("Decision not to accept"),
    Kind.NOT_APPROVED: _("Decision not to approve"),
    Kind.SUPERVISION: _("Supervision order"),
    Kind.REMINDER: _("Reminder notice"),
    Kind.WARNING: _("Efficiency warning"),
    Kind.RECTIFICATION: _("Rectification notice"),
    Kind.CRITICISM: _("Public criticism (通报批评)"),
    Kind.CAMPAIGN_SUMMARY: _("Summary of the campaign"),
    Kind.INCIDENT_INITIAL: _("Initial incident report"),
    Kind.INCIDENT_PROGRESS: _("Incident progress report"),
    Kind.INCIDENT_FINAL: _("Final incident report"),
    Kind.INTERNAL_SLIP: _("Instruction slip"),
    Kind.INTERNAL_REPLY: _("Reply to a request for instructions"),
}


@dataclass(frozen=True)
class DocumentLink:
    kind: str
    title: str  # in the reader's language
    pdf_url: str
    docx_url: str


def document_link(kind: str, name: str, pk: int, title: str = "") -> DocumentLink:
    """The PDF and DOCX links of the download ``documents:<name>`` about object ``pk``, named
    ``title`` or else by its kind in the active language."""
    return DocumentLink(
        kind=kind,
        title=title or str(LABELS[kind]),
        pdf_url=reverse(f"documents:{name}", args=[pk, "pdf"]),
        docx_url=reverse(f"documents:{name}", args=[pk, "docx"]),
    )
