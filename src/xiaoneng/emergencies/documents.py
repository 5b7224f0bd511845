"""The incident report documents — 初报, 续报, 终报 — in the 公文 layout, built from one sent
report with the generic builder of ``documents`` (numbered once per report, PDF or DOCX, each
download audited). Addressed to the bureau (a school's report) and issued by the reporting unit.
"快报事实，慎报原因": the initial report states the facts; causes and lessons are the final
report's. The text is Chinese, as every official document."""

from __future__ import annotations

from django.utils import timezone

from xiaoneng.documents.content import Block, Kind, OfficialDocument, chinese_date
from xiaoneng.documents.selectors import DocumentLink, document_link
from xiaoneng.emergencies.models import Grade, Incident, IncidentReport, ReportKind
from xiaoneng.emergencies.selectors import bureau_of

KINDS = {
    ReportKind.INITIAL: Kind.INCIDENT_INITIAL,
    ReportKind.PROGRESS: Kind.INCIDENT_PROGRESS,
    ReportKind.FINAL: Kind.INCIDENT_FINAL,
}
WORDS = {ReportKind.INITIAL: "初报", ReportKind.PROGRESS: "续报", ReportKind.FINAL: "终报"}
GRADE_WORDS = {
    Grade.I: "Ⅰ级（特别重大）",
    Grade.II: "Ⅱ级（重大）",
    Grade.III: "Ⅲ级（较大）",
    Grade.IV: "Ⅳ级（一般）",
}
TYPE_WORDS = {
    "social_security": "社会安全",
    "accident": "事故灾难",
    "public_health": "公共卫生",
    "food_safety": "食品安全",
    "infectious_disease": "传染病疫情",
    "natural_disaster": "自然灾害",
    "exam_security": "教育考试安全",
    "network_security": "网络与信息安全",
    "public_opinion": "舆情",
}


def _moment(value: object) -> str:
    local = timezone.localtime(value)  # type: ignore[arg-type]
    return f"{chinese_date(local)}{local.hour}时{local.minute:02d}分"


def _people(report: IncidentReport) -> str:
    return f"受伤{report.injured}人，死亡{report.dead}人，失踪{report.missing}人。"


def _sequence(report: IncidentReport) -> int:
    return (
        IncidentReport.objects.filter(incident_id=report.incident_id, kind=report.kind)
        .filter(sent_at__lte=report.sent_at, id__lte=report.pk)
        .count()
    )


def _body(incident: Incident, report: IncidentReport) -> list[Block]:
    grade = GRADE_WORDS.get(Grade(report.grade), report.grade)
    kind = TYPE_WORDS.get(incident.type, incident.type)
    body: list[Block] = []
    corrected = report.corrects
    if corrected is not None:
        word = WORDS[ReportKind(corrected.kind)]
        body.append(f"本报告更正{_moment(corrected.sent_at)}报送的{word}。")
    if report.kind == ReportKind.INITIAL:
        body.append(
            f"{_moment(incident.occurred_at)}，{incident.place}发生一起{kind}类突发事件，"
            f"于{_moment(incident.discovered_at)}发现，初步定为{grade}。现将有关情况报告如下："
        )
    elif report.kind == ReportKind.PROGRESS:
        body.append(f"现将“{incident.title}”事件的进展情况续报如下（当前等级：{grade}）：")
    else:
        ended = _moment(incident.response_ended_at) if incident.response_ended_at else ""
        body.append(
            f"“{incident.title}”事件（{grade}）的应急处置已于{ended}结束，现将有关情况终报如下："
        )
    items = [f"事件情况：{report.situation}", f"人员伤亡：{_people(report)}"]
    if report.measures:
        items.append(f"已采取的措施：{report.measures}")
    if report.kind == ReportKind.FINAL:
        items.append(f"原因：{report.causes}")
        items.append(f"教训与整改措施：{report.lessons}")
    body.append(items)
    body.append("特此报告。" if report.kind != ReportKind.INITIAL else "后续情况将及时续报。")
    return body


def report_document(report: IncidentReport, *, number: str) -> OfficialDocument:
    """One report as the 公文 the unit sends: title, number, the bureau addressed, the facts."""
    incident = report.incident
    bureau = bureau_of(incident.unit)
    return OfficialDocument(
        kind=KINDS[ReportKind(report.kind)],
        number=number,
        title=f"关于{incident.title}的{WORDS[ReportKind(report.kind)]}"
        + (f"（第{_sequence(report)}次）" if report.kind == ReportKind.PROGRESS else ""),
        addressee=bureau.name if bureau.pk != incident.unit_id else "",
        body=_body(incident, report),
        issuer=incident.unit.name,
        issued_on=timezone.localdate(report.sent_at),
        footer=[
            f"报告时间：{_moment(report.sent_at)}",
            f"报告人：{report.sent_by}　联系电话：{incident.contact_phone}",
        ],
    )


def incident_documents(incident: Incident) -> list[IncidentReport]:
    """The reports of ``incident`` in order, each with ``document``: its download links."""
    reports = list(incident.reports.select_related("sent_by").order_by("sent_at", "id"))
    for report in reports:
        link: DocumentLink = document_link(
            KINDS[ReportKind(report.kind)], "report_document", report.pk
        )
        report.document = link  # type: ignore[attr-defined]
    return reports
