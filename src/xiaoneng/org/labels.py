"""How a unit and a department are named wherever a person picks or reads one: a department
always with its unit (第一中学 · 校长办公室, never a bare 校长办公室). The one place these labels
are built, in the active language (the pickers of web/fields.py, the case forms' department
choices)."""

from __future__ import annotations

from typing import Any

SEPARATOR = " · "


def unit_label(unit: Any) -> str:
    """The unit's short name where it has one, else its name (the English name on English
    pages when it has one)."""
    return str(unit.short_label)


def department_label(department: Any) -> str:
    """ "第一中学 · 校长办公室": the unit, then the department (read with ``unit`` joined)."""
    return f"{unit_label(department.unit)}{SEPARATOR}{department.label}"
