"""Shared pytest configuration."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: builds or installs something (a wheel, a venv); runs by default, "
        "deselect with -m 'not slow'",
    )
