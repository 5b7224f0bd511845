"""The case engine's fact registry: handlers get the facts of their kinds, in order, once."""

from __future__ import annotations

import pytest

from xiaoneng.cases import facts


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict:
    fresh: dict = {}
    monkeypatch.setattr(facts, "_handlers", fresh)
    return fresh


def test_a_batch_reaches_each_handler_once_with_its_kinds_in_order(registry: dict) -> None:
    seen: list[tuple[str, list[str]]] = []

    def both(batch: list[facts.CaseFact]) -> None:
        seen.append(("both", [fact.key for fact in batch]))

    def red_only(batch: list[facts.CaseFact]) -> None:
        seen.append(("red", [fact.key for fact in batch]))

    facts.on_case_fact([facts.SIGN_FOR_OVERDUE, facts.RED_CARD], both)
    facts.on_case_fact(facts.RED_CARD, red_only)
    facts.on_case_fact(facts.RED_CARD, red_only)  # registered once only

    facts.announce_batch(
        [
            facts.CaseFact(kind=facts.RED_CARD, case=None, key="1"),
            facts.CaseFact(kind=facts.SIGN_FOR_OVERDUE, case=None, key="2"),
            facts.CaseFact(kind=facts.RED_CARD, case=None, key="3"),
            facts.CaseFact(kind=facts.YELLOW_CARD, case=None, key="4"),  # nobody listens
        ]
    )
    assert seen == [("both", ["1", "2", "3"]), ("red", ["1", "3"])]


def test_announce_hands_over_one_fact_and_a_handler_error_propagates(registry: dict) -> None:
    def refuse(batch: list[facts.CaseFact]) -> None:
        assert [(fact.kind, fact.stage) for fact in batch] == [(facts.YELLOW_CARD, "reply")]
        raise RuntimeError("rolled back with the caller")

    facts.on_case_fact(facts.YELLOW_CARD, refuse)
    with pytest.raises(RuntimeError):
        facts.announce(facts.YELLOW_CARD, case=None, stage="reply")


def test_accountability_listens_to_the_engine() -> None:
    from xiaoneng.accountability import case_facts

    for kind in (facts.SIGNED_FOR_LATE, facts.RETURN_REJECTED, facts.REOPENED_AT_FAULT):
        assert case_facts.record_each in facts._handlers[kind]
    for kind in (facts.SIGN_FOR_OVERDUE, facts.RED_CARD):
        assert case_facts.record_batch in facts._handlers[kind]
    assert case_facts.check_unfiled_denial in facts._handlers[facts.YELLOW_CARD]
