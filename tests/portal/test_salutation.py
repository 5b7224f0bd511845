"""A public reply never starts "***您好": a salutation that names the person reads "您好：" on
the tracking page, the published results and Open311; one without personal data is kept."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from xiaoneng.cases.models import Case
from xiaoneng.cases.services import case_rate, case_register
from xiaoneng.privacy import neutral_salutation, public_reply

from .conftest import staff_reply

pytestmark = pytest.mark.django_db

NAME = "周晓梅"


@pytest.mark.parametrize(
    ("written", "public"),
    [
        (f"{NAME}您好：经查已退费。", "您好：经查已退费。"),
        (f"尊敬的{NAME}家长，您好！经查已退费。", "您好：经查已退费。"),
        (f"{NAME}：\n您好！经查已退费。", "您好：经查已退费。"),
        ("周女士您好，经查已退费。", "您好：经查已退费。"),
        (f"Dear {NAME}, the fee was refunded.", "Hello, the fee was refunded."),
        ("尊敬的家长：您好！经查已退费。", "尊敬的家长：您好！经查已退费。"),
        ("您好：经查已退费。", "您好：经查已退费。"),
        ("经查已退费。请联系周主任。", "经查已退费。请联系周主任。"),
    ],
)
def test_public_reply_salutation(written: str, public: str) -> None:
    assert public_reply(written, [NAME]) == public
    assert not public_reply(written, [NAME]).startswith("***")


def test_an_already_masked_salutation_is_neutral() -> None:
    assert neutral_salutation("***您好：已处理。") == "您好：已处理。"
    assert neutral_salutation("周**您好：已处理。") == "您好：已处理。"


def test_every_public_surface_addresses_nobody_by_name(client, users, basic, api_key) -> None:
    from xiaoneng.cases.models import Category

    registered = case_register(
        by=None,
        channel="online",
        kind="complaint",
        category=Category.objects.get(code="fees"),
        content="学校收取补课费。",
        requester_name=NAME,
        requester_phone="13700004444",
        consent_publish=True,
    )
    case = staff_reply(registered.case, users, basic, text=f"{NAME}您好：经查已责令退费。")
    page = client.post(
        reverse("portal:track"),
        {"code": case.tracking_code, "secret": registered.tracking_secret},
    ).content.decode()
    assert 'data-testid="reply">您好：经查已责令退费。' in page
    assert "***您好" not in page
    case = case_rate(case=case, satisfaction="satisfied", resolved=True)
    results = client.get(reverse("portal:results")).content.decode()
    assert "您好：经查已责令退费。" in results
    assert "***您好" not in results
    response = client.get(f"/open311/v2/requests/{case.number}.json")
    notes = json.loads(response.content)[0]["status_notes"]
    assert notes == "您好：经查已责令退费。"
    assert Case.objects.get(pk=case.pk).reply_text.startswith(NAME)  # the record is kept whole
