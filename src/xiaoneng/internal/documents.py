"""批办单 (the routing slip of a 批办件 or meeting decision) and 请示答复 (the signed-off reply
to a 请示), laid out by the documents app. Official text is Chinese whatever the interface
language."""

from __future__ import annotations

from django.utils import timezone

from xiaoneng.documents.content import Block, Kind, OfficialDocument, chinese_date
from xiaoneng.internal.models import Matter, SignOff
from xiaoneng.workdays.models import Clock

KIND_WORDS: dict[str, str] = {
    Matter.Kind.INSTRUCTION: "局领导批办件",
    Matter.Kind.REQUEST: "请示",
    Matter.Kind.MEETING: "会议议定事项",
}
LEVEL_WORDS: dict[str, str] = {SignOff.Level.HEAD: "科室负责人", SignOff.Level.LEADER: "分管局领导"}


def _issuer(matter: Matter) -> str:
    return f"{matter.unit.name}办公室"


def _due(matter: Matter, stage: str) -> str:
    clock = (
        Clock.objects.filter(owner_type="internal.matter", owner_id=matter.pk, stage=stage)
        .order_by("-id")
        .first()
    )
    return chinese_date(clock.due_at) if clock else ""


def slip_document(matter: Matter, *, number: str) -> OfficialDocument:
    """批办单: what was instructed, by whom, and to which departments it is routed."""
    assists = "、".join(a.department.name for a in matter.assists.select_related("department"))
    body: list[Block] = [f"事项编号：{matter.number}", f"事项类别：{KIND_WORDS[matter.kind]}"]
    body.append(f"事项名称：{matter.title}")
    if matter.body:
        body.append(f"来文摘要：{matter.body}")
    if matter.kind == Matter.Kind.INSTRUCTION:
        leader = str(matter.leader.user) if matter.leader else ""
        leader = leader or (str(matter.leader) if matter.leader else "")
        body.append(
            f"领导批示：{matter.instruction}（{leader}，{chinese_date(matter.instructed_on)}）"
        )
    if matter.meeting_ref:
        body.append(f"会议纪要：{matter.meeting_ref}")
    body.append(f"承办科室：{matter.lead_department.name if matter.lead_department else '待定'}")
    if assists:
        body.append(f"协办科室：{assists}")
    sign_due, reply_due = _due(matter, "sign_for"), _due(matter, "reply")
    limit = f"{matter.limit_workdays}个工作日" if matter.limit_workdays else "按时限规定"
    body.append(
        f"办理要求：承办科室须于{sign_due or '1个工作日内'}前签收，不得拒收；确需改办的，"
        f"向办公室书面说明理由。办理时限：{limit}"
        + (f"，于{reply_due}前办结" if reply_due else "")
        + "，办结后将办理情况反馈办公室。"
    )
    return OfficialDocument(
        kind=Kind.INTERNAL_SLIP,
        number=number,
        addressee=matter.lead_department.name if matter.lead_department else "",
        body=body,
        issuer=_issuer(matter),
        issued_on=timezone.localtime(matter.registered_at).date(),
    )


def reply_document(matter: Matter, *, number: str) -> OfficialDocument:
    """请示答复: the last signed-off draft, with who signed it off."""
    draft = matter.drafts.order_by("-version").first()
    asker = matter.asking_department or matter.asking_unit
    body: list[Block] = [
        f"你单位《{matter.title}》（{matter.number}）收悉。经研究，答复如下：",
        draft.text if draft else "",
    ]
    if draft is not None:
        for signoff in draft.signoffs.filter(outcome=SignOff.Outcome.APPROVED).select_related(
            "staff__user"
        ):
            name = str(signoff.staff.user)
            body.append(f"{LEVEL_WORDS[signoff.level]}审签：{name}（{chinese_date(signoff.at)}）")
    department = matter.lead_department.name if matter.lead_department else ""
    return OfficialDocument(
        kind=Kind.INTERNAL_REPLY,
        number=number,
        addressee=asker.name if asker else "",
        body=body,
        issuer=f"{matter.unit.name}{department}",
        issued_on=timezone.localtime(matter.replied_at or timezone.now()).date(),
    )
