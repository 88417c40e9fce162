"""Where the tests' shared material lives, whatever folder a test module is in."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent  # the project checkout: its catalog doubles as the reference catalog
CASES = TESTS / "cases"  # lint case directories (tests/cases/README.md)
GOLDEN = TESTS / "golden"  # exact outputs
DATA = TESTS / "data"  # third-party schemas and scripts, vendored with their licences
