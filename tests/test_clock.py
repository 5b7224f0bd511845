"""The simulated present of the demo data (``xiaoneng.clock.at``)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from xiaoneng import clock

MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_block_runs_at_the_moment_and_the_clock_does_not_tick() -> None:
    with clock.at(MOMENT):
        assert timezone.now() == MOMENT
        assert timezone.localdate().isoformat() == "2026-03-02"
        assert timezone.now() == MOMENT
    assert abs(timezone.now() - datetime.now(ZoneInfo("UTC"))) < timedelta(minutes=1)


def test_blocks_nest_and_unwind() -> None:
    later = MOMENT + timedelta(days=1)
    with clock.at(MOMENT):
        with clock.at(later):
            assert timezone.now() == later
        assert timezone.now() == MOMENT


def test_other_threads_keep_the_real_time() -> None:
    seen = []
    with clock.at(MOMENT):
        worker = threading.Thread(target=lambda: seen.append(timezone.now()))
        worker.start()
        worker.join()
    assert seen[0] != MOMENT


@pytest.mark.django_db
def test_auto_now_fields_stamp_the_moment() -> None:
    from tests.factories import AbsenceFactory

    with clock.at(MOMENT):
        absence = AbsenceFactory(starts_at=MOMENT, ends_at=MOMENT + timedelta(days=1))
    absence.refresh_from_db()
    assert absence.created_at == MOMENT


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"), clock.at(datetime(2026, 3, 2, 9, 30)):
        pass
