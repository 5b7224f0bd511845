"""The case list's text search (bigram index on PostgreSQL, LIKE on SQLite) and its unit and
department pickers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoneng.cases.models import Case
from xiaoneng.cases.selectors_search import case_text_matches, text_bigrams

pytestmark = pytest.mark.django_db


def test_bigrams_as_the_index_makes_them() -> None:
    assert text_bigrams("收费") == ["收费"]
    assert text_bigrams("择校费") == ["择校", "校费"]
    assert text_bigrams("It's A") == ["'s", "it", "t'"]  # lower-cased, none across a space
    assert text_bigrams("费") == []


def _found(text: str) -> set[int]:
    return set(Case.objects.filter(case_text_matches(text)).values_list("pk", flat=True))


def test_search_matches_exactly_what_like_matches(make_case) -> None:
    fee = make_case(title="违规收取择校费", content="家长反映学校违规收取择校费。")
    food = make_case(title="食堂饭菜质量差", content="学生反映食堂饭菜不新鲜。Canteen's rice")
    # Every bigram of 费择 is in `fee` (费 and 择 both occur), but never side by side.
    assert _found("择校") == {fee.pk}
    assert _found("收费") == set()
    assert _found("费择") == set()
    assert _found("食堂饭菜") == {food.pk}
    assert _found("CANTEEN'S") == {food.pk}  # any case, a quote inside
    assert _found("反映") == {fee.pk, food.pk}
    assert _found("费") == {fee.pk}  # one character: LIKE alone
    assert _found(fee.number) == {fee.pk}
    assert _found(food.tracking_code.lower()) == {food.pk}
    assert _found("择校 费") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_search_uses_the_bigram_index(make_case) -> None:
    make_case(title="违规收取择校费", content="家长反映学校违规收取择校费。")
    query = Case.objects.filter(case_text_matches("择校费"))
    with connection.cursor() as cursor:
        # On a table this small the planner would rather read everything, or walk another
        # index in the list's order; what is asked here is whether the search can use its own.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_text_bigrams" in plan, plan


def test_list_search_and_pickers_within_budget(login, make_case, basic) -> None:
    for n in range(3):
        make_case(title=f"违规收取择校费{n}", content="家长反映学校违规收取择校费。")
    client = login("xiaoneng")
    url = reverse("office:case_list")
    query = {"q": "择校", "unit": basic.unit_id, "department": basic.pk, "concerned": ""}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    assert len(captured.captured_queries) <= 10
    body = response.content.decode()
    # The pickers: searchable selects, a department named with its unit, the choice kept.
    assert body.count("data-searchable") >= 3
    assert (
        f'<option value="{basic.pk}" selected>{basic.unit.short_name or basic.unit.name} · ' in body
    )


def test_unknown_unit_is_a_message_not_an_error(login, make_case) -> None:
    make_case(title="违规收取择校费", content="家长反映学校违规收取择校费。")
    response = login("xiaoneng").get(reverse("office:case_list"), {"unit": 999999})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
