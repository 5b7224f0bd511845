"""The demo bureau copied from the recording is the bureau a build makes, row for row."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests import demo_snapshot
from xiaoneng.org.models import User


def test_a_copied_bureau_is_the_built_one(db, monkeypatch) -> None:
    monkeypatch.setattr(demo_snapshot, "_recordings", {})
    empty = demo_snapshot._read_all()
    savepoint = transaction.savepoint()
    assert demo_snapshot.load_demo_bureau() == "recorded"
    built = demo_snapshot._read_all()
    transaction.savepoint_rollback(savepoint)
    assert demo_snapshot._read_all() == empty
    assert demo_snapshot.load_demo_bureau() == "copied"
    assert demo_snapshot._read_all() == built
    # The next rows get keys of their own.
    User.objects.create(username="after-the-copy")


def test_another_starting_state_is_recorded_apart(db, monkeypatch) -> None:
    monkeypatch.setattr(demo_snapshot, "_recordings", {})
    User.objects.create(username="before-the-bureau")
    assert demo_snapshot.load_demo_bureau() == "recorded"
    assert User.objects.filter(username="head").exists()


@pytest.mark.django_db(transaction=True)
def test_tests_that_commit_build_the_bureau() -> None:
    assert demo_snapshot.load_demo_bureau() == "built"
    assert User.objects.filter(username="head").exists()


def test_a_copied_history_is_the_recorded_one(demo_org, monkeypatch) -> None:
    """The seeded demo history is recorded and copied the same way, apart from the bureau."""
    from xiaoneng.cases.models import Case

    monkeypatch.setattr(demo_snapshot, "_recordings", {})
    bureau = demo_snapshot._read_all()
    savepoint = transaction.savepoint()
    assert demo_snapshot.load_demo_history(cases=4, days=20, seed=5) == "recorded"
    built = demo_snapshot._read_all()
    assert Case.objects.count() == 4
    transaction.savepoint_rollback(savepoint)
    assert demo_snapshot._read_all() == bureau
    assert demo_snapshot.load_demo_history(cases=4, days=20, seed=5) == "copied"
    assert demo_snapshot._read_all() == built
    assert demo_snapshot.load_demo_history(cases=2, days=20, seed=5) == "recorded"
    assert Case.objects.count() == 4 + 2


def test_copied_guides_are_the_built_ones(demo_org, monkeypatch) -> None:
    """The demo's service guides are recorded on top of the bureau and copied the same way."""
    from xiaoneng.catalog.guides import ServiceItem

    monkeypatch.setattr(demo_snapshot, "_recordings", {})
    bureau = demo_snapshot._read_all()
    savepoint = transaction.savepoint()
    assert demo_snapshot.load_demo_guides() == "recorded"
    built = demo_snapshot._read_all()
    assert ServiceItem.objects.filter(code="teacher-cert").exists()
    transaction.savepoint_rollback(savepoint)
    assert demo_snapshot._read_all() == bureau
    assert demo_snapshot.load_demo_guides() == "copied"
    assert demo_snapshot._read_all() == built


def test_a_travelling_test_copies_only_a_recording_of_its_own_minute(db, monkeypatch) -> None:
    """Under time-machine the bureau is copied when a test travelled to the same minute, and
    recorded anew for another minute or for an earlier moment than the recording's."""
    from datetime import UTC, datetime

    import time_machine

    monkeypatch.setattr(demo_snapshot, "_recordings", {})
    empty = demo_snapshot._read_all()

    def load_at(moment: datetime) -> tuple[str, dict]:
        savepoint = transaction.savepoint()
        with time_machine.travel(moment, tick=False):
            outcome = demo_snapshot.load_demo_bureau()
        rows = demo_snapshot._read_all()
        transaction.savepoint_rollback(savepoint)
        assert demo_snapshot._read_all() == empty
        return outcome, rows

    at_noon = datetime(2026, 3, 4, 4, 0, 30, tzinfo=UTC)
    first, built = load_at(at_noon)
    assert first == "recorded"
    again, copied = load_at(at_noon)
    assert (again, copied) == ("copied", built)
    # Earlier in the same minute: the recorded rows would lie in this test's future.
    assert load_at(at_noon.replace(second=10))[0] == "recorded"
    assert load_at(at_noon.replace(minute=1))[0] == "recorded"
    # Without travelling, the same state is recorded apart as well.
    assert demo_snapshot.load_demo_bureau() == "recorded"
