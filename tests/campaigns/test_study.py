"""Learning records: sessions by the office or a department's head, attendance, a
department's hours and a person's record, with their pages and the Excel export."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xiaoneng.campaigns.models import Attendance, StudySession
from xiaoneng.campaigns.selectors import department_hours, person_hours, person_record
from xiaoneng.campaigns.services import attendance_record, study_session_create
from xiaoneng.errors import DomainError, PermissionDenied
from xiaoneng.org.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal(demo_org) -> Department:
    return Department.objects.get(unit__code="school-1", code="principal")


@pytest.fixture
def make_session(users, basic):
    def make(**overrides) -> StudySession:
        fields = {
            "by": users["head"],
            "date": timezone.localdate(),
            "topic": "招生政策解读",
            "category": "professional",
            "hours": "1.5",
            "department": basic,
        }
        fields.update(overrides)
        return study_session_create(**fields)

    return make


def test_who_records_sessions(make_session, users, principal) -> None:
    assert make_session().hours == Decimal("1.5")
    assert make_session(by=users["xiaoneng"], department=principal).department == principal
    for username, department in (("head", principal), ("handler_a", None), ("leader", None)):
        with pytest.raises(PermissionDenied):
            make_session(by=users[username], **({"department": department} if department else {}))
    assert StudySession.objects.count() == 2


@pytest.mark.parametrize(
    "overrides",
    [
        {"hours": "0"},
        {"hours": "25"},
        {"hours": "abc"},
        {"topic": " "},
        {"category": "sports"},
        {"date": timezone.localdate() + timedelta(days=1)},
    ],
)
def test_bad_sessions_are_refused(make_session, overrides) -> None:
    with pytest.raises(DomainError):
        make_session(**overrides)
    assert not StudySession.objects.exists()


def test_attendance_replaces_and_hours_add_up(make_session, users, staff_of, principal) -> None:
    first = make_session(hours="2")
    attendance_record(
        by=users["head"], session=first, staff=[staff_of("head"), staff_of("handler_b")]
    )
    attendance_record(
        by=users["head"],
        session=first,
        staff=[staff_of("head"), staff_of("handler_a"), staff_of("school_handler")],
    )
    assert {a.staff.user.username for a in Attendance.objects.filter(session=first)} == {
        "head",
        "handler_a",
        "school_handler",
    }
    second = make_session(by=users["xiaoneng"], department=principal, hours="1.5")
    attendance_record(by=users["xiaoneng"], session=second, staff=[staff_of("handler_a")])
    with pytest.raises(PermissionDenied):
        attendance_record(by=users["head"], session=second, staff=[])
    old = make_session(date=timezone.localdate().replace(year=timezone.localdate().year - 1))
    attendance_record(by=users["head"], session=old, staff=[staff_of("handler_a")])

    year = timezone.localdate().year
    rows = {row.department.code: row for row in department_hours(year=year)}
    assert (rows["basic"].hours, rows["basic"].attendances, rows["basic"].sessions) == (
        Decimal("5.5"),
        3,
        2,
    )
    assert rows["principal"].hours == Decimal("2.0")
    record = person_record(staff_of("handler_a"), year=year)
    assert [s.pk for s in record] == [second.pk, first.pk] or {s.pk for s in record} == {
        first.pk,
        second.pk,
    }
    assert person_hours(record) == Decimal("3.5")
    assert person_hours(person_record(staff_of("handler_a"))) == Decimal("5.0")


def test_study_pages(client, login, make_session, users, staff_of) -> None:
    session = make_session()
    url = reverse("campaigns:session_detail", args=[session.pk])
    assert client.get(url).status_code == 302
    assert login("school_head").get(url).status_code == 404
    assert login("handler_a").get(url).status_code == 403
    assert login("leader").post(url, {"staff": [staff_of("head").pk]}).status_code == 403
    login("head")
    assert client.get(url).status_code == 200
    client.post(url, {"staff": [staff_of("head").pk, staff_of("handler_a").pk]})
    assert session.attendance.count() == 2
    listing = client.get(reverse("campaigns:session_list")).content.decode()
    assert "招生政策解读" in listing
    hours = client.get(reverse("campaigns:hours")).content.decode()
    assert "3.0" in hours

    mine = login("handler_a").get(reverse("campaigns:my_record"))
    assert "招生政策解读" in mine.content.decode()
    other = reverse("campaigns:person_record", args=[staff_of("handler_a").pk])
    assert login("handler_a").get(other).status_code == 403
    assert login("head").get(other).status_code == 200
    assert login("school_head").get(other).status_code == 404
    assert login("xiaoneng").get(other).status_code == 200


def test_new_session_page(client, login, basic, principal) -> None:
    form = {
        "date": timezone.localdate().isoformat(),
        "topic": "习近平新时代中国特色社会主义思想学习",
        "category": "theory",
        "hours": "2",
        "department": principal.pk,
    }
    login("head")
    assert client.post(reverse("campaigns:session_new"), form).status_code == 400  # not theirs
    response = client.post(reverse("campaigns:session_new"), form | {"department": basic.pk})
    session = StudySession.objects.get()
    assert response["Location"] == reverse("campaigns:session_detail", args=[session.pk])


def test_hours_export_opened(client, login, make_session, users, staff_of) -> None:
    session = make_session()
    attendance_record(
        by=users["head"], session=session, staff=[staff_of("head"), staff_of("handler_a")]
    )
    response = login("xiaoneng").post(reverse("campaigns:hours_export"), {"reason": "年度考核"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[2][1:] == ("基础教育科", 1, 2, 3.0)


def test_study_list_query_budget(
    client, login, make_session, users, staff_of, django_assert_max_num_queries
) -> None:
    for number in range(5):
        session = make_session(topic=f"第{number}次学习")
        attendance_record(by=users["head"], session=session, staff=[staff_of("handler_a")])
    for name in ("campaigns:session_list", "campaigns:hours", "campaigns:my_record"):
        login("head")
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name)).status_code == 200
