"""`catalogctl change new`: a change request skeleton for a type and template.

The `new change` skeleton, adjusted in place (`editing`) for a standard or
emergency change and the template a standard change follows.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from catalogctl.change import editing
from catalogctl.change.files import load_changes
from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import replace_file
from catalogctl.model import workflow
from catalogctl.model.entities import ChangeTemplate
from catalogctl.scaffold.skeleton import next_change_id, write_skeleton


def _skeleton(text: str, change_type: str, template: ChangeTemplate | None) -> str:
    """The `new change` skeleton adjusted for another change type."""
    text = text.replace(
        " -> ".join(workflow.PATHS["normal"]), " -> ".join(workflow.PATHS[change_type])
    )
    aligned = re.search(r"^( *type: )normal( +)#", text, re.M)
    text = editing.replace_scalar(text, ("spec", "type"), change_type)
    if aligned:  # keep the comment in its column, as the skeleton has it
        column = aligned.end() - 1 - aligned.start()
        text = re.sub(
            rf"^( *type: {change_type})( +)#",
            lambda m: m.group(1) + " " * max(column - len(m.group(1)), 1) + "#",
            text,
            count=1,
            flags=re.M,
        )
    if template is not None:
        text = editing.insert_after(text, ("spec", "type"), "template", template.id)
        ci_types = template.spec.get("ciTypes")
        allowed = ", ".join(t for t in ci_types if isinstance(t, str)) if ci_types else "?"
        note = (
            f"  # Template {template.id}: targets CIs of type {allowed}; "
            f"window at most {template.spec.get('maxDuration', '?')}.\n"
        )
        newline = "\r\n" if "\r\n" in text else "\n"
        text = text.replace(
            "  targets:" + newline, note.replace("\n", newline) + "  targets:" + newline, 1
        )
    return text


def new_change(
    *,
    start: Path,
    entity_id: str | None,
    change_type: str | None,
    template: str | None,
    owner: str | None,
    today: dt.date,
) -> int:
    if change_type is None:
        change_type = "standard" if template else "normal"
    if template is not None and change_type != "standard":
        raise UsageError(f"--template is for standard changes only, not {change_type} ones")
    workspace, catalog, _ = load_changes(start, today)
    chosen: ChangeTemplate | None = None
    if change_type == "standard":
        templates = sorted(e.id for e in catalog.of_kind(kinds.TEMPLATE.name))
        if template is None:
            known = ", ".join(templates) or "none (add one in catalog/templates/)"
            raise UsageError(f"a standard change needs --template ID; templates: {known}")
        found = catalog.get(kinds.TEMPLATE.name, template)
        if not isinstance(found, ChangeTemplate):
            known = ", ".join(templates) or "none"
            raise UsageError(
                f"--template {template}: no ChangeTemplate with that id; templates: {known}"
            )
        chosen = found
    entity_id = entity_id or next_change_id(catalog, today.year)
    code = write_skeleton(
        start=start, kind_name="change", entity_id=entity_id, owner=owner, today=today
    )
    if code != EXIT_OK or change_type == "normal":
        return code
    target = workspace.root / kinds.entity_file(kinds.CHANGE, entity_id)
    raw = target.read_bytes()
    try:
        text = _skeleton(raw.decode("utf-8"), change_type, chosen)
    except editing.EditError as error:  # pragma: no cover - the skeleton is ours
        raise UsageError(f"{target.name}: cannot set the change type: {error}") from None
    replace_file(target, text.encode("utf-8"))
    return EXIT_OK
