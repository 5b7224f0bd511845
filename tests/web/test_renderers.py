"""The Python-rendered widgets give exactly the markup of Django's templates."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from xiaoneng.web.renderers import FormRenderer


class Everything(forms.Form):
    name = forms.CharField(label="名称 <b>", max_length=20, help_text="help")
    count = forms.IntegerField(required=False, min_value=0)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    agree = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("b", mark_safe("<i>b</i>"))])
    grouped = forms.ChoiceField(
        choices=[("一组", [("1", "一"), ("2", "二")]), ("3", '三 "quoted"')], required=False
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    radio = forms.ChoiceField(choices=[("r", "R")], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("p", "P")], widget=forms.CheckboxSelectMultiple, required=False
    )


BOUND = {
    "name": 'a "<quoted>" & name',
    "count": "-3",
    "email": "not-an-email",
    "hidden": "h&",
    "day": "2026-12-06",
    "agree": "on",
    "body": "line 1\n<script>",
    "kind": "a",
    "grouped": "2",
    "many": ["x", "y"],
    "radio": "r",
    "boxes": ["p"],
}


@pytest.mark.parametrize("data", [None, BOUND, {"kind": "zzz"}])
def test_every_field_renders_as_djangos_templates_would(data) -> None:
    ours = Everything(data, renderer=FormRenderer()).as_div()
    theirs = Everything(data, renderer=DjangoTemplates()).as_div()
    assert ours == theirs
    assert "<option" in ours


def test_labels_render_as_djangos_templates_would() -> None:
    for renderer in (FormRenderer(), DjangoTemplates()):
        form = Everything(BOUND, renderer=renderer)
        rendered = [str(field.label_tag()) for field in form]
        if isinstance(renderer, FormRenderer):
            ours = rendered
        else:
            assert ours == rendered
    assert '<label for="id_name">名称 &lt;b&gt;:</label>' in ours


def test_the_project_renders_forms_with_it(settings) -> None:
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "xiaoneng.web.renderers.FormRenderer"
    get_default_renderer.cache_clear()
    assert isinstance(get_default_renderer(), FormRenderer)
