"""What an official document says, independent of its file format.

An ``OfficialDocument`` is the title, number (文号), addressee, body, issuing body and date of
one document; ``pdf.py`` and ``docx.py`` lay it out. Builders here turn the data (a case, a
one-time notice, a denial filing, a signal, or a plain dataclass for matters whose apps come
later) into that content. The body text is Chinese by design: official documents are issued in
Chinese whatever the language of the office interface. Text typed by people is kept as data
here; each renderer escapes it for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

Block = str | list[str]  # a paragraph, or a numbered list


class Kind:
    RECEIPT = "receipt"
    ONE_TIME_NOTICE = "one_time_notice"
    NOT_ACCEPTED = "not_accepted"
    NOT_APPROVED = "not_approved"
    SUPERVISION = "supervision"
    REMINDER = "reminder"
    WARNING = "warning"
    RECTIFICATION = "rectification"
    CRITICISM = "criticism"
    CAMPAIGN_SUMMARY = "campaign_summary"
    INCIDENT_INITIAL = "incident_initial"
    INCIDENT_PROGRESS = "incident_progress"
    INCIDENT_FINAL = "incident_final"
    INTERNAL_SLIP = "internal_slip"
    INTERNAL_REPLY = "internal_reply"


TITLES = {
    Kind.RECEIPT: "受理回执",
    Kind.ONE_TIME_NOTICE: "一次性告知书",
    Kind.NOT_ACCEPTED: "不予受理决定书",
    Kind.NOT_APPROVED: "不予许可决定书",
    Kind.SUPERVISION: "督办单",
    Kind.REMINDER: "催办通知书",
    Kind.WARNING: "效能告诫书",
    Kind.RECTIFICATION: "整改通知书",
    Kind.CRITICISM: "通报批评",
    Kind.CAMPAIGN_SUMMARY: "活动情况总结",
    Kind.INCIDENT_INITIAL: "突发事件初报",
    Kind.INCIDENT_PROGRESS: "突发事件续报",
    Kind.INCIDENT_FINAL: "突发事件终报",
    Kind.INTERNAL_SLIP: "批办单",
    Kind.INTERNAL_REPLY: "请示答复",
}

# The word of the number: 教受〔2026〕3号.
PREFIXES = {
    Kind.RECEIPT: "教受",
    Kind.ONE_TIME_NOTICE: "教补",
    Kind.NOT_ACCEPTED: "教不受",
    Kind.NOT_APPROVED: "教不许",
    Kind.SUPERVISION: "效督",
    Kind.REMINDER: "效催",
    Kind.WARNING: "效诫",
    Kind.RECTIFICATION: "效改",
    Kind.CRITICISM: "效通",
    Kind.CAMPAIGN_SUMMARY: "效总",
    Kind.INCIDENT_INITIAL: "教安初",
    Kind.INCIDENT_PROGRESS: "教安续",
    Kind.INCIDENT_FINAL: "教安终",
    Kind.INTERNAL_SLIP: "教办批",
    Kind.INTERNAL_REPLY: "教复",
}


@dataclass
class OfficialDocument:
    kind: str
    number: str
    addressee: str
    body: list[Block]
    issuer: str
    issued_on: date
    title: str = ""
    # Lines under the date: contacts, copies to (抄送), notes.
    footer: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = self.title or TITLES[self.kind]

    def plain_lines(self) -> list[str]:
        """The document as plain lines (for previews, tests and printable HTML)."""
        lines = [self.title, self.number]
        if self.addressee:
            lines.append(f"{self.addressee}：")
        for block in self.body:
            if isinstance(block, list):
                lines.extend(numbered(block))
            else:
                lines.append(block)
        lines.extend([self.issuer, chinese_date(self.issued_on), *self.footer])
        return lines


def numbered(items: list[str]) -> list[str]:
    return [f"{index}. {item}" for index, item in enumerate(items, start=1)]


def chinese_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def format_number(kind: str, year: int, sequence: int) -> str:
    return f"{PREFIXES[kind]}〔{year}〕{sequence}号"


# -- documents whose apps come later: built from plain data ------------------------------------


@dataclass(frozen=True)
class SupervisionOrderData:
    """督办单: the efficiency office puts a matter under supervision with a deadline."""

    number: str
    addressee: str
    matter: str
    source: str
    requirement: str
    due: date
    issuer: str
    issued_on: date
    contact: str = ""
    case_number: str = ""


@dataclass(frozen=True)
class EfficiencyWarningData:
    """效能告诫书: the formal written warning on the sanction ladder."""

    number: str
    person: str
    unit: str
    facts: str
    basis: str
    requirement: str
    issuer: str
    issued_on: date
    appeal_days: int = 15


@dataclass(frozen=True)
class CriticismData:
    """通报批评: a public criticism, one rung of the sanction ladder, addressed to the units."""

    number: str
    person: str
    unit: str
    facts: str
    basis: str
    requirement: str
    issuer: str
    issued_on: date
    addressee: str = "各科室、各直属单位"


def supervision_order_document(data: SupervisionOrderData) -> OfficialDocument:
    body: list[Block] = [
        f"现将{data.source}交办的下列事项列为督办件，请你单位高度重视，"
        f"于{chinese_date(data.due)}前办结，并将办理结果书面反馈效能办。",
        [
            f"督办事项：{data.matter}"
            + (f"（编号{data.case_number}）" if data.case_number else ""),
            f"办理要求：{data.requirement}",
            f"反馈时限：{chinese_date(data.due)}前",
        ],
        "督办事项事事有回音、件件有着落。逾期未办结又未说明理由的，将予以催办，"
        "并按照效能建设有关规定追究相关人员责任。",
    ]
    footer = [f"联系电话：{data.contact}"] if data.contact else []
    return OfficialDocument(
        kind=Kind.SUPERVISION,
        number=data.number,
        addressee=data.addressee,
        body=body,
        issuer=data.issuer,
        issued_on=data.issued_on,
        footer=footer,
    )


def efficiency_warning_document(data: EfficiencyWarningData) -> OfficialDocument:
    body: list[Block] = [
        f"经查，你在{data.unit}工作期间，{data.facts}",
        f"上述行为违反了{data.basis}的规定。根据机关效能建设有关规定，决定对你予以效能告诫。",
        f"请你认真反思，切实改进：{data.requirement}",
        f"如对本告诫有异议，可自收到本告诫书之日起{data.appeal_days}日内向"
        f"{data.issuer}提出书面申诉。申诉期间，不停止本告诫的执行。",
    ]
    return OfficialDocument(
        kind=Kind.WARNING,
        number=data.number,
        addressee=data.person,
        body=body,
        issuer=data.issuer,
        issued_on=data.issued_on,
    )


def criticism_document(data: CriticismData) -> OfficialDocument:
    body: list[Block] = [
        f"经查，{data.unit}{data.person}{data.facts}",
        f"上述行为违反了{data.basis}的规定，影响了机关效能和服务形象。根据机关效能建设有关规定，"
        f"经研究，决定对{data.person}予以通报批评。",
        f"希望{data.person}认真吸取教训，切实整改：{data.requirement}",
        "各单位要引以为戒，举一反三，严格落实首问负责、限时办结、一次性告知等效能制度。",
    ]
    return OfficialDocument(
        kind=Kind.CRITICISM,
        number=data.number,
        addressee=data.addressee,
        body=body,
        issuer=data.issuer,
        issued_on=data.issued_on,
    )
