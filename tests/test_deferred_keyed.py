"""``deferred.insert_keyed``: the rows go in as ``save``/``bulk_create`` would write them, with
their keys and saved state set, in one statement below ``COPY_FROM`` rows (a written
``INSERT … RETURNING`` on PostgreSQL) and by ``COPY`` from there on."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from xiaoneng.deferred import COPY_FROM, insert_keyed
from xiaoneng.emergencies.models import Alert
from xiaoneng.workdays.models import Clock

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def _clock(n: int, **extra: object) -> Clock:
    return Clock(
        owner_type="case",
        owner_id=1000 + n,
        stage=Clock.Stage.REPLY,
        counting="workdays",
        limit=5 + n,
        started_at=AT,
        due_at=AT + timedelta(days=7, minutes=n),
        **extra,
    )


def _stored(clock: Clock) -> dict[str, object]:
    fields = [f.attname for f in Clock._meta.concrete_fields]
    return Clock.objects.filter(pk=clock.pk).values(*fields).get()


def _mine(clock: Clock) -> dict[str, object]:
    return {f.attname: getattr(clock, f.attname) for f in Clock._meta.concrete_fields}


def test_no_receiver_listens_to_the_models_inserted_this_way() -> None:
    """A written statement sends no model signal, as ``bulk_create`` sends none; the single
    row used to go through ``save()``, which would. Nothing listens to these models: a
    receiver added later must be called by the service itself, not by the save."""
    for model in (Clock, Alert):
        assert not pre_save.has_listeners(model)
        assert not post_save.has_listeners(model)


@pytest.mark.parametrize("count", [1, 2, COPY_FROM])
def test_rows_are_stored_as_built_with_their_keys(count: int) -> None:
    clocks = [_clock(n) for n in range(count)]
    clocks[0].closing_time = time(17, 30)  # a field Django prepares (not taken as it is)
    clocks[0].state = Clock.State.PAUSED  # a choices member, stored as its value
    with CaptureQueriesContext(connection) as queries:
        insert_keyed(Clock, clocks)
    keys = [clock.pk for clock in clocks]
    assert None not in keys
    assert len(set(keys)) == count
    for clock in clocks:
        assert not clock._state.adding
        assert clock._state.db == connection.alias
        # auto_now_add / auto_now were set on the instance, as save() sets them.
        assert clock.created_at is not None
        assert clock.updated_at is not None
        assert _stored(clock) == _mine(clock)
    if connection.vendor == "postgresql" and count < COPY_FROM:
        # One statement (from COPY_FROM on, the keys' draw and a COPY the capture misses).
        [insert] = queries.captured_queries
        assert "RETURNING" in insert["sql"]


def test_the_keys_follow_the_rows_order() -> None:
    clocks = [_clock(n) for n in range(5)]
    insert_keyed(Clock, clocks)
    for clock in clocks:
        assert Clock.objects.get(pk=clock.pk).owner_id == clock.owner_id


def test_an_unsaved_related_row_is_refused_as_bulk_create_refuses_it() -> None:
    from xiaoneng.org.models import Unit

    with pytest.raises(ValueError, match="unsaved related object"):
        insert_keyed(Clock, [_clock(0, unit=Unit(name="nowhere"))])
    assert not Clock.objects.filter(owner_id=1000).exists()
