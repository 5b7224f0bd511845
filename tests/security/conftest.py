from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "otp: keep the second factor required (XIAONENG_REQUIRE_OTP)"
    )
