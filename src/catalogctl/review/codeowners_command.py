"""`catalogctl codeowners [--check]`: write or check .github/CODEOWNERS."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.load.output import replace_file
from catalogctl.load.textsafe import visible
from catalogctl.review import codeowners
from catalogctl.workspace.workspace import Workspace, open_workspace


def generate(workspace: Workspace, jobs: int) -> codeowners.Codeowners:
    """CODEOWNERS for the working tree's catalog (no schema validation: lint does that)."""
    policy = workspace.policy()
    return codeowners.generate(workspace.catalog(jobs), policy.cab_team, policy.paths)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _read(path: Path) -> str | None:
    """The current file, line ends normalised (a CRLF checkout is not a change)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder; give --output a file name") from None
    return raw.decode("utf-8", "replace").replace("\r\n", "\n")


def _write(path: Path, text: str) -> None:
    """Replace `path` atomically (output.replace_file: an existing file keeps
    its mode, a new one gets the umask's); .github/ is created when missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, text.encode("utf-8"))


def execute(*, start: Path, check: bool, output: Path | None, jobs: int) -> int:
    workspace = open_workspace(start)
    root = workspace.root
    target = output if output is not None else root / codeowners.DEFAULT_OUTPUT
    result = generate(workspace, jobs)
    for warning in result.warnings:
        print(visible(f"catalogctl: warning: {warning}"), file=sys.stderr)
    text = result.render()
    shown = _shown(target, root)
    if not check:
        _write(target, text)
        print(f"wrote {shown} ({len(result.rules)} rules)", file=sys.stderr)
        return EXIT_OK
    current = _read(target)
    if current == text:
        print(f"{shown} is up to date", file=sys.stderr)
        return EXIT_OK
    diff = difflib.unified_diff(
        (current or "").splitlines(keepends=True),
        text.splitlines(keepends=True),
        fromfile=f"{shown} (committed)" if current is not None else "/dev/null",
        tofile=f"{shown} (generated)",
    )
    for line in diff:
        sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    sys.stdout.flush()
    state = "does not exist" if current is None else "is out of date"
    print(f"{shown} {state}: run `catalogctl codeowners` and commit it", file=sys.stderr)
    return EXIT_FINDINGS
