"""The GB/T 9704-2012 layout of the official documents: the embedded font, the 版头, the grid of
22 lines of 28 characters, the page numbers, Chinese line-breaking, and the DOCX that matches.
Every PDF is opened with pypdf, every DOCX with python-docx."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.documents.pdftext import pdf_lines, pdf_pages
from xiaoneng.documents.content import OfficialDocument
from xiaoneng.documents.docx import render_docx
from xiaoneng.documents.linebreak import NO_END, NO_START, break_paragraph
from xiaoneng.documents.pdf import CELL, render_pdf

ISSUER = "示例市教育局机关效能建设领导小组办公室"
HEAD = [ISSUER, "效通〔2026〕3号", "效能建设情况通报", "局机关各科室、各直属学校："]
SENTENCE = "请各单位对照通报，认真查找问题、抓好整改（限期一个月）；切实提升服务效能。"


def document(paragraphs: int = 12, **changes) -> OfficialDocument:
    values = {
        "kind": "criticism",
        "number": "效通〔2026〕3号",
        "addressee": "局机关各科室、各直属学校",
        "body": [SENTENCE * 3] * paragraphs,
        "issuer": ISSUER,
        "issued_on": date(2026, 12, 6),
        "title": "效能建设情况通报",
        "footer": ["联系电话：0000-12388"],
    }
    values.update(changes)
    return OfficialDocument(**values)


def fonts_of(pdf: bytes) -> list[dict]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for each in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                found.append(each)
    return found


def positions(pdf: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """Each line drawn on the page with the x and y where it starts (PDF points)."""
    out: list[tuple[str, float, float]] = []

    def visit(text, _cm, tm, _font, _size):
        if text.strip():
            out.append((text.strip(), tm[4], tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return out


def test_every_font_is_embedded_and_is_the_shipped_cjk_font() -> None:
    pdf = render_pdf(document())
    fonts = fonts_of(pdf)
    assert fonts
    for font in fonts:
        if font.get("/Subtype") == "/Type0":
            continue  # its descendant carries the descriptor
        descriptor = font["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        assert "NotoSerifSC" in font["/BaseFont"]
        assert font["/BaseFont"][7] == "+"  # a subset: ABCDEF+Name
    assert len(pdf) < 200_000  # the subset, not the 15 MB font


def test_header_number_title_and_addressee_in_order() -> None:
    pdf = render_pdf(document())
    first = pdf_pages(pdf)[0]
    assert first[0] == "— 1 —"
    assert first[1:5] == HEAD
    placed = {text: (x, y) for text, x, y in positions(pdf)}
    top = 297 * 72 / 25.4 - 37 * 72 / 25.4  # the top of the type area
    issuer_y = placed[ISSUER][1]
    assert top - 35 * 72 / 25.4 - 40 < issuer_y < top - 35 * 72 / 25.4  # 35 mm down, then the mark
    assert issuer_y > placed["效通〔2026〕3号"][1] > placed["效能建设情况通报"][1]
    assert "\n.86 0 0 rg\n" in zlib_streams(pdf)[0].decode("latin-1")  # the mark in red


def zlib_streams(pdf: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_page_numbers_alternate_sides_and_body_is_22_lines_of_28() -> None:
    pdf = render_pdf(document(paragraphs=30))
    pages = pdf_pages(pdf)
    assert len(pages) >= 3
    for number, lines in enumerate(pages, start=1):
        assert lines[0] == f"— {number} —"
    odd = next(x for text, x, _ in positions(pdf, 0) if text == "— 1 —")
    even = next(x for text, x, _ in positions(pdf, 1) if text == "— 2 —")
    assert odd > 300 > even  # odd pages on the right, even on the left
    body = [line for line in pages[1] if line != "— 2 —"]
    assert len(body) == 22  # a full page of body holds 22 lines
    full = [line for line in body if len(line) == 28]
    assert len(full) >= 10  # most lines are the full 28 characters
    assert all(len(line) <= 28 for line in body)


def test_no_line_of_the_pdf_starts_with_closing_punctuation() -> None:
    tricky = "，".join(["第一项", "二〇二六年", "效能建设。", "“首问负责”", "（一）"] * 40)
    pdf = render_pdf(document(body=[tricky, SENTENCE * 9]))
    lines = pdf_lines(pdf)
    assert len(lines) > 20
    for line in lines:
        assert line[0] not in NO_START, line
        assert line[-1] not in NO_END, line


def test_body_lines_fill_the_type_area_exactly() -> None:
    """A justified line ends at the right edge of the 156 mm type area."""
    pdf = render_pdf(document())
    streams = zlib_streams(pdf)[0].decode("latin-1")
    assert "Tc" in streams  # the character spacing that fits 28 characters into 156 mm
    assert abs(CELL * 28 - 156 * 72 / 25.4) < 0.01


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("效能建设通报工作ab12（）《》“”，。、；：？！…")),
        min_size=1,
        max_size=200,
    )
)
def test_line_breaking_rules_hold_for_any_text(text: str) -> None:
    lines = break_paragraph(text, width=10, measure=lambda char: 1.0)
    assert "".join(lines) == text  # nothing lost, nothing added
    assert all(0 < len(line) <= 10 for line in lines)
    assert all(len(line) >= 5 for line in lines[:-1])  # no line starved by the rules
    stuck = set(NO_START | NO_END) | set("ab12")
    if not any(all(c in stuck for c in text[i : i + 5]) for i in range(len(text))):
        for index, line in enumerate(lines):
            assert index == 0 or line[0] not in NO_START
            assert index == len(lines) - 1 or line[-1] not in NO_END


def test_line_breaking_pushes_a_character_down_and_keeps_numbers_whole() -> None:
    lines = break_paragraph("一二三四五六七八九十。好", width=10, measure=lambda c: 1.0)
    assert lines == ["一二三四五六七八九", "十。好"]
    lines = break_paragraph("一二三四五六七八2026年", width=10, measure=lambda c: 1.0)
    assert lines == ["一二三四五六七八", "2026年"]
    lines = break_paragraph("一二三四五六七八九（十）", width=10, measure=lambda c: 1.0)
    assert lines == ["一二三四五六七八九", "（十）"]
    first = break_paragraph("一" * 12, width=10, measure=lambda c: 1.0, indent=2)
    assert first == ["一" * 8, "一" * 4]


def test_docx_has_the_same_layout() -> None:
    content = render_docx(document())
    doc = Document(io.BytesIO(content))
    section = doc.sections[0]
    for margin, mm in (("top", 37), ("left", 28), ("bottom", 35), ("right", 26)):
        assert abs(getattr(section, f"{margin}_margin") - Mm(mm)) < Mm(0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert abs(int(grid.get(qn("w:linePitch"))) / 20 - 225 / 22 * 72 / 25.4) < 0.1
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:4] == HEAD
    mark = next(p for p in doc.paragraphs if p.text == ISSUER)
    assert str(mark.runs[0].font.color.rgb) == "DB0000"
    number = next(p for p in doc.paragraphs if p.text == "效通〔2026〕3号")
    assert number._p.pPr.find(qn("w:pBdr")) is not None  # the red rule
    footer_xml = section.footer._element.xml + section.even_page_footer._element.xml
    assert footer_xml.count("PAGE") == 2
    assert footer_xml.count("— ") == 2
    body = next(p for p in doc.paragraphs if p.text.startswith("请各单位"))
    assert body.runs[0].font.size.pt == 16


@pytest.mark.django_db
def test_bulletin_pdf_has_embedded_fonts_header_and_clean_line_starts(users) -> None:
    from django.utils import timezone

    from xiaoneng.assessment.bulletins import bulletin_approve, bulletin_create, bulletin_file

    today = timezone.localdate()
    bulletin = bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today)
    bulletin = bulletin_approve(bulletin=bulletin, by=users["leader"])
    pdf = bulletin_file(bulletin=bulletin, fmt="pdf")
    for font in fonts_of(pdf):
        if font.get("/Subtype") != "/Type0":
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
    first = pdf_pages(pdf)[0]
    issuer = "市教育局机关效能建设领导小组办公室"
    assert first[:4] == ["— 1 —", issuer, bulletin.number, "效能建设情况通报"]
    for line in pdf_lines(pdf):
        assert line[0] not in NO_START, line
