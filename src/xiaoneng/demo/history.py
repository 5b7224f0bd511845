"""Six months of realistic case history for the demo, made through the real services.

Each case is lived through from registration to its end with the clock turned back
(``xiaoneng.clock.at``), so every timestamp, clock, event, audit row and notification is what
the platform would have recorded. A fixed seed makes the history the same on every machine.
"""

from __future__ import annotations

import contextlib
import random
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from xiaoneng import clock
from xiaoneng.cases import clocks
from xiaoneng.cases.models import Case, Category, Channel, Kind, Satisfaction
from xiaoneng.cases.services import (
    case_answer_directly,
    case_decide_extension,
    case_decide_return,
    case_dispatch,
    case_rate,
    case_register,
    case_reopen,
    case_reply,
    case_request_extension,
    case_request_return,
    case_resume,
    case_review_reply,
    case_sign_for,
    case_suspend,
)
from xiaoneng.cases.states import State
from xiaoneng.cases.sweeps import sweep
from xiaoneng.demo import texts
from xiaoneng.org.models import Department, Unit, User
from xiaoneng.org.selectors import post_acting_holder

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "华",
    "慧",
    "建华",
    "志强",
    "桂英",
    "玉兰",
    "晓东",
    "海燕",
    "春梅",
]

CHANNELS = [
    (Channel.HOTLINE, 40),
    (Channel.PHONE, 15),
    (Channel.ONLINE, 15),
    (Channel.EFFICIENCY_OFFICE, 10),
    (Channel.VISIT, 6),
    (Channel.LETTER, 5),
    (Channel.PETITION, 5),
    (Channel.DEPUTY, 2),
    (Channel.CPPCC, 2),
]
KINDS = [
    (Kind.COMPLAINT, 40),
    (Kind.INQUIRY, 25),
    (Kind.HELP, 10),
    (Kind.SUGGESTION, 10),
    (Kind.REPORT, 10),
    (Kind.PRAISE, 5),
]

# category code -> matters people write about
MATTERS = {
    "fees": ["学校违规收取资料费", "食堂伙食费收费标准不透明", "校服费用过高，要求公示"],
    "enrolment": ["孩子入学划片问题咨询", "随迁子女入学材料要求", "学区房入学资格审核"],
    "aid": ["贫困生助学金未按时发放", "国家助学金申请条件咨询"],
    "ethics": ["教师体罚学生", "教师收受家长礼品", "班主任言语侮辱学生"],
    "safety": ["校门口上下学交通拥堵存在隐患", "学校围墙破损", "校车超载"],
    "surroundings": ["学校周边有网吧接纳未成年人", "校门口流动摊贩售卖三无食品"],
    "management": ["学校周末强制补课", "学校作息时间调整未通知家长", "学校延迟放学"],
    "tutoring": ["在职教师校外有偿补课", "教师暗示学生参加收费辅导班"],
    "food": ["学校食堂饭菜卫生问题", "学生集体腹泻疑似食物问题"],
    "workload": ["作业量过大，学生每天写到深夜", "寒暑假作业过多"],
    "teachers": ["教师职称评审程序咨询", "乡村教师补贴未发放"],
    "other": ["建议增加学校开放日", "表扬某教师认真负责"],
}


# Matters about 第一中学 that its own office handles (the school has staff in the demo); the
# others about schools are handled by bureau departments.
SCHOOL_HANDLED = {"management", "workload", "food", "fees"}
SCHOOL_WITH_STAFF = "school-1"


def _weighted(rng: random.Random, items: list[tuple[Any, int]]) -> Any:
    return rng.choices([item for item, _w in items], weights=[w for _i, w in items])[0]


@dataclass
class Actors:
    users: dict[str, User]
    schools: list[Unit]
    bureau_departments: dict[str, Department]
    school_office: Department | None

    @classmethod
    def load(cls) -> Actors:
        return cls(
            users={user.username: user for user in User.objects.all()},
            schools=list(Unit.objects.filter(kind=Unit.Kind.SCHOOL).order_by("pk")),
            bureau_departments={d.code: d for d in Department.objects.filter(unit__code="bureau")},
            school_office=Department.objects.filter(
                unit__code=SCHOOL_WITH_STAFF, code="principal"
            ).first(),
        )


def _signer(case: Case, actors: Actors) -> User:
    department = case.lead_department
    if case.post is not None:
        acting = post_acting_holder(post=case.post, at=timezone.now())
        if acting.staff is not None:
            return acting.staff.user
    return department.head.user if department.head else actors.users["head"]


def _replier(case: Case) -> User:
    return case.handler.user if case.handler else case.lead_department.head.user


def _extension_units(case: Case) -> int:
    """A plausible extension the case's policy allows (0 when none is allowed)."""
    version = case.policy_version
    if not version.extension_allowed:
        return 0
    clock = clocks.current(case=case, stage=clocks.REPLY)
    wanted = 1 if clock.counting == "months" else 5
    if version.extension_max is not None:
        wanted = min(wanted, version.extension_max - clock.extension_units)
    return max(wanted, 0)


class _Now(Exception):
    """The simulated life has caught up with the present: the case stays where it is."""


class _Life:
    """One case's life; ``t`` is the simulated clock, moved forward step by step."""

    def __init__(
        self, rng: random.Random, actors: Actors, start: datetime, horizon: datetime
    ) -> None:
        self.rng, self.actors, self.t, self.horizon = rng, actors, start, horizon

    def at(self, hours: float) -> AbstractContextManager[datetime]:
        self.t = self.t + timedelta(hours=hours)
        if self.t > self.horizon:
            raise _Now
        return clock.at(self.t)

    def register(self) -> Case:
        rng, users = self.rng, self.actors.users
        channel, kind = _weighted(rng, CHANNELS), _weighted(rng, KINDS)
        school = rng.choice(self.actors.schools)
        # The words people write (demo/texts.py), and the bureau department whose remit they are.
        code, self.department, title, content = texts.request(rng, school.short_name)
        category = Category.objects.filter(code=code).first() or Category.objects.first()
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        with self.at(0):
            return case_register(
                by=None if channel == Channel.ONLINE else users["intake"],
                channel=channel,
                kind=kind,
                category=category,
                title=title,
                content=content,
                unit_concerned=school,
                requester_name=name,
                requester_phone=f"139{rng.randrange(10**8):08d}",
                is_anonymous=False,
                consent_publish=rng.random() < 0.6,
                external_number=f"12345-{self.t:%Y%m%d}-{rng.randrange(10**6):06d}"
                if channel == Channel.HOTLINE
                else "",
            ).case

    def live(self, case: Case) -> None:
        rng, users = self.rng, self.actors.users
        if case.first_contact and case.kind in {Kind.INQUIRY, Kind.PRAISE} and rng.random() < 0.5:
            with self.at(0.5):
                case_answer_directly(case=case, by=users["intake"], reply="已当场答复相关政策。")
            self.rate(case)
            return
        lead = self.lead_for(case)
        with self.at(rng.uniform(0.2, 3)):
            case = case_dispatch(case=case, by=users["xiaoneng"], lead=lead)
        if rng.random() < 0.08:
            with self.at(rng.uniform(1, 6)):
                case_request_return(
                    case=case, by=lead.head.user, reason="非本科室职责", basis="科室三定方案"
                )
            other = self.actors.bureau_departments["basic"]
            accept = lead.pk != other.pk and rng.random() < 0.5
            with self.at(rng.uniform(2, 20)):
                case = case_decide_return(
                    case=case,
                    by=users["xiaoneng"],
                    accept=accept,
                    note="经研究" + ("同意退回" if accept else "属该科室职责"),
                    new_lead=other if accept else None,
                )
        if case.state == State.DISPATCHED:
            late = rng.random() < 0.1
            with self.at(rng.uniform(30, 60) if late else rng.uniform(0.5, 8)):
                case = case_sign_for(case=case, by=_signer(case, self.actors))
        self.handle(case)

    def lead_for(self, case: Case) -> Department:
        school = self.actors.school_office
        concerned = case.unit_concerned
        if (
            school is not None
            and concerned is not None
            and concerned.code == SCHOOL_WITH_STAFF
            and case.category.code in SCHOOL_HANDLED
        ):
            return school
        by_remit = self.actors.bureau_departments.get(getattr(self, "department", ""))
        return (
            by_remit or case.category.default_department or self.actors.bureau_departments["office"]
        )

    def handle(self, case: Case) -> None:
        rng = self.rng
        extra = _extension_units(case)
        if extra and rng.random() < 0.08:
            with self.at(rng.uniform(4, 30)):
                case_request_extension(
                    case=case,
                    by=case.lead_department.head.user,
                    reason="需多部门联合核查",
                    basis="热线工单办理规则",
                    extra_units=extra,
                )
            with self.at(rng.uniform(2, 20)):
                case = case_decide_extension(
                    case=case, by=self.actors.users["xiaoneng"], approve=rng.random() < 0.8
                )
        if rng.random() < 0.05:
            with self.at(rng.uniform(4, 30)):
                case_suspend(
                    case=case, by=_replier(case), reason="等待当事人补充材料", for_supplement=True
                )
            with self.at(rng.uniform(24, 120)):
                case_resume(case=case, by=_replier(case), note="材料已补齐")
        reply_clock = clocks.current(case=case, stage=clocks.REPLY)
        remaining = (reply_clock.due_at - self.t).total_seconds() / 3600
        late = rng.random() < 0.12
        hours = remaining + rng.uniform(24, 200) if late else rng.uniform(0.2, 0.9) * remaining
        with self.at(max(hours, 1)):
            sweep(now=self.t)
        with self.at(0):
            case = case_reply(
                case=case,
                by=_replier(case),
                text="经核查，情况已处理，并已向当事人说明。",
                grade="B" if case.channel in {Channel.DEPUTY, Channel.CPPCC} else "",
            )
        if case.reply_pending_review:
            with self.at(rng.uniform(1, 8)):
                case = case_review_reply(case=case, by=case.lead_department.head.user, approve=True)
        self.rate(case)

    def rate(self, case: Case) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return  # Left unrated: the sweeper closes it when the window ends.
        satisfaction = (
            Satisfaction.SATISFIED
            if roll < 0.75
            else Satisfaction.BASICALLY
            if roll < 0.93
            else Satisfaction.UNSATISFIED
        )
        with self.at(rng.uniform(2, 100)):
            case = case_rate(
                case=case,
                satisfaction=satisfaction,
                resolved=satisfaction != Satisfaction.UNSATISFIED,
            )
        if case.state == State.REOPEN_REVIEW and case.reopen_count == 0:
            with self.at(rng.uniform(4, 30)):
                case = case_reopen(
                    case=case, by=self.actors.users["xiaoneng"], note="答复未解决问题，请重办"
                )
            if case.state == State.IN_PROGRESS:
                self.handle(case)


def demo_history_load(*, cases: int = 300, days: int = 180, seed: int = 2026) -> int:
    """Create ``cases`` cases spread over the last ``days`` days; returns how many were made."""
    rng = random.Random(seed)
    actors = Actors.load()
    now = timezone.now()
    starts = sorted(
        now - timedelta(days=days * rng.random() ** 1.3, hours=rng.uniform(0, 10))
        for _ in range(cases)
    )
    for start in starts:
        start = start.replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
        if start > now:
            start = now - timedelta(minutes=30)
        life = _Life(rng, actors, start, horizon=now)
        with contextlib.suppress(_Now):
            life.live(life.register())
    return cases
