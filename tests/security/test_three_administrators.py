"""三员分立 (issue 20, item 1): the system, security and audit administrators have no case scope
at all — not through the API (session or key), documents, exports, search, the admin or the
inbox — although their staff records sit in 办公室, the department the probe case is led by."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from tests.security.conftest import PROBE
from xiaoneng.api.selectors import cases_for
from xiaoneng.cases.models import Case
from xiaoneng.cases.permissions import cases_visible_to
from xiaoneng.notify.models import Notification

pytestmark = pytest.mark.django_db

ADMINS = ("sysadmin", "secadmin", "auditor")
PROBE_TEXT = PROBE["content"]


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("username", ADMINS)
def test_administrators_read_no_case_through_the_api_session(users, probe, username) -> None:
    client = _signed_in(users[username])
    case = probe["case"]
    for path in ("/api/v1/cases", f"/api/v1/cases/{case.pk}"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "no_case_scope"
        assert PROBE_TEXT not in response.content.decode()
    before = Case.objects.count()
    created = client.post(
        "/api/v1/cases",
        {"channel": "hotline", "kind": "complaint", "category": "enrolment", "content": "x"},
        content_type="application/json",
    )
    assert created.status_code == 403
    assert Case.objects.count() == before
    assert not cases_visible_to(users[username]).exists()


def test_the_case_team_still_reads_the_probe_case(users, probe) -> None:
    """The same route answers the people who work on the case: the refusal is by role."""
    response = _signed_in(users["office_head"]).get(f"/api/v1/cases/{probe['case'].pk}")
    assert response.status_code == 200
    assert response.json()["content"] == probe["case"].content


def test_a_key_whose_service_account_became_an_administrator_reads_nothing(users, probe) -> None:
    from tests.api.conftest import Api
    from xiaoneng.api.auth import Principal
    from xiaoneng.api.services import apiclient_create, apikey_issue

    client = apiclient_create(name="探针平台", scopes=["cases:read"], by=None)
    api = Api(apikey_issue(client=client, by=None).plaintext)
    assert api.get(f"/cases/{probe['case'].pk}").status_code == 200  # an intake key reads it
    # A security administrator later gives the service account an administrator role.
    client.user.groups.add(Group.objects.get(name="sysadmin"))
    for path in ("/cases", f"/cases/{probe['case'].pk}"):
        response = api.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "no_case_scope"
    fresh = type(client.user).objects.get(pk=client.user_id)
    assert not cases_for(Principal(user=fresh, client=client, scopes=frozenset())).exists()


def test_an_administrator_given_a_case_role_as_well_still_sees_no_case(users, probe) -> None:
    from xiaoneng.cases.permissions import has_case_scope

    auditor = users["auditor"]
    auditor.groups.add(Group.objects.get(name="efficiency_office"))
    auditor = type(auditor).objects.get(pk=auditor.pk)  # no cached roles
    assert not has_case_scope(auditor)
    assert not cases_visible_to(auditor).exists()
    client = _signed_in(auditor)
    case = probe["case"]
    for url in (
        reverse("office:case_list") + f"?q={case.number}",  # search by number
        reverse("office:case_detail", args=[case.pk]),
        reverse("office:case_export"),
        reverse("documents:case_receipt", args=[case.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/api/v1/cases/{case.pk}").status_code == 403
    home = client.get(reverse("office:home")).content.decode()
    assert case.number not in home
    assert PROBE_TEXT not in home


def test_an_administrator_made_a_department_head_gets_no_case_news(users, staff_of) -> None:
    from django.db import transaction

    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_dispatch, case_register
    from xiaoneng.org.models import Department
    from xiaoneng.org.services import department_set_head

    office = Department.objects.get(unit__code="bureau", code="office")
    department_set_head(department=office, head=staff_of("sysadmin"), by=None)
    with transaction.atomic():
        case = case_register(
            by=users["intake"],
            channel="hotline",
            kind="complaint",
            category=Category.objects.get(code="enrolment"),
            content=PROBE_TEXT,
        ).case
        case_dispatch(case=case, by=users["intake"], lead=office)
    assert not Notification.objects.filter(recipient_user=users["sysadmin"]).exists()
    inbox = _signed_in(users["sysadmin"]).get(reverse("notify:inbox")).content.decode()
    assert case.number not in inbox


def test_the_outbox_in_the_admin_shows_no_message_text(users, probe) -> None:
    notification = probe["notification"]
    assert notification is not None
    assert probe["case"].title in notification.body
    client = _signed_in(users["sysadmin"])
    change = client.get(f"/admin/notify/notification/{notification.pk}/change/")
    assert change.status_code == 200
    body = change.content.decode()
    assert notification.subject not in body
    assert probe["case"].title not in body
    assert client.get("/admin/notify/notification/").status_code == 200
    # Recorded text messages are nothing but text: no administrator reads them.
    assert client.get("/admin/notify/smsrecord/").status_code == 403
