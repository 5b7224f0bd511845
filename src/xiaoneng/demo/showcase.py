"""A case in every state of the lifecycle, for the demo, made through the real services.

The random history (history.py) mostly ends in "closed"; a new user must also find a case to
dispatch, to sign for, a draft awaiting the head's review, an extension and a return to decide,
a suspended case, a reply awaiting its rating, a reopen review, and cases withdrawn, merged or
found invalid — and cases handled by a school's own office. Each scenario is registered under a
fixed external number, so a second run finds it and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from xiaoneng import clock
from xiaoneng.cases.models import Case, Category, Channel, Kind, Satisfaction
from xiaoneng.cases.services import (
    case_decide_return,
    case_dispatch,
    case_invalidate,
    case_merge,
    case_rate,
    case_register,
    case_reply,
    case_request_extension,
    case_request_return,
    case_review_reply,
    case_sign_for,
    case_suspend,
    case_withdraw,
)
from xiaoneng.cases.services.public import public_submit
from xiaoneng.org.models import Department, Unit, User
from xiaoneng.supervision.models import Order
from xiaoneng.supervision.services import supervision_order_create

PREFIX = "DEMO-SHOW-"


@dataclass
class Scene:
    """One scenario's world: who acts, where, and the simulated clock."""

    t: datetime
    users: dict[str, User]
    basic: Department
    finance: Department
    school_office: Department

    def at(self, hours: float) -> AbstractContextManager[datetime]:
        self.t += timedelta(hours=hours)
        return clock.at(self.t)

    def user(self, name: str) -> User:
        return self.users[name]


def _register(scene: Scene, key: str, title: str, concerned: Unit, category: str) -> Case | None:
    with scene.at(0):
        registered = case_register(
            by=scene.user("intake"),
            channel=Channel.HOTLINE,
            kind=Kind.COMPLAINT,
            category=Category.objects.get(code=category),
            title=title,
            content=f"{concerned.short_name or concerned.name}：{title}。请核实处理并答复。",
            unit_concerned=concerned,
            requester_name="演示家长",
            requester_phone="13900001234",
            external_number=f"{PREFIX}{key}",
        )
    return registered.case if registered.created else None


def _to(scene: Scene, case: Case, lead: Department, assisting: list[Department] = ()) -> Case:
    with scene.at(1):
        return case_dispatch(
            case=case, by=scene.user("xiaoneng"), lead=lead, assisting=list(assisting)
        )


def _signed(scene: Scene, case: Case, lead: Department, signer: str) -> Case:
    case = _to(scene, case, lead)
    with scene.at(2):
        return case_sign_for(case=case, by=scene.user(signer))


def _bureau(scene: Scene, case: Case) -> Case:
    return _signed(scene, case, scene.basic, "handler_a")


def _school(scene: Scene, case: Case) -> Case:
    return _signed(scene, case, scene.school_office, "school_handler")


def _replied(scene: Scene, case: Case, *, school: bool = False) -> Case:
    case = _school(scene, case) if school else _bureau(scene, case)
    handler, head = ("school_handler", "school_head") if school else ("handler_a", "head")
    with scene.at(20):
        case = case_reply(case=case, by=scene.user(handler), text="经核查，情况属实，已整改。")
    if not case.reply_pending_review:
        return case
    with scene.at(3):
        return case_review_reply(case=case, by=scene.user(head), approve=True)


def _rated(scene: Scene, case: Case, satisfaction: str, *, school: bool = False) -> Case:
    case = _replied(scene, case, school=school)
    with scene.at(24):
        return case_rate(
            case=case,
            satisfaction=satisfaction,
            resolved=satisfaction != Satisfaction.UNSATISFIED,
        )


def _extension(scene: Scene, case: Case) -> None:
    with scene.at(4):
        case_request_extension(
            case=case,
            by=scene.user("handler_a"),
            reason="需会同学校和属地部门联合核查",
            basis="办理规则：情况复杂的可申请延期",
            extra_units=3,
        )


def _return(scene: Scene, case: Case) -> Case:
    with scene.at(3):
        case_request_return(
            case=case,
            by=scene.user("head"),
            reason="反映的收费问题不属本科室职责",
            basis="科室职责：教育收费管理属计划财务科",
        )
    return Case.objects.get(pk=case.pk)


def _draft(scene: Scene, case: Case) -> None:
    with scene.at(10):
        case_reply(case=case, by=scene.user("handler_a"), text="经核查，学校已停止收费并退费。")


def _order(scene: Scene, case: Case) -> None:
    case = Case.objects.select_related("lead_department__unit").get(pk=case.pk)
    with scene.at(1):
        supervision_order_create(
            by=scene.user("xiaoneng"),
            title=f"督办工单 {case.number}",
            description="群众多次反映，请加快核查，按期答复并反馈办理情况。",
            kind=Order.Kind.CASE,
            case=case,
            unit=case.lead_department.unit,
            department=case.lead_department,
            due_working_days=3,
            source=f"showcase:case:{case.number}",
        )


def _school_of(code: str) -> Unit:
    return Unit.objects.get(code=code)


# (key, title, unit concerned, category, days ago, what happens)
SCENES: list[tuple[str, str, str, str, int, Callable[[Scene, Case], object]]] = [
    ("registered", "学校午休收费咨询", "school-2", "fees", 1, lambda s, c: None),
    ("dispatched", "校门口上下学拥堵", "school-exp", "safety", 2, lambda s, c: _to(s, c, s.basic)),
    (
        "draft",
        "学校强制征订教辅资料",
        "school-2",
        "management",
        6,
        lambda s, c: _draft(s, _bureau(s, c)),
    ),
    (
        "extension",
        "随迁子女入学材料反复要求补交",
        "school-exp",
        "enrolment",
        8,
        lambda s, c: (_extension(s, _bureau(s, c)), _order(s, c)),
    ),
    (
        "return",
        "学校代收保险费",
        "school-voc",
        "fees",
        5,
        lambda s, c: _return(s, _extension_then(s, _bureau(s, c))),
    ),
    (
        "rejected_return",
        "学校延迟放学未通知家长",
        "school-2",
        "management",
        12,
        lambda s, c: _reject(s, _return(s, _bureau(s, c))),
    ),
    (
        "suspended",
        "助学金申请被退回",
        "school-normal",
        "aid",
        9,
        lambda s, c: _suspend(s, _bureau(s, c)),
    ),
    ("replied", "寒假作业量过大", "school-exp", "workload", 4, lambda s, c: _replied(s, c)),
    (
        "reopen_review",
        "班主任言语不当",
        "school-2",
        "ethics",
        10,
        lambda s, c: _rated(s, c, Satisfaction.UNSATISFIED),
    ),
    (
        "closed",
        "学校围墙破损",
        "school-special",
        "safety",
        14,
        lambda s, c: _rated(s, c, Satisfaction.SATISFIED),
    ),
    (
        "withdrawn",
        "学位申请进度咨询",
        "school-exp",
        "enrolment",
        7,
        lambda s, c: _withdraw(s, _to(s, c, s.basic)),
    ),
    ("invalid", "无具体内容的来电", "school-2", "other", 6, lambda s, c: _invalid(s, c)),
    # Handled by the school's own office (主办 = 第一中学校长办公室).
    (
        "school_closed",
        "第一中学食堂饭菜偏咸",
        "school-1",
        "food",
        15,
        lambda s, c: _rated(s, c, Satisfaction.SATISFIED, school=True),
    ),
    (
        "school_replied",
        "第一中学周末补课",
        "school-1",
        "management",
        5,
        lambda s, c: _replied(s, c, school=True),
    ),
    ("school_handling", "第一中学作业过多", "school-1", "workload", 3, lambda s, c: _school(s, c)),
    (
        "school_unsatisfied",
        "第一中学收取资料费",
        "school-1",
        "fees",
        11,
        lambda s, c: _rated(s, c, Satisfaction.UNSATISFIED, school=True),
    ),
]


def _extension_then(scene: Scene, case: Case) -> Case:
    _extension(scene, case)
    return case


def _reject(scene: Scene, case: Case) -> None:
    with scene.at(6):
        case_decide_return(
            case=case, by=scene.user("xiaoneng"), accept=False, note="经研究，属该科室职责"
        )


def _suspend(scene: Scene, case: Case) -> None:
    with scene.at(5):
        case_suspend(
            case=case,
            by=scene.user("handler_a"),
            reason="一次性告知：请补充家庭经济困难证明",
            for_supplement=True,
        )


def _withdraw(scene: Scene, case: Case) -> None:
    with scene.at(5):
        case_withdraw(case=case, by=None, reason="问题已自行解决，申请撤回")


def _invalid(scene: Scene, case: Case) -> None:
    with scene.at(2):
        case_invalidate(case=case, by=scene.user("xiaoneng"), reason="来电无具体诉求内容，无法核实")


def _merge_duplicate(scene: Scene) -> None:
    """A second call about the 'dispatched' matter is merged into it."""
    into = Case.objects.filter(external_number=f"{PREFIX}dispatched").first()
    if into is None or not into.is_open:
        return
    duplicate = _register(
        scene, "merged", "校门口上下学拥堵（重复来电）", into.unit_concerned, "safety"
    )
    if duplicate is None:
        return
    with scene.at(1):
        case_merge(case=duplicate, by=scene.user("xiaoneng"), into=into, reason="同一事项重复来电")


def demo_showcase_load(*, now: datetime | None = None) -> int:
    """Create the scenarios not yet present; returns how many were created."""
    now = now or timezone.now()
    users = {user.username: user for user in User.objects.all()}
    made = 0
    for key, title, concerned, category, days, happen in SCENES:
        scene = Scene(
            t=(now - timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0),
            users=users,
            basic=Department.objects.get(unit__code="bureau", code="basic"),
            finance=Department.objects.get(unit__code="bureau", code="finance"),
            school_office=Department.objects.get(unit__code="school-1", code="principal"),
        )
        case = _register(scene, key, title, _school_of(concerned), category)
        if case is None:
            continue
        happen(scene, case)
        made += 1
    scene = Scene(
        t=now - timedelta(hours=20),
        users=users,
        basic=Department.objects.get(unit__code="bureau", code="basic"),
        finance=Department.objects.get(unit__code="bureau", code="finance"),
        school_office=Department.objects.get(unit__code="school-1", code="principal"),
    )
    _merge_duplicate(scene)
    return made + _pool_waiting(now)


# Requests from the portal that nobody has accepted yet, so the first-contact officers of the
# bureau and of 第一中学 find something in their intake pools (待受理).
POOL_WAITING = [
    (None, Kind.INQUIRY, "enrolment", "孩子明年小升初，户籍在本区但房产在外区，应到哪所学校报名？"),
    (
        "school-1",
        Kind.COMPLAINT,
        "fees",
        "第一中学本学期要求每人交两百元资料费，没开收据。",
    ),
]


def _pool_waiting(now: datetime) -> int:
    made = 0
    for unit_code, kind, category, content in POOL_WAITING:
        if Case.objects.filter(content=content).exists():
            continue
        with clock.at(now - timedelta(hours=3)):
            public_submit(
                kind=kind,
                category=Category.objects.get(code=category),
                content=content,
                unit_concerned=_school_of(unit_code) if unit_code else None,
                requester_name="演示群众",
                requester_phone="13700001111",
            )
        made += 1
    return made
