"""One truth: every surface shows, for every month of a demo history, the same figures.

The history is the demo's generator (whatever it contains); the test asserts equalities
across the surfaces, never particular numbers.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.api.conftest import Api
from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.assessment.bulletins import bulletin_content, bulletin_create, bulletin_document
from xiaoneng.assessment.metrics import Figures, metric_values
from xiaoneng.assessment.rollups import rollups_apply_all, rollups_check
from xiaoneng.assessment.selectors import REFERRAL_CHANNELS, Period, figures_for, month_period
from xiaoneng.cases.models import Case
from xiaoneng.demo.history import demo_history_load
from xiaoneng.org.models import User

pytestmark = pytest.mark.django_db

METRICS = [
    "on_time_sign_for_rate",
    "on_time_completion_rate",
    "satisfaction_rate",
    "resolution_rate",
    "return_rate",
    "reopen_rate",
    "repeat_complaint_rate",
    "average_reply_workdays",
    "composite_score",
]


@pytest.fixture
def history(demo_org) -> list[Period]:
    demo_history_load(cases=36, days=100, seed=19)
    rollups_apply_all()
    assert rollups_check() == []
    first = timezone.localtime(Case.objects.order_by("registered_at").first().registered_at)
    today = timezone.localdate()
    months, cursor = [], date(first.year, first.month, 1)
    while cursor <= today:
        months.append(month_period(cursor.year, cursor.month))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def _login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _values(metrics) -> dict:
    return {name: getattr(metrics, name) for name in METRICS}


def _excel(client: Client, period: Period) -> tuple[dict, dict]:
    response = client.post(
        reverse("assessment:dashboard_export") + f"?date_from={period.start}&date_to={period.end}",
        {"reason": "核对数据"},
    )
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    width = len(Figures().as_dict())
    at = next(i for i, row in enumerate(rows) if row[0] == "received")  # below the watermark
    figures = dict(zip(rows[at][:width], rows[at + 1][:width], strict=True))
    cells = [None if v in ("", None) else v for v in rows[at + 4][: len(METRICS)]]
    metrics = dict(zip(METRICS, cells, strict=True))
    return figures, metrics


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _bulletin_says(period: Period, card) -> None:
    """The bulletin's text (DOCX, PDF and the draft page share it) says the dashboard's figures."""
    bulletin = bulletin_create(
        by=User.objects.get(username="xiaoneng"), period_from=period.start, period_to=period.end
    )
    text = "\n".join(bulletin_document(bulletin).plain_lines())
    f, m = card.figures, card.metrics
    assert f"本期受理{f.received}件，交办{f.dispatched}件，办结{f.replied}件" in text
    assert f"按时签收率{_pct(m.on_time_sign_for_rate)}" in text
    assert f"按时办结率{_pct(m.on_time_completion_rate)}" in text
    assert f"满意率{_pct(m.satisfaction_rate)}（未评价{f.unrated}件）" in text


def test_every_surface_says_the_same_for_every_month(history, settings) -> None:
    settings.XIAONENG_EXPORTS_PER_HOUR = 1000
    key = apikey_issue(
        client=apiclient_create(name="开放数据核对", scopes=["metrics:read"], by=None), by=None
    ).plaintext
    api = Api(key)
    public = Client()
    office = _login("xiaoneng")
    leader = _login("leader")
    compared = 0
    for period in history:
        month = f"{period.start.year}-{period.start.month:02d}"
        page = public.get(reverse("portal:figures"), {"month": month})
        report = page.context["report"]
        assert (report.period.start, report.period.end) == (period.start, period.end)
        data = public.get(reverse("portal:figures_json"), {"month": month}).json()
        scorecard = api.get("/metrics/scorecard", **{"from": period.start, "to": period.end})
        assert scorecard.status_code == 200
        scorecard = scorecard.json()
        dashboard = office.get(
            reverse("assessment:dashboard"),
            {"date_from": period.start, "date_to": period.end},
        ).context
        board = leader.get(
            reverse("assessment:dashboard"),
            {"date_from": period.start, "date_to": period.end},
        ).context
        content = bulletin_content(period)
        excel_figures, excel_metrics = _excel(office, period)

        figures = scorecard["figures"]
        metrics = scorecard["metrics"]
        assert data["figures"] == figures
        assert data["metrics"] == metrics
        assert report.card.figures.as_dict() == figures
        assert _values(report.card.metrics) == metrics
        assert dashboard["card"].figures.as_dict() == figures
        assert _values(dashboard["card"].metrics) == metrics
        assert board["card"].figures.as_dict() == figures
        assert content["figures"] == figures
        assert {k: content["metrics"][k] for k in METRICS} == metrics
        assert excel_figures == figures
        assert excel_metrics == metrics
        # Each metric's n is the n its rate is computed from.
        for name, part in data["parts"].items():
            if part["denominator"]:
                assert part["numerator"] <= part["denominator"] or name == "average_reply_workdays"
            assert part["definition"].endswith(f"#def-{name}")
        # The rankings split the same counts: every count belongs to exactly one unit.
        units = Figures()
        for row, _link in dashboard["units"]:
            units.add(row.figures)
        assert units.as_dict() == figures
        ranking = api.get(
            "/metrics/ranking", **{"from": period.start, "to": period.end, "by": "unit"}
        ).json()
        assert [r["figures"] for r in ranking] == [
            row.figures.as_dict() for row, _link in dashboard["units"]
        ]
        assert [r["metrics"] for r in ranking] == [
            _values(row.metrics) for row, _link in dashboard["units"]
        ]
        # By the unit concerned: the same rows on the dashboard, in the bulletin, in the data.
        schools = [(row.name, row.figures.as_dict()) for row, _links in dashboard["schools"]]
        assert [(r["unit_name"], r["figures"]) for r in data["units_concerned"]] == schools
        assert [(r["name"], r["received"]) for r in content["schools"]] == [
            (name, f["received"]) for name, f in schools
        ]
        # The speech's scorecard: the same definitions over the two referral channels.
        referrals = figures_for(period, channels=REFERRAL_CHANNELS)
        expected = metric_values(referrals)
        speech = office.get(
            reverse("assessment:scorecard"), {"date_from": period.start, "date_to": period.end}
        ).context["speech"]
        assert speech.on_time_share == expected.on_time_completion_rate
        assert speech.satisfaction_rate == expected.satisfaction_rate
        assert content["speech"]["on_time_share"] == expected.on_time_completion_rate
        _bulletin_says(period, dashboard["card"])
        compared += figures["received"] + figures["replied"]
    assert compared > 0  # the history did put cases in the months compared
