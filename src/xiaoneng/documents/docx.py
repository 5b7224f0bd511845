"""DOCX layout of an official document (python-docx), for the documents an office edits.

Fonts are named the way Chinese government templates name them (方正小标宋简体 for the
title, 仿宋_GB2312 for the body); Word falls back to an installed font where they are missing.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xiaoneng.documents.content import OfficialDocument, chinese_date, numbered

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
# Characters XML cannot carry; python-docx would refuse them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    return _CONTROL.sub("", str(text))


def _paragraph(
    doc: DocxDocument,
    text: str,
    *,
    size: float = 16,
    font: str = BODY_FONT,
    align: int | None = None,
    indent: bool = False,
) -> None:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(size)
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def render_docx(document: OfficialDocument) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = _clean(f"{document.title} {document.number}")
    doc.core_properties.author = _clean(document.issuer)
    _paragraph(doc, document.title, size=22, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, document.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "")
    if document.addressee:
        _paragraph(doc, f"{document.addressee}：")
    for block in document.body:
        if isinstance(block, list):
            for line in numbered(block):
                _paragraph(doc, line, indent=True)
        else:
            _paragraph(doc, block, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(doc, "")
    _paragraph(doc, document.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, chinese_date(document.issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT)
    if document.footer:
        _paragraph(doc, "")
        for line in document.footer:
            _paragraph(doc, line, size=12)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
