"""The demo's evaluation: one finished round (approved, results public) over three departments
and two schools, answered through one-time links handed out on paper, and two typical cases
(a typical case from the demo's confirmed violation and a good practice), all through the
services. Idempotent: a second call changes nothing."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from xiaoneng.accountability.models import Violation
from xiaoneng.cases.models import Case
from xiaoneng.evaluation.models import Panel, Question, QuestionnaireVersion, Round, TypicalCase
from xiaoneng.evaluation.services.answers import invitation_answer
from xiaoneng.evaluation.services.invitations import paper_invitations_issue
from xiaoneng.evaluation.services.questionnaires import question_create, questionnaire_create
from xiaoneng.evaluation.services.rounds import round_approve, round_close, round_create, round_open
from xiaoneng.evaluation.services.typical import (
    typical_approve,
    typical_draft,
    typical_publish,
)
from xiaoneng.org.models import Department, Unit, User

TITLE = "2026年秋季服务对象满意度测评"
SCALE = [
    {"zh": z, "en": e}
    for z, e in (
        ("很不满意", "Very dissatisfied"),
        ("不满意", "Dissatisfied"),
        ("一般", "Neutral"),
        ("满意", "Satisfied"),
        ("很满意", "Very satisfied"),
    )
]
QUESTIONS = [
    (
        "svc-used",
        "single",
        "近一年您是否到该单位办理过事项？",
        "Have you dealt with this unit in the past year?",
        [{"value": "yes", "zh": "是", "en": "Yes"}, {"value": "no", "zh": "否", "en": "No"}],
        True,
        None,
    ),
    (
        "svc-attitude",
        "scale",
        "工作人员的服务态度",
        "The staff's attitude",
        SCALE,
        True,
        ("svc-used", ["yes"]),
    ),
    ("svc-speed", "scale", "办事效率和时限", "Speed and time limits", SCALE, True, None),
    (
        "svc-openness",
        "scale",
        "政策和办事流程公开",
        "Openness of policies and procedures",
        SCALE,
        True,
        None,
    ),
    (
        "svc-ways",
        "multiple",
        "您通过哪些渠道办事？",
        "How did you reach us?",
        [
            {"value": "web", "zh": "网上", "en": "Online"},
            {"value": "desk", "zh": "窗口", "en": "At the desk"},
            {"value": "phone", "zh": "电话", "en": "By phone"},
        ],
        False,
        None,
    ),
    ("svc-comment", "text", "意见和建议", "Comments and suggestions", [], False, None),
]
COMMENTS = ["希望网上办理再简化一些。", "窗口工作人员很耐心。", "", "电话经常占线。", ""]


def _version(office: User) -> QuestionnaireVersion:
    existing = QuestionnaireVersion.objects.filter(
        questionnaire__name_zh="服务对象满意度问卷"
    ).first()
    if existing is not None:
        return existing
    made: dict[str, Question] = {}
    for code, kind, zh, en, options, required, condition in QUESTIONS:
        made[code] = Question.objects.filter(code=code).first() or question_create(
            by=office,
            code=code,
            kind=kind,
            text_zh=zh,
            text_en=en,
            options=options,
            required=required,
            show_if_question=made[condition[0]] if condition else None,
            show_if_values=condition[1] if condition else None,
        )
    return questionnaire_create(
        by=office,
        name_zh="服务对象满意度问卷",
        name_en="Satisfaction of the people served",
        questions=list(made.values()),
    )


def _answers(rng: random.Random, level: int, i: int) -> dict[str, list[str]]:
    def score() -> str:
        return str(max(1, min(5, level + rng.choice((-1, 0, 0, 1)))))

    used = "yes" if i % 5 else "no"
    answers = {
        "svc-used": [used],
        "svc-speed": [score()],
        "svc-openness": [score()],
        "svc-ways": rng.sample(["web", "desk", "phone"], rng.randint(1, 2)),
        "svc-comment": [COMMENTS[i % len(COMMENTS)]],
    }
    if used == "yes":
        answers["svc-attitude"] = [score()]
    return answers


def _round(office: User, leader: User) -> None:
    if Round.objects.filter(title=TITLE).exists():
        return
    today = timezone.localdate()
    round_ = round_create(
        by=office,
        title=TITLE,
        version=_version(office),
        period_from=today - timedelta(days=120),
        period_to=today - timedelta(days=10),
        departments=list(
            Department.objects.filter(
                unit__code="bureau", code__in=["basic", "finance", "personnel"]
            )
        ),
        schools=list(Unit.objects.filter(code__in=["school-1", "school-2"])),
        named_panels=["人大代表政协委员", "家长委员会代表"],
        sample_size=10,
        min_answers=5,
    )
    round_ = round_open(by=office, round_=round_)
    rng = random.Random(2026)
    panel = round_.panels.get(kind=Panel.Kind.NAMED, name="家长委员会代表")
    for level, unit in zip((4, 3, 4, 5, 3), round_.units.order_by("id"), strict=False):
        count = 8 if level != 3 or unit.department_id else 4  # one school with too few answers
        tokens = paper_invitations_issue(
            by=office, round_=round_, round_unit=unit, panel=panel, count=count + 2
        )
        for i, token in enumerate(tokens[:count]):
            invitation_answer(token=token, submitted=_answers(rng, level, i))
    round_close(by=office, round_=round_)
    round_approve(by=leader, round_=round_)


def _typical(office: User, leader: User) -> None:
    if TypicalCase.objects.exists():
        return
    violation = Violation.objects.filter(source_key="demo:inspection:1", status="confirmed").first()
    if violation is not None:
        bad = typical_draft(
            by=office,
            kind="typical",
            violation=violation,
            title="工作时间擅离岗位、窗口无人值守",
            facts="明察暗访发现，某科室工作人员工作时间离岗，窗口无人值守约40分钟，群众等候办事。",
            handling="经效能办审核确认，对责任人给予效能告诫。",
            lesson="窗口岗位实行A/B岗，离岗必须由B岗补位并公示去向，确保窗口不断档。",
        )
        typical_publish(by=office, typical=typical_approve(by=leader, typical=bad))
    case = (
        Case.objects.filter(state="closed", satisfaction="satisfied").order_by("closed_at").first()
    )
    if case is not None:
        good = typical_draft(
            by=office,
            kind="good",
            case=case,
            name_unit=True,
            title="首问负责、限时办结的好做法",
            facts="群众来电反映诉求后，承办科室当日签收，主动电话沟通，三个工作日内答复。",
            handling="承办人逐项核实并书面答复，群众评价满意。",
            lesson="首问负责、主动沟通、限时办结，是提升群众满意度的有效办法。",
        )
        typical_publish(by=office, typical=typical_approve(by=leader, typical=good))


def demo_evaluation_load() -> None:
    office = User.objects.get(username="xiaoneng")
    leader = User.objects.get(username="leader")
    _round(office, leader)
    _typical(office, leader)
