"""The open public on the portal: an SMS code through the outbox, one answer per phone."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.evaluation.conftest import relay_tokens
from xiaoneng.evaluation.models import PanelCount, PhoneCode, PublicVoter, Response

pytestmark = pytest.mark.django_db


def _code(sms) -> str:
    relay_tokens(sms)
    return re.search(r"(\d{6})", sms.handed[-1][1]).group(1)


def test_one_answer_per_phone_after_an_sms_code(users, open_round, sms) -> None:
    unit = open_round.units.order_by("id").first()
    url = reverse("evaluation_public:unit", args=[unit.pk])
    visitor = Client()
    assert visitor.get(url).status_code == 200
    assert visitor.post(url, {"step": "send", "phone": "12345"}).status_code == 400
    visitor.post(url, {"step": "send", "phone": "13955556666"})
    assert (
        visitor.post(url, {"step": "send", "phone": "13955556666"}).status_code == 400
    )  # a minute
    code = _code(sms)
    assert PhoneCode.objects.get().code_hash != code
    wrong = "000000" if code != "000000" else "111111"
    assert (
        visitor.post(url, {"step": "verify", "phone": "13955556666", "code": wrong}).status_code
        == 400
    )
    assert (
        visitor.post(url, {"step": "answer", "q-used": "no", "q-speed": "5"}).status_code == 200
    )  # not verified
    assert not Response.objects.exists()
    assert (
        visitor.post(url, {"step": "verify", "phone": "13955556666", "code": code}).status_code
        == 302
    )
    page = visitor.get(url).content.decode()
    assert "data-questionnaire" in page
    assert visitor.post(url, {"step": "answer", "q-used": "no", "q-speed": "5"}).status_code == 302
    assert Response.objects.filter(round_unit=unit, panel__kind="public").count() == 1
    assert PanelCount.objects.get(round_unit=unit, panel__kind="public").answered == 1
    assert {f.name for f in PublicVoter._meta.concrete_fields} == {
        "id",
        "round_unit",
        "phone_index",
    }
    # The same phone again, in another browser: refused at the first step.
    other = Client()
    again = other.post(url, {"step": "send", "phone": "+86 139 5555 6666"})
    assert again.status_code == 400
    assert "verify-error" in again.content.decode()
    assert Response.objects.count() == 1


def test_closed_or_private_rounds_take_no_public_answers(users, make_round) -> None:
    private = make_round(public_open=False)
    unit = private.units.first()
    assert Client().get(reverse("evaluation_public:unit", args=[unit.pk])).status_code == 404
