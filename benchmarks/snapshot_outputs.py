"""Run every command's main forms on the reference catalog and keep the outputs.

A refactoring must not change what users see. Run this before and after,
into two folders, and compare them:

    python benchmarks/snapshot_outputs.py /tmp/before
    ... refactor ...
    python benchmarks/snapshot_outputs.py /tmp/after
    diff -r /tmp/before /tmp/after && echo identical

The catalog is copied into a fresh git repository (two commits, so `diff`,
`gate` and `report` have history) and every run uses a fixed `--now` /
`--today`, so two runs of the same code give the same bytes. Each output
file holds the exit code, stdout and stderr of one command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("catalog", "changes", "incidents", "problems", "schemas", "site", "catalogctl.yaml")
NOW = "2026-12-04T09:00:00Z"
TODAY = "2026-12-04"
ENV = {
    "GIT_AUTHOR_NAME": "Snapshot",
    "GIT_AUTHOR_EMAIL": "snapshot@example.com",
    "GIT_COMMITTER_NAME": "Snapshot",
    "GIT_COMMITTER_EMAIL": "snapshot@example.com",
    "GIT_AUTHOR_DATE": "2026-12-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-12-01T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "NO_COLOR": "1",
}

# name -> arguments after `catalogctl -C REPO`
COMMANDS: dict[str, list[str]] = {
    "lint-text": ["lint", "--today", TODAY],
    "lint-json": ["lint", "--today", TODAY, "--format", "json"],
    "lint-github": ["lint", "--today", TODAY, "--format", "github"],
    "lint-sarif": ["lint", "--today", TODAY, "--format", "sarif"],
    "lint-junit": ["lint", "--today", TODAY, "--format", "junit"],
    "rules": ["rules"],
    "rules-md": ["rules", "--format", "markdown"],
    "schema-service": ["schema", "service"],
    "show-service": ["show", "service/payroll"],
    "show-ci": ["show", "ci/sql-fra-01"],
    "impact": ["impact", "ci/sql-fra-01"],
    "graph-mermaid": ["graph", "service/payroll", "--format", "mermaid"],
    "graph-dot": ["graph", "--format", "dot"],
    "diff-text": ["diff", "main~1", "main"],
    "diff-md": ["diff", "--format", "markdown", "main~1", "main"],
    "diff-json": ["diff", "--format", "json", "main~1", "main"],
    "gate-json": ["gate", "--base", "main~1", "--head", "main", "--now", NOW, "--format", "json"],
    "gate-md": ["gate", "--base", "main~1", "--head", "main", "--now", NOW, "--format", "markdown"],
    "change-list": ["change", "list"],
    "change-list-json": ["change", "list", "--format", "json"],
    "change-show": ["change", "show", "chg-2027-0002"],
    "calendar": ["change", "calendar", "--now", NOW],
    "calendar-ics": ["change", "calendar", "--format", "ics", "--now", NOW],
    "report-text": ["report", "--until", TODAY],
    "report-json": ["report", "--until", TODAY, "--format", "json"],
    "report-md": ["report", "--until", TODAY, "--format", "markdown"],
    "sla-text": ["sla", "report", "--period", "2026-11"],
    "sla-json": ["sla", "report", "--period", "2026-Q4", "--format", "json"],
    "sla-md": ["sla", "report", "--period", "2026-10", "--format", "markdown"],
    "show-incident": ["show", "incident/inc-2026-0042"],
    "scorecard": ["scorecard"],
    "scorecard-json": ["scorecard", "--format", "json"],
    "scorecard-one": ["scorecard", "service/payroll"],
    "codeowners-check": ["codeowners", "--check"],
    "site-build": ["site", "build", "--out", "../site-out", "--now", NOW],
    # last: these write files, kept in `written.out`
    "new-service": ["new", "service", "snapshot-svc", "--owner", "hr-systems", "--today", TODAY],
    "new-change": ["new", "change", "--today", TODAY],
}


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, **ENV}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def make_repo(top: Path) -> Path:
    repo = top / "catalog-repo"
    repo.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name)
        else:
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q", "-b", "main")
    # the first commit lacks one service edit, so diff and gate have work
    service = repo / "catalog/services/hr/payroll.yaml"
    text = service.read_text(encoding="utf-8")
    assert "tier: 2" in text, "the reference payroll service changed: pick another edit"
    service.write_text(text.replace("tier: 2", "tier: 3", 1), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    service.write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "head")
    return repo


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: snapshot_outputs.py OUT_DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    exe = Path(sys.executable).parent / "catalogctl"
    with tempfile.TemporaryDirectory() as temp:
        repo = make_repo(Path(temp))
        env = {**os.environ, **ENV}
        for name, args in COMMANDS.items():
            done = subprocess.run(
                [str(exe), "-C", str(repo), *args], env=env, capture_output=True, check=False
            )
            text = (
                f"exit {done.returncode}\n--- stdout\n".encode()
                + done.stdout.replace(str(repo).encode(), b"<repo>")
                + b"\n--- stderr\n"
                + done.stderr.replace(str(repo).encode(), b"<repo>")
            )
            (out / f"{name}.out").write_bytes(text)
        site = Path(temp) / "site-out"
        for name in ("catalog.json", "maintenance.ics"):
            if (site / name).is_file():
                (out / f"site-{name}.out").write_bytes((site / name).read_bytes())
        status = subprocess.run(
            ["git", "status", "--porcelain", "-uall"], cwd=repo, capture_output=True, check=True
        ).stdout.decode()
        written = [status]
        for line in status.splitlines():
            path = repo / line[3:]
            if path.is_file():
                written.append(f"--- {line[3:]}\n{path.read_text(encoding='utf-8')}")
        (out / "written.out").write_text("\n".join(written), encoding="utf-8")
    print(f"{len(COMMANDS)} outputs in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
