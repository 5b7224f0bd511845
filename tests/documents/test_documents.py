"""Every document is generated from the data, opened again and read: title, number, addressee,
the missing materials, dates, the issuing body; people's text comes out as typed."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.documents.conftest import MISSING, docx_text
from tests.documents.pdftext import pdf_text
from xiaoneng.accountability.models import DenialFiling
from xiaoneng.applications import documents as application_documents
from xiaoneng.applications.services import (
    application_decide,
    application_decide_acceptance,
    application_supplement,
)
from xiaoneng.cases import clocks
from xiaoneng.cases import documents as case_documents
from xiaoneng.cases.models import Signal
from xiaoneng.documents.content import (
    EfficiencyWarningData,
    Kind,
    SupervisionOrderData,
    chinese_date,
    efficiency_warning_document,
    supervision_order_document,
)
from xiaoneng.documents.docx import render_docx
from xiaoneng.documents.numbering import document_number
from xiaoneng.documents.pdf import render_pdf

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def after_header(text: str) -> str:
    """The text after the 版头 (issuing body and number): the title comes first."""
    flat = text.replace("\n", "")
    return re.sub(r"^.*?〔\d{4}〕\d+号", "", flat, count=1)


def both(document) -> list[str]:
    """The document's text read back from the PDF and from the DOCX."""
    return [pdf_text(render_pdf(document)), docx_text(render_docx(document))]


def test_one_time_notice_lists_every_missing_material_and_the_phones(application) -> None:
    notice = application.notices.get()
    number = document_number(kind=Kind.ONE_TIME_NOTICE, obj=notice).number
    assert number == f"教补〔{YEAR}〕1号"
    document = application_documents.notice_document(notice, number=number, full_name=True)
    for text in both(document):
        assert "一次性告知书" in text
        assert number in text
        assert "林<b>小雨</b>&" in text  # escaped on the way in, read back as typed
        for name in MISSING:
            assert name in text
        assert "学历证书" not in text.split("补正的全部材料如下")[1].split("办理依据")[0]
        assert "《中华人民共和国教师法》" in text  # the item's legal basis
        assert "承诺15个工作日" in text
        assert "咨询电话：0000-12345" in text
        assert "监督电话：0000-12388" in text
        assert "示例市教育局" in text
        assert chinese_date(notice.issued_at) in text


def test_receipt_lists_received_materials_and_the_due_date(application, users) -> None:
    case = application.case
    application_supplement(case=case, by=users["intake"])
    application_decide_acceptance(case=case, accept=True, by=users["personnel_head"])
    document = case_documents.receipt_document(case, number=f"教受〔{YEAR}〕1号")
    due = clocks.current(case=case, stage=clocks.REPLY).due_at
    for text in both(document):
        assert after_header(text).startswith("受理回执")
        assert case.number in text
        assert "教师资格认定" in text
        assert "学历证书" in text
        assert MISSING[0] in text
        assert "决定予以受理" in text
        assert chinese_date(due) in text
        assert case.tracking_code in text


@pytest.mark.parametrize("accept_first", [False, True])
def test_denial_decisions_carry_reason_basis_and_review_rights(
    application, users, accept_first
) -> None:
    case = application.case
    reason = "申请人提交的学历证明<script>alert(1)</script>不真实"
    basis = "《教师资格条例》第十八条"
    if accept_first:
        application_supplement(case=case, by=users["intake"])
        application_decide_acceptance(case=case, accept=True, by=users["personnel_head"])
        application_decide(
            case=case, approve=False, by=users["personnel_head"], reason=reason, basis=basis
        )
        title, kind = "不予许可决定书", DenialFiling.Kind.NOT_APPROVED
    else:
        application_decide_acceptance(
            case=case, accept=False, by=users["personnel_head"], reason=reason, basis=basis
        )
        title, kind = "不予受理决定书", DenialFiling.Kind.NOT_ACCEPTED
    filing = DenialFiling.objects.get(case=case)
    assert filing.kind == kind
    document = application_documents.denial_decision_document(filing, number=f"教不〔{YEAR}〕7号")
    for text in both(document):
        assert after_header(text).startswith(title)
        assert f"理由：{reason}" in text
        assert f"依据：{basis}" in text
        assert "六十日内依法申请行政复议" in text
        assert chinese_date(timezone.now()) in text


def _signal(case, level: str) -> Signal:
    clock = clocks.current(case=case, stage=clocks.REPLY)
    return Signal.objects.create(
        clock=clock,
        case=case,
        unit_id=case.unit_id,
        level=level,
        raised_at=timezone.now(),
        grace_due_at=timezone.now() + timedelta(days=7) if level == Signal.Level.YELLOW else None,
    )


def test_reminder_and_rectification_from_yellow_and_red_cards(application) -> None:
    case = application.case
    yellow = _signal(case, Signal.Level.YELLOW)
    red = _signal(case, Signal.Level.RED)
    for text in both(case_documents.reminder_document(yellow, number=f"效催〔{YEAR}〕2号")):
        assert after_header(text).startswith("催办通知书")
        assert "人事科" in text
        assert case.number in text
        assert chinese_date(yellow.grace_due_at) in text
        assert "机关效能建设办公室" in text
    for text in both(case_documents.rectification_document(red, number=f"效改〔{YEAR}〕3号")):
        assert after_header(text).startswith("整改通知书")
        assert "亮红牌" in text
        assert "整改情况" in text


def test_supervision_order_and_efficiency_warning_from_plain_data() -> None:
    order = supervision_order_document(
        SupervisionOrderData(
            number=f"效督〔{YEAR}〕5号",
            addressee="示例市第一中学",
            matter="学生午餐质量问题",
            source="市长热线",
            requirement="核实情况并整改 & 反馈",
            due=date(2026, 12, 10),
            issuer="示例市教育局机关效能建设办公室",
            issued_on=date(2026, 12, 1),
            contact="0000-12388",
            case_number="XN20261201-00001",
        )
    )
    for text in both(order):
        assert after_header(text).startswith("督办单")
        assert "学生午餐质量问题" in text
        assert "核实情况并整改 & 反馈" in text
        assert "2026年12月10日" in text
        assert "2026年12月1日" in text
    warning = efficiency_warning_document(
        EfficiencyWarningData(
            number=f"效诫〔{YEAR}〕1号",
            person="赵某某",
            unit="示例市教育局基础教育科",
            facts="两次无故超过办理时限且未说明理由。",
            basis="《示例市机关效能建设若干规定》第十条",
            requirement="三个月内不得再次发生超时。",
            issuer="示例市教育局",
            issued_on=date(2026, 12, 2),
        )
    )
    for text in both(warning):
        assert after_header(text).startswith("效能告诫书")
        assert "赵某某" in text
        assert "予以效能告诫" in text
        assert "2026年12月2日" in text


def test_numbers_are_given_once_per_document_and_count_per_kind(application) -> None:
    case = application.case
    first = document_number(kind=Kind.RECEIPT, obj=case)
    assert document_number(kind=Kind.RECEIPT, obj=case).number == first.number
    notice = application.notices.get()
    assert document_number(kind=Kind.RECEIPT, obj=notice).sequence == first.sequence + 1
    assert document_number(kind=Kind.ONE_TIME_NOTICE, obj=notice).sequence == 1
    assert first.number == f"教受〔{YEAR}〕{first.sequence}号"


def test_control_characters_do_not_break_the_files() -> None:
    data = SupervisionOrderData(
        number="效督〔2026〕9号",
        addressee="测试\x00单位\x1b",
        matter="事项\x0b",
        source="来信",
        requirement="要求",
        due=date(2026, 12, 10),
        issuer="效能办",
        issued_on=date(2026, 12, 1),
    )
    for text in both(supervision_order_document(data)):
        assert "测试单位" in text
