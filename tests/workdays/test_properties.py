"""Properties of the arithmetic that must hold for every start, length, pause and extension."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from xiaoneng.workdays.periods import Counting, PauseSpan, compute_period

from .official import official_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
days = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))
lengths = st.integers(min_value=0, max_value=120)
countings = st.sampled_from(list(Counting))
moments = st.builds(
    lambda day, minute: datetime.combine(day, time(0), tzinfo=SHANGHAI) + timedelta(minutes=minute),
    days,
    st.integers(min_value=0, max_value=24 * 60 - 1),
)


@given(start=days, n=lengths, count_start=st.booleans())
def test_adding_never_goes_backwards(start: date, n: int, count_start: bool) -> None:
    cal = official_calendar()
    result = cal.add_workdays(start, n, count_start=count_start)
    assert result >= start
    if n >= 1 and not count_start:
        assert result > start
    following = cal.add_workdays(start, n + 1, count_start=count_start)
    assert following >= result
    if n >= 1:
        assert following > result
    assert cal.add_days(start, n, count_start=count_start) >= start


@given(start=days, n=lengths)
def test_add_then_between_is_the_identity(start: date, n: int) -> None:
    cal = official_calendar()
    assert cal.workdays_between(start, cal.add_workdays(start, n)) == n
    # Counting back from a working day is the mirror image.
    if cal.is_workday(start):
        assert cal.workdays_between(cal.add_workdays(start, -n), start) == n


@given(a=days, b=days)
def test_between_then_add_lands_on_the_last_workday(a: date, b: date) -> None:
    cal = official_calendar()
    n = cal.workdays_between(a, b)
    if n > 0:
        # The n-th working day after a is the last working day on or before b.
        assert cal.add_workdays(a, n) == cal.add_workdays(cal.next_workday(b), -1)


pause_lists = st.lists(
    st.tuples(st.integers(min_value=0, max_value=60 * 24 * 60), st.integers(0, 30 * 24 * 60)),
    max_size=4,
)


def _pauses(start: datetime, spec: list[tuple[int, int]]) -> list[PauseSpan]:
    pauses: list[PauseSpan] = []
    cursor = start
    for gap, length in spec:
        begin = cursor + timedelta(minutes=gap)
        end = begin + timedelta(minutes=length)
        pauses.append(PauseSpan(begin, end))
        cursor = end
    return pauses


@settings(max_examples=200)
@given(
    start=moments,
    counting=countings,
    limit=st.integers(1, 60),
    count_start=st.booleans(),
    spec=pause_lists,
)
def test_pauses_never_shorten_a_period(
    start: datetime, counting: Counting, limit: int, count_start: bool, spec: list
) -> None:
    cal = official_calendar()
    common = {"counting": counting, "start": start, "limit": limit, "count_start": count_start}
    plain = compute_period(cal, tz=SHANGHAI, **common)
    paused = compute_period(cal, tz=SHANGHAI, pauses=_pauses(start, spec), **common)
    assert paused.due_at >= plain.due_at
    # Adding one more pause never shortens it either.
    if spec:
        fewer = compute_period(cal, tz=SHANGHAI, pauses=_pauses(start, spec[:-1]), **common)
        assert paused.due_at >= fewer.due_at


@settings(max_examples=200)
@given(
    start=moments,
    counting=countings,
    limit=st.integers(0, 60),
    extension=st.integers(1, 60),
    count_start=st.booleans(),
    spec=pause_lists,
)
def test_an_extension_never_shortens_a_period(
    start: datetime,
    counting: Counting,
    limit: int,
    extension: int,
    count_start: bool,
    spec: list,
) -> None:
    cal = official_calendar()
    common = {
        "counting": counting,
        "start": start,
        "limit": limit,
        "count_start": count_start,
        "pauses": _pauses(start, spec),
        "tz": SHANGHAI,
    }
    base = compute_period(cal, **common)
    extended = compute_period(cal, extension=extension, **common)
    assert extended.due_at >= base.due_at
    if counting in (Counting.WORKDAYS, Counting.HOURS) and limit >= 1:
        assert extended.due_at > base.due_at
