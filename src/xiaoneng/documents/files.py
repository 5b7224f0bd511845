"""A laid-out document as a file: PDF (reportlab) or Word (python-docx).

The two layout modules are imported on first use. Only a download needs them, and importing
reportlab and python-docx when the application started cost every process (each ``xiaoneng``
command, each web and task worker) several hundredths of a second (docs/testing.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xiaoneng.documents.content import OfficialDocument

# The formats a document is offered in, with the content type of each file.
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_file(document: OfficialDocument, *, fmt: str) -> bytes:
    """The document laid out as ``fmt`` ("pdf" or "docx")."""
    if fmt == "pdf":
        from xiaoneng.documents.pdf import render_pdf

        return render_pdf(document)
    if fmt == "docx":
        from xiaoneng.documents.docx import render_docx

        return render_docx(document)
    raise ValueError(f"unknown document format: {fmt!r}")
