"""Catalog tests match the English source messages."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english_messages() -> object:
    from django.utils import translation

    with translation.override("en"):
        yield
