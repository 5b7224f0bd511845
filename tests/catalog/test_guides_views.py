"""The office pages: guides and commitments (edit, preview), and who may open them (the
application pages are tested in tests/applications/test_views.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoneng.catalog.guides import PublishStatus, ServiceItem

pytestmark = pytest.mark.django_db


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
    # The English beside it, one line per commitment; more lines than commitments are refused
    # beside the English box, and nothing is saved.
    english = {"title_en": "Our commitments", "entries_en": "Registered the same day"}
    response = client.post(
        url,
        {
            **dict.fromkeys(["action"], "save"),
            "title": "第二中学服务承诺",
            "entries": "当日登记\n五日答复",
            **english,
        },
    )
    assert response.status_code == 302
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "Registered the same day" in page  # the preview in English
    assert "五日答复" in page  # no English for it: the Chinese
    assert client.get(url).context["form"].initial["entries_en"] == "Registered the same day"
    response = client.post(
        url,
        {
            "action": "save",
            "title": "第二中学服务承诺",
            "entries": "当日登记",
            "entries_en": "One\nTwo",
        },
    )
    assert response.status_code == 200
    assert "entries_en" in response.context["form"].errors


def _edit_data(client, url: str) -> dict:
    form = client.get(url).context["form"]
    return {k: v for k, v in form.initial.items() if v is not None and v is not False}


def test_the_edit_box_writes_the_material_lines_in_the_readers_language(
    client, demo_password, teacher_cert
) -> None:
    """The materials box speaks the page's language (原件及复印件, 按需提交 / Original and copy,
    where it applies), reads either language back, and its help says so in the same language."""
    login(client, "sysadmin", demo_password)
    url = reverse("catalog:guide_edit", args=[teacher_cert.pk])
    published = teacher_cert.versions.get(status=PublishStatus.PUBLISHED)
    before = list(published.materials.values_list("name", "copies", "form", "conditional"))

    client.cookies["django_language"] = "zh-hans"
    page = client.get(url)
    box = page.context["form"].initial["materials"]
    assert "申请人身份证 | 1 | 原件及复印件 | | 核验原件，留存复印件" in box
    assert "近期免冠证件照 | 2 | 原件 | 白底一寸" in box
    for code in ("both", "original", "copy", "conditional"):
        assert code not in box
    html = page.content.decode()
    assert "材料名称 | 份数 | 原件、复印件或原件及复印件" in html
    assert "name | copies" not in html
    # The code is only in a labelled read-only field, the heading has the name.
    assert '<input id="item-code" value="teacher-cert" readonly' in html
    assert '<h1>编辑办事指南 <span class="muted">教师资格认定</span></h1>' in html
    assert client.post(url, {**_edit_data(client, url), "action": "save"}).status_code == 302

    client.cookies["django_language"] = "en"
    page = client.get(url)
    assert "ID card of the applicant" in page.context["form"].initial["materials_en"]
    assert "申请人身份证 | 1 | Original and copy" in page.context["form"].initial["materials"]
    assert "name | copies | original, copy or original and copy" in page.content.decode()
    assert client.post(url, {**_edit_data(client, url), "action": "save"}).status_code == 302

    draft = teacher_cert.versions.get(status=PublishStatus.DRAFT)
    after = list(draft.materials.values_list("name", "copies", "form", "conditional"))
    assert after == before
    assert draft.materials.get(name="申请人身份证").name_en == "ID card of the applicant"


def test_a_conditional_material_written_in_either_language(
    client, demo_password, teacher_cert
) -> None:
    login(client, "sysadmin", demo_password)
    url = reverse("catalog:guide_edit", args=[teacher_cert.pk])
    data = _edit_data(client, url)
    data.update(
        {
            "materials": "委托书 | 1 | 原件 | | | 按需提交\n"
            "Proxy letter | 2 | original and copy | | | where it applies\n户口簿",
            "materials_en": "Power of attorney\n\nHousehold register | | the whole booklet",
            "action": "save",
        }
    )
    assert client.post(url, data).status_code == 302
    draft = teacher_cert.versions.get(status=PublishStatus.DRAFT)
    rows = list(
        draft.materials.values_list("name", "copies", "form", "conditional", "name_en", "notes_en")
    )
    assert rows == [
        ("委托书", 1, "original", True, "Power of attorney", ""),
        ("Proxy letter", 2, "both", True, "", ""),
        ("户口簿", 1, "original", False, "Household register", "the whole booklet"),
    ]
    # More English lines than materials: refused next to the English box.
    data["materials_en"] = "a\nb\nc\nd"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "materials_en" in response.context["form"].errors


def test_english_pages_show_the_english_of_a_guide_and_chinese_pages_its_name(
    client, demo_password, teacher_cert
) -> None:
    login(client, "sysadmin", demo_password)
    version = teacher_cert.versions.get(status=PublishStatus.PUBLISHED)
    preview = reverse("catalog:guide_preview", args=[version.pk])
    client.cookies["django_language"] = "en"
    english = (
        client.get(preview).content.decode()
        + client.get(reverse("catalog:guide_list")).content.decode()
    )
    for text in ("Teacher qualification certification", "Apply online", "Personal pledge",
                 "From a designated hospital, valid for six months", "Free of charge"):  # fmt: skip
        assert text in english
    for text in ("教师资格认定", "网上申报", "个人承诺书", "不收费"):
        assert text not in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("catalog:guide_list")).content.decode()
    assert "教师资格认定" in chinese
    assert ">teacher-cert<" not in chinese
    assert "teacher-cert</" not in chinese
