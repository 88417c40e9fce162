"""`catalogctl lint`: check the catalog and report in the chosen format."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from catalogctl import __version__
from catalogctl.lint import engine
from catalogctl.lint.report import Report, Reporter
from catalogctl.load.diagnostics import Severity
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.load.textsafe import visible
from catalogctl.workspace.workspace import open_workspace


def _within(paths: Sequence[str], root: Path, cwd: Path) -> tuple[str, ...]:
    """User paths -> repo-relative prefixes; each must exist inside the catalog."""
    prefixes = []
    for raw in paths:
        path = (cwd / raw).resolve()
        try:
            rel = path.relative_to(root)
        except ValueError:
            raise UsageError(f"{raw}: outside the catalog at {root}") from None
        if not path.exists():
            raise UsageError(f"{raw}: no such file or folder")
        prefixes.append(rel.as_posix())
    return tuple(prefixes)


def _selected(file: str, prefixes: tuple[str, ...]) -> bool:
    return any(p in ("", ".") or file == p or file.startswith(p + "/") for p in prefixes)


def execute(
    *,
    start: Path,
    paths: Sequence[str],
    fmt: str,
    output: Path | None,
    strict: bool,
    quiet: bool,
    ref: str | None,
    today: dt.date,
    jobs: int,
    color: bool,
    reporter: Reporter,
    progress: engine.Progress | None = None,
    use_cache: bool = True,
) -> int:
    workspace = open_workspace(start, ref, use_cache=use_cache)
    prefixes = _within(paths, workspace.root, start.resolve()) if paths else ()
    result = workspace.lint_summary(today, jobs, progress)
    diagnostics = result.diagnostics
    if prefixes:
        diagnostics = tuple(d for d in diagnostics if _selected(d.file, prefixes))
    if quiet:
        diagnostics = tuple(d for d in diagnostics if d.level is Severity.ERROR)
    files = result.files
    report = Report(
        diagnostics=diagnostics,
        files=files if not prefixes else tuple(f for f in files if _selected(f, prefixes)),
        entities=result.entities,
        suppressed=sum(1 for d in result.suppressed if not prefixes or _selected(d.file, prefixes)),
        strict=strict,
        color=color and output is None,
        version=__version__,
    )
    text = reporter.render(report)
    if quiet and fmt == "text":
        text = "".join(line + "\n" for line in text.splitlines()[:-1])
    write_output(text, output, escaped=report.color)  # TextReporter escapes what it colours
    summary = reporter.summary(report)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(visible(summary))
    failed = report.errors > 0 or (strict and report.warnings > 0)
    return EXIT_FINDINGS if failed else EXIT_OK
