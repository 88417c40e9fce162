"""Change-request rules that need no git history (the gate checks transitions)."""

from __future__ import annotations

from collections.abc import Iterable

from catalogctl.lint.rules.registry import Finding, RuleContext, rule
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Severity
from catalogctl.model.entities import ChangeRequest, parse_instant

CLOSURE_STATES = frozenset({"review", "closed"})


@rule("change-window", Severity.ERROR)
def change_window(ctx: RuleContext) -> Iterable[Finding]:
    """A change window ends before (or when) it starts.

    `spec.window.start` and `spec.window.end` are compared as instants, offsets
    included, so `23:00+01:00` to `22:30Z` is a window of 30 minutes, not a
    negative one. Fix whichever of the two is wrong."""
    for entity in ctx.catalog.of_kind(kinds.CHANGE.name):
        window = entity.spec.get("window")
        if not isinstance(window, dict):
            continue
        start, end = parse_instant(window.get("start")), parse_instant(window.get("end"))
        if start is not None and end is not None and end <= start:
            yield Finding(
                entity,
                ("spec", "window", "end"),
                f"spec.window.end: {window['end']} is not after the start {window['start']}",
            )


@rule("change-closure", Severity.ERROR)
def change_closure(ctx: RuleContext) -> Iterable[Finding]:
    """A change in `review` or `closed` has no closure record.

    Post-implementation review needs the outcome: `spec.closure.code`
    (successful, successful-with-issues, unsuccessful) and notes."""
    for entity in ctx.catalog.of_kind(kinds.CHANGE.name):
        assert isinstance(entity, ChangeRequest)
        if entity.state in CLOSURE_STATES and not isinstance(entity.spec.get("closure"), dict):
            yield Finding(
                entity,
                ("spec", "state"),
                f"spec.closure: a change in state '{entity.state}' needs "
                "spec.closure with a code and notes",
                at_key=True,
            )
