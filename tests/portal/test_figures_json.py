"""figures.json: public, the API scorecard's numbers and names, n and definitions, 400s."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.api.conftest import Api
from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.assessment.rollups import rollups_apply_all
from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_rate
from xiaoneng.org.models import Unit

from .conftest import staff_reply
from .test_journey import submit

pytestmark = pytest.mark.django_db


def _month() -> str:
    today = timezone.localdate()
    return f"{today.year}-{today.month:02d}"


@pytest.fixture
def rated(client, users, category, basic) -> Case:
    code, _secret = submit(client, category)
    case = staff_reply(Case.objects.get(tracking_code=code), users, basic, text="已处理。")
    case = case_rate(case=case, satisfaction="basically", resolved=True)
    rollups_apply_all()
    return case


def test_figures_json_is_public_and_equals_the_api_scorecard(client, rated) -> None:
    api = Api(
        apikey_issue(
            client=apiclient_create(name="核对", scopes=["metrics:read"], by=None), by=None
        ).plaintext
    )
    today = timezone.localdate()
    start = today.replace(day=1)
    for unit in (None, Unit.objects.get(code="bureau")):
        params = {"month": _month(), **({"unit": unit.code} if unit else {})}
        response = client.get(reverse("portal:figures_json"), params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        data = response.json()
        from calendar import monthrange

        end = start.replace(day=monthrange(start.year, start.month)[1])
        scope = {"from": start, "to": end, **({"unit": unit.pk} if unit else {})}
        card = api.get("/metrics/scorecard", **scope).json()
        assert data["figures"] == card["figures"]
        assert data["metrics"] == card["metrics"]
        assert data["figures"]["replied"] == 1
        assert data["metrics"]["satisfaction_rate"] == 100.0
        part = data["parts"]["satisfaction_rate"]
        assert (part["numerator"], part["denominator"]) == (1, 1)
        assert part["numerator_counts"] == ["satisfied", "basically"]
        assert part["definition"].startswith("http://testserver/portal/figures/#def-")
    by_dates = client.get(
        reverse("portal:figures_json"), {"from": start.isoformat(), "to": today.isoformat()}
    ).json()
    assert by_dates["figures"]["received"] == 1


def test_figures_json_carries_no_case_and_no_person(client, rated) -> None:
    body = client.get(reverse("portal:figures_json"), {"month": _month()}).content.decode()
    assert rated.number not in body
    assert rated.requester_phone not in body
    assert "刘家长" not in body


@pytest.mark.parametrize(
    "params",
    [
        {"month": "2026-13"},
        {"month": "<b>"},
        {"month": "2026-11", "from": "2026-11-01"},
        {"from": "2026-11-01"},
        {"from": "2026-11-31", "to": "2026-12-01"},
        {"from": "2026-12-01", "to": "2026-11-01"},
        {"from": "2000-01-01", "to": "2026-01-01"},
        {"month": "2026-11", "unit": "no-such-unit"},
    ],
)
def test_bad_parameters_are_a_400_with_a_message(client, demo_org, params) -> None:
    response = client.get(reverse("portal:figures_json"), params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] in {"bad_period", "bad_unit"}
    assert body["message"] == body["message_zh"]
    assert body["message_en"]
    assert body["message_en"] != body["message_zh"]


def test_the_message_is_in_the_request_language(client, demo_org) -> None:
    response = client.get(
        reverse("portal:figures_json"), {"month": "x"}, headers={"accept-language": "en"}
    )
    assert response.json()["message"] == response.json()["message_en"]


def test_figures_json_is_rate_limited(client, demo_org, settings) -> None:
    settings.XIAONENG_RATE_FIGURES = (2, 600)
    for _ in range(2):
        assert client.get(reverse("portal:figures_json")).status_code == 200
    response = client.get(reverse("portal:figures_json"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_the_page_shows_n_and_definitions_per_unit(client, rated) -> None:
    html = client.get(reverse("portal:figures"), {"month": _month(), "unit": "bureau"})
    text = html.content.decode()
    assert 'id="def-satisfaction_rate"' in text
    assert 'data-numerator="1" data-denominator="1"' in text
    assert "满意或基本满意" in text  # the definition, translated
    assert "figures.json?month=" in text
