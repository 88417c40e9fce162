"""`site build` says what it is doing: its stages, the pages generated, and
that MkDocs still runs, so a long build is never silent for long."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_site import NOW, copy_catalog

from catalogctl.cli import main
from catalogctl.cli.base import Counter
from catalogctl.site import command as site_command
from catalogctl.site import project as site_project


def test_site_build_reports_its_stages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A heartbeat far shorter than the build and EVERY at zero stand for a
    long build: every kind of report must then appear, in order."""
    monkeypatch.setattr(site_command, "HEARTBEAT_SECONDS", 0.05)
    monkeypatch.setattr(Counter, "EVERY", 0.0)
    monkeypatch.setattr(site_project, "QUIET_SECONDS", 0.0)
    root = copy_catalog(tmp_path / "repo")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["-C", str(root), "site", "build", "--now", NOW, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    pages = sum(1 for _ in out.rglob("index.html")) - 1  # 404 aside, one per page
    assert lines[0] == "catalogctl: loading and checking the catalog"
    generated = [line for line in lines if line.startswith("catalogctl: generated ")]
    assert generated, result.stderr
    # The checks across files end silently: the next step says it has begun.
    assert lines.index("catalogctl: generating the pages") < lines.index(generated[0])
    # Every step of the generation reports, before and after the service pages.
    assert len(generated) > pages // 100 + 2, generated
    building = lines.index(next(line for line in lines if "MkDocs is building" in line))
    assert lines.index(generated[-1]) < building
    count = int(lines[building].split()[4].replace(",", ""))
    assert count >= pages > 0
    assert any("MkDocs is still building (" in line for line in lines[building + 1 :])
    # Replacing a large previous site takes seconds after the last heartbeat.
    assert lines[-1] == f"catalogctl: MkDocs is done; putting the site in place ({out})"
    assert result.stdout == f"catalogctl: public site written to {out}\n"
