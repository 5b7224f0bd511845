"""PDF layout of an official document (公文) after GB/T 9704-2012, with its font embedded.

The page is A4 with the standard type area (版心 156 × 225 mm, top margin 37 mm, binding margin
28 mm) set as a grid of 22 lines of 28 characters: the body in 3号 (16 pt) at a pitch of
225 mm / 22, each character cell 156 mm / 28 wide. The first page opens with the 版头: the
issuing body in red 35 mm below the top of the type area, the document number (发文字号, such as
效通〔2026〕3号) two lines under it, and a red rule as wide as the type area 4 mm below the
number. Then the title in 2号 centred two lines down, the addressee (主送), the body with a
two-character indent, the issuing body and the date (右空四字), and the notes. Page numbers
"— 1 —" in 4号 sit 7 mm under the type area, odd pages on the right and even pages on the
left, one character in. Lines are broken by the Chinese rules (``linebreak``).

The font is Noto Serif SC (SIL Open Font License, ``documents/fonts``), TrueType outlines, and
reportlab embeds the subset of it each document uses: a reader needs no Chinese font.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from xiaoneng.documents.content import OfficialDocument, chinese_date, numbered
from xiaoneng.documents.linebreak import break_paragraph

FONT = "NotoSerifSC"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSerifSC-Regular.ttf"
RED = Color(0.86, 0.0, 0.0)
PAGE_WIDTH, PAGE_HEIGHT = A4
TOP, LEFT = 37 * mm, 28 * mm
WIDTH, HEIGHT = 156 * mm, 225 * mm
LINES, CHARS = 22, 28
PITCH = HEIGHT / LINES
CELL = WIDTH / CHARS
BODY, TITLE, FOLIO = 16.0, 22.0, 14.0  # 3号, 2号, 4号
TITLE_PITCH = TITLE * 1.5
BOTTOM = PAGE_HEIGHT - TOP - HEIGHT
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_registered = False


def _font() -> str:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
        _registered = True
    return FONT


def clean(text: str) -> str:
    """People's text fit for the page: control characters dropped (the canvas escapes the rest)."""
    return _CONTROL.sub("", str(text))


@dataclass(frozen=True)
class _Style:
    size: float
    pitch: float
    align: str = "left"  # left, centre, justify
    indent: float = 0.0  # first line
    right: float = 0.0  # right indent
    heavy: bool = False  # drawn with a thin outline, the weight of 小标宋

    @property
    def space(self) -> float:
        """Extra space between characters so that a full-width character fills one cell."""
        return CELL - BODY if self.size == BODY else 0.0

    def measure(self, char: str) -> float:
        return pdfmetrics.stringWidth(char, FONT, self.size) + self.space


BODY_STYLE = _Style(BODY, PITCH, "justify", indent=2 * CELL)
ADDRESSEE = _Style(BODY, PITCH)
TITLE_STYLE = _Style(TITLE, TITLE_PITCH, "centre", heavy=True)
NUMBER = _Style(BODY, PITCH, "centre")
NOTE = _Style(FOLIO, PITCH * 0.8, indent=FOLIO)


class _Writer:
    """Lines on pages: a cursor down the type area, a new page (with its number) when full."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.page = 0
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - TOP
        self._folio()

    def _folio(self) -> None:
        text = f"— {self.page} —"
        width = pdfmetrics.stringWidth(text, FONT, FOLIO)
        baseline = BOTTOM - 7 * mm - FOLIO * 0.8
        x = LEFT + WIDTH - FOLIO - width if self.page % 2 else LEFT + FOLIO
        self.canvas.setFillColor(black)
        self.canvas.setFont(FONT, FOLIO)
        self.canvas.drawString(x, baseline, text)

    def skip(self, lines: float = 1) -> None:
        self.y -= PITCH * lines

    def paragraph(self, text: str, style: _Style, *, colour: Color = black) -> None:
        width = WIDTH - style.right
        measure, indent = style.measure, style.indent
        lines = break_paragraph(clean(text), width=width, measure=measure, indent=indent)
        for index, line in enumerate(lines):
            if self.y - style.pitch < BOTTOM - 0.5:
                self._new_page()
            self.y -= style.pitch
            indent = style.indent if index == 0 else 0.0
            last = index == len(lines) - 1
            self._line(line, style, indent=indent, width=width - indent, last=last, colour=colour)

    def _line(
        self, line: str, style: _Style, *, indent: float, width: float, last: bool, colour: Color
    ) -> None:
        natural = sum(style.measure(char) for char in line)
        space, x = style.space, LEFT + indent
        if style.align == "centre":
            x = LEFT + (WIDTH - natural) / 2
        elif style.align == "justify" and not last and len(line) > 1:
            space += (width - natural) / (len(line) - 1)
        baseline = self.y + (style.pitch - style.size) / 2
        self.canvas.setFillColor(colour)
        self.canvas.setStrokeColor(colour)
        self.canvas.setFont(FONT, style.size)
        self.canvas.setLineWidth(style.size / 40)
        self.canvas.drawString(x, baseline, line, mode=2 if style.heavy else 0, charSpace=space)

    def header(self, issuer: str, number: str) -> None:
        """The 版头 of the first page: the issuing body in red, the number, the red rule."""
        size = min(36.0, WIDTH / max(len(issuer), 1))
        mark = _Style(size, size * 1.2, "centre", heavy=True)
        self.y -= 35 * mm
        self.paragraph(issuer, mark, colour=RED)
        self.skip(2)
        self.paragraph(number, NUMBER)
        rule = self.y - 4 * mm
        self.canvas.setStrokeColor(RED)
        self.canvas.setLineWidth(1.2)
        self.canvas.line(LEFT, rule, LEFT + WIDTH, rule)
        self.y = rule


def _place_right(writer: _Writer, text: str, right: float) -> None:
    width = sum(ADDRESSEE.measure(char) for char in text)
    indent = max(0.0, WIDTH - right - width)
    writer.paragraph(text, _Style(BODY, PITCH, indent=indent))


def render_pdf(document: OfficialDocument) -> bytes:
    font = _font()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=A4,
        initialFontName=font,
        initialFontSize=BODY,
        initialLeading=PITCH,
    )
    canvas.setTitle(clean(f"{document.title} {document.number}"))
    canvas.setAuthor(clean(document.issuer))
    writer = _Writer(canvas)
    writer.header(document.issuer, document.number)
    writer.skip(2)
    writer.paragraph(document.title, TITLE_STYLE)
    writer.skip(1)
    if document.addressee:
        writer.paragraph(f"{document.addressee}：", ADDRESSEE)
    for block in document.body:
        for text in numbered(block) if isinstance(block, list) else [block]:
            writer.paragraph(text, BODY_STYLE)
    writer.skip(1)
    date = chinese_date(document.issued_on)
    date_width = sum(ADDRESSEE.measure(char) for char in date)
    centre = WIDTH - 4 * CELL - date_width / 2
    issuer_width = sum(ADDRESSEE.measure(char) for char in clean(document.issuer))
    _place_right(writer, document.issuer, max(0.0, WIDTH - centre - issuer_width / 2))
    _place_right(writer, date, 4 * CELL)
    if document.footer:
        writer.skip(1)
        for line in document.footer:
            writer.paragraph(line, NOTE)
    canvas.save()
    return buffer.getvalue()
