"""A complaint made again after a reply raises one alert (not one per sweep), linked to the
earlier case, to the efficiency office and the unit's head; three on a matter make a hotspot."""

from __future__ import annotations

import pytest

from tests.triage.conftest import committed
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import (
    case_dispatch,
    case_register,
    case_reply,
    case_review_reply,
    case_sign_for,
)
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Unit
from xiaoneng.triage.models import RepeatAlert
from xiaoneng.triage.services import repeats_sweep

pytestmark = pytest.mark.django_db

TEXT = "第二中学门口每天放学时流动摊贩占道卖三无食品，孩子买了吃坏肚子，希望管一管。"


def _complain(text: str, phone: str, school: str | None = "school-2") -> Case:
    # Triage reads an arrived case once its registration has committed.
    with committed():
        return case_register(
            by=None,
            channel="online",
            kind="complaint",
            category=Category.objects.get(code="surroundings"),
            title=text[:16],
            content=text,
            unit_concerned=Unit.objects.get(code=school) if school else None,
            requester_phone=phone,
        ).case


def _replied(users, bureau_departments, case: Case) -> Case:
    case = case_dispatch(case=case, by=users["xiaoneng"], lead=bureau_departments["basic"])
    case = case_sign_for(case=case, by=users["handler_a"])
    case = case_reply(case=case, by=users["handler_a"], text="已联系城管部门清理。")
    if case.reply_pending_review:
        case = case_review_reply(case=case, by=users["head"], approve=True)
    assert case.replied_at is not None
    return case


def test_a_repeat_after_a_reply_raises_one_alert(users, bureau_departments) -> None:
    # Sent to the bureau's pool (no school chosen): its leader is the unit's head.
    first = _replied(users, bureau_departments, _complain(TEXT, "13811112222", None))
    again = _complain("上次反映的门口流动摊贩又回来了，还是卖三无食品。", "13811112222", None)
    alert = RepeatAlert.objects.get(case=again)
    assert alert.earlier_id == first.pk
    assert alert.reason == RepeatAlert.Reason.PERSON
    told = Notification.objects.filter(kind="triage.repeat", channel="inbox")
    recipients = set(told.values_list("recipient_user__username", flat=True))
    assert {"xiaoneng", "leader"} <= recipients
    count = told.count()
    assert repeats_sweep() == 0
    assert repeats_sweep() == 0
    assert RepeatAlert.objects.filter(case=again).count() == 1
    assert told.count() == count


def test_the_same_matter_from_another_person_counts_and_three_make_a_hotspot(
    users, bureau_departments
) -> None:
    first = _replied(users, bureau_departments, _complain(TEXT, "13811112222"))
    second = _complain("第二中学门口放学时有流动摊贩占道卖三无食品，学生买来吃。", "13933334444")
    alert = RepeatAlert.objects.get(case=second)
    assert alert.reason == RepeatAlert.Reason.MATTER
    assert alert.root_id == first.pk
    assert not alert.hotspot
    third = _complain("第二中学门口放学流动摊贩卖三无食品，还是没人管。", "13655556666")
    assert RepeatAlert.objects.get(case=third).hotspot


def test_no_alert_without_a_reply_or_for_another_matter(users, bureau_departments) -> None:
    _complain(TEXT, "13811112222")  # Not replied yet.
    _complain(TEXT, "13811112222")
    assert not RepeatAlert.objects.exists()
    _replied(users, bureau_departments, Case.objects.order_by("pk").first())
    _complain("第二中学今年的教辅资料费收得太多了。", "13700000000")
    assert not RepeatAlert.objects.exists()


def test_the_sweep_catches_up_with_a_case_the_hook_missed(users, bureau_departments) -> None:
    from xiaoneng.triage.models import Suggestion

    first = _replied(users, bureau_departments, _complain(TEXT, "13811112222"))
    again = _complain("第二中学门口流动摊贩又来了。", "13811112222")
    RepeatAlert.objects.all().delete()
    Suggestion.objects.filter(case=again).delete()
    assert repeats_sweep() == 1
    assert repeats_sweep() == 0
    assert RepeatAlert.objects.get(case=again).earlier_id == first.pk


def test_a_repeat_inside_a_batch_is_found_as_alone(users, bureau_departments) -> None:
    """The reading of many arrivals at once (``cases_arrived``: one query for the replied
    cases of all of them) finds what each case's own check finds."""
    from xiaoneng.triage.services import cases_arrived

    first = _replied(users, bureau_departments, _complain(TEXT, "13811112222", None))
    other = _replied(
        users, bureau_departments, _complain("第二中学今年的教辅资料费收得太多了。", "13700000000")
    )
    arrived = [
        case_register(
            by=None,
            channel="online",
            kind="complaint",
            category=Category.objects.get(code="surroundings"),
            title=text[:16],
            content=text,
            requester_phone=phone,
        ).case
        for text, phone in (
            ("上次反映的门口流动摊贩又回来了，还是卖三无食品。", "13811112222"),
            ("区里的体育场馆周末不开放。", "13500000000"),
            ("教辅资料费的事还是没有退。", "13700000000"),
        )
    ]
    cases_arrived(cases=arrived)
    alerts = {alert.case_id: alert for alert in RepeatAlert.objects.all()}
    assert alerts[arrived[0].pk].earlier_id == first.pk
    assert arrived[1].pk not in alerts
    assert alerts[arrived[2].pk].earlier_id == other.pk
    assert all(alert.reason == RepeatAlert.Reason.PERSON for alert in alerts.values())
