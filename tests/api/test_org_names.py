"""The API keeps the organisation's Chinese names whatever the request's language: the English
names (``name_en``) are for the pages only (issue 26, item 6)."""

from __future__ import annotations

from tests.api.conftest import Api


def test_units_and_departments_keep_their_chinese_names_in_english(hotline) -> None:
    english = {"Accept-Language": "en"}
    units = {u["code"]: u for u in Api(hotline.key).get("/units", headers=english).json()}
    assert units["school-1"]["name"] == "示例市第一中学"
    assert units["school-1"]["short_name"] == "第一中学"
    departments = Api(hotline.key).get("/departments", headers=english).json()
    assert "效能办" in {d["name"] for d in departments}
    assert "Efficiency Office" not in {d["name"] for d in departments}
