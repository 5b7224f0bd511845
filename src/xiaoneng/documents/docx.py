"""DOCX layout of an official document (python-docx), the same GB/T 9704-2012 layout as the PDF.

The page has the standard type area (top 37 mm, binding margin 28 mm, 156 × 225 mm) and a
document grid of 22 lines of 28 characters; the 版头 (the issuing body in red, the number, a red
rule as wide as the type area), the title, addressee, body, issuing body and date (右空四字) and
the page numbers "— 1 —" (odd pages right, even pages left) follow the PDF. Fonts are named the
way Chinese government templates name them (方正小标宋简体 for the title and the issuing body's
mark, 仿宋_GB2312 for the body), with Noto Serif SC (the PDF's font) where Word has neither.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from xiaoneng.documents.content import OfficialDocument, chinese_date, numbered

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
RED = RGBColor(0xDB, 0x00, 0x00)
PITCH = Pt(225 / 22 * 72 / 25.4)  # 225 mm over 22 lines
CELL_PT = 156 / 28 * 72 / 25.4  # one character of 28 on 156 mm
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
    right_chars: float = 0,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = PITCH if size <= 16 else Pt(size * 1.5)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if right_chars:
        fmt.right_indent = Pt(CELL_PT * right_chars)
    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(size)
    run.font.name = font
    if colour is not None:
        run.font.color.rgb = colour
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    return paragraph


def _red_rule(paragraph: Paragraph) -> None:
    """A red line under the paragraph, as wide as the type area (the 版头's 分隔线)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "11"), ("color", "DB0000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number(paragraph: Paragraph) -> None:
    """— PAGE — in 4号 (the number a field Word fills in)."""
    for text, field in (("— ", False), ("PAGE", True), (" —", False)):
        run = paragraph.add_run()
        run.font.size = Pt(14)
        if not field:
            run.text = text
            continue
        for kind in ("begin", None, "end"):
            if kind is None:
                code = OxmlElement("w:instrText")
                code.set(qn("xml:space"), "preserve")
                code.text = " PAGE "
                run._r.append(code)
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)


def _page(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(PITCH.pt * 20)))
    grid.set(qn("w:charSpace"), str(round((CELL_PT - 16) * 4096)))
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_number(even)


def render_docx(document: OfficialDocument) -> bytes:
    doc = Document()
    _page(doc)
    doc.core_properties.title = _clean(f"{document.title} {document.number}")
    doc.core_properties.author = _clean(document.issuer)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    for _ in range(3):  # the mark starts 35 mm below the top of the type area
        _paragraph(doc, "")
    mark_size = min(36.0, 156 / 25.4 * 72 / max(len(document.issuer), 1))
    _paragraph(doc, document.issuer, size=mark_size, font=TITLE_FONT, align=center, colour=RED)
    _paragraph(doc, "")
    _paragraph(doc, "")
    _red_rule(_paragraph(doc, document.number, align=center))
    _paragraph(doc, "")
    _paragraph(doc, "")
    _paragraph(doc, document.title, size=22, font=TITLE_FONT, align=center)
    _paragraph(doc, "")
    if document.addressee:
        _paragraph(doc, f"{document.addressee}：")
    for block in document.body:
        for line in numbered(block) if isinstance(block, list) else [block]:
            _paragraph(doc, line, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(doc, "")
    date = chinese_date(document.issued_on)
    _paragraph(doc, document.issuer, align=right, right_chars=2)
    _paragraph(doc, date, align=right, right_chars=4)
    if document.footer:
        _paragraph(doc, "")
        for line in document.footer:
            _paragraph(doc, line, size=14)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
