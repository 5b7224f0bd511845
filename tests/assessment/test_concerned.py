"""Figures by the unit concerned (涉及单位): the requests about a school, from the same counts
and definitions as by handling unit, equal on the dashboard, the bulletin, the Excel export,
the portal and figures.json; the rollup check covers them."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiaoneng.assessment.bulletins import bulletin_content, bulletin_create, bulletin_document
from xiaoneng.assessment.concerned import concerned_ranking
from xiaoneng.assessment.metrics import metric_values
from xiaoneng.assessment.rollups import rollups_apply_all, rollups_check, rollups_rebuild
from xiaoneng.assessment.selectors import Period
from xiaoneng.cases.models import Case
from xiaoneng.org.models import Unit

from .test_drilldowns import _walk

pytestmark = pytest.mark.django_db


def period() -> Period:
    today = timezone.localdate()
    return Period(today - timedelta(days=1), today + timedelta(days=1))


@pytest.fixture
def about_schools(make_case, flow):
    one = Unit.objects.get(code="school-1")
    two = Unit.objects.get(code="school-2")
    Unit.objects.filter(pk=one.pk).update(enrolment=500)
    flow(make_case(unit_concerned=one, phone="13900000001"), rating="satisfied")
    flow(make_case(unit_concerned=one, phone="13900000001"), late_reply=True, rating="unsatisfied")
    make_case(unit_concerned=one, kind="inquiry")
    flow(make_case(unit_concerned=two), rating="basically")
    make_case()  # about no unit
    rollups_apply_all()
    return one, two


def test_the_school_ranking_counts_the_requests_about_each_school(about_schools) -> None:
    one, two = about_schools
    rows = concerned_ranking(period())
    assert [row.id for row in rows] == [one.pk, two.pk]
    first = rows[0]
    assert first.figures.received == 3
    assert first.complaints == 2
    assert first.per_thousand == 4.0  # 2 complaints / 500 pupils × 1 000
    assert first.figures.repeat == 1
    assert first.figures.replied == 2
    assert first.metrics == metric_values(first.figures, (30, 35, 35))
    assert first.metrics.on_time_completion_rate == 50.0
    assert first.metrics.satisfaction_rate == 50.0
    assert sum(n for _id, _name, n in first.categories) == 3
    assert rows[1].per_thousand is None  # no enrolment set


def test_the_rollup_check_covers_the_unit_concerned(about_schools) -> None:
    assert rollups_check() == []
    case = Case.objects.filter(unit_concerned__isnull=False).first()
    Case.objects.filter(pk=case.pk).update(unit_concerned=None)  # behind the rollups' back
    assert any("unit concerned" in line for line in rollups_check())
    rollups_rebuild()
    assert rollups_check() == []


def test_every_surface_shows_the_same_school_figures(about_schools, users, client) -> None:
    one, _two = about_schools
    today = timezone.localdate()
    client.force_login(users["xiaoneng"])
    params = {"date_from": today.replace(day=1), "date_to": today}
    dashboard = client.get(reverse("assessment:dashboard"), params).context
    schools = {row.id: row for row, _links in dashboard["schools"]}
    content = bulletin_content(Period(params["date_from"], params["date_to"]))
    assert [r["name"] for r in content["schools"]] == [row.name for row in schools.values()]
    assert content["schools"][0]["received"] == schools[one.pk].figures.received
    bulletin = bulletin_create(
        by=users["xiaoneng"], period_from=params["date_from"], period_to=params["date_to"]
    )
    text = "\n".join(bulletin_document(bulletin).plain_lines())
    assert "被反映3件，其中投诉2件（每千名学生4件）" in text
    public = Client()
    data = public.get(
        reverse("portal:figures_json"),
        {"month": f"{today.year}-{today.month:02d}", "unit": one.code},
    ).json()
    [about] = data["units_concerned"]
    assert about["figures"] == schools[one.pk].figures.as_dict()
    assert about["metrics"]["satisfaction_rate"] == schools[one.pk].metrics.satisfaction_rate
    assert about["complaints_per_1000_pupils"] == 4.0
    page = public.get(reverse("portal:figures"), {"unit": one.code}).content.decode()
    assert f'data-unit="{one.code}"' in page
    export = client.post(
        reverse("assessment:dashboard_export") + f"?date_from={params['date_from']}"
        f"&date_to={params['date_to']}",
        {"reason": "核对"},
    )
    sheet = load_workbook(io.BytesIO(export.content))["涉及单位"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(rows) if row[1] == "涉及单位")  # below the watermark
    assert rows[start + 1][1:6] == [schools[one.pk].name, 3, 2, 4, 1]


def test_school_numbers_open_their_records(about_schools, users) -> None:
    client = Client()
    client.force_login(users["xiaoneng"])
    today = timezone.localdate()
    params = {"date_from": today - timedelta(days=1), "date_to": today + timedelta(days=1)}
    html = client.get(reverse("assessment:dashboard"), params).content.decode()
    assert "counted=received&amp;concerned=" in html
    assert _walk(client, reverse("assessment:dashboard"), params) > 20
