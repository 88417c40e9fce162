"""`catalogctl change advance`: move a change request to its next state.

It writes through `output.replace_file` (temporary file and rename) and
edit in place with `editing`, so comments, key order and line ends survive.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from catalogctl.change import calendar, editing
from catalogctl.change.files import CLOSURE_STATES, WINDOW_STATES, find_change, load_changes
from catalogctl.load import loader, yamlsafe
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import replace_file
from catalogctl.load.textsafe import visible
from catalogctl.model import workflow
from catalogctl.model.entities import Catalog, ChangeRequest, parse_instant
from catalogctl.model.policy import Policy

# ---------------------------------------------------------------- advance


def _missing(spec: Mapping[str, Any], state: str) -> list[str]:
    """What `state` needs that the change does not have yet."""
    needs = []
    if state in WINDOW_STATES:
        window = spec.get("window")
        start = parse_instant(window.get("start")) if isinstance(window, dict) else None
        end = parse_instant(window.get("end")) if isinstance(window, dict) else None
        if start is None or end is None:
            needs.append("spec.window with start and end (ISO 8601 with offset)")
        elif end <= start:
            needs.append("a spec.window that ends after it starts")
    if state in CLOSURE_STATES:
        closure = spec.get("closure")
        if not isinstance(closure, dict) or not isinstance(closure.get("code"), str):
            needs.append(
                "spec.closure with a code (successful, successful-with-issues, unsuccessful)"
            )
    return needs


def advance_change(*, start: Path, change_id: str, state: str, dry_run: bool) -> int:
    workspace, catalog, policy = load_changes(start)
    change = find_change(catalog, change_id)
    path = workspace.root / change.file
    raw = path.read_bytes()
    loaded, root = loader.load(change.file, raw)
    if loaded.data is None:
        first = loaded.diagnostics[0]
        raise UsageError(f"{first.file}:{first.line}:{first.column}: {first.message}; fix it first")
    text = raw.decode("utf-8")
    bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
    text = text.removeprefix(bom)
    spec = loaded.data.get("spec") if isinstance(loaded.data.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    current, change_type = spec.get("state"), spec.get("type")
    if not isinstance(change_type, str) or change_type not in workflow.PATHS:
        raise UsageError(
            f"{change.file}: spec.type {change_type!r} is not one of {', '.join(workflow.PATHS)}"
        )
    if current not in workflow.STATES:
        raise UsageError(
            f"{change.file}: spec.state {current!r} is not a workflow state; fix it first"
        )
    if current in workflow.TERMINAL:
        raise UsageError(
            f"{change.id} is {current}; closed and canceled changes are final and are not edited"
        )
    legal = workflow.transitions(change_type).get(current, ())
    if state == current:
        raise UsageError(f"{change.id} is already in state {state}")
    if not workflow.allowed(change_type, current, state):
        raise UsageError(
            f"{change.id} ({change_type} change) cannot move from {current} to {state}; "
            f"legal next states: {', '.join(legal) or 'none'}"
        )
    needs = _missing(spec, state)
    if needs:
        raise UsageError(f"{change.id} cannot enter {state} without " + "; ".join(needs))
    try:
        edited = editing.set_state(text, state)
    except editing.EditError as error:
        raise UsageError(f"{change.file}: {error}") from None
    line, _ = yamlsafe.locate(root, ("spec", "state"))
    where = f"{change.file}:{line}"
    if dry_run:
        print(visible(f"{where}: spec.state {current} -> {state} (dry run: nothing written)"))
    else:
        replace_file(path, (bom + edited).encode("utf-8"))
        print(visible(f"{where}: spec.state {current} -> {state}"))
    if state in calendar.ACTIVE_STATES:
        for note in _scheduling_notes(catalog, policy, change):
            print(visible(f"warning: {note}"), file=sys.stderr)
    return EXIT_OK


def _scheduling_notes(catalog: Catalog, policy: Policy, change: ChangeRequest) -> list[str]:
    """Conflicts a change entering scheduled/implement would have (the gate decides)."""
    window = calendar.change_window(change)
    if window is None:
        return []
    notes = [c.message() for c in calendar.change_conflicts(catalog, change)]
    for freeze in calendar.freezes_of(policy, window):
        conflict = calendar.freeze_conflict(change, freeze)
        if conflict is not None:
            notes.append(conflict.message())
    return notes
