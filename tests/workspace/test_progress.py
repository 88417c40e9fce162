"""Progress of long runs on stderr: a live counter on a terminal, a line every
few seconds elsewhere (a CI log), nothing for a short run, never on stdout."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.cli.base import Counter
from catalogctl.load import workers
from paths import REPO

TODAY = "2026-11-28"


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    root.mkdir()
    for name in ("catalog", "changes", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "catalogctl.yaml", root)
    return root


def lint(root: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["-C", str(root), "--no-cache", "lint", "--today", TODAY, *args]
    )


def files_of(root: Path) -> int:
    return sum(1 for _ in root.glob("catalog/**/*.yaml")) + sum(
        1 for _ in root.glob("changes/**/*.yaml")
    )


def test_a_short_run_prints_no_progress_off_a_terminal(catalog: Path) -> None:
    result = lint(catalog)
    assert result.exit_code == 0
    assert result.stderr == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_long_run_writes_whole_lines_off_a_terminal(
    catalog: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """EVERY at zero stands for a run longer than the interval: each report
    is then a line of its own, ending with the whole count."""
    monkeypatch.setattr(Counter, "EVERY", 0.0)
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 10)
    result = lint(catalog, "--format", "json", "--jobs", jobs)
    assert result.exit_code == 0
    json.loads(result.stdout)  # stdout holds the report only
    total = files_of(catalog)
    lines = result.stderr.splitlines()
    assert lines, "no progress at all"
    assert all(line.startswith("catalogctl: checked ") for line in lines)
    assert "\r" not in result.stderr and "\033" not in result.stderr
    assert lines[-1] == f"catalogctl: checked {total:,}/{total:,} files"
    counts = [int(line.split()[2].split("/")[0].replace(",", "")) for line in lines]
    assert counts == sorted(counts)


def test_the_counter_rewrites_one_line_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    counter = Counter(live=True)
    counter(10, 30)
    counter(30, 30)
    err = capsys.readouterr().err
    # click drops the line erase (ANSI) when the stream is not really a terminal
    assert err == "\rchecked 10/30 files\rchecked 30/30 files\r"


def test_off_a_terminal_lines_are_spaced_in_time(capsys: pytest.CaptureFixture[str]) -> None:
    counter = Counter("generated {done}/{total} pages", live=False)
    for done in range(1, 100):
        counter(done, 100)  # all within EVERY seconds of the start: nothing yet
    counter(100, 100)
    assert capsys.readouterr().err == ""  # a short run stays silent, its end included
    counter.last -= Counter.EVERY
    counter(50, 100)
    counter(60, 100)
    counter(100, 100)
    assert capsys.readouterr().err.splitlines() == [
        "catalogctl: generated 50/100 pages",
        "catalogctl: generated 100/100 pages",
    ]
