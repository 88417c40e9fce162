"""A small real catalog in a git repository, for the import and export tests."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from catalogctl.cli import main
from gitrepo import git

TODAY = "2026-11-28"
POLICY = "apiVersion: catalogctl/v1\nkind: Policy\n"
CAB = """\
apiVersion: catalogctl/v1
kind: Team
metadata:
  id: cab
  name: Change Advisory Board
spec:
  github: example/cab
  members: [boss]
  email: cab@example.com
"""


def make_catalog(root: Path, files: dict[str, str] | None = None) -> Path:
    """A committed catalog: the policy, the CAB team and `files`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalogctl.yaml").write_text(POLICY, encoding="utf-8")
    for rel, text in {"catalog/teams/cab.yaml": CAB, **(files or {})}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "catalog")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


def changed_files(root: Path) -> list[str]:
    """What the working tree changed since the last commit (git's own view)."""
    return git(root, "status", "--porcelain", "--untracked-files=all").splitlines()


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), *args])


def lint_errors(root: Path) -> list[dict[str, object]]:
    import json

    result = run(root, "lint", "--format", "json", "--today", TODAY)
    report = json.loads(result.output)
    return [d for d in report["diagnostics"] if d["severity"] == "error"]
