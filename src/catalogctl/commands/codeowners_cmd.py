"""`catalogctl codeowners [--check]`: write or check .github/CODEOWNERS."""

from __future__ import annotations

import difflib
import os
import sys
import tempfile
from pathlib import Path

from catalogctl import codeowners, kinds, loader
from catalogctl.commands import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.commands.diff_cmd import head_catalog
from catalogctl.commands.workspace import find_root
from catalogctl.policy import read_policy
from catalogctl.sources import SourceError, WorkTree


def generate(root: Path, jobs: int) -> codeowners.Codeowners:
    """CODEOWNERS for the working tree's catalog (no schema validation: lint does that)."""
    source = WorkTree(root)
    try:
        catalog = head_catalog(source, jobs)
        policy_raw = source.read(kinds.POLICY_FILE)
    except SourceError as error:
        raise UsageError(str(error)) from None
    policy_data = loader.load(kinds.POLICY_FILE, policy_raw)[0].data if policy_raw else None
    return codeowners.generate(catalog, read_policy(policy_data).cab_team)


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
    """Replace `path` atomically, keeping its permissions (or the umask's for a new file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def execute(*, start: Path, check: bool, output: Path | None, jobs: int) -> int:
    root = find_root(start)
    target = output if output is not None else root / codeowners.DEFAULT_OUTPUT
    result = generate(root, jobs)
    for warning in result.warnings:
        print(f"catalogctl: warning: {warning}", file=sys.stderr)
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
