"""PDF layout of an official document, on reportlab's built-in CID font (no font files).

Margins and sizes follow the usual party-and-government document format (GB/T 9704): A4,
title in a large size centred, number under it, body at 16 pt with a two-character first-line
indent, issuing body and date at the right.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from xiaoneng.documents.content import OfficialDocument, chinese_date, numbered

FONT = "STSong-Light"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def safe(text: str) -> str:
    """People's text as Paragraph markup: escaped, control characters dropped."""
    return escape(_CONTROL.sub("", str(text))).replace("\n", "<br/>")


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=16, leading=28, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontSize=22, leading=34, alignment=TA_CENTER, spaceAfter=6
        ),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER, spaceAfter=18),
        "addressee": ParagraphStyle("addressee", parent=base, alignment=TA_LEFT),
        "body": ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY, firstLineIndent=32),
        "item": ParagraphStyle("item", parent=base, alignment=TA_LEFT, leftIndent=32),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT, rightIndent=32),
        "footer": ParagraphStyle("footer", parent=base, fontSize=12, leading=20),
    }


def render_pdf(document: OfficialDocument) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        title=f"{document.title} {document.number}",
        author=document.issuer,
    )
    story = [
        Paragraph(safe(document.title), styles["title"]),
        Paragraph(safe(document.number), styles["number"]),
    ]
    if document.addressee:
        story.append(Paragraph(safe(f"{document.addressee}："), styles["addressee"]))
    for block in document.body:
        if isinstance(block, list):
            story.extend(Paragraph(safe(line), styles["item"]) for line in numbered(block))
        else:
            story.append(Paragraph(safe(block), styles["body"]))
    story.append(Spacer(1, 36))
    story.append(Paragraph(safe(document.issuer), styles["right"]))
    story.append(Paragraph(safe(chinese_date(document.issued_on)), styles["right"]))
    if document.footer:
        story.append(Spacer(1, 24))
        story.extend(Paragraph(safe(line), styles["footer"]) for line in document.footer)
    pdf.build(story)
    return buffer.getvalue()
