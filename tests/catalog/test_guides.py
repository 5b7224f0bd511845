"""Service guides and commitments through the services: validation naming the field, drafts,
publishing, versions, and the demo items."""

from __future__ import annotations

import pytest
from django.utils import translation

from xiaoneng.audit.models import AuditEntry
from xiaoneng.catalog.guide_selectors import commitments_published, guide_published_version
from xiaoneng.catalog.guide_services import (
    GuideFieldError,
    commitments_draft_save,
    commitments_publish,
    guide_draft_save,
    guide_item_create,
    guide_publish,
)
from xiaoneng.catalog.guides import PublishStatus, ServiceItem, ServiceItemVersion
from xiaoneng.demo.guides import ITEMS, demo_guides_load
from xiaoneng.org.models import Department, Unit

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "教师资格认定",
    "item_type": "licence",
    "legal_basis": "《教师资格条例》",
    "conditions": "具备规定学历",
    "process_steps": "申报\n审查\n决定",
    "statutory_limit": 20,
    "committed_limit": 15,
    "fees": "不收费",
    "enquiry_phone": "0000-12345",
    "supervision_phone": "0000-12388",
    "online": True,
}
MATERIALS = [
    {"name": "身份证", "copies": 1, "form": "both"},
    {"name": "学历证书", "copies": 1, "form": "copy", "notes": "核验原件"},
]


@pytest.fixture
def item(demo_org) -> ServiceItem:
    bureau = Unit.objects.get(code="bureau")
    return guide_item_create(
        code="teacher-cert-test",
        unit=bureau,
        department=Department.objects.get(unit=bureau, code="personnel"),
    )


def test_committed_longer_than_statutory_is_refused_naming_the_field(item) -> None:
    with pytest.raises(GuideFieldError, match="Committed time limit") as refused:
        guide_draft_save(item=item, fields={**FIELDS, "committed_limit": 25}, materials=MATERIALS)
    assert refused.value.field == "committed_limit"
    assert "25" in str(refused.value)
    assert "20" in str(refused.value)
    assert not item.versions.exists()


def test_duplicate_materials_are_refused_naming_the_material(item) -> None:
    rows = [*MATERIALS, {"name": " 学历 证书 ", "copies": 2, "form": "original"}]
    with pytest.raises(GuideFieldError, match="学历 证书") as refused:
        guide_draft_save(item=item, fields=FIELDS, materials=rows)
    assert refused.value.field == "materials"


def test_publishing_without_a_supervision_phone_is_refused(item) -> None:
    draft = guide_draft_save(
        item=item, fields={**FIELDS, "supervision_phone": ""}, materials=MATERIALS
    )
    with pytest.raises(GuideFieldError, match="Supervision phone") as refused:
        guide_publish(version=draft)
    assert refused.value.field == "supervision_phone"
    draft.refresh_from_db()
    assert draft.status == PublishStatus.DRAFT


def test_drafts_are_edited_in_place_and_publishing_supersedes(item, users) -> None:
    draft = guide_draft_save(item=item, fields=FIELDS, materials=MATERIALS, by=users["sysadmin"])
    again = guide_draft_save(item=item, fields={**FIELDS, "fees": "免费"}, materials=MATERIALS[:1])
    assert again.pk == draft.pk
    assert again.number == 1
    assert list(again.materials.values_list("name", flat=True)) == ["身份证"]
    first = guide_publish(version=again, by=users["sysadmin"])
    assert guide_publish(version=first).pk == first.pk  # repeated: unchanged
    second = guide_publish(version=guide_draft_save(item=item, fields=FIELDS, materials=MATERIALS))
    first.refresh_from_db()
    assert (first.status, second.status, second.number) == ("superseded", "published", 2)
    assert guide_published_version(item=item) == second
    assert first.materials.count() == 1  # the old version keeps its materials
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"catalog.guide.draft_save", "catalog.guide.publish"} <= actions


def test_commitments_are_versioned_and_refuse_duplicates(demo_org) -> None:
    unit = Unit.objects.get(code="school-1")
    with pytest.raises(GuideFieldError):
        commitments_draft_save(unit=unit, title="承诺", entries=["一", "一"])
    version = commitments_publish(
        version=commitments_draft_save(unit=unit, title="承诺", entries=["一", "二", ""])
    )
    assert [e.text for e in version.entries.all()] == ["一", "二"]
    assert commitments_published(unit_id=unit.pk) == version


def test_demo_guides_load_ten_items_and_every_commitment(demo_org) -> None:
    demo_guides_load()
    demo_guides_load()  # idempotent
    assert ServiceItem.objects.count() == len(ITEMS) == 10
    for item in ServiceItem.objects.all():
        version = guide_published_version(item=item)
        assert version is not None
        assert version.number == 1
        assert version.committed_limit <= version.statutory_limit
        assert version.materials.exists()
        assert version.supervision_phone
    names = set(ServiceItem.objects.values_list("versions__name", flat=True))
    assert {"民办学校设立审批", "教师资格认定", "政府信息公开申请"} <= names
    for unit in Unit.objects.all():
        assert commitments_published(unit_id=unit.pk) is not None, unit.code


def test_demo_guides_have_english_for_every_text_and_material(demo_org) -> None:
    demo_guides_load()
    for item in ServiceItem.objects.all():
        version = guide_published_version(item=item)
        assert version is not None
        for name in ("name", "legal_basis", "conditions", "process_steps", "fees"):
            assert getattr(version, f"{name}_en"), (item.code, name)
        assert version.window_address_en
        assert version.window_hours_en
        assert version.fee_basis_en or not version.fee_basis, item.code
        for material in version.materials.all():
            assert material.name_en, (item.code, material.name)
            assert material.notes_en or not material.notes, (item.code, material.name)
            assert material.file_format_en or not material.file_format, material.name


def test_demo_adds_the_english_to_a_guide_published_without_it(demo_org) -> None:
    """A demo loaded before the guides had English gets a new version with it."""
    demo_guides_load()
    item = ServiceItem.objects.get(code="diploma-proof")
    ServiceItemVersion.objects.filter(item=item).update(name_en="")
    demo_guides_load()
    version = guide_published_version(item=item)
    assert version is not None
    assert (version.number, version.name_en) == (2, "Replacement proof of education")


def test_labels_read_in_the_readers_language_and_fall_back_to_chinese(item) -> None:
    fields = {**FIELDS, "name_en": "Test item", "process_steps_en": "Apply\n\nDecide\n"}
    materials = [
        {"name": "身份证", "copies": 2, "form": "both", "file_format": "A4纸", "name_en": "ID card"}
    ]
    with translation.override("zh-hans"):
        assert item.label == "尚未编写办事指南的事项"  # never the bare code
    version = guide_draft_save(item=item, fields=fields, materials=materials)
    material = version.materials.get()
    with translation.override("en"):
        assert (version.label, item.label) == ("Test item", "Test item")
        assert version.steps_label == ["Apply", "Decide"]
        assert version.legal_basis_label == version.legal_basis  # no English: the Chinese
        assert material.label == "ID card"
        assert material.describe_label() == "ID card (original and copy, 2 copies, A4纸)"
        # The notice's wording is the official Chinese whatever the reader's language.
        assert material.describe() == "身份证（原件及复印件，2份，A4纸）"
    with translation.override("zh-hans"):
        assert version.label == version.name
        assert version.steps_label == version.steps
        assert (
            material.describe_label() == material.describe() == "身份证（原件及复印件，2份，A4纸）"
        )
