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
