"""The office pages: guides and commitments (edit, preview), and who may open them (the
application pages are tested in tests/applications/test_views.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoneng.catalog.guides import PublishStatus, ServiceItem
from xiaoneng.demo.guides import demo_guides_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides(demo_org) -> None:
    demo_guides_load()


@pytest.fixture
def teacher_cert(guides) -> ServiceItem:
    return ServiceItem.objects.get(code="teacher-cert")


def login(client, username: str, password: str) -> None:
    assert client.login(username=username, password=password)


@pytest.mark.parametrize(
    ("name", "args", "allowed", "forbidden"),
    [
        ("catalog:guide_list", [], ["sysadmin", "intake", "xiaoneng"], ["auditor", "secadmin"]),
        ("catalog:guide_new", [], ["sysadmin"], ["intake", "xiaoneng"]),
        ("catalog:commitments_list", [], ["sysadmin", "head"], ["auditor"]),
        ("catalog:filing_list", [], ["xiaoneng", "leader"], ["intake", "sysadmin"]),
    ],
)
def test_page_permissions(client, demo_password, guides, name, args, allowed, forbidden) -> None:
    url = reverse(name, args=args)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for username in allowed:
        login(client, username, demo_password)
        assert client.get(url).status_code == 200, username
    for username in forbidden:
        login(client, username, demo_password)
        assert client.get(url).status_code == 403, username


def test_editing_a_guide_refuses_a_long_committed_limit_then_publishes(
    client, demo_password, teacher_cert
) -> None:
    login(client, "sysadmin", demo_password)
    url = reverse("catalog:guide_edit", args=[teacher_cert.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data.update({"committed_limit": 30, "action": "save"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "committed_limit" in response.context["form"].errors
    assert not teacher_cert.versions.filter(status=PublishStatus.DRAFT).exists()

    data.update({"committed_limit": 12, "name": "教师资格认定<script>", "action": "publish"})
    response = client.post(url, data)
    assert response.status_code == 302
    version = teacher_cert.versions.get(status=PublishStatus.PUBLISHED)
    assert version.number == 2
    assert version.committed_limit == 12
    assert version.materials.count() == 7
    page = client.get(reverse("catalog:guide_preview", args=[version.pk]))
    assert "教师资格认定&lt;script&gt;" in page.content.decode()


def test_publishing_without_supervision_phone_from_the_page(
    client, demo_password, teacher_cert
) -> None:
    login(client, "sysadmin", demo_password)
    url = reverse("catalog:guide_edit", args=[teacher_cert.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v}
    data.update({"supervision_phone": "", "action": "publish"})
    response = client.post(url, data)
    assert "supervision_phone" in response.context["form"].errors


def test_commitments_edit_and_preview(client, demo_password, guides) -> None:
    login(client, "sysadmin", demo_password)
    from xiaoneng.org.models import Unit

    unit = Unit.objects.get(code="school-2")
    url = reverse("catalog:commitments_edit", args=[unit.pk])
    response = client.post(
        url, {"title": "第二中学服务承诺", "entries": "当日登记\n五日答复", "action": "save"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "五日答复" in page
    assert 'data-testid="commitments-preview"' in page
