"""`catalogctl diff [BASE] [HEAD]`: what a pull request really changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from catalogctl.load import gitsides
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.load.sources import GitTree, Source, SourceError, WorkTree
from catalogctl.model.entities import Ref
from catalogctl.model.impact import EMPTY, Impact, impact_of
from catalogctl.review import signals
from catalogctl.review.diff import diff_sides, text_edits
from catalogctl.review.report import DiffReport
from catalogctl.workspace.workspace import Workspace, open_workspace


def build_report(
    root: Path, base: str | None, head: str | None, impact: bool, jobs: int = 1
) -> DiffReport:
    try:
        sides = gitsides.read_sides(root, base, head)
        source: Source = (
            WorkTree(root)
            if sides.head is None
            else GitTree(root, sides.head, known=(sides.top, sides.prefix, sides.head))
        )
    except SourceError as error:
        raise UsageError(str(error)) from None
    head_side = Workspace(root, source)
    # the head's reference index, made from the base's and the changed files
    base_tree = GitTree(root, sides.base, known=(sides.top, sides.prefix, sides.base))
    catalog = head_side.references(jobs, [base_tree]) if impact else None
    schedules = head_side.policy().schedules
    changes = tuple(diff_sides(sides.base_side, sides.head_side))
    edits = text_edits(sides.base_side, sides.head_side, list(changes))
    impacts: dict[str, Impact] | None = None
    total: Impact | None = None
    if catalog is not None:
        # a move without an edit changes nothing anyone depends on
        impacts = {
            c.ref: impact_of(catalog, [Ref(c.kind, c.id)]) if c.op != "moved" else EMPTY
            for c in changes
        }
        total = EMPTY
        for one in impacts.values():
            total = total.merged(one)
    return DiffReport(
        base=sides.base,
        head=sides.head,
        changes=changes,
        signals=signals.compute(changes, schedules, catalog, edits),
        problems=sides.problems,
        other_files=sides.other_files,
        impact=total,
        impacts=impacts,
    )


def execute(
    *,
    start: Path,
    base: str | None,
    head: str | None,
    render: Callable[[DiffReport], str],
    exit_code: bool,
    impact: bool,
    output: Path | None,
    jobs: int | None,
) -> int:
    if jobs is None and impact:  # only impact loads the whole catalog (in workers)
        from catalogctl.load.workers import default_jobs

        jobs = default_jobs()
    report = build_report(open_workspace(start).root, base, head, impact, jobs or 1)
    write_output(render(report), output)
    return EXIT_FINDINGS if exit_code and report.changes else EXIT_OK
