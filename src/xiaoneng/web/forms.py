"""The base forms of every page: forms parse, services decide.

``HelpfulForm`` is what every form of the office and the portal builds on. It gives:

- plain messages that name the field: "请填写手机号码" instead of "这个字段是必填项。", and
  "内容不能超过5000字（现在5230字）" instead of "确保该变量包含不超过 5000 字符";
- one message per field: a field that already has an error gets no second one from ``clean()``
  (``add_error`` keeps the first);
- an ``error_summary`` that the shared include ``web/_error_summary.html`` lists at the top of
  the page, each entry a link to its field (Django marks the field ``aria-invalid`` and points
  its ``aria-describedby`` at the field's own message);
- a character counter on long text (a textarea with a maximum length) through
  ``web/static/web/forms.js``.

``OfficeForm`` is the staff pages' variant: labels above their fields, so no colon after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _

COUNTED = "data-counted"  # the attribute forms.js looks for


@dataclass(frozen=True)
class SummaryEntry:
    field_id: str  # the id of the input ("" for an error about the whole form)
    label: str
    message: str


def _max_length(field: forms.Field) -> int | None:
    for validator in field.validators:
        if isinstance(validator, validators.MaxLengthValidator):
            return int(validator.limit_value)
    return None


def _messages(field: forms.Field, label: str) -> None:
    """Replace Django's generic messages with ones that say which field and what to do."""
    field.error_messages["required"] = _("Please fill in %(label)s") % {"label": label}
    if isinstance(field, forms.EmailField):
        field.error_messages["invalid"] = _("Please enter an e-mail address, like name@example.cn")
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.error_messages["invalid"] = _("Please enter a date such as 2026-03-01")
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        field.error_messages["invalid"] = _("Please enter a number")
    if isinstance(field, forms.ChoiceField):
        field.error_messages["invalid_choice"] = _("Please choose one of the options")
    for index, validator in enumerate(field.validators):
        if isinstance(validator, validators.MaxLengthValidator):
            field.validators[index] = validators.MaxLengthValidator(
                validator.limit_value,
                _("No more than %(limit_value)s characters (now %(show_value)s)"),
            )
        elif isinstance(validator, validators.MinLengthValidator):
            field.validators[index] = validators.MinLengthValidator(
                validator.limit_value,
                _("At least %(limit_value)s characters (now %(show_value)s)"),
            )


class HelpfulForm(forms.Form):
    """Plain messages, one per field, an error summary and counters (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(field.label or name.replace("_", " "))
            _messages(field, label)
            limit = _max_length(field)
            if limit and isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault(COUNTED, str(limit))

    def add_error(self, field: str | None, error: Any) -> None:
        """One message per problem: a field that already failed keeps its first message."""
        if field and field in self.errors:
            return
        super().add_error(field, error)

    @property
    def error_summary(self) -> list[SummaryEntry]:
        """Each problem of the form, in field order, for the summary at the top of the page."""
        if not self.is_bound or not self.errors:
            return []
        entries = [SummaryEntry("", "", str(message)) for message in self.non_field_errors()]
        for bound in self:
            for message in bound.errors:
                entries.append(SummaryEntry(bound.id_for_label, str(bound.label), str(message)))
        return entries


class OfficeForm(HelpfulForm):
    """Labels sit above their fields, so no colon after them (and none half-width in Chinese)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
