"""What issue #26's fresh walk found on pages that name things: the time-limit policies' stages
by their names (not sign_for, assist_opinion), a leader by the full name in the internal
matters' picker, the action buttons capitalised in English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoneng.internal.forms import RegisterForm

pytestmark = pytest.mark.django_db


def test_policies_page_names_the_stages(client, users) -> None:
    client.force_login(users["sysadmin"])
    body = client.get(reverse("office:org_policies")).content.decode()
    assert "受理" in body
    for code in ("sign_for", "assist_opinion", "one_time_notice", "intake "):
        assert code not in body, code


def test_leader_picker_shows_the_full_name(users) -> None:
    labels = [label for _value, label in RegisterForm().fields["leader"].choices]
    assert str(users["leader"]) in labels
    assert users["leader"].full_name
    assert "leader" not in labels


def test_english_department_queue_buttons_are_capitalised(client, users) -> None:
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_dispatch, case_register
    from xiaoneng.org.models import Department

    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="队列按钮",
        content="家长反映课后服务收费，请核查。",
        requester_phone="13912345678",
    ).case
    case_dispatch(case=case, by=users["intake"], lead=Department.objects.get(code="basic"))
    client.force_login(users["head"])
    client.cookies["django_language"] = "en"
    body = client.get(reverse("office:queue")).content.decode()
    assert ">Sign for</button>" in body
    assert ">sign for</button>" not in body


def test_bulletin_page_links_its_excel(client, users) -> None:
    """The bulletin's Excel link (404 before issue #26) opens the export of its period."""
    import re

    from django.utils import timezone

    from xiaoneng.assessment.bulletins import bulletin_create

    today = timezone.localdate()
    bulletin = bulletin_create(by=users["xiaoneng"], period_from=today, period_to=today)
    client.force_login(users["leader"])
    body = client.get(reverse("assessment:bulletin_detail", args=[bulletin.pk])).content.decode()
    found = re.search(r'href="([^"]+)" data-testid="bulletin-excel"', body)
    assert found
    link = found.group(1).replace("&amp;", "&")
    assert link.startswith(reverse("assessment:dashboard_export"))
    assert f"date_from={today:%Y-%m-%d}" in link
    assert client.get(link).status_code == 200  # the export asks for its reason first
