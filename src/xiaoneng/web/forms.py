"""The base form of every staff page: forms parse, services decide."""

from __future__ import annotations

from typing import Any

from django import forms


class OfficeForm(forms.Form):
    """Labels sit above their fields, so no colon after them (and none half-width in Chinese)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
