"""Demo campaign data, made through the real services: an open 效能革命大讨论 with some
submissions (one returned, one reflection selected for the summary) and people who have not
handed in their reflection, and two study sessions with attendance. Idempotent: a second run
changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from xiaoneng.campaigns.models import Campaign, PartyGroup, Requirement, StudySession
from xiaoneng.campaigns.services import (
    RequirementSpec,
    attendance_record,
    campaign_create,
    campaign_open,
    party_group_create,
    study_session_create,
    submission_accept,
    submission_create,
    submission_return,
    submission_select,
)
from xiaoneng.org.models import Department, Staff, Unit, User

DEMO_TITLE = "效能革命大讨论"
PARTY_GROUP = "机关第二党小组"

NOTES_TEXT = (
    "学习笔记：认真学习全市效能革命动员大会讲话精神。讲话指出，机关效能建设事关发展全局，"
    "要以“马上就办、办就办好”的作风，推动各项目标任务落地见效。要对照目标找差距，"
    "对照先进找不足，全面完成省教育厅和市委、市政府下达的各项目标任务。"
)
REFLECTION_TEXT = (
    "参加效能革命大讨论以来，我深刻认识到，机关效能的高低直接关系群众的获得感。"
    "作为基础教育科的一名经办人员，我将严格落实首问负责、限时办结和AB岗工作制度，"
    "做到群众诉求件件有回音、事事有着落；同时主动查找自身在政策解释、办事流程上的短板，"
    "把“等群众上门”变为“为群众服务上门”，以实际行动提升办事效率和服务质量。"
)
SHORT_REFLECTION = (
    "通过学习，我认识到提升效能的重要性，今后要进一步改进工作作风，提高办事效率，"
    "更好地为群众服务，为学校和家长办实事、解难题。"
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _staff(username: str) -> Staff:
    return Staff.objects.select_related("unit", "department").get(user__username=username)


def demo_campaigns_load() -> int:
    """Create the demo campaign and study sessions; returns how many objects were created."""
    created = 0
    if not Campaign.objects.filter(title=DEMO_TITLE).exists():
        _demo_campaign()
        created += 1
    if not StudySession.objects.filter(topic__startswith="【示例】").exists():
        _demo_study()
        created += 2
    return created


def _demo_campaign() -> None:
    office = _user("xiaoneng")
    bureau = Unit.objects.get(code="bureau")
    group = PartyGroup.objects.filter(unit=bureau, name=PARTY_GROUP).first()
    if group is None:
        group = party_group_create(
            by=office,
            name=PARTY_GROUP,
            unit=bureau,
            members=[
                _staff(name) for name in ("head", "handler_a", "handler_b", "xiaoneng", "leader")
            ],
        )
    today = timezone.localdate()
    campaign = campaign_create(
        by=office,
        title=DEMO_TITLE,
        description="围绕“效能怎么看、作风怎么转、工作怎么干”开展大讨论，人人撰写学习笔记和心得体会。",
        start=today - timedelta(days=20),
        end=today + timedelta(days=40),
        organiser=Department.objects.get(unit=bureau, code="efficiency"),
        units=[Unit.objects.get(code="school-1")],
        party_groups=[group],
        requirements=[
            RequirementSpec("notes", 2, 80, today + timedelta(days=10)),
            RequirementSpec("reflection", 1, 120, today + timedelta(days=20)),
            RequirementSpec("proposal", 0, 0, today + timedelta(days=40)),
        ],
    )
    campaign_open(campaign=campaign, by=office)
    notes = campaign.requirements.get(kind=Requirement.Kind.NOTES)
    reflection = campaign.requirements.get(kind=Requirement.Kind.REFLECTION)
    proposal = campaign.requirements.get(kind=Requirement.Kind.PROPOSAL)

    def submit(username: str, requirement: Requirement, title: str, text: str) -> object:
        return submission_create(
            by=_user(username), campaign=campaign, requirement=requirement, title=title, text=text
        )

    for number in (1, 2):
        note = submit("handler_a", notes, f"学习笔记（{number}）", NOTES_TEXT)
        submission_accept(by=office, submission=note)
    best = submit("handler_a", reflection, "以群众满意为标尺提升机关效能", REFLECTION_TEXT)
    submission_accept(by=office, submission=best)
    submission_select(by=office, submission=best)
    returned = submit("handler_b", reflection, "学习心得", SHORT_REFLECTION + SHORT_REFLECTION)
    submission_return(
        by=office,
        submission=returned,
        reason="内容空泛，请结合本岗位工作实际查找问题、提出整改措施后重新提交。",
    )
    submit("head", notes, "学习笔记", NOTES_TEXT)
    submit("school_handler", reflection, "把效能要求落实到校务服务中", REFLECTION_TEXT)
    submit(
        "school_head",
        proposal,
        "关于简化学校办事流程的建议",
        "建议将学生转学、证明开具等事项纳入一次性告知清单。",
    )


def _demo_study() -> None:
    today = timezone.localdate()
    office = Department.objects.get(unit__code="bureau", code="efficiency")
    basic = Department.objects.get(unit__code="bureau", code="basic")
    theory = study_session_create(
        by=_user("xiaoneng"),
        date=today - timedelta(days=10),
        topic="【示例】学习全市效能革命动员大会精神",
        category=StudySession.Category.THEORY,
        hours="2",
        department=office,
    )
    attendance_record(
        by=_user("xiaoneng"),
        session=theory,
        staff=[_staff(name) for name in ("xiaoneng", "xiaoneng_b", "head", "handler_a", "leader")],
    )
    professional = study_session_create(
        by=_user("head"),
        date=today - timedelta(days=5),
        topic="【示例】义务教育招生入学政策解读",
        category=StudySession.Category.PROFESSIONAL,
        hours="1.5",
        department=basic,
    )
    attendance_record(
        by=_user("head"),
        session=professional,
        staff=[_staff(name) for name in ("head", "handler_a", "handler_b")],
    )
