"""Shared pytest configuration."""

from __future__ import annotations

import os

import pytest


def require(available: bool, reason: str) -> None:
    """Skip a test whose tool or file is missing, on a developer's machine;
    on CI (`CI` set) fail instead: CI installs everything, so a missing
    tool there is a broken set-up, not a reason to test less."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: everything the tests need must be installed)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def private_result_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each test's runs share one result cache of their own, outside the folders
    the test compares (a repository's .git is part of some snapshots) and
    outside the user's cache. tests/load/test_cache.py tests the default places."""
    monkeypatch.setenv("CATALOGCTL_CACHE_DIR", str(tmp_path_factory.mktemp("result-cache")))
    monkeypatch.delenv("CATALOGCTL_NO_CACHE", raising=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: builds or installs something (a wheel, a venv); runs by default, "
        "deselect with -m 'not slow'",
    )
