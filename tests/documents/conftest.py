"""An application for 教师资格认定 with two materials missing, and helpers to read documents."""

from __future__ import annotations

import io

import pytest
from docx import Document

from xiaoneng.applications.models import Application
from xiaoneng.applications.services import (
    application_check_materials,
    application_register,
)
from xiaoneng.catalog.guides import ServiceItem

MISSING = ("普通话水平测试等级证书", "教师资格认定体检表")


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def application(users, guides) -> Application:
    item = ServiceItem.objects.get(code="teacher-cert")
    application = application_register(
        by=users["intake"],
        item=item,
        requester_name="林<b>小雨</b>&",
        requester_phone="13800001111",
    )
    provided = [
        m.pk for m in application.service_item_version.materials.all() if m.name not in MISSING
    ]
    application_check_materials(case=application.case, provided=provided, by=users["intake"])
    application.refresh_from_db()
    return application
