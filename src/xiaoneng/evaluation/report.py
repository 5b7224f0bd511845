"""The round report (DOCX/PDF through the documents builder, Excel through the web kit) and the
QR poster of a unit for its notice board (PNG or PDF)."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.documents.content import OfficialDocument, chinese_date
from xiaoneng.documents.files import document_file
from xiaoneng.evaluation.models import Round, RoundUnit
from xiaoneng.evaluation.selectors import round_ranking, unit_result

ISSUER = "市教育局机关效能建设领导小组办公室"
ADDRESSEE = "局机关各科室、各直属学校"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def report_document(round_: Round) -> OfficialDocument:
    """The round's results as an official document (Chinese by design, no personal data)."""
    ranking = round_ranking(round_)
    body: list[str | list[str]] = [
        f"{round_.title}于{chinese_date(round_.period_from)}至{chinese_date(round_.period_to)}进行，"
        f"共评议{len(ranking)}个单位。综合得分为各量表题平均分折算的百分制得分"
        f"（1分折0分，5分折100分）；有效答卷少于{round_.min_answers}份的不计分。",
        "一、综合得分排名",
        [
            f"{r.result.round_unit.name}：{_score(r.result.composite)}"
            f"（有效答卷{r.result.responses}份"
            + (
                f"，上轮{_score(r.result.previous_composite)}"
                if r.result.previous_composite is not None
                else ""
            )
            + "）"
            for r in ranking
        ],
        "二、分项得分（平均分及95%置信区间）",
    ]
    lines = []
    for r in ranking:
        for item in r.result.items:
            if item.interval is not None:
                i = item.interval
                lines.append(
                    f"{r.result.round_unit.name}｜{item.text}：{i.mean:g}（{i.low:g}–{i.high:g}，n={i.n}）"
                )
    body.append(lines or ["各题有效答卷均不足，不计分。"])
    return OfficialDocument(
        kind="evaluation",
        title="群众评议结果报告",
        number=f"（{round_.get_state_display()}）",
        addressee=ADDRESSEE,
        body=body,
        issuer=ISSUER,
        issued_on=timezone.localtime(round_.approved_at).date()
        if round_.approved_at
        else timezone.localdate(),
    )


def report_file(round_: Round, fmt: str) -> bytes:
    document = report_document(round_)
    return document_file(document, fmt="pdf" if fmt == "pdf" else "docx")


def report_rows(round_: Round) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for unit in round_.units.select_related("round__version").order_by("id"):
        result = unit_result(unit, with_texts=False)
        for item in result.items:
            interval = item.interval
            rows.append(
                [
                    unit.name,
                    result.responses,
                    result.composite,
                    item.text,
                    item.n,
                    interval.mean if interval else None,
                    interval.low if interval else None,
                    interval.high if interval else None,
                    item.previous_mean,
                    _("too few answers") if item.too_few else "",
                ]
            )
    return rows


REPORT_HEADER = (
    gettext_lazy("Unit"),
    gettext_lazy("Answers"),
    gettext_lazy("Composite score"),
    gettext_lazy("Question"),
    gettext_lazy("Answered"),
    gettext_lazy("Mean"),
    gettext_lazy("95% CI from"),
    gettext_lazy("95% CI to"),
    gettext_lazy("Previous round"),
    gettext_lazy("Note"),
)


def poster_png(link: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def poster_pdf(round_unit: RoundUnit, link: str) -> bytes:
    """An A4 poster: the round, the unit, the QR code and the address under it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from xiaoneng.documents.pdf import FONT, _font

    _font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    page.setFont(FONT, 24)
    page.drawCentredString(width / 2, height - 40 * mm, round_unit.round.title)
    page.setFont(FONT, 20)
    page.drawCentredString(width / 2, height - 55 * mm, f"请您评价：{round_unit.name}")
    size = 120 * mm
    page.drawImage(
        ImageReader(io.BytesIO(poster_png(link))),
        (width - size) / 2,
        height - 75 * mm - size,
        size,
        size,
    )
    page.setFont(FONT, 14)
    page.drawCentredString(
        width / 2,
        height - 85 * mm - size,
        "微信或手机相机扫码，短信验证后匿名填写，每个手机号限答一次。",
    )
    page.setFont(FONT, 10)
    page.drawCentredString(width / 2, height - 95 * mm - size, link)
    page.showPage()
    page.save()
    return buffer.getvalue()
