"""A superuser in production is a system-check error (三员分立: production has no superuser)."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from xiaoneng.org.checks import check_no_superuser_in_production

pytestmark = pytest.mark.django_db


def test_superuser_in_production_is_an_error(settings) -> None:
    settings.PRODUCTION = True
    UserFactory(username="root", is_superuser=True)
    errors = check_no_superuser_in_production(databases=["default"])
    assert [error.id for error in errors] == ["xiaoneng.E001"]
    assert "root" in errors[0].msg


def test_no_superuser_is_clean(settings) -> None:
    settings.PRODUCTION = True
    UserFactory(username="someone")
    assert check_no_superuser_in_production(databases=["default"]) == []


def test_embedded_mode_does_not_complain(settings) -> None:
    settings.PRODUCTION = False
    UserFactory(username="root", is_superuser=True)
    assert check_no_superuser_in_production(databases=["default"]) == []
