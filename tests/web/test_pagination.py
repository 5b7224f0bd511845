"""web.pagination: keyset pages over (moment, id) and the two cursor spellings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.org.models import User
from xiaoneng.web.pagination import (
    Key,
    first_rows,
    key_of,
    keyset,
    opaque_cursor,
    parse_opaque_cursor,
    parse_plain_cursor,
    plain_cursor,
)


def test_cursors_round_trip_and_refuse_strangers() -> None:
    key = Key(timezone.now().replace(microsecond=0), 42)
    assert parse_plain_cursor(plain_cursor(key)) == key
    assert parse_opaque_cursor(opaque_cursor(key)) == key
    assert plain_cursor(key).endswith("|42")
    for text in ("", "nonsense", "2026-01-01T00:00:00|x", "|5"):
        assert parse_plain_cursor(text) is None
    for text in ("", "nonsense!", opaque_cursor(key)[:-3], "WyJ4IiwgMV0"):
        assert parse_opaque_cursor(text) is None


@pytest.mark.django_db
def test_pages_follow_each_other_without_gaps_or_repeats() -> None:
    at = timezone.now()
    for number in range(7):
        # Two rows share each moment: the id breaks the tie.
        User.objects.create(
            username=f"page{number}", date_joined=at - timedelta(minutes=number // 2)
        )
    rows = User.objects.filter(username__startswith="page")
    for descending in (True, False):
        seen: list[int] = []
        after = None
        while True:
            ordered = keyset(rows, column="date_joined", descending=descending, after=after)
            page, more = first_rows(ordered, 3)
            seen += [row.pk for row in page]
            if not more:
                break
            after = parse_plain_cursor(plain_cursor(key_of(page[-1], "date_joined")))
        expected = rows.order_by(
            *(("-date_joined", "-pk") if descending else ("date_joined", "pk"))
        )
        assert seen == [row.pk for row in expected]
        assert len(seen) == 7
