"""Item 6 of issue 19: the time-limit policy of every channel × kind, and the name the public
reads on the case's deadline explanation."""

from __future__ import annotations

import pytest

from xiaoneng.cases.models import Channel, Kind
from xiaoneng.cases.policies import policy_code_for
from xiaoneng.cases.services import case_register
from xiaoneng.portal.selectors import tracked_case, tracking_view
from xiaoneng.workdays.explain import explain_clock

QUICK = {Kind.INQUIRY, Kind.HELP, Kind.PRAISE}

# channel -> the policy for a quick matter, a complaint-like matter, and an application.
TABLE = {
    Channel.PHONE: ("bureau-consult", "bureau-complaint", "admin-licence"),
    Channel.LETTER: ("bureau-consult", "bureau-complaint", "admin-licence"),
    Channel.VISIT: ("bureau-consult", "bureau-complaint", "admin-licence"),
    Channel.ONLINE: ("bureau-consult", "bureau-complaint", "admin-licence"),
    Channel.OPEN311: ("bureau-consult", "bureau-complaint", "admin-licence"),
    Channel.API: ("bureau-consult", "bureau-complaint", "admin-licence"),
    Channel.SUPERIOR: ("bureau-consult", "bureau-complaint", "admin-licence"),
    Channel.HOTLINE: ("hotline-consult", "hotline-complaint", "admin-licence"),
    Channel.EFFICIENCY_OFFICE: ("efficiency-referral",) * 3,
    Channel.SUPERVISION: ("efficiency-referral",) * 3,
    Channel.PETITION: ("petition",) * 3,
    Channel.DEPUTY: ("deputy-proposal",) * 3,
    Channel.CPPCC: ("deputy-proposal",) * 3,
}


def expected(channel: Channel, kind: Kind) -> str:
    quick, complaint, application = TABLE[channel]
    if kind == Kind.APPLICATION:
        return application
    return quick if kind in QUICK else complaint


def test_the_table_covers_every_channel() -> None:
    assert set(TABLE) == set(Channel)


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("channel", list(Channel))
def test_policy_for_every_channel_and_kind(channel, kind) -> None:
    assert policy_code_for(channel=channel, kind=kind) == expected(channel, kind)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("channel", "kind"),
    [
        (Channel.PHONE, Kind.COMPLAINT),
        (Channel.VISIT, Kind.INQUIRY),
        (Channel.HOTLINE, Kind.COMPLAINT),
        (Channel.PETITION, Kind.COMPLAINT),
        (Channel.DEPUTY, Kind.SUGGESTION),
    ],
)
def test_registered_case_runs_on_it_and_the_public_is_told(users, category, channel, kind):
    registered = case_register(
        by=users["intake"],
        channel=channel,
        kind=kind,
        category=category,
        content="群众反映情况",
        requester_phone="13900000003",
    )
    case = registered.case
    code = expected(channel, kind)
    assert case.policy_version.policy.code == code
    from xiaoneng.cases import clocks

    explanation = explain_clock(clocks.current(case=case, stage=clocks.REPLY))
    assert explanation.policy_code == code
    assert explanation.policy_name == case.policy_version.policy.name
    if channel == Channel.PHONE:
        assert "12345" not in explanation.policy_name
    # The public track page names the same policy in its deadline explanation.
    lines = " ".join(str(line) for line in tracking_view(tracked_case(case.pk)).due_lines)
    assert case.policy_version.policy.name in lines
