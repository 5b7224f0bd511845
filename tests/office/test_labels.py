"""Labels in the reader's language on the office pages: the admin's header, the data labels
(categories, channels, kinds) and no raw codes (issue 26, item 6)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("language", "header", "wrong"),
    [
        ("zh-hans", "效能 · 机关效能监察平台", "Xiaoneng administrative"),
        ("en", "Xiaoneng administrative-efficiency supervision platform", "机关效能监察平台"),
    ],
)
def test_the_admin_header_reads_in_the_readers_language(
    client, demo_org, demo_password, language, header, wrong
) -> None:
    client.login(username="sysadmin", password=demo_password)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    text = _text(html)
    assert header in text
    assert wrong not in text
    if language == "zh-hans":
        assert "Xiaoneng" not in text
        assert "系统管理" in text


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("zh-hans", "招生入学", "Enrolment and admission"), ("en", "Enrolment and admission", None)],
)
def test_the_category_reads_in_the_readers_language(
    client, users, demo_password, language, shown, hidden
) -> None:
    from xiaoneng.cases.models import Category
    from xiaoneng.cases.services import case_register

    case = case_register(
        by=users["intake"],
        channel="hotline",
        kind="complaint",
        category=Category.objects.get(code="enrolment"),
        title="学校违规收取择校费",
        content="家长反映第一中学在招生时违规收取择校费，请核查。",
        requester_name="张家长",
        requester_phone="13912345678",
    ).case
    client.login(username="xiaoneng", password=demo_password)
    html = client.get(
        reverse("office:case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    text = _text(html)
    assert shown in text
    if hidden:
        assert hidden not in text
    # The first-contact officer's workbench lists the case waiting for dispatch, by category.
    client.login(username="intake", password=demo_password)
    home = _text(client.get(reverse("office:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert case.number in home
    assert shown in home
    if hidden:
        assert hidden not in home


def test_a_category_without_an_english_name_falls_back_to_chinese(demo_org) -> None:
    from django.utils import translation

    from xiaoneng.cases.models import Category

    category = Category.objects.create(code="new-topic", name="新话题")
    with translation.override("en"):
        assert str(category) == "新话题"
    category.name_en = "New topic"
    with translation.override("en"):
        assert str(category) == "New topic"
    with translation.override("zh-hans"):
        assert str(category) == "新话题"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_cards_and_findings_read_as_words_not_codes(demo_org, language) -> None:
    from django.utils import translation

    from xiaoneng.cases.models import Signal
    from xiaoneng.supervision.models import Finding

    with translation.override(language):
        card = str(Signal(pk=5, level="yellow"))
        finding = str(Finding(pk=3, type="no_badge"))
    assert "yellow" not in card
    assert "no_badge" not in finding
    if language == "zh-hans":
        assert "黄牌" in card
        assert "工作牌" in finding
    else:
        assert "Yellow" in card
