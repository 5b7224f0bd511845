"""Demo campus safety, made through the services with the clock set to the past moments: duty
rosters of 安全稳定科 (the bureau) and 第一中学 for the coming weeks including the next official
holiday, three closed past incidents with their reports, alerts, an escalation and the
acknowledgements, the bureau's drill requirements, and plans and drills of every school with
one school behind. Idempotent: a second run changes nothing."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from xiaoneng import clock
from xiaoneng.emergencies.models import Alert, DrillRequirement, DutyShift, Incident, ReportKind
from xiaoneng.emergencies.selectors_drills import term_of
from xiaoneng.emergencies.services import (
    alert_acknowledge,
    incident_end_response,
    incident_report,
    report_send,
)
from xiaoneng.emergencies.services.drills import drill_record, plan_add, requirement_set
from xiaoneng.emergencies.services.rosters import FILL_ALL, FILL_DAYS_OFF, roster_fill
from xiaoneng.emergencies.sweeps import emergencies_sweep
from xiaoneng.org.models import Staff, Unit, User
from xiaoneng.workdays.arithmetic import DayKind
from xiaoneng.workdays.calendar import get_calendar

# (unit code, reporter, days ago, type, grade, title, place, what happened, injured)
INCIDENTS = [
    (
        "school-1",
        "school_handler",
        75,
        "food_safety",
        "3",
        "午餐后多名学生腹痛呕吐",
        "学校食堂",
        "午餐后12名学生出现腹痛、呕吐，已送市人民医院观察。",
        12,
    ),
    (
        "school-2",
        "s2_intake",
        40,
        "accident",
        "4",
        "体育课学生摔倒骨折",
        "田径场",
        "体育课跳远时一名学生摔倒，右臂骨折，已送医。",
        1,
    ),
    (
        "school-exp",
        "sexp_intake",
        20,
        "natural_disaster",
        "4",
        "暴雨致教学楼一楼进水",
        "教学楼一楼",
        "凌晨暴雨，教学楼一楼走廊进水约10厘米，无人员伤亡。",
        0,
    ),
]

# Each school's drills this term: (type, days after the term began); 职业技术学校 is behind.
DRILLS = [("evacuation", 12), ("fire", 40), ("evacuation", 70)]
BEHIND = "school-voc"


def _staff(username: str) -> Staff:
    return Staff.objects.select_related("user", "unit").get(user__username=username)


def _at(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _next_holiday_end(today: date) -> date:
    """The last day of the next official holiday within 90 days (else 5 weeks ahead)."""
    calendar = get_calendar()
    day = today
    for _n in range(90):
        if calendar.day_kind(day) == DayKind.HOLIDAY:
            while calendar.day_kind(day + timedelta(days=1)) == DayKind.HOLIDAY:
                day += timedelta(days=1)
            return day
        day += timedelta(days=1)
    return today + timedelta(days=35)


def _rosters(users: dict[str, User], today: date) -> None:
    bureau, school = Unit.objects.get(code="bureau"), Unit.objects.get(code="school-1")
    if DutyShift.objects.filter(unit=bureau, day__gte=today).exists():
        return
    end = min(
        max(_next_holiday_end(today) + timedelta(days=3), today + timedelta(days=35)),
        today + timedelta(days=90),
    )
    # From yesterday: a night shift covers the small hours of the next day, so a demo loaded
    # just after midnight has someone on duty now.
    start = today - timedelta(days=1)
    roster_fill(
        by=users["safety_head"],
        unit=bureau,
        start=start,
        end=end,
        days=FILL_ALL,
        day_people=[_staff("safety_a"), _staff("safety_b")],
        night_people=[_staff("safety_b"), _staff("safety_head"), _staff("safety_a")],
    )
    roster_fill(
        by=users["school_head"],
        unit=school,
        start=start,
        end=end,
        days=FILL_DAYS_OFF,
        day_people=[_staff("school_handler"), _staff("school_handler_b")],
        night_people=[_staff("school_handler_b"), _staff("school_head")],
    )


def _incident(users: dict[str, User], now: datetime, row: tuple) -> None:
    code, reporter, days, type, grade, title, place, what, injured = row
    if Incident.objects.filter(title=title).exists():
        return
    found = _at(now - timedelta(days=days)).replace(hour=12, minute=30)
    with clock.at(found + timedelta(minutes=25)):
        incident = incident_report(
            by=users[reporter],
            unit=Unit.objects.get(code=code),
            type=type,
            grade=grade,
            title=title,
            occurred_at=found - timedelta(minutes=20),
            discovered_at=found,
            place=place,
            what_happened=what,
            measures="已启动学校应急预案，通知家长，报告教育局。",
            contact_phone="13800000000",
            injured=injured,
        )
    for alert in incident.alerts.select_related("recipient__user").filter(line=Alert.Line.UNIT):
        with clock.at(found + timedelta(minutes=30)):
            alert_acknowledge(alert=alert, by=alert.recipient.user)
    # The first incident: the A holder misses the alert, the sweep passes it to the B holder.
    if code == "school-1":
        with clock.at(found + timedelta(minutes=36)) as moment:
            emergencies_sweep(now=moment)
    pending = incident.alerts.select_related("recipient__user").filter(state=Alert.State.PENDING)
    for alert in pending:
        with clock.at(found + timedelta(minutes=38)):
            alert_acknowledge(alert=alert, by=alert.recipient.user)
    with clock.at(found + timedelta(hours=20)):
        report_send(
            incident=incident,
            kind=ReportKind.PROGRESS,
            by=users[reporter],
            situation="情况稳定，相关人员已得到妥善处置。",
            injured=injured,
            dead=0,
            missing=0,
        )
    with clock.at(found + timedelta(days=1, hours=2)):
        incident_end_response(incident=incident, by=users[reporter])
    with clock.at(found + timedelta(days=4)):
        report_send(
            incident=incident,
            kind=ReportKind.FINAL,
            by=users[reporter],
            situation="应急处置结束，受影响学生均已恢复。",
            injured=injured,
            dead=0,
            missing=0,
            causes="经调查，事件原因已查明并形成书面材料。",
            lessons="完善日常巡查和应急处置流程，开展专题安全教育。",
        )


def _plan_file(unit: Unit) -> SimpleUploadedFile:
    document = Document()
    document.add_heading(f"{unit.name}突发事件总体应急预案", level=1)
    document.add_paragraph("一、总则  二、组织机构与职责  三、预警与报告  四、应急响应  五、善后")
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("总体应急预案.docx", buffer.getvalue())


def _school_records(users: dict[str, User], today: date) -> None:
    if DrillRequirement.objects.exists():
        return
    term = term_of(today)
    start = timezone.make_aware(datetime.combine(term.start, time(9)))
    with clock.at(min(start, timezone.now())):
        requirement_set(by=users["xiaoneng"], type="evacuation", per="term", minimum=2)
        requirement_set(by=users["xiaoneng"], type="fire", per="year", minimum=1)
    for school in Unit.objects.filter(kind=Unit.Kind.SCHOOL).order_by("sort_order", "id"):
        with clock.at(min(start, timezone.now())):
            plan = plan_add(
                by=users["safety_a"],
                unit=school,
                title=f"{school.short_name or school.name}突发事件总体应急预案",
                type="overall",
                version=f"{term.start.year}版",
                approved_on=term.start - timedelta(days=10),
                approved_by="校长办公会",
                document=_plan_file(school),
            )
        drills = DRILLS[:1] if school.code == BEHIND else DRILLS
        for type, offset in drills:
            held = min(term.start + timedelta(days=offset), today)
            with clock.at(timezone.make_aware(datetime.combine(held, time(16)))):
                drill_record(
                    by=users["safety_a"],
                    unit=school,
                    held_on=held,
                    type=type,
                    participants=600,
                    evaluation="全员参与，疏散路线清晰，用时符合要求；个别班级集合偏慢，已整改。",
                    plan=plan,
                )


def demo_emergencies_load(*, now: datetime | None = None) -> None:
    """Create whatever part of the demo campus-safety data is missing."""
    now = now or timezone.now()
    users = {user.username: user for user in User.objects.all()}
    today = timezone.localdate(now)
    for row in INCIDENTS:
        _incident(users, now, row)
    _rosters(users, today)
    _school_records(users, today)
