"""A document as a file in each offered format (documents/files.py): the PDF and the Word file
are opened with pypdf and python-docx, and an unknown format is refused."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader

from tests.documents.pdftext import pdf_lines
from tests.documents.test_layout import HEAD, document
from xiaoneng.documents.files import FORMATS, document_file


def test_each_offered_format_is_a_file_of_its_kind() -> None:
    assert set(FORMATS) == {"pdf", "docx"}
    pdf = document_file(document(paragraphs=2), fmt="pdf")
    assert PdfReader(io.BytesIO(pdf)).pages
    assert pdf_lines(pdf)[: len(HEAD)] == HEAD
    docx = Document(io.BytesIO(document_file(document(paragraphs=2), fmt="docx")))
    assert [p.text for p in docx.paragraphs if p.text][: len(HEAD)] == HEAD


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="'odt'"):
        document_file(document(), fmt="odt")
