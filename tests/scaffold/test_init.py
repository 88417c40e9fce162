"""`catalogctl init`: from an empty folder to a catalog that lints, diffs and
has its CODEOWNERS, in one command, with real git in tmp_path."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main

TODAY = "2026-11-28"
IDENTITY_VARS = (
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "EMAIL",
)


@pytest.fixture(autouse=True)
def no_git_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user or system git configuration, and no identity git could guess
    from the host name; returns the global config file a test may fill."""
    for name in IDENTITY_VARS:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tuseConfigOnly = true\n[commit]\n\tgpgsign = false\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return config


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def steps(output: str) -> list[str]:
    return re.findall(r"^  \d+\. (.*)$", output, re.MULTILINE)


def test_init_then_lint_and_diff_work_with_no_other_step() -> None:
    result = run("init", "acme-catalog", "--today", TODAY)
    assert result.exit_code == 0, result.output
    catalog = Path("acme-catalog").resolve()
    assert git(catalog, "rev-parse", "--show-toplevel") == str(catalog)
    assert git(catalog, "branch", "--show-current") == "main"
    assert git(catalog, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(catalog, "log", "--format=%an <%ae>") == "catalogctl <catalogctl@localhost>"
    # the fallback identity is said, with how to set one's own
    assert "catalogctl <catalogctl@localhost>" in result.output
    assert "git config --global user.name" in result.output
    assert steps(result.output)[0] == "cd acme-catalog"
    assert any(step.startswith("catalogctl lint") for step in steps(result.output))

    lint = run("-C", str(catalog), "lint", "--today", TODAY)
    assert lint.exit_code == 0, lint.output
    assert "0 errors" in lint.output
    diff = run("-C", str(catalog), "diff")
    assert diff.exit_code == 0, diff.output
    assert "0 changes" in diff.output


def test_init_commits_with_the_configured_identity(no_git_identity: Path) -> None:
    no_git_identity.write_text(
        "[user]\n\tname = Ada Admin\n\temail = ada@example.com\n[commit]\n\tgpgsign = false\n"
    )
    result = run("init", "catalog", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert git(Path("catalog"), "log", "--format=%an <%ae>") == "Ada Admin <ada@example.com>"
    assert "catalogctl@localhost" not in result.output


def test_init_in_the_current_folder_has_no_cd_step() -> None:
    result = run("init", ".", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "cd ." not in result.output
    assert not steps(result.output)[0].startswith("cd ")
    assert Path(".git").is_dir() and Path("catalogctl.yaml").is_file()


def test_init_inside_a_repository_commits_only_its_own_files() -> None:
    outer = Path.cwd()
    git(outer, "init", "-q", "-b", "trunk")
    (outer / "staged.txt").write_text("not init's\n")
    git(outer, "add", "staged.txt")
    result = run("init", "it/catalog", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert not (outer / "it/catalog/.git").exists()
    committed = git(outer, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert committed and all(name.startswith("it/catalog/") for name in committed)
    assert "A  staged.txt" in git(outer, "status", "--porcelain")
    assert steps(result.output)[0] == "cd it/catalog"


def test_codeowners_is_what_catalogctl_codeowners_writes() -> None:
    result = run("init", "catalog", "--github", "acme/it-catalog", "--today", TODAY)
    assert result.exit_code == 0, result.output
    text = Path("catalog/.github/CODEOWNERS").read_text(encoding="utf-8")
    assert "* @acme/cab" in text.splitlines()
    assert "/catalog/teams/cab.yaml @acme/cab" in text.splitlines()
    check = run("-C", "catalog", "codeowners", "--check")
    assert check.exit_code == 0, check.output
    assert "https://github.com/acme/it-catalog.git" in result.output


def test_the_starter_rubric_lints_clean_and_scores() -> None:
    assert run("init", "catalog", "--today", TODAY).exit_code == 0
    policy = Path("catalog/catalogctl.yaml").read_text(encoding="utf-8")
    assert "scorecards:" in policy and "levels: [bronze, silver, gold]" in policy
    # the next steps init prints, then an SLA
    for args in (
        ("team", "hr"),
        ("service", "payroll", "--owner", "hr"),
        ("sla", "payroll-sla"),
    ):
        made = run("-C", "catalog", "new", *args, "--today", TODAY)
        assert made.exit_code == 0, made.output
    lint = run("-C", "catalog", "lint", "--today", TODAY)
    assert lint.exit_code == 0, lint.output
    rules = set(re.findall(r"\[([a-z-]+)\]$", lint.output, re.MULTILINE))
    assert rules <= {"placeholder-text"}, lint.output
    scorecard = run("-C", "catalog", "scorecard", "--today", TODAY)
    assert scorecard.exit_code == 0, scorecard.output
    assert "payroll" in scorecard.output


def test_init_rejects_a_github_value_that_is_not_owner_repo() -> None:
    result = run("init", "catalog", "--github", "https://github.com/acme", "--today", TODAY)
    assert result.exit_code != 0
    assert "OWNER/REPO" in result.output
    assert not Path("catalog").exists()
