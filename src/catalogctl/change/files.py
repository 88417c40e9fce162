"""Change files as every change command reads them: the lint-checked catalog,
the change requests in it, one found by id, and the states that need a
window or a closure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from catalogctl.load import kinds
from catalogctl.load.errors import UsageError
from catalogctl.load.suggest import did_you_mean
from catalogctl.model.entities import Catalog, ChangeRequest
from catalogctl.model.policy import Policy
from catalogctl.workspace.workspace import Workspace, open_workspace

CHANGE = kinds.CHANGE.name
WINDOW_STATES = frozenset({"scheduled", "implement", "review", "closed"})
CLOSURE_STATES = frozenset({"review", "closed"})


def load_changes(start: Path, today: dt.date | None = None) -> tuple[Workspace, Catalog, Policy]:
    workspace = open_workspace(start)
    result = workspace.lint(today or dt.date.today())
    return workspace, result.catalog, result.policy


def sorted_changes(catalog: Catalog) -> list[ChangeRequest]:
    found = [e for e in catalog.of_kind(CHANGE) if isinstance(e, ChangeRequest)]
    return sorted(found, key=lambda c: c.id)


def find_change(catalog: Catalog, text: str) -> ChangeRequest:
    change_id = text.split("/", 1)[1] if text.lower().startswith("change/") else text
    change = catalog.get(CHANGE, change_id)
    if not isinstance(change, ChangeRequest):
        ids = [c.id for c in sorted_changes(catalog)]
        hint = did_you_mean(change_id, ids) or "; `catalogctl change list` lists them"
        raise UsageError(f"no ChangeRequest with id '{change_id}'{hint}")
    return change
