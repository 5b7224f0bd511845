"""Cross-unit access by id: an object of another unit is 404 for every object type, in pages,
documents and the API, exactly as an id that does not exist (nothing is revealed)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xiaoneng.accountability.demo import demo_accountability_load
from xiaoneng.accountability.models import Sanction, Violation
from xiaoneng.cases.models import Case, Category
from xiaoneng.cases.services import case_dispatch, case_register
from xiaoneng.notify.models import Notification
from xiaoneng.org.models import Department
from xiaoneng.supervision.demo import demo_supervision_load
from xiaoneng.supervision.models import Order

pytestmark = pytest.mark.django_db

MISSING = 999_999


@pytest.fixture
def bureau_objects(users) -> dict[str, object]:
    """Objects of the bureau's basic-education department (handler_a, head)."""
    demo_supervision_load()
    demo_accountability_load()
    basic = Department.objects.get(unit__code="bureau", code="basic")
    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="学校违规收取择校费",
        content="家长反映违规收取择校费，请核查。",
        requester_name="张家长",
        requester_phone="13912345678",
    ).case
    case_dispatch(case=case, by=users["xiaoneng"], lead=basic)
    return {
        "case": Case.objects.get(pk=case.pk),
        "order": Order.objects.filter(department=basic).first(),
        "violation": Violation.objects.filter(department=basic).first(),
        "sanction": Sanction.objects.filter(violation__department=basic).first(),
        "notification": Notification.objects.filter(recipient_user=users["head"]).first(),
    }


def _pages(objects: dict[str, object], pk_of) -> list[tuple[str, str]]:
    """(method, url) of every object page, for the objects' ids or a missing id."""
    case, order = pk_of(objects["case"]), pk_of(objects["order"])
    violation, sanction = pk_of(objects["violation"]), pk_of(objects["sanction"])
    return [
        ("get", reverse("office:case_detail", args=[case])),
        ("get", reverse("documents:case_receipt", args=[case, "pdf"])),
        ("get", f"/api/v1/cases/{case}"),
        ("get", reverse("supervision:order_detail", args=[order])),
        ("get", reverse("supervision:order_document", args=[order, "pdf"])),
        ("get", reverse("accountability:violation", args=[violation])),
        ("get", reverse("accountability:sanction", args=[sanction])),
        ("post", reverse("notify:mark_read", args=[pk_of(objects["notification"])])),
    ]


@pytest.mark.parametrize("username", ["school_handler", "school_head"])
def test_another_units_objects_are_404_like_missing_ones(users, bureau_objects, username):
    assert all(bureau_objects.values()), bureau_objects
    client = Client()
    client.force_login(users[username])
    real = _pages(bureau_objects, lambda obj: obj.pk)
    missing = _pages(bureau_objects, lambda obj: MISSING)
    for (method, url), (_m, missing_url) in zip(real, missing, strict=True):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (username, url, response.status_code)
        assert getattr(client, method)(missing_url).status_code == 404, missing_url


def test_the_owners_open_the_same_pages(users, bureau_objects) -> None:
    """The same addresses work for the department's own people, so the 404s above are scope."""
    head = Client()
    head.force_login(users["head"])
    for method, url in _pages(bureau_objects, lambda obj: obj.pk):
        response = getattr(head, method)(url)
        assert response.status_code in (200, 302), (url, response.status_code)
