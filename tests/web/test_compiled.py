"""Queries compiled once per connection: the same objects as the ORM's, the rows read fresh."""

from __future__ import annotations

import pytest
from django.db.models import Count, F

from xiaoneng.org.models import Department, Unit
from xiaoneng.web.compiled import compiled_rows, compiled_rows_for

pytestmark = pytest.mark.django_db


def _departments():
    return (
        Department.objects.select_related("unit")
        .annotate(staff_count=Count("staff"), unit_label=F("unit__name"))
        .order_by("id")
    )


def test_the_objects_are_the_orms_with_relations_and_annotations(demo_org) -> None:
    expected = list(_departments())
    found = compiled_rows(("test", "departments"), _departments)
    assert [d.pk for d in found] == [d.pk for d in expected]
    for mine, theirs in zip(found, expected, strict=True):
        assert (mine.name, mine.unit.name, mine.staff_count, mine.unit_label) == (
            theirs.name,
            theirs.unit.name,
            theirs.staff_count,
            theirs.unit_label,
        )
        assert mine._state.fields_cache["unit"].pk == theirs.unit_id  # joined, not queried


def test_the_statement_is_compiled_once_and_the_rows_read_each_time(
    demo_org, django_assert_num_queries
) -> None:
    built = []

    def build():
        built.append(1)
        return _departments()

    key = ("test", "compiled-once")
    first = compiled_rows(key, build)
    unit = Unit.objects.order_by("id").first()
    Department.objects.create(unit=unit, code="new-dept", name="新设科室")
    with django_assert_num_queries(1):
        again = compiled_rows(key, build)
    assert len(built) == 1
    assert len(again) == len(first) + 1
    assert again[-1].name == "新设科室"


def test_a_query_that_cannot_match_sends_nothing(demo_org, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert compiled_rows(("test", "none"), lambda: Department.objects.none()) == []
        assert compiled_rows(("test", "none"), lambda: Department.objects.none()) == []


def _department_named(name: str):
    return Department.objects.select_related("unit").filter(name=name).order_by("id")


def test_compiled_for_values_reads_each_value_once_compiled(demo_org) -> None:
    names = list(Department.objects.order_by("id").values_list("name", flat=True)[:3])
    for name in names:
        found = compiled_rows_for(("test", "department named"), _department_named, name)
        expected = list(_department_named(name))
        assert [(d.pk, d.unit.name) for d in found] == [(d.pk, d.unit.name) for d in expected]
    assert compiled_rows_for(("test", "department named"), _department_named, "no such") == []
    by_pk = compiled_rows_for(("test", "pk"), lambda pk: Department.objects.filter(pk=pk), -1)
    assert by_pk == []


def test_compiled_for_values_refuses_a_value_used_twice_or_of_another_type(demo_org) -> None:
    def twice(name: str):
        return Department.objects.filter(name=name) | Department.objects.filter(code=name)

    with pytest.raises(ValueError, match="exactly one parameter"):
        compiled_rows_for(("test", "twice"), twice, "x")
    with pytest.raises(TypeError):
        compiled_rows_for(("test", "float"), lambda v: Department.objects.filter(pk=v), 1.5)  # type: ignore[arg-type]
