"""`catalogctl scorecard [KIND/ID]`: each service's level, its failed checks and
what to do next. A report, so it exits 0; `lint` (rule scorecard-level) is the gate.

The JSON shape (`"version": 1`) is described in docs/scorecards.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from catalogctl.load import kinds, yamlsafe
from catalogctl.load.diagnostics import Diagnostic
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.model.entities import Service
from catalogctl.model.policy import Policy, read_policy
from catalogctl.model.rubric import Rubric
from catalogctl.model.scorecard import ServiceScore, evaluate, evaluate_all
from catalogctl.workspace.workspace import Workspace, find_entity, open_workspace, parse_ref


@dataclass(frozen=True)
class Scorecards:
    """What `catalogctl scorecard` found: the value its renderers receive."""

    rubric: Rubric
    scores: tuple[ServiceScore, ...]
    today: dt.date
    single: bool  # one service asked for by KIND/ID


def load_policy(workspace: Workspace, raw: bytes | None) -> Policy:
    """The policy, refused (exit 2) when its scorecards cannot be trusted: a
    report from a half-read rubric would be wrong without saying so."""
    if raw is None:
        raise UsageError(f"{kinds.POLICY_FILE} cannot be read in {workspace.root}")
    checked = workspace.check_policy(raw)
    blocking: list[Diagnostic] = [
        d
        for d in checked.diagnostics
        if d.rule != "schema" or (d.path or "").startswith("scorecards")
    ]
    if checked.data is None or blocking:
        first = min(blocking, key=lambda d: (d.line, d.column)) if blocking else None
        where = f"{first.file}:{first.line}:{first.column}: {first.message}" if first else ""
        raise UsageError(
            f"{where or kinds.POLICY_FILE}; fix it first (`catalogctl lint` lists all)"
        )
    policy = read_policy(checked.data)
    problems = policy.scorecards.problems
    if problems:
        node = yamlsafe.compose(raw.decode("utf-8", "replace"))
        line, column = yamlsafe.locate(node, problems[0].path)
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        raise UsageError(
            f"{kinds.POLICY_FILE}:{line}:{column}: {problems[0].message}{more}; "
            "fix the rubric first (`catalogctl lint` lists all)"
        )
    return policy


def execute(
    *,
    start: Path,
    ref_text: str | None,
    render: Callable[[Scorecards], str],
    today: dt.date,
    jobs: int,
) -> int:
    if ref_text is not None:  # a malformed or non-service ref fails before anything is read
        kind, _ = parse_ref(ref_text)
        if kind is not kinds.SERVICE:
            raise UsageError(
                f"'{ref_text}' is a {kind.name}; scorecards are for services, e.g. service/payroll"
            )
    workspace = open_workspace(start)
    policy = load_policy(workspace, workspace.source.read(kinds.POLICY_FILE))
    catalog = workspace.catalog(jobs)
    if ref_text is not None:
        entity = find_entity(catalog, ref_text)
        assert isinstance(entity, Service)  # parse_ref chose the kind
        scores = [evaluate(catalog, policy, today, entity)]
    else:
        scores = evaluate_all(catalog, policy, today)
    write_output(
        render(Scorecards(policy.scorecards, tuple(scores), today, ref_text is not None)), None
    )
    return EXIT_OK
