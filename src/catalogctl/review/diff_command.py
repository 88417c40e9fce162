"""`catalogctl diff [BASE] [HEAD]`: what a pull request really changes."""

from __future__ import annotations

import importlib
from pathlib import Path

from catalogctl.load import gitsides as gitdiff
from catalogctl.load import kinds, loader
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.load.sources import GitTree, Source, SourceError, WorkTree
from catalogctl.model.entities import Catalog, Ref, build_entity
from catalogctl.model.impact import EMPTY, Impact, impact_of
from catalogctl.model.policy import read_policy
from catalogctl.reporters.diffbase import DiffReport
from catalogctl.review import signals
from catalogctl.review.diff import diff_sides, text_edits
from catalogctl.workspace.workspace import find_root

RENDERERS = {"json": "diffjson", "markdown": "diffmd", "text": "difftext"}


def head_catalog(source: Source, jobs: int) -> Catalog:
    """Every entity of the head side, loaded safely; no schema validation needed."""
    from catalogctl.load import workers

    with workers.gc_paused():
        loaded = workers.check_all(source.files(), None, jobs)
        entities = [e for r in loaded if r.data and (e := build_entity(r.path, r.data))]
        policy_raw = source.read(kinds.POLICY_FILE)
        policy_data = loader.load(kinds.POLICY_FILE, policy_raw)[0].data if policy_raw else None
        return Catalog.build(entities, read_policy(policy_data).schedules)


def build_report(
    root: Path, base: str | None, head: str | None, impact: bool, jobs: int = 1
) -> DiffReport:
    try:
        sides = gitdiff.read_sides(root, base, head)
        source: Source = (
            WorkTree(root)
            if sides.head is None
            else GitTree(root, sides.head, known=(sides.top, sides.prefix, sides.head))
        )
        catalog = head_catalog(source, jobs) if impact else None
        policy_raw = source.read(kinds.POLICY_FILE)
    except SourceError as error:
        raise UsageError(str(error)) from None
    changes = tuple(diff_sides(sides.base_side, sides.head_side))
    edits = text_edits(sides.base_side, sides.head_side, list(changes))
    policy_data = loader.load(kinds.POLICY_FILE, policy_raw)[0].data if policy_raw else None
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
        signals=signals.compute(changes, read_policy(policy_data).schedules, catalog, edits),
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
    fmt: str,
    exit_code: bool,
    impact: bool,
    output: Path | None,
    jobs: int | None,
) -> int:
    if jobs is None and impact:  # only impact loads the whole catalog (in workers)
        from catalogctl.load.workers import default_jobs

        jobs = default_jobs()
    report = build_report(find_root(start), base, head, impact, jobs or 1)
    renderer = importlib.import_module(f"catalogctl.reporters.{RENDERERS[fmt]}")
    text: str = renderer.render(report)
    write_output(text, output)
    return EXIT_FINDINGS if exit_code and report.changes else EXIT_OK
