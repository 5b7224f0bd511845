"""Two people accept the same pooled case at once: exactly one becomes its first contact."""

from __future__ import annotations

import pytest

from tests.cases.test_concurrency import run_together
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_accept
from xiaoneng.cases.services.public import public_submit
from xiaoneng.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_acceptors_at_once_exactly_one_wins(users, category) -> None:
    case = public_submit(
        kind="inquiry",
        category=category,
        content="网上咨询：转学需要哪些材料？",
        requester_phone="13900000002",
    ).case
    results = run_together(
        lambda: case_accept(case=case, by=users["intake"]),
        lambda: case_accept(case=case, by=users["xiaoneng"]),
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    assert losers[0].code == "illegal_transition"
    case.refresh_from_db()
    assert case.first_contact == winners[0].first_contact
    assert case.events.filter(action="accept").count() == 1
