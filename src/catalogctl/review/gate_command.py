"""`catalogctl gate`: evaluate a pull request against the CAB rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from catalogctl.load import gitsides, kinds
from catalogctl.load.diagnostics import Severity
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.load.sources import GitTree, SourceError, git
from catalogctl.review.diff import diff_sides, text_edits, unexplained
from catalogctl.review.gate import evaluate
from catalogctl.review.ledger import GateInput, GateResult
from catalogctl.review.reviews import ReviewsError, Verdicts, load, verdicts
from catalogctl.workspace.workspace import Workspace, open_workspace


def _used_change_ids(top: Path, prefix: str, base: str) -> frozenset[str]:
    """Ids of change, incident and problem files deleted anywhere in the
    base's history (their prefixes keep the three apart)."""
    out = git(
        top,
        "log",
        "--format=",
        "--name-only",
        "--no-renames",  # a renumbered file is a deletion of its old id
        "--diff-filter=D",
        base,
        "--",
        prefix + kinds.CHANGES_DIR,
        prefix + kinds.INCIDENTS_DIR,
        prefix + kinds.PROBLEMS_DIR,
    )
    names = (line.rsplit("/", 1)[-1] for line in out.decode("utf-8", "replace").splitlines())
    return frozenset(n.removesuffix(".yaml") for n in names if n.endswith(".yaml"))


def build(
    root: Path,
    base: str,
    head: str,
    reviews_path: Path | None,
    author: str | None,
    head_sha: str | None,
    now: dt.datetime,
    jobs: int,
) -> GateInput:
    try:
        sides = gitsides.read_sides(root, base, head)
        assert sides.head is not None
        known = (sides.top, sides.prefix)
        base_side = Workspace(root, GitTree(root, sides.base, known=(*known, sides.base)))
        head_side = Workspace(root, GitTree(root, sides.head, known=(*known, sides.head)))
        # the base's schemas and policy judge the head
        if base_side.policy_text() is None:
            raise UsageError(f"{kinds.POLICY_FILE} does not exist at the base {base}")
        policy = base_side.policy()
        linted = head_side.lint(now.date(), jobs, judged_by=base_side)
        # the head's own policy file must still be valid (it becomes the next base)
        policy_errors = base_side.check_policy(head_side.policy_text() or b"").diagnostics
        # what the gate reads of the base: owners, members, templates, risk
        base_catalog = base_side.references(jobs)
        used = _used_change_ids(sides.top, sides.prefix, sides.base)
        reviews = load(reviews_path) if reviews_path is not None else []
    except (SourceError, ReviewsError) as error:
        raise UsageError(str(error)) from None
    head_commit = head_sha or sides.head
    changes = diff_sides(sides.base_side, sides.head_side)
    edits = text_edits(sides.base_side, sides.head_side, changes)
    strays = unexplained(sides.base_side, sides.head_side, changes, edits)
    return GateInput(
        base=sides.base,
        head=sides.head,
        base_catalog=base_catalog,
        head_catalog=linted.catalog,
        policy=policy,
        changes=tuple(changes),
        other_files=tuple(sorted({*sides.other_files, *strays})),
        lint_errors=tuple(d for d in linted.diagnostics if d.level is Severity.ERROR)
        + tuple(policy_errors),
        verdicts=verdicts(reviews, head_commit, author)
        if reviews
        else Verdicts(frozenset(), frozenset(), frozenset(), frozenset()),
        author=author,
        now=now,
        used_change_ids=used,
        text_edits=edits,
        lint_warnings=tuple(d for d in linted.diagnostics if d.level is Severity.WARNING),
    )


def execute(
    *,
    start: Path,
    base: str,
    head: str,
    reviews: Path | None,
    author: str | None,
    head_sha: str | None,
    now: dt.datetime,
    render: Callable[[GateResult], str],
    output: Path | None,
    jobs: int,
) -> int:
    root = open_workspace(start).root
    result = evaluate(build(root, base, head, reviews, author, head_sha, now, jobs))
    write_output(render(result), output)
    return EXIT_FINDINGS if result.result == "fail" else EXIT_OK
