"""GET /service-items and /service-items/{code}: published guides only, the catalog:read
scope, filters and every field of the detail."""

from __future__ import annotations

import pytest

from xiaoneng.api.services import apiclient_create, apikey_issue
from xiaoneng.catalog.guide_selectors import guide_published_version
from xiaoneng.catalog.guide_services import guide_draft_save, guide_item_create, guide_publish
from xiaoneng.catalog.guides import ServiceItem
from xiaoneng.org.models import Unit

from .conftest import Api

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "校车接送登记",
    "item_type": "public_service",
    "legal_basis": "《校车安全管理条例》第二十条",
    "conditions": "就读本校的走读学生",
    "process_steps": "提交登记表\n学校审核",
    "statutory_limit": 15,
    "committed_limit": 7,
    "fees": "每学期300元",
    "fee_basis": "价格文件〔2026〕8号",
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
        "conditional": True,
    },
]


@pytest.fixture
def guides(guides: None) -> None:
    """The demo guides (the shared fixture of the same name), and a school's own guide."""
    school = Unit.objects.get(code="school-1")
    item = guide_item_create(code="school-bus", unit=school, sort_order=99)
    guide_publish(version=guide_draft_save(item=item, fields=FIELDS, materials=MATERIALS))


@pytest.fixture
def no_catalog(demo_org) -> Api:
    client = apiclient_create(name="只登记案件", scopes=["cases:create"], by=None)
    return Api(apikey_issue(client=client, by=None).plaintext)


def test_list_published_items(guides, school) -> None:
    response = school.get("/service-items")
    assert response.status_code == 200
    items = response.json()
    assert len(items) == 11
    bus = next(item for item in items if item["code"] == "school-bus")
    assert bus["unit"] == Unit.objects.get(code="school-1").pk
    assert bus["committed_limit"] == 7
    assert bus["statutory_limit"] == 15
    assert bus["item_type"] == "public_service"
    assert bus["version"] == 1


def test_list_filters_by_unit_type_and_words(guides, school) -> None:
    assert [i["code"] for i in school.get("/service-items", unit="school-1").json()] == [
        "school-bus"
    ]
    licences = school.get("/service-items", type="licence").json()
    assert licences
    assert all(i["item_type"] == "licence" for i in licences)
    assert [i["code"] for i in school.get("/service-items", q="校车 接送").json()] == ["school-bus"]
    assert school.get("/service-items", q="没有这个事项").json() == []
    assert len(school.get("/service-items", limit=3).json()) == 3
    assert school.get("/service-items", type="bogus").status_code == 400


def test_detail_has_every_field_and_the_materials(guides, school) -> None:
    body = school.get("/service-items/school-bus").json()
    for name in (
        "name",
        "item_type",
        "legal_basis",
        "conditions",
        "fees",
        "fee_basis",
        "window_address",
        "window_hours",
        "enquiry_phone",
        "supervision_phone",
        "statutory_limit",
        "committed_limit",
        "online",
    ):
        assert body[name] == FIELDS[name], name
    assert body["process_steps"] == ["提交登记表", "学校审核"]
    assert body["unit_name"] == Unit.objects.get(code="school-1").name
    assert [m["name"] for m in body["materials"]] == ["学生证", "家长委托书"]
    assert body["materials"][1] == {
        "name": "家长委托书",
        "copies": 2,
        "form": "original",
        "file_format": "A4纸",
        "notes": "",
        "conditional": True,
    }


def test_drafts_and_old_versions_are_never_served(guides, school) -> None:
    item = ServiceItem.objects.get(code="school-bus")
    guide_publish(
        version=guide_draft_save(
            item=item, fields={**FIELDS, "name": "校车登记（新）"}, materials=MATERIALS
        )
    )
    guide_draft_save(item=item, fields={**FIELDS, "name": "草稿名称"}, materials=MATERIALS)
    only_draft = guide_item_create(code="draft-only", unit=Unit.objects.get(code="bureau"))
    guide_draft_save(item=only_draft, fields=FIELDS, materials=MATERIALS)

    names = [i["name"] for i in school.get("/service-items").json()]
    assert "校车登记（新）" in names
    assert "草稿名称" not in names
    assert "校车接送登记" not in names
    assert school.get("/service-items", q="草稿").json() == []
    detail = school.get("/service-items/school-bus").json()
    assert detail["name"] == "校车登记（新）"
    assert detail["version"] == guide_published_version(item=item).number == 2
    missing = school.get("/service-items/draft-only")
    assert missing.status_code == 404
    assert set(missing.json()) >= {"code", "message", "message_zh", "message_en", "fields"}
    assert school.get("/service-items/no-such-item").status_code == 404


def test_scope_is_required(guides, no_catalog) -> None:
    for path in ("/service-items", "/service-items/school-bus"):
        refused = no_catalog.get(path)
        assert refused.status_code == 403
        assert refused.json()["code"] == "missing_scope"
        assert "catalog:read" in refused.json()["message_en"]


def test_anonymous_is_refused(guides) -> None:
    assert Api().get("/service-items").status_code == 401


def test_staff_session_may_read(guides, staff_api) -> None:
    assert staff_api("handler_a").get("/service-items/school-bus").status_code == 200


def test_list_query_count_is_constant(guides, school, django_assert_max_num_queries) -> None:
    school.get("/service-items")
    with django_assert_max_num_queries(30) as few:
        school.get("/service-items")
    unit = Unit.objects.get(code="school-2")
    for n in range(10):
        item = guide_item_create(code=f"extra-{n}", unit=unit)
        guide_publish(version=guide_draft_save(item=item, fields=FIELDS, materials=MATERIALS))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(school.get("/service-items").json()) == 21


def test_the_official_json_keeps_the_chinese_for_english_readers(guides, school) -> None:
    headers = {"Accept-Language": "en"}
    body = school.get("/service-items/diploma-proof", headers=headers).json()
    assert body["name"] == "学历证明补办"
    assert body["process_steps"][0] == "窗口收件"
    assert body["materials"][0]["name"] == "申请人身份证"
    assert "name_en" not in body
