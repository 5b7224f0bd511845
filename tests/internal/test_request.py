"""A school's 请示 answered by 基础教育科 with the head's and the leader's sign-off (审签),
within the 5-working-day limit and beyond it; the asking school confirms receipt."""

from __future__ import annotations

from datetime import date

import pytest

from tests.internal.conftest import YEAR, moment
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.internal.models import Matter, MatterSignal, SignOff
from xiaoneng.internal.selectors import internal_counts
from xiaoneng.internal.services import (
    matter_ask,
    matter_confirm,
    matter_draft,
    matter_signoff,
)
from xiaoneng.internal.sweeps import internal_sweep
from xiaoneng.workdays.deadlines import local_day
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_matter(users, departments, leader, monday) -> Matter:
    return matter_ask(
        by=users["school_handler"],
        title="关于调整课后服务时间的请示",
        body="拟将课后服务结束时间调整为18:00，妥否，请批示。",
        department=departments["basic"],
        leader=leader,
    )


def _answer(users, matter: Matter) -> None:
    matter_draft(by=users["handler_a"], matter=matter, reply="同意调整，请做好家长告知。")
    matter_signoff(by=users["head"], matter=matter, approve=True)
    matter.refresh_from_db()
    assert matter.state == Matter.State.LEADER_REVIEW
    matter_signoff(by=users["leader"], matter=matter, approve=True, note="同意")


def _reply_clock(matter: Matter) -> Clock:
    return Clock.objects.get(owner_type="internal.matter", owner_id=matter.pk, stage="reply")


def test_answered_within_the_limit(users, departments, request_matter, monday) -> None:
    matter = request_matter
    assert matter.state == Matter.State.IN_PROGRESS
    assert matter.asking_unit.code == "school-1"
    assert matter.asking_department is None
    # 5 working days from Monday 5 January: Monday 12 January.
    assert local_day(_reply_clock(matter).due_at) == date(YEAR, 1, 12)
    monday.move_to(moment(date(YEAR, 1, 8)))
    _answer(users, matter)
    matter.refresh_from_db()
    assert matter.state == Matter.State.REPLIED
    assert _reply_clock(matter).state == Clock.State.STOPPED
    assert [s.level for s in SignOff.objects.filter(draft__matter=matter)] == ["head", "leader"]
    with pytest.raises(PermissionDenied):  # only the asking school confirms
        matter_confirm(by=users["handler_a"], matter=matter)
    matter_confirm(by=users["school_head"], matter=matter)
    matter.refresh_from_db()
    assert matter.state == Matter.State.DONE
    counts = internal_counts(start=moment(date(YEAR, 1, 1), 0), end=moment(date(YEAR, 2, 1), 0))
    assert (counts["requests_replied"], counts["requests_on_time"]) == (1, 1)


def test_answered_beyond_the_limit_after_a_returned_draft(
    users, departments, request_matter, monday
) -> None:
    matter = request_matter
    matter_draft(by=users["handler_a"], matter=matter, reply="原则同意。")
    with pytest.raises(PermissionDenied):  # the drafter does not sign off
        matter_signoff(by=users["handler_a"], matter=matter, approve=True)
    with pytest.raises(DomainError):  # returning needs a reason
        matter_signoff(by=users["head"], matter=matter, approve=False)
    matter_signoff(by=users["head"], matter=matter, approve=False, note="请写明安全要求。")
    matter.refresh_from_db()
    assert matter.state == Matter.State.IN_PROGRESS
    # Tuesday 13 January: the limit passed; the sweep raised the yellow card.
    late = moment(date(YEAR, 1, 13))
    assert internal_sweep(now=late).raised["yellow"] == 1
    assert MatterSignal.objects.filter(matter=matter, level="yellow").exists()
    monday.move_to(late)
    matter_draft(by=users["handler_b"], matter=matter, reply="同意调整，须做好安全保障和家长告知。")
    matter_signoff(by=users["head"], matter=matter, approve=True)
    with pytest.raises(PermissionDenied):  # not a leader
        matter_signoff(by=users["xiaoneng"], matter=matter, approve=True)
    matter_signoff(by=users["leader"], matter=matter, approve=True)
    matter.refresh_from_db()
    assert matter.state == Matter.State.REPLIED
    assert "replied_late" in [e.action for e in matter.events.all()]
    assert matter.drafts.count() == 2
    counts = internal_counts(start=moment(date(YEAR, 1, 1), 0), end=moment(date(YEAR, 2, 1), 0))
    assert (counts["requests_replied"], counts["requests_on_time"]) == (1, 0)


def test_a_request_without_leader_is_replied_on_the_heads_sign_off(
    users, departments, monday
) -> None:
    matter = matter_ask(
        by=users["school_handler"],
        title="关于借用体育场地的请示",
        body="请批准",
        department=departments["basic"],
    )
    matter_draft(by=users["handler_a"], matter=matter, reply="同意。")
    matter_signoff(by=users["head"], matter=matter, approve=True)
    matter.refresh_from_db()
    assert matter.state == Matter.State.REPLIED
    with pytest.raises(DomainError):  # a department does not ask itself
        matter_ask(by=users["head"], title="x", body="y", department=departments["basic"])
