"""placeholder-text looks at the catalog's JSON text a slice at a time: a
placeholder is found whichever slice holds it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from catalogctl.lint.rules import placeholders
from catalogctl.workspace.workspace import open_workspace
from paths import REPO


@pytest.mark.parametrize("size", [1, 2, 7, 1000])
def test_every_slice_size_finds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    root = tmp_path / "catalog"
    root.mkdir()
    for name in ("catalog", "changes", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "catalogctl.yaml", root)
    edits = {
        "catalog/teams/cab.yaml": ("members:\n", "members:\n    - your-github-login\n"),
        "catalog/services/infrastructure/database-platform.yaml": (
            "  name: Database Platform (SQL Server)",
            "  name: Describe the change",
        ),
    }
    for path, (old, new) in edits.items():
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setattr(placeholders, "_SLICE", size)
    result = open_workspace(root, use_cache=False).lint(dt.date(2026, 11, 28))
    found = sorted((d.file, d.path) for d in result.diagnostics if d.rule == "placeholder-text")
    assert found == [
        ("catalog/services/infrastructure/database-platform.yaml", "metadata.name"),
        ("catalog/teams/cab.yaml", "spec.members[0]"),
    ]
