"""Form fields the pages share: several files in one input, and the searchable pickers of
units and departments.

A picker is an ordinary ``<select>`` (it works without JavaScript) marked ``data-searchable``;
``web/static/web/forms.js`` puts a filter box above it that hides the options not matching what
is typed (no library, nothing from a CDN). Its options are labelled by ``org.labels``: a
department always with its unit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model, QuerySet

from xiaoneng.org.labels import department_label, unit_label

SEARCHABLE = "data-searchable"  # the attribute forms.js looks for


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def searchable(widget: forms.Widget) -> forms.Widget:
    """Mark a select (or multiple select) for the filter box of forms.js."""
    widget.attrs[SEARCHABLE] = "1"
    return widget


def department_options(departments: list[Any]) -> list[tuple[int, str]]:
    """(id, "unit · department") for a list read with its units."""
    return [(department.pk, department_label(department)) for department in departments]


class _DepartmentLabels:
    """Departments labelled with their units, read with the units joined (never a query per
    option), in a searchable picker."""

    widget_class: type[forms.Select] = forms.Select

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", searchable(self.widget_class()))
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset: QuerySet[Any] | None) -> None:
        if queryset is not None:
            queryset = queryset.select_related("unit")
        forms.ModelChoiceField._set_queryset(self, queryset)  # type: ignore[attr-defined]

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def label_from_instance(self, obj: Model) -> str:
        return department_label(obj)


class DepartmentChoiceField(_DepartmentLabels, forms.ModelChoiceField):
    """A department, labelled with its unit, in a searchable picker."""


class DepartmentMultipleChoiceField(_DepartmentLabels, forms.ModelMultipleChoiceField):
    """Several departments, each labelled with its unit, in a searchable multiple select."""

    widget_class = forms.SelectMultiple


class _UnitLabels:
    """Units by their short names, in a searchable picker."""

    widget_class: type[forms.Select] = forms.Select

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", searchable(self.widget_class()))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Model) -> str:
        return unit_label(obj)


class UnitChoiceField(_UnitLabels, forms.ModelChoiceField):
    """A unit, by its short name, in a searchable picker."""


class UnitMultipleChoiceField(_UnitLabels, forms.ModelMultipleChoiceField):
    """Several units, by their short names, in a searchable multiple select."""

    widget_class = forms.SelectMultiple
