"""What the tests that build real git repositories share."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import Result

# Fixed identities and dates: commits (and so SHAs) are the same on every run,
# and no user or system git configuration leaks into a test repository.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.com",
    "GIT_AUTHOR_DATE": "2026-03-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-03-01T12:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


def git(cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> str:
    """Run git with the fixed identity and no user or system configuration;
    fails the test on a non-zero exit. Returns stdout, stripped."""
    result = subprocess.run(
        ["git", "-c", "core.autocrlf=false", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV, "GIT_CONFIG_GLOBAL": os.devnull, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def commit_at(
    cwd: Path,
    when: str,
    message: str = "change",
    *,
    author: str = "Test Author",
    email: str = "author@example.com",
) -> str:
    """Stage everything and commit it with author and committer date `when`
    (ISO 8601 with an offset); returns the new commit's SHA."""
    dates = {
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": email,
    }
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--allow-empty", "-m", message, env=dates)
    return git(cwd, "rev-parse", "HEAD")


def ci_yaml(ci_id: str, ci_type: str, relations: str = "") -> str:
    """A production, in-service ConfigurationItem owned by team ops;
    `relations` is the YAML list's items, already indented by four spaces."""
    text = f"""\
apiVersion: catalogctl/v1
kind: ConfigurationItem
metadata:
  id: {ci_id}
  name: {ci_id} item
spec:
  type: {ci_type}
  environment: production
  owner: ops
  status: in-service
"""
    if relations:
        text += "  relations:\n" + relations
    return text


def change_yaml(
    change_id: str,
    state: str,
    *,
    change_type: str = "normal",
    services: tuple[str, ...] = ("payroll",),
    cis: tuple[str, ...] = (),
    owner: str = "ops",
    window: tuple[str, str] | None = None,
    code: str | None = None,
    backed_out: bool = False,
    notes: str = "Done.",
) -> str:
    """A change request as `catalogctl new` writes it (2-space block YAML)."""
    lines = [
        "apiVersion: catalogctl/v1",
        "kind: ChangeRequest",
        "metadata:",
        f"  id: {change_id}",
        f"  name: Change {change_id}",
        "spec:",
        f"  type: {change_type}",
        *(["  template: os-patch"] if change_type == "standard" else []),
        f"  state: {state}",
        "  requester: carol",
        f"  owner: {owner}",
        "  targets:",
        *([f"    services: [{', '.join(services)}]"] if services else []),
        *([f"    cis: [{', '.join(cis)}]"] if cis else []),
        "  risk: {impact: low, likelihood: low}",
    ]
    if window is not None:
        lines += ["  window:", f"    start: {window[0]}", f"    end: {window[1]}"]
    lines += [
        "  plan:",
        "    implementation: Do it.",
        "    backout: Undo it.",
        "    validation: Check it.",
    ]
    if code is not None:
        lines += ["  closure:", f"    code: {code}", f"    notes: {notes}"]
        if backed_out:
            lines.append("    backedOut: true")
    return "\n".join(lines) + "\n"


def incident_yaml(
    incident_id: str,
    *,
    priority: str = "P1",
    services: tuple[str, ...] = ("payroll",),
    reported: str,
    responded: str | None = None,
    resolved: str | None = None,
    outage: tuple[str, str] | None = None,
    state: str = "resolved",
    cause: dict[str, str] | None = None,
    review: bool = False,
) -> str:
    """An incident record; impact is `outage` when `outage` is given, else degraded."""
    lines = [
        "apiVersion: catalogctl/v1",
        "kind: Incident",
        "metadata:",
        f"  id: {incident_id}",
        f"  name: Incident {incident_id}",
        "spec:",
        f"  priority: {priority}",
        f"  services: [{', '.join(services)}]",
        f"  impact: {'outage' if outage else 'degraded'}",
        f"  reported: {reported}",
        *([f"  responded: {responded}"] if responded else []),
        *([f"  resolved: {resolved}"] if resolved else []),
        *(["  outage:", f"    start: {outage[0]}", f"    end: {outage[1]}"] if outage else []),
        f"  state: {state}",
        *(["  cause:", *(f"    {k}: {v}" for k, v in cause.items())] if cause else []),
        f"  summary: Public summary of {incident_id}.",
    ]
    if review:
        lines += [
            "  review:",
            "    timeline: Internal timeline.",
            "    factors: Internal factors.",
            "    actions: [Internal action]",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git configuration leaks into the repositories a test
    builds, commits are reproducible, and errors are not turned into tracebacks.
    A test module opts in with `pytestmark = pytest.mark.usefixtures("isolated_git")`
    after importing it."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("CATALOGCTL_DEBUG", raising=False)


def one_error_line(result: Result) -> str:
    """A usage error: exit 2, one line on stderr, no output, no traceback."""
    assert result.exit_code == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("catalogctl: error:"), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    assert result.stdout == ""
    return lines[0]


def assert_usage_error(result: Result, *needles: str) -> None:
    """The command could not run (exit 2): one line saying why and what to do,
    nothing on stdout, no traceback; each of `needles` is in that line."""
    line = one_error_line(result)
    assert isinstance(result.exception, SystemExit), result.exception
    for needle in needles:
        assert needle in line, line


class WorkTree:
    """File operations on a test repository's working tree; subclasses add git."""

    path: Path

    def write(self, rel: str, text: str | bytes) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} is not exactly once in {rel}"
        self.write(rel, text.replace(old, new))
