"""The summary of a campaign (活动情况总结): participation by department and the selected
reflections. Official text is Chinese whatever the interface language."""

from __future__ import annotations

from django.utils import timezone

from xiaoneng.campaigns.models import Campaign, Requirement
from xiaoneng.campaigns.selectors import campaign_completion, selected_reflections
from xiaoneng.documents.content import Block, Kind, OfficialDocument, chinese_date
from xiaoneng.org.models import Unit

KIND_WORDS = {
    Requirement.Kind.NOTES: "学习笔记",
    Requirement.Kind.REFLECTION: "心得体会",
    Requirement.Kind.PROPOSAL: "意见建议",
}


def _office_name() -> str:
    bureau = Unit.objects.filter(parent=None, kind=Unit.Kind.BUREAU).order_by("pk").first()
    return f"{bureau.name if bureau else ''}机关效能建设办公室"


def _requirement_words(requirement: Requirement) -> str:
    word = KIND_WORDS[requirement.kind]
    if not requirement.required:
        return f"{word}（自愿提交）"
    length = f"，每篇不少于{requirement.min_length}字" if requirement.min_length else ""
    return (
        f"{word}不少于{requirement.min_count}篇{length}，{chinese_date(requirement.deadline)}前提交"
    )


def campaign_summary_document(campaign: Campaign, *, number: str) -> OfficialDocument:
    completion = campaign_completion(campaign)
    reflections = selected_reflections(campaign)
    body: list[Block] = [
        f"{chinese_date(campaign.start)}至{chinese_date(campaign.end)}，"
        f"{campaign.organiser.name}组织开展“{campaign.title}”活动。"
        f"活动要求：{'；'.join(_requirement_words(r) for r in completion.requirements)}。",
        f"参加活动{completion.participants}人，按要求完成全部规定材料{completion.complete}人，"
        f"完成率{completion.percent}%；尚有{len(completion.missing_reflection)}人未提交心得体会。",
        "一、各科室（单位）参与情况",
        [
            f"{_department_name(row.department)}：参加{row.participants}人，"
            f"完成{row.complete}人，完成率{row.percent}%"
            for row in completion.departments
        ]
        or ["无"],
        "二、优秀心得体会选登",
    ]
    if not reflections:
        body.append("暂无入选的心得体会。")
    for reflection in reflections:
        department = _department_name(reflection.participant.department)
        body.append(f"《{reflection.title}》（{department} {reflection.participant.staff.name}）")
        body.append(reflection.text)
    if completion.missing_reflection:
        names = "、".join(person.participant.staff.name for person in completion.missing_reflection)
        body.append(f"三、未提交心得体会人员：{names}。请抓紧补交。")
    return OfficialDocument(
        kind=Kind.CAMPAIGN_SUMMARY,
        number=number,
        addressee="各科室、各直属单位",
        title=f"关于“{campaign.title}”活动情况的总结",
        body=body,
        issuer=_office_name(),
        issued_on=timezone.localdate(),
    )


def _department_name(department: object) -> str:
    if department is None:
        return "未分科室"
    return f"{department.unit.short_name or department.unit.name}{department.name}"
