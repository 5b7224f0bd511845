"""Who may use each incident page: deny by default, the administrators never, a school only its
own incidents, the bureau's safety department and leaders all of them; the board's queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoneng.emergencies.models import Alert, Incident

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditor")
PAGES = ["incident", "report_new"]
POSTS = ["end_response", "regrade"]


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def incident(users, report) -> Incident:
    return report(users)


@pytest.fixture
def other_school_staff(users, demo_org):
    from xiaoneng.org.models import User

    return User.objects.get(username="s2_intake")


@pytest.mark.parametrize("name", ["board", "incident_new"])
def test_lists_refuse_anonymous_and_administrators(name, users) -> None:
    url = reverse(f"emergencies:{name}")
    response = _client().get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    for admin in ADMINS:
        assert _client(users[admin]).get(url).status_code == 403


@pytest.mark.parametrize("name", PAGES + POSTS)
def test_incident_pages_are_scoped(name, users, incident, other_school_staff) -> None:
    url = reverse(f"emergencies:{name}", args=[incident.pk])
    method = "post" if name in POSTS else "get"

    def status(user) -> int:
        return getattr(_client(user), method)(url).status_code

    assert "/login/" in getattr(_client(), method)(url)["Location"]
    for admin in ADMINS:
        assert status(users[admin]) == 403
    # Another school never learns the incident exists.
    assert status(other_school_staff) == 404
    # The bureau's basic-education department is not the safety department.
    assert status(users["handler_a"]) == 404


def test_the_school_and_the_bureau_see_the_incident(users, incident) -> None:
    url = reverse("emergencies:incident", args=[incident.pk])
    for username in ("school_handler", "school_head", "safety_a", "safety_head", "leader"):
        response = _client(users[username]).get(url)
        assert response.status_code == 200, username
        assert incident.title in response.content.decode()


def test_the_board_shows_each_person_their_incidents(users, report, other_school_staff) -> None:
    mine = report(users)
    theirs = report(users, by=other_school_staff, title="体育课学生骨折")
    board = reverse("emergencies:board")
    school = _client(users["school_handler"]).get(board).content.decode()
    assert mine.title in school
    assert theirs.title not in school
    bureau = _client(users["safety_a"]).get(board).content.decode()
    assert mine.title in bureau
    assert theirs.title in bureau
    assert theirs.title not in _client(users["handler_a"]).get(board).content.decode()


def test_only_the_recipient_acknowledges(users, incident) -> None:
    alert = incident.alerts.get(recipient__user__username="safety_a")
    url = reverse("emergencies:acknowledge", args=[alert.pk])
    assert _client(users["safety_a"]).get(url).status_code == 405
    for username in ("safety_b", "leader", "school_handler", "sysadmin"):
        assert _client(users[username]).post(url).status_code in (403, 404), username
    alert.refresh_from_db()
    assert alert.state == Alert.State.PENDING
    assert _client(users["safety_a"]).post(url).status_code == 302
    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED


def test_only_the_bureau_regrades(users, incident) -> None:
    url = reverse("emergencies:regrade", args=[incident.pk])
    data = {"grade": "2", "reason": "就医学生增至30人"}
    assert _client(users["school_head"]).post(url, data).status_code == 403
    assert _client(users["safety_a"]).post(url, data).status_code == 302
    incident.refresh_from_db()
    assert incident.grade == "2"
    assert incident.preliminary_grade == "3"
    # Raised to II: the leader is alerted at once.
    assert incident.alerts.filter(line="leaders", recipient__user__username="leader").exists()


def test_a_school_reports_from_the_form(users) -> None:
    client = _client(users["school_handler"])
    form = client.get(reverse("emergencies:incident_new"))
    assert form.status_code == 200
    assert 'name="viewport"' in form.content.decode()
    response = client.post(
        reverse("emergencies:incident_new"),
        {
            "type": "food_safety",
            "grade": "3",
            "title": "学生食物中毒",
            "occurred_at": "2026-05-12T12:00",
            "discovered_at": "2026-05-12T12:30",
            "place": "食堂",
            "injured": "5",
            "dead": "0",
            "missing": "0",
            "what_happened": "5名学生呕吐",
            "measures": "",
            "contact_phone": "13800000000",
        },
    )
    incident = Incident.objects.get(title="学生食物中毒")
    assert response.status_code == 302
    assert response["Location"] == incident.get_absolute_url()
    assert incident.unit.code == "school-1"
    assert incident.reports.get().kind == "initial"


def test_a_progress_report_from_the_form(users, incident) -> None:
    client = _client(users["school_handler"])
    url = reverse("emergencies:report_new", args=[incident.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"situation": "病情稳定", "injured": "12", "dead": "0", "missing": "0"}
    )
    assert response.status_code == 302
    assert incident.reports.filter(kind="progress").count() == 1


def test_the_board_costs_the_same_whatever_the_number_of_incidents(users, report) -> None:
    client = _client(users["safety_a"])
    board = reverse("emergencies:board")
    client.get(board)  # warm the per-process caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(board).status_code == 200
        return len(queries)

    report(users)
    one = count()
    for number in range(4):
        report(users, title=f"事件{number}")
    assert count() == one
