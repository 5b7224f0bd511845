"""Documents built from a case and its cards: receipt (受理回执), and the reminder and
rectification notices of a yellow or red card, with the generic 公文 builder of ``documents``
(content, numbering, PDF and DOCX); the links the case page shows. What a receipt says of an
application comes from the provider its app registers (``on_receipt``).

Staff download these from the case page, so the requester's name is masked (张*) like on every
other staff view; only a copy made for the requester themself (``full_name=True``) names them
in full. Revealing the name stays the audited reveal action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from xiaoneng.cases.models import Case, Signal
from xiaoneng.catalog.guides import ServiceItemVersion
from xiaoneng.documents.content import Block, Kind, OfficialDocument, chinese_date
from xiaoneng.documents.selectors import DocumentLink, document_link
from xiaoneng.org.models import Unit
from xiaoneng.privacy import mask_name
from xiaoneng.workdays.deadlines import deadline_compute
from xiaoneng.workdays.models import Clock

RECTIFICATION_WORKDAYS = 5
STAGE_WORDS = {
    Clock.Stage.SIGN_FOR: "签收",
    Clock.Stage.ASSIST_OPINION: "协办意见",
    Clock.Stage.REPLY: "办理",
    Clock.Stage.ACCEPTANCE: "受理审查",
    Clock.Stage.INTAKE: "受理",
    Clock.Stage.ONE_TIME_NOTICE: "一次性告知",
    Clock.Stage.SUPERVISION: "督办",
    Clock.Stage.RECTIFICATION: "整改",
}


def addressee(case: Case, *, full_name: bool) -> str:
    name = case.requester_name.strip()
    if not name:
        return "申请人"
    return name if full_name else mask_name(name)


def phones(case: Case, version: ServiceItemVersion | None) -> list[str]:
    enquiry = (version.enquiry_phone if version else "") or case.unit.enquiry_phone
    supervision = (version.supervision_phone if version else "") or case.unit.supervision_phone
    lines = []
    if enquiry:
        lines.append(f"咨询电话：{enquiry}")
    if supervision:
        lines.append(f"监督电话：{supervision}")
    return lines


def _efficiency_office_name() -> str:
    bureau = Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()
    return f"{bureau.name if bureau else ''}机关效能建设办公室"


def reply_due(case: Case) -> str:
    """The due date of the case's reply clock, as written in a document (empty without one)."""
    clock = (
        Clock.objects.filter(owner_type="cases.case", owner_id=case.pk, stage=Clock.Stage.REPLY)
        .order_by("-id")
        .first()
    )
    return chinese_date(clock.due_at) if clock else ""


@dataclass(frozen=True)
class ReceiptParticulars:
    """What the receipt of a matter that is more than a request (an application) says: the
    matter's name, the lines after the first sentence (materials received, the decision on
    acceptance), the moment it is issued, and the guide version whose phones go under it."""

    matter: str
    lines: list[Block]
    issued_at: datetime
    version: ServiceItemVersion | None = None


ReceiptProvider = Callable[[Case], ReceiptParticulars | None]

_receipt_providers: list[ReceiptProvider] = []


def on_receipt(provider: ReceiptProvider) -> None:
    """Let ``provider`` give the particulars of the receipts of its cases (None for others).
    An app registers it in its ``AppConfig.ready()``; the case engine does not import it."""
    if provider not in _receipt_providers:
        _receipt_providers.append(provider)


def _particulars(case: Case) -> ReceiptParticulars | None:
    for provider in _receipt_providers:
        found = provider(case)
        if found is not None:
            return found
    return None


def receipt_document(case: Case, *, number: str, full_name: bool = False) -> OfficialDocument:
    """受理回执: what was received, when, and what happens next."""
    particulars = _particulars(case)
    matter = particulars.matter if particulars else case.title
    body: list[Block] = [
        f"你于{chinese_date(case.registered_at)}提交的“{matter}”事项（编号：{case.number}）"
        "已由本机关收到。"
    ]
    if particulars is not None:
        body.extend(particulars.lines)
    else:
        due = reply_due(case)
        body.append(
            f"本机关将依照规定办理，并于{due}前答复。" if due else "本机关将依照规定办理并答复。"
        )
    body.append(f"你可以凭查询码 {case.tracking_code} 查询办理进度。")
    return OfficialDocument(
        kind=Kind.RECEIPT,
        number=number,
        addressee=addressee(case, full_name=full_name),
        body=body,
        issuer=case.unit.name,
        issued_on=timezone.localdate(particulars.issued_at if particulars else case.registered_at),
        footer=phones(case, particulars.version if particulars else None),
    )


def _signal_addressee(case: Case) -> str:
    if case.lead_department is not None:
        return f"{case.unit.name}{case.lead_department.name}"
    return case.unit.name


def reminder_document(signal: Signal, *, number: str) -> OfficialDocument:
    """催办通知书, from a yellow card: the deadline passed; a short new limit."""
    case, clock = signal.case, signal.clock
    stage = STAGE_WORDS.get(clock.stage, "办理")
    grace = chinese_date(signal.grace_due_at) if signal.grace_due_at else ""
    body: list[Block] = [
        f"你单位承办的{case.number}号“{case.title}”，{stage}时限已于"
        f"{chinese_date(clock.due_at)}届满，至今未办结。根据限时办结制有关规定，现予催办。",
        (f"请于{grace}前办结，" if grace else "请立即办结，")
        + "并将办理情况书面反馈效能办；逾期仍未办结的，电子监察系统将亮红牌，"
        "并按照效能问责有关规定追究相关人员责任。",
    ]
    return OfficialDocument(
        kind=Kind.REMINDER,
        number=number,
        addressee=_signal_addressee(case),
        body=body,
        issuer=_efficiency_office_name(),
        issued_on=timezone.localdate(signal.raised_at),
    )


def rectification_document(signal: Signal, *, number: str) -> OfficialDocument:
    """整改通知书, from a red card: both limits passed; rectify and report."""
    case, clock = signal.case, signal.clock
    stage = STAGE_WORDS.get(clock.stage, "办理")
    due = deadline_compute(
        start=signal.raised_at, limit=RECTIFICATION_WORKDAYS, unit_id=case.unit_id
    ).due_at
    body: list[Block] = [
        f"你单位承办的{case.number}号“{case.title}”，已超过{stage}时限和催办时限仍未办结，"
        "电子监察系统已亮红牌。现责令你单位：",
        [
            "立即办结该事项，并向当事人说明情况；",
            "查明延误原因，明确责任人，提出处理意见；",
            f"于{chinese_date(due)}前将整改情况书面报送效能办。",
        ],
        "逾期未整改或整改不到位的，将依照效能问责有关规定从严处理。",
    ]
    return OfficialDocument(
        kind=Kind.RECTIFICATION,
        number=number,
        addressee=_signal_addressee(case),
        body=body,
        issuer=_efficiency_office_name(),
        issued_on=timezone.localdate(signal.raised_at),
    )


def case_page_documents(*, case: Case) -> list[DocumentLink]:
    """The documents the case page links: the receipt and one per yellow or red card, in one
    query. Notices and refusal decisions of an application are on the application's page."""
    links = [document_link(Kind.RECEIPT, "case_receipt", case.pk)]
    signals = Signal.objects.filter(
        case=case, revoked=False, level__in=[Signal.Level.YELLOW, Signal.Level.RED]
    ).order_by("raised_at", "id")
    for pk, level in signals.values_list("pk", "level"):
        if level == Signal.Level.YELLOW:
            links.append(document_link(Kind.REMINDER, "signal_reminder", pk))
        else:
            links.append(document_link(Kind.RECTIFICATION, "signal_rectification", pk))
    return links
