"""The web kit's base form: plain messages that name the field, one message per problem, the
error summary linking to each bad field, the character counter; and every form builds on it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import override

import xiaoneng
from tests.portal.conftest import submit_form
from xiaoneng.cases.models import Category
from xiaoneng.portal.forms import SubmitForm
from xiaoneng.web.forms import COUNTED, HelpfulForm, OfficeForm


@pytest.fixture
def category(demo_org) -> Category:
    return Category.objects.get(code="enrolment")


class Sample(OfficeForm):
    phone = forms.CharField(label="手机号码", max_length=11)
    content = forms.CharField(label="内容", max_length=5000, widget=forms.Textarea)
    email = forms.EmailField(label="邮箱", required=False)
    when = forms.DateField(label="日期", required=False)

    def clean(self):
        data = super().clean()
        if not data.get("phone"):
            self.add_error("phone", "请留下电话，以便答复。")
        return data


def test_required_and_too_long_say_which_field_and_by_how_much() -> None:
    with override("zh-hans"):
        form = Sample({"phone": "", "content": "字" * 5230})
        assert not form.is_valid()
        assert form.errors["phone"] == ["请填写手机号码"]
        assert form.errors["content"] == ["内容不能超过5000字（现在5230字）"]
    with override("en"):
        form = Sample({"phone": "1", "content": "x", "email": "nobody", "when": "tomorrow"})
        assert not form.is_valid()
        assert form.errors["email"] == ["Please enter an e-mail address, like name@example.cn"]
        assert form.errors["when"] == ["Please enter a date such as 2026-03-01"]


def test_one_message_per_problem_even_when_clean_adds_another() -> None:
    with override("zh-hans"):
        form = Sample({"phone": "", "content": "x"})
        assert not form.is_valid()
        assert form.errors["phone"] == ["请填写手机号码"]  # not also 请留下电话


@pytest.mark.django_db
def test_a_short_phone_number_on_the_portal_gets_one_error(category) -> None:
    with override("zh-hans"):
        form = SubmitForm(submit_form(category, requester_phone="1391"))
        assert not form.is_valid()
        assert len(form.errors["requester_phone"]) == 1


def test_error_summary_lists_each_bad_field_with_its_id() -> None:
    form = Sample({"phone": "", "content": "字" * 5001})
    assert not form.is_valid()
    summary = form.error_summary
    assert [entry.field_id for entry in summary] == ["id_phone", "id_content"]
    assert Sample().error_summary == []  # an unbound form has nothing to say


def test_long_text_gets_a_counter_and_short_text_does_not() -> None:
    form = Sample()
    assert form.fields["content"].widget.attrs[COUNTED] == "5000"
    assert COUNTED not in form.fields["phone"].widget.attrs
    html = str(form["content"])
    assert 'data-counted="5000"' in html
    assert 'maxlength="5000"' in html
    script = Path(xiaoneng.__file__).parent / "web" / "static" / "web" / "forms.js"
    assert "data-counted" in script.read_text()
    assert "http" not in script.read_text()  # nothing fetched from elsewhere


@pytest.mark.django_db
@override_settings(RATELIMIT_ENABLE=False)
def test_portal_page_shows_the_summary_linking_to_the_fields(client, category) -> None:
    with override("zh-hans"):
        data = submit_form(category, requester_phone="1391", content="")
        response = client.post(reverse("portal:submit"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html
    summary = html.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_content"' in summary
    assert 'href="#id_requester_phone"' in summary
    assert "这个字段是必填项" not in html
    assert 'id="id_requester_phone_error"' in html  # the field's aria-describedby target
    assert re.search(r'<script src="[^"]*web/forms\.js[^"]*" data-count=', html)


def _form_classes() -> list[type[forms.Form]]:
    found = []
    for module in pkgutil.walk_packages(xiaoneng.__path__, "xiaoneng."):
        if not re.search(r"\.(forms|office_forms)$", module.name):
            continue
        loaded = importlib.import_module(module.name)
        for _name, cls in inspect.getmembers(loaded, inspect.isclass):
            if cls.__module__ == module.name and issubclass(cls, forms.Form):
                found.append(cls)
    return found


# notify sits below the web kit's person module (which counts unread notifications), so its one
# form cannot import the web kit without a cycle.
NOT_YET = {"xiaoneng.notify.forms.ChannelPreferenceForm"}


def test_every_form_builds_on_the_helpful_base() -> None:
    classes = _form_classes()
    assert len(classes) > 40
    strays = [
        f"{cls.__module__}.{cls.__name__}"
        for cls in classes
        if not issubclass(cls, HelpfulForm) and f"{cls.__module__}.{cls.__name__}" not in NOT_YET
    ]
    assert strays == []
