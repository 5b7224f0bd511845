"""The text of a PDF for the tests, read with pypdf (independent of reportlab, which wrote it).

``pdf_lines`` gives each page's lines as drawn, stripped, the page numbers ("— 1 —") left out;
``pdf_text`` joins them without separators, since Chinese wraps inside words.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

FOLIO = re.compile(r"^— \d+ —$")


def pdf_pages(pdf: bytes) -> list[list[str]]:
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    reader = PdfReader(io.BytesIO(pdf))
    return [
        [line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
        for page in reader.pages
    ]


def pdf_lines(pdf: bytes) -> list[str]:
    return [line for page in pdf_pages(pdf) for line in page if not FOLIO.match(line)]


def pdf_text(pdf: bytes) -> str:
    return "".join(pdf_lines(pdf))
