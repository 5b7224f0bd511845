"""The dashboard's figures of triage, computed in assessment: the suggestion's accuracy and the
return rate of followed vs overridden dispatches, each number opening exactly the cases it
counts; and the repeat-complaint alerts counted in the repeat-complaint metric."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.triage.conftest import committed
from tests.triage.test_repeats import TEXT, _complain, _replied
from xiaoneng.assessment.models import RepeatComplaint
from xiaoneng.assessment.rollups import rollups_apply_all
from xiaoneng.assessment.routing_figures import ROUTING_COUNTED, routing_figures
from xiaoneng.assessment.selectors import Period, scorecard
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import (
    case_decide_return,
    case_dispatch,
    case_register,
    case_request_return,
    case_sign_for,
)
from xiaoneng.org.models import Unit
from xiaoneng.triage.models import RepeatAlert, Suggestion
from xiaoneng.triage.services import repeats_sweep

pytestmark = pytest.mark.django_db

FEES = "学校违规收取资料费和校服费，收费没有公示"


def _fees_case(n: int) -> Case:
    with committed():
        return case_register(
            by=None,
            channel="online",
            kind="complaint",
            category=Category.objects.get(code="fees"),
            title=f"乱收费{n}",
            content=FEES,
            requester_phone=f"1391111{n:04d}",
        ).case


def _today() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=1), today)


@pytest.fixture
def dispatched(users, bureau_departments) -> dict[str, Case]:
    """Three fee complaints (the suggestion: 财务科): one dispatched as suggested; one to
    基础教育科, returned and sent to 财务科; one to 基础教育科, kept there."""
    finance, basic = bureau_departments["finance"], bureau_departments["basic"]
    followed, returned, kept = _fees_case(1), _fees_case(2), _fees_case(3)
    assert {s.top_id for s in Suggestion.objects.all()} == {finance.pk}
    case_dispatch(case=followed, by=users["xiaoneng"], lead=finance)
    for case in (returned, kept):
        case_dispatch(case=case, by=users["xiaoneng"], lead=basic)
    returned = case_sign_for(case=Case.objects.get(pk=returned.pk), by=users["handler_a"])
    case_request_return(case=returned, by=users["handler_a"], reason="非本科室职责", basis="三定")
    case_decide_return(
        case=Case.objects.get(pk=returned.pk),
        by=users["xiaoneng"],
        accept=True,
        new_lead=finance,
        note="属财务科职责",
    )
    return {"followed": followed, "returned": returned, "kept": kept}


EXPECTED = {
    "suggested": {"followed", "returned", "kept"},
    "accurate": {"followed", "returned"},
    "followed": {"followed"},
    "followed_returned": set(),
    "overridden": {"returned", "kept"},
    "overridden_returned": {"returned"},
}


def test_accuracy_and_return_rates_are_computed_once_in_assessment(dispatched) -> None:
    figures = routing_figures(_today())
    assert figures.counts == {name: len(cases) for name, cases in EXPECTED.items()}
    assert figures.accuracy == 66.7
    assert figures.followed_return_rate == 0.0
    assert figures.overridden_return_rate == 50.0
    # Another unit's dispatches are not the bureau's; an earlier period has none.
    school = Unit.objects.get(code="school-1")
    assert routing_figures(_today(), unit_id=school.pk).counts["suggested"] == 0
    earlier = Period(_today().start - timedelta(days=40), _today().start - timedelta(days=30))
    assert routing_figures(earlier).accuracy is None


def test_each_number_on_the_dashboard_opens_exactly_the_cases_it_counts(
    dispatched, client, demo_password
) -> None:
    assert client.login(username="leader", password=demo_password)
    period = _today()
    query = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    page = client.get(reverse("assessment:dashboard"), query)
    body = page.content.decode()
    assert 'data-testid="routing-figures"' in body
    figures = page.context["routing"]
    for name in ROUTING_COUNTED:
        link = figures.links[name]
        assert f'href="{link.replace("&", "&amp;")}" data-count="{figures.counts[name]}"' in body
        listing = client.get(link)
        assert listing.status_code == 200
        assert listing.context["total"] == figures.counts[name]
        shown = {case.pk for case in listing.context["cases"]}
        assert shown == {dispatched[key].pk for key in EXPECTED[name]}, name


def test_a_department_head_sees_no_routing_figures(dispatched, client, demo_password) -> None:
    assert client.login(username="head", password=demo_password)
    page = client.get(reverse("assessment:dashboard"))
    assert page.status_code == 200
    assert page.context["routing"] is None


def test_a_bad_routing_filter_is_ignored_not_a_500(dispatched, client, demo_password) -> None:
    assert client.login(username="xiaoneng", password=demo_password)
    page = client.get(reverse("office:case_list"), {"routing": "nonsense", "date_from": "x"})
    assert page.status_code == 200
    # Without the figure's period the list opens nothing rather than everything.
    page = client.get(reverse("office:case_list"), {"routing": "followed"})
    assert page.status_code == 200
    assert page.context["total"] == 0


def test_a_repeat_alert_counts_in_the_repeat_complaint_metric(users, bureau_departments) -> None:
    first = _replied(users, bureau_departments, _complain(TEXT, "13811112222"))
    # Another person, about the same matter at the same school: not the phone-and-category
    # rule's repeat, only triage's. Its reading missed (the process stopped after the commit).
    second = case_register(
        by=None,
        channel="online",
        kind="complaint",
        category=Category.objects.get(code="surroundings"),
        title="门口摊贩",
        content="第二中学门口放学时有流动摊贩占道卖三无食品，学生买来吃。",
        unit_concerned=Unit.objects.get(code="school-2"),
        requester_phone="13933334444",
    ).case
    rollups_apply_all()
    assert scorecard(_today()).figures.repeat == 0
    # The sweep raises the alert later; its timeline event brings the case back to the rollups.
    assert repeats_sweep() == 1
    assert RepeatAlert.objects.get(case=second).earlier_id == first.pk
    rollups_apply_all()
    assert scorecard(_today()).figures.repeat == 1
    assert RepeatComplaint.objects.get(case=second).earlier_id == first.pk


def test_the_repeat_number_opens_the_alerted_case(
    users, bureau_departments, client, demo_password
) -> None:
    _replied(users, bureau_departments, _complain(TEXT, "13811112222"))
    second = _complain("第二中学门口放学时有流动摊贩占道卖三无食品，学生买来吃。", "13933334444")
    assert RepeatAlert.objects.filter(case=second).exists()
    rollups_apply_all()
    assert client.login(username="leader", password=demo_password)
    period = _today()
    query = {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}
    page = client.get(reverse("assessment:dashboard"), query)
    assert page.context["card"].figures.repeat == 1
    listing = client.get(page.context["links"]["repeat"])
    assert listing.context["total"] == 1
    assert [case.pk for case in listing.context["cases"]] == [second.pk]
