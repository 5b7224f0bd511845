"""The office's side of urgent requests: the intake asks the registrar to confirm the
suggestion; the case page shows the urgency, the alerts and the incident to staff, and the
button that turns the request into an incident (safety department and leaders only)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xiaoneng.cases.models import Case, Category, Urgency
from xiaoneng.cases.services.public import public_submit
from xiaoneng.emergencies.models import Incident

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditor")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _intake(category: Category, **extra: object) -> dict[str, object]:
    return {
        "channel": "phone",
        "kind": "complaint",
        "category": category.pk,
        "content": "家长来电：学校食堂午餐后多名学生腹泻呕吐。",
        "requester_name": "李家长",
        "requester_phone": "13700001234",
        **extra,
    }


def test_intake_asks_to_confirm_the_suggestion(users) -> None:
    client = _client(users["intake"])
    food = Category.objects.get(code="food")
    asked = client.post(reverse("office:intake"), _intake(food))
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "食品卫生" in page
    assert "腹泻" in page
    assert "紧急" in page
    assert not Case.objects.exists()
    # Confirmed: urgent, on the urgent policy.
    done = client.post(reverse("office:intake"), _intake(food, urgent="on", urgency_checked="on"))
    assert done.status_code == 302
    case = Case.objects.get()
    assert case.urgency == Urgency.MARKED
    assert case.policy_version.policy.code == "urgent"
    # Declined: submitted again as it is, ordinary.
    client.post(
        reverse("office:intake"),
        _intake(
            food,
            content="家长来电：食堂饭菜偏贵。",
            requester_phone="13700005678",
            urgency_checked="on",
            # The first request is shown as a similar one (both about the canteen): seen.
            duplicate_checked="on",
        ),
    )
    assert not Case.objects.order_by("-id").first().urgent
    # Nothing suggests it: registered at once, ordinary.
    other = Category.objects.get(code="other")
    client.post(
        reverse("office:intake"),
        _intake(other, content="咨询寒假安排", requester_phone="13700009999"),
    )
    assert Case.objects.count() == 3


def test_case_page_panel_and_turning_into_an_incident(users) -> None:
    registered = public_submit(
        kind="help",
        category=Category.objects.get(code="safety"),
        content="校门口有陌生人持刀徘徊",
        requester_phone="13800001234",
        unit_concerned=None,
    )
    case = registered.case
    detail = reverse("office:case_detail", args=[case.pk])
    page = _client(users["intake"]).get(detail).content.decode()
    assert 'data-testid="urgent-badge"' in page
    assert 'data-testid="acknowledge"' in page
    assert 'data-testid="open-incident"' not in page  # intake may not open an incident
    assert "Marked urgent" not in page
    assert "Urgent request: alert sent" not in page

    url = reverse("emergencies:from_case", args=[case.pk])
    for admin in ADMINS:
        assert _client(users[admin]).get(url).status_code == 403
    assert _client(users["intake"]).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]

    safety = _client(users["leader"])
    assert 'data-testid="open-incident"' in safety.get(detail).content.decode()
    form = safety.get(url)
    assert form.status_code == 200
    bad = safety.post(url, {"type": "social_security", "grade": "3", "place": ""})
    assert bad.status_code == 200
    assert not Incident.objects.exists()
    done = safety.post(
        url,
        {
            "type": "social_security",
            "grade": "3",
            "place": "校门口",
            "injured": 0,
            "dead": 0,
            "missing": 0,
            "contact_phone": "13800000000",
        },
    )
    incident = Incident.objects.get(source_case=case)
    assert done.status_code == 302
    assert done["Location"] == incident.get_absolute_url()
    page = safety.get(detail).content.decode()
    assert 'data-testid="case-incident"' in page
    assert incident.get_absolute_url() in page
    incident_page = safety.get(incident.get_absolute_url()).content.decode()
    assert 'data-testid="source-case"' in incident_page
    assert case.number in incident_page
    # Asked again: the incident, not a second one.
    assert safety.get(url)["Location"] == incident.get_absolute_url()

    # The public tracking page shows the request like any other: no incident, no alert.
    public = Client()
    text = public.post(
        reverse("portal:track"),
        {"code": case.tracking_code, "secret": registered.tracking_secret, "phone_last4": ""},
    ).content.decode()
    assert case.number in text
    for hidden in ("已转为突发事件", "紧急诉求：已发出预警", "标记为紧急", "/office/emergencies/"):
        assert hidden not in text
