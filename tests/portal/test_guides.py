"""Public service guides and commitments: list, search, filters, every field of the published
version, the printable checklist, and nothing but published current versions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from xiaoneng.catalog.guide_selectors import (
    commitments_latest,
    commitments_published,
    guide_published_version,
)
from xiaoneng.catalog.guide_services import (
    GuideFieldError,
    commitments_draft_save,
    commitments_publish,
    guide_draft_save,
    guide_item_create,
    guide_publish,
)
from xiaoneng.catalog.guides import ServiceItem
from xiaoneng.org.models import Unit

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "校车接送登记",
    "item_type": "public_service",
    "legal_basis": "《校车安全管理条例》第二十条",
    "conditions": "就读本校的走读学生",
    "process_steps": "提交登记表\n学校审核\n安排线路",
    "statutory_limit": 15,
    "committed_limit": 7,
    "fees": "按线路收取，每学期300元",
    "fee_basis": "市发改委价格文件〔2026〕8号",
    "window_address": "第一中学行政楼一楼",
    "window_hours": "工作日8:00-17:00",
    "enquiry_phone": "0000-55501",
    "supervision_phone": "0000-55599",
    "online": True,
}
MATERIALS = [
    {"name": "学生证", "copies": 1, "form": "both", "notes": "核验原件后退还"},
    {
        "name": "家长委托书",
        "copies": 2,
        "form": "original",
        "file_format": "A4纸",
        "notes": "家长签字",
        "conditional": True,
    },
]


@pytest.fixture
def school_item(guides) -> ServiceItem:
    school = Unit.objects.get(code="school-1")
    item = guide_item_create(code="school-bus", unit=school, sort_order=99)
    guide_publish(version=guide_draft_save(item=item, fields=FIELDS, materials=MATERIALS))
    return item


def EN() -> Client:
    return Client(headers={"Accept-Language": "en"})


def _texts(response) -> str:
    return response.content.decode()


def test_home_links_guides_and_commitments(guides) -> None:
    body = _texts(Client().get(reverse("portal:home")))
    assert reverse("portal:guide_list") in body
    assert reverse("portal:commitments") in body


def test_anonymous_sees_the_published_list(guides) -> None:
    response = Client().get(reverse("portal:guide_list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 10
    body = _texts(response)
    assert "教师资格认定" in body
    assert reverse("portal:guide_detail", args=["teacher-cert"]) in body


def test_search_by_name_and_by_material(guides, school_item) -> None:
    client = Client()
    found = client.get(reverse("portal:guide_list"), {"q": "教师资格"}).context["page"]
    codes = [v.item.code for v in found.object_list]
    assert "teacher-cert" in codes
    assert "school-bus" not in codes
    found = client.get(reverse("portal:guide_list"), {"q": "校车接送"}).context["page"]
    assert [v.item.code for v in found.object_list] == ["school-bus"]
    # A word from a material's name finds the item too; every word must match.
    found = client.get(reverse("portal:guide_list"), {"q": "家长委托书"}).context["page"]
    assert [v.item.code for v in found.object_list] == ["school-bus"]
    found = client.get(reverse("portal:guide_list"), {"q": "校车 教师资格"}).context["page"]
    assert list(found.object_list) == []


def test_filter_by_unit_and_type(guides, school_item) -> None:
    client = Client()
    page = client.get(reverse("portal:guide_list"), {"unit": "school-1"}).context["page"]
    assert [v.item.code for v in page.object_list] == ["school-bus"]
    page = client.get(reverse("portal:guide_list"), {"type": "public_service"}).context["page"]
    codes = {v.item.code for v in page.object_list}
    assert "school-bus" in codes
    assert all(v.item_type == "public_service" for v in page.object_list)
    page = client.get(reverse("portal:guide_list"), {"type": "licence"}).context["page"]
    assert "school-bus" not in {v.item.code for v in page.object_list}
    assert "teacher-cert" in {v.item.code for v in page.object_list}
    # An unknown type is ignored rather than emptying the list.
    page = client.get(reverse("portal:guide_list"), {"type": "bogus"}).context["page"]
    assert page.paginator.count == 11


def test_detail_shows_every_field_of_the_published_version(school_item) -> None:
    response = EN().get(reverse("portal:guide_detail", args=["school-bus"]))
    assert response.status_code == 200
    body = _texts(response)
    for value in (
        FIELDS["name"],
        FIELDS["legal_basis"],
        FIELDS["conditions"],
        "提交登记表",
        "学校审核",
        "安排线路",
        FIELDS["fees"],
        FIELDS["fee_basis"],
        FIELDS["window_address"],
        FIELDS["window_hours"],
        FIELDS["enquiry_phone"],
        FIELDS["supervision_phone"],
        "学生证",
        "核验原件后退还",
        "家长委托书",
        "家长签字",
        "A4纸",
        "Original and copy",
        "2 copies",
        "only where it applies",
        "15 working days",
        "7 working days",
        "第一中学",
    ):
        assert value in body, value
    assert reverse("portal:guide_checklist", args=["school-bus"]) in body
    assert _no_page_script(body)


def test_checklist_lists_every_material_and_prints_without_script(school_item) -> None:
    response = EN().get(reverse("portal:guide_checklist", args=["school-bus"]))
    assert response.status_code == 200
    body = _texts(response)
    assert body.count('data-testid="check"') == 2
    assert "学生证" in body
    assert "家长委托书" in body
    assert "Checklist of materials" in body
    assert FIELDS["supervision_phone"] in body
    assert _no_page_script(body)
    css = Path(finders.find("portal/portal.css")).read_text()
    assert "@media print" in css
    assert ".noprint" in css


def test_drafts_and_superseded_versions_never_appear(guides) -> None:
    client = Client()
    item = ServiceItem.objects.get(code="teacher-cert")
    old = guide_published_version(item=item)
    # A newer published version supersedes the old name; a draft on top is never shown.
    fields = {
        name: getattr(old, name)
        for name in (
            "item_type",
            "legal_basis",
            "conditions",
            "process_steps",
            "statutory_limit",
            "committed_limit",
            "fees",
            "fee_basis",
            "window_address",
            "window_hours",
            "enquiry_phone",
            "supervision_phone",
            "online",
        )
    }
    materials = [{"name": "身份证明", "copies": 1, "form": "both"}]
    guide_publish(
        version=guide_draft_save(
            item=item, fields={**fields, "name": "教师资格认定（第二版）"}, materials=materials
        )
    )
    guide_draft_save(
        item=item,
        fields={**fields, "name": "草稿中的新名称"},
        materials=[{"name": "草稿材料", "copies": 1, "form": "copy"}],
    )
    # An item with only a draft has no public page at all.
    draft_only = guide_item_create(code="draft-only", unit=Unit.objects.get(code="bureau"))
    guide_draft_save(
        item=draft_only, fields={**fields, "name": "只有草稿的事项"}, materials=materials
    )

    listing = _texts(client.get(reverse("portal:guide_list")))
    assert "教师资格认定（第二版）" in listing
    assert "草稿中的新名称" not in listing
    assert "只有草稿的事项" not in listing
    assert f">{old.name}<" not in listing
    searched = client.get(reverse("portal:guide_list"), {"q": "草稿"}).context["page"]
    assert list(searched.object_list) == []
    detail = _texts(client.get(reverse("portal:guide_detail", args=["teacher-cert"])))
    assert "教师资格认定（第二版）" in detail
    assert "身份证明" in detail
    assert "草稿" not in detail
    assert client.get(reverse("portal:guide_detail", args=["draft-only"])).status_code == 404
    assert client.get(reverse("portal:guide_checklist", args=["draft-only"])).status_code == 404
    assert client.get(reverse("portal:guide_detail", args=["no-such"])).status_code == 404


def test_an_inactive_item_is_hidden(guides) -> None:
    ServiceItem.objects.filter(code="teacher-cert").update(is_active=False)
    client = Client()
    assert "教师资格认定" not in _texts(client.get(reverse("portal:guide_list")))
    assert client.get(reverse("portal:guide_detail", args=["teacher-cert"])).status_code == 404


def test_commitments_of_every_unit_and_of_one(guides) -> None:
    client = Client()
    response = client.get(reverse("portal:commitments"))
    assert response.status_code == 200
    bureau = Unit.objects.get(code="bureau")
    published = commitments_published(unit_id=bureau.pk)
    body = _texts(response)
    assert bureau.name in body
    for entry in published.entries.all():
        assert entry.text in body
    one = client.get(reverse("portal:unit_commitments", args=["school-1"]))
    assert one.status_code == 200
    assert [c.unit.code for c in one.context["commitments"]] == ["school-1"]
    assert client.get(reverse("portal:unit_commitments", args=["nowhere"])).status_code == 404


def test_commitments_read_in_the_readers_language(guides) -> None:
    """English pages show the commitments' English (filled by the demo), Chinese pages the
    Chinese; a commitment without English shows its Chinese."""
    bureau = Unit.objects.get(code="bureau")
    entries = list(commitments_published(unit_id=bureau.pk).entries.all())
    english = _texts(EN().get(reverse("portal:unit_commitments", args=["bureau"])))
    assert "Service commitments of Example City Education Bureau" in english
    for entry in entries:
        assert entry.text_en
        assert entry.text_en in english
        assert entry.text not in english
    chinese = _texts(Client().get(reverse("portal:unit_commitments", args=["bureau"])))
    for entry in entries:
        assert entry.text in chinese
        assert entry.text_en not in chinese
    school = Unit.objects.get(code="school-2")
    draft = commitments_draft_save(
        unit=school, title="承诺", entries=["第一条", "第二条"], entries_en=["The first"]
    )
    commitments_publish(version=draft)
    english = _texts(EN().get(reverse("portal:unit_commitments", args=["school-2"])))
    assert "The first" in english
    assert "第二条" in english  # no English for it: the Chinese shows


def test_more_english_commitments_than_chinese_are_refused(guides) -> None:
    school = Unit.objects.get(code="school-2")
    with pytest.raises(GuideFieldError) as refused:
        commitments_draft_save(
            unit=school, title="承诺", entries=["第一条"], entries_en=["One", "Two"]
        )
    assert refused.value.field == "entries_en"
    assert commitments_latest(unit_id=school.pk).title != "承诺"  # nothing was saved


def test_commitment_drafts_are_not_public(guides) -> None:
    school = Unit.objects.get(code="school-2")
    commitments_draft_save(unit=school, title="草稿承诺", entries=["草稿里的承诺"])
    body = _texts(Client().get(reverse("portal:commitments")))
    assert "草稿里的承诺" not in body
    # Publishing it replaces the earlier list.
    commitments_publish(version=commitments_latest(unit_id=school.pk))
    body = _texts(Client().get(reverse("portal:unit_commitments", args=["school-2"])))
    assert "草稿里的承诺" in body


def test_list_query_count_is_constant(guides, django_assert_max_num_queries) -> None:
    client = Client()
    client.get(reverse("portal:guide_list"))  # warm caches (site contacts, sessions)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("portal:guide_list"))
    school = Unit.objects.get(code="school-1")
    for n in range(15):
        item = guide_item_create(code=f"extra-{n}", unit=school)
        guide_publish(
            version=guide_draft_save(
                item=item, fields={**FIELDS, "name": f"事项{n}"}, materials=MATERIALS
            )
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("portal:guide_list"))
    assert response.context["page"].paginator.count == 25


def test_list_is_rate_limited(guides, settings) -> None:
    settings.XIAONENG_RATE_GUIDES = (2, 600)
    client = Client()
    assert client.get(reverse("portal:guide_list")).status_code == 200
    assert client.get(reverse("portal:guide_list"), {"q": "x"}).status_code == 200
    refused = client.get(reverse("portal:guide_list"), {"q": "y"})
    assert refused.status_code == 429
    assert refused["Retry-After"]


def test_pages_answer_get_only(school_item) -> None:
    client = Client()
    assert client.post(reverse("portal:guide_list")).status_code == 405
    assert client.post(reverse("portal:guide_detail", args=["school-bus"])).status_code == 405


def test_nul_in_the_search_is_ignored_not_an_error(client, demo_org) -> None:
    for query in ({"q": "转学\x00"}, {"unit": "school-1\x00"}):
        assert client.get(reverse("portal:guide_list"), query).status_code == 200


def _no_page_script(html: str) -> bool:
    """The page works without a script of its own: only the web kit's shared helpers load."""
    tags = re.findall(r"<script[^>]*>", html)
    return all(re.search(r'src="/static/web/(forms|regions)\.js"', tag) for tag in tags)


def test_english_readers_get_the_guides_english(guides) -> None:
    """With English chosen, the portal's guide pages read the English of each text (issue 26,
    item 6); Chinese readers keep the Chinese."""
    detail = reverse("portal:guide_detail", args=["diploma-proof"])
    checklist = reverse("portal:guide_checklist", args=["diploma-proof"])
    english = _texts(EN().get(detail)) + _texts(EN().get(checklist))
    for text in (
        "Replacement proof of education",
        "Archives Law of the People&#x27;s Republic of China",
        "The student archive is consulted",
        "Application form for a replacement proof of education",
        "Where someone else applies on your behalf",
        "Free of charge",
        "Education Bureau window, 2nd floor",
        "Working days 9:00-12:00",
    ):
        assert text in english, text
    for text in ("学历证明补办", "查阅学籍档案", "毕业证书遗失声明", "不收费", "市民中心二楼"):
        assert text not in english, text
    chinese = _texts(Client().get(detail))
    assert "学历证明补办" in chinese
    assert "查阅学籍档案" in chinese
    assert "Replacement proof of education" not in chinese

    listing = EN().get(reverse("portal:guide_list"), {"q": "transfer"})
    codes = {v.item.code for v in listing.context["page"].object_list}
    assert codes == {"school-transfer", "teacher-transfer"}
    body = _texts(listing)
    assert "School transfer in compulsory education" in body
    assert "义务教育阶段转学" not in body
    # The unit filter reads the unit's English name too.
    assert '<option value="bureau">Example City Education Bureau</option>' in body
