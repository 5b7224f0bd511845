"""Demo internal matters, made through the real services at past times (``clock.at``): leaders'
instructions routed to the bureau's departments (some asked to be re-routed, some signed late,
most completed), meeting decisions, and requests for instructions from the schools and from
departments, answered with the head's and the leader's sign-off, on time or late. A sweep runs
every working morning in between, so the cards fall where they would have. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from xiaoneng import clock
from xiaoneng.internal.models import Matter
from xiaoneng.internal.services import (
    matter_ask,
    matter_complete,
    matter_confirm,
    matter_draft,
    matter_register,
    matter_reroute_decide,
    matter_reroute_request,
    matter_sign,
    matter_signoff,
)
from xiaoneng.internal.services.policies import internal_policies_seed
from xiaoneng.internal.sweeps import internal_sweep
from xiaoneng.org.models import Department, Staff, User
from xiaoneng.workdays.calendar import get_calendar
from xiaoneng.workdays.deadlines import office_tz

Step = tuple[datetime, int, Callable[[], object]]

# (department code, the person who signs and handles for it)
DEPARTMENTS = [
    ("basic", "handler_a"),
    ("safety", "safety_a"),
    ("finance", "finance_head"),
    ("personnel", "personnel_head"),
    ("sports", "sports_head"),
    ("vocational", "vocational_head"),
    ("aid", "aid_head"),
    ("legal", "legal_head"),
]
INSTRUCTIONS = [
    "关于做好春季学期开学安全工作的批示",
    "关于落实“双减”课后服务经费的批示",
    "关于教师职称评审工作的批示",
    "关于学校食堂食品安全专项检查的批示",
    "关于职业院校实习管理的批示",
    "关于家庭经济困难学生资助资金发放的批示",
    "关于规范民办学校办学行为的批示",
    "关于校园周边交通安全整治的批示",
    "关于学生体质健康监测的批示",
    "关于中小学教辅材料征订管理的批示",
    "关于校舍维修改造资金使用的批示",
    "关于新任教师岗前培训的批示",
    "关于人大代表建议办理的批示",
    "关于学前教育普惠性资源扩充的批示",
]
MEETINGS = [
    ("推进义务教育优质均衡发展", "局长办公会议纪要〔2026〕3号"),
    ("开展师德师风专项整治", "局党组会议纪要〔2026〕2号"),
    ("完善校园安全风险防控体系", "局长办公会议纪要〔2026〕5号"),
    ("推进教育信息化2.0行动", "局长办公会议纪要〔2026〕6号"),
]
# (asking username, department code in charge, title, needs the leader)
REQUESTS = [
    ("school_handler", "basic", "关于调整课后服务时间的请示", True),
    ("school_handler", "finance", "关于追加校舍维修经费的请示", True),
    ("s2_intake", "basic", "关于组织初三年级研学活动的请示", False),
    ("s2_intake", "safety", "关于增设校门口护学岗的请示", False),
    ("sexp_intake", "personnel", "关于补充音乐教师编制的请示", True),
    ("sexp_intake", "sports", "关于承办全市小学生运动会的请示", False),
    ("snormal_intake", "vocational", "关于开设幼儿保育专业的请示", True),
    ("svoc_intake", "vocational", "关于校企合作共建实训基地的请示", False),
    ("svoc_intake", "aid", "关于国家助学金名额调整的请示", False),
    ("sspecial_intake", "finance", "关于特教学校生均经费的请示", True),
    ("head", "office", "关于召开全市中小学招生工作会议的请示", True),
    ("safety_head", "office", "关于开展校园安全大检查的请示", True),
    ("school_handler", "legal", "关于学校章程修订的请示", False),
    ("s2_intake", "personnel", "关于教师交流轮岗的请示", False),
]


def _staff(username: str) -> Staff:
    return Staff.objects.select_related("unit", "department").get(user__username=username)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _department(code: str) -> Department:
    return Department.objects.get(unit__code="bureau", code=code)


class _Plan:
    """Steps at moments, run in time order, with a sweep every working morning."""

    def __init__(self, first_day: date) -> None:
        self.calendar = get_calendar(None)
        self.first_day = first_day
        self.steps: list[Step] = []
        self.matters: dict[str, Matter] = {}

    def day(self, start: date, workdays: int) -> date:
        return self.calendar.add_workdays(start, workdays) if workdays else start

    def at(self, day: date, hour: int, run: Callable[[], object]) -> None:
        moment = datetime.combine(day, time(hour), tzinfo=office_tz())
        self.steps.append((moment, len(self.steps), run))

    def run(self, until: datetime) -> None:
        day = self.first_day
        while day <= until.date():
            if self.calendar.is_workday(day):
                moment = datetime.combine(day, time(8), tzinfo=office_tz())
                self.steps.append((moment, -1, lambda m=moment: internal_sweep(now=m)))
            day += timedelta(days=1)
        for moment, _order, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            if moment >= until:
                continue
            with clock.at(moment):
                step()
        internal_sweep(now=until)


def _plan_instruction(plan: _Plan, n: int, title: str, start: date) -> None:
    code, worker = DEPARTMENTS[n % len(DEPARTMENTS)]
    helper = DEPARTMENTS[(n + 3) % len(DEPARTMENTS)][0]
    key = f"i{n}"

    def register() -> None:
        plan.matters[key] = matter_register(
            by=_user("intake" if n % 2 else "intake_b"),
            kind=Matter.Kind.INSTRUCTION,
            title=title,
            body="上级来文，局领导已作批示。",
            leader=_staff("leader"),
            instruction=f"请{_department(code).name}牵头研究落实，{_department(helper).name}配合。",
            instructed_on=start,
            limit_workdays=None if n % 3 else 5,
            lead_department=_department(code),
            assisting=[_department(helper)],
        )

    plan.at(start, 9, register)
    sign_day = start
    if n % 5 == 1:  # asks to re-route; 办公室 refuses (推诿扯皮) or, once, agrees
        plan.at(
            start,
            11,
            lambda asker=worker: matter_reroute_request(
                by=_user(asker), matter=plan.matters[key], reason="该事项主要职责不在本科室。"
            ),
        )
        if n % 10 == 1:
            plan.at(
                start,
                15,
                lambda: matter_reroute_decide(
                    by=_user("intake"),
                    matter=plan.matters[key],
                    approve=False,
                    note="局领导批示明确由该科室牵头，请立即签收办理。",
                ),
            )
        else:
            target, worker = DEPARTMENTS[(n + 1) % len(DEPARTMENTS)]
            plan.at(
                start,
                15,
                lambda: matter_reroute_decide(
                    by=_user("leader"),
                    matter=plan.matters[key],
                    approve=True,
                    new_lead=_department(target),
                    note="同意改由职能科室办理。",
                ),
            )
    late = n % 4 == 2
    sign_day = plan.day(start, 2 if late else 0)
    plan.at(sign_day, 16, lambda w=worker: matter_sign(by=_user(w), matter=plan.matters[key]))
    if n < 11:  # the older ones are done; some late
        done_day = plan.day(sign_day, 12 if n % 6 == 0 else 4 + n % 4)
        plan.at(
            done_day,
            17,
            lambda w=worker: matter_complete(
                by=_user(w),
                matter=plan.matters[key],
                result="已按批示要求制定工作方案，组织落实，办理情况已报局领导。",
            ),
        )


def _plan_meeting(plan: _Plan, n: int, title: str, ref: str, start: date) -> None:
    code, worker = DEPARTMENTS[(n * 3) % len(DEPARTMENTS)]
    key = f"m{n}"

    def register() -> None:
        plan.matters[key] = matter_register(
            by=_user("intake"),
            kind=Matter.Kind.MEETING,
            title=title,
            meeting_ref=ref,
            body=f"会议议定：{title}，由{_department(code).name}牵头。",
            lead_department=_department(code),
        )

    plan.at(start, 10, register)
    plan.at(start, 14, lambda: matter_sign(by=_user(worker), matter=plan.matters[key]))
    if n % 2 == 0:
        plan.at(
            plan.day(start, 6),
            16,
            lambda: matter_complete(
                by=_user(worker), matter=plan.matters[key], result="已完成会议议定事项。"
            ),
        )


def _drafter(code: str) -> str:
    if code == "office":
        return "office_head"
    return next(worker for dept, worker in DEPARTMENTS if dept == code)


def _plan_request(plan: _Plan, n: int, spec: tuple[str, str, str, bool], start: date) -> None:
    asker, code, title, needs_leader = spec
    key = f"r{n}"
    drafter, head = _drafter(code), _department(code).head

    def ask() -> None:
        plan.matters[key] = matter_ask(
            by=_user(asker),
            title=title,
            body="妥否，请批示。",
            department=None if code == "office" else _department(code),
            to_leaders=code == "office",
            leader=_staff("leader") if needs_leader else None,
        )

    plan.at(start, 9, ask)
    if n >= 12:
        return  # still being drafted
    draft_day = plan.day(start, 6 if n % 4 == 3 else 1 + n % 3)
    plan.at(
        draft_day,
        10,
        lambda: matter_draft(
            by=_user(drafter),
            matter=plan.matters[key],
            reply="经研究，原则同意，请按有关规定组织实施。",
        ),
    )
    head_name = head.user.get_username() if head else drafter
    plan.at(
        draft_day,
        15,
        lambda: matter_signoff(
            by=_user(head_name), matter=plan.matters[key], approve=True, note="同意"
        ),
    )
    if needs_leader or code == "office":
        plan.at(
            plan.day(draft_day, 1),
            11,
            lambda: matter_signoff(
                by=_user("leader"), matter=plan.matters[key], approve=True, note="同意"
            ),
        )
    if n % 3 != 2:
        plan.at(
            plan.day(draft_day, 2),
            9,
            lambda: matter_confirm(by=_user(asker), matter=plan.matters[key]),
        )


def demo_internal_load(*, now: datetime | None = None) -> int:
    """About thirty internal matters over the last two months; returns how many were made."""
    if Matter.objects.exists():
        return 0
    internal_policies_seed()
    now = now or timezone.now()
    today = timezone.localtime(now, office_tz()).date()
    plan = _Plan(today - timedelta(days=62))
    calendar = plan.calendar
    for n, title in enumerate(INSTRUCTIONS):
        plan_day = calendar.add_workdays(today, -(40 - n * 2))
        _plan_instruction(plan, n, title, plan_day)
    for n, (title, ref) in enumerate(MEETINGS):
        _plan_meeting(plan, n, title, ref, calendar.add_workdays(today, -(30 - n * 6)))
    for n, spec in enumerate(REQUESTS):
        _plan_request(plan, n, spec, calendar.add_workdays(today, -(36 - n * 2)))
    plan.run(now)
    return Matter.objects.count()
