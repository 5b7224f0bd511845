"""The demo: one finished round with results and two typical cases, loaded twice."""

from __future__ import annotations

import pytest

from xiaoneng.accountability.demo import demo_accountability_load
from xiaoneng.demo.showcase import demo_showcase_load
from xiaoneng.evaluation.demo import demo_evaluation_load
from xiaoneng.evaluation.models import Response, Round, TypicalCase
from xiaoneng.evaluation.selectors import round_ranking

pytestmark = pytest.mark.django_db


def test_demo_round_and_typical_cases(demo_org) -> None:
    demo_showcase_load()
    demo_accountability_load()
    demo_evaluation_load()
    round_ = Round.objects.get(state=Round.State.APPROVED)
    ranking = round_ranking(round_)
    assert len(ranking) == 5
    assert sum(r.rank is not None for r in ranking) == 4  # one school has too few answers
    assert set(TypicalCase.objects.values_list("kind", "state")) == {
        ("typical", "published"),
        ("good", "published"),
    }
    counts = (Round.objects.count(), Response.objects.count(), TypicalCase.objects.count())
    demo_evaluation_load()
    assert (Round.objects.count(), Response.objects.count(), TypicalCase.objects.count()) == counts
