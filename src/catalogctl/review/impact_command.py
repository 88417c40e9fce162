"""`catalogctl impact KIND/ID`: the blast radius of one entity, as `diff` computes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogctl.load.errors import EXIT_OK
from catalogctl.load.output import write_output
from catalogctl.model.entities import Entity
from catalogctl.model.impact import Impact, impact_of
from catalogctl.workspace.workspace import find_entity, open_workspace, parse_ref

# (Impact field and JSON key, text label), in the order `catalogctl diff` prints them
GROUPS = (
    ("services", "services"),
    ("tier1", "tier 1"),
    ("slas", "SLAs"),
    ("cis", "CIs"),
    ("changes", "open changes"),
)
JSON_ORDER = ("services", "cis", "slas", "tier1", "changes")


def render_text(entity: Entity, impact: Impact) -> str:
    lines = [f"Impact of {entity.ref}: {entity.name}"]
    for key, label in GROUPS:
        values: tuple[str, ...] = getattr(impact, key)
        lines.append(f"  {label}: {', '.join(values) if values else '-'}")
    return "\n".join(lines) + "\n"


def render_json(entity: Entity, impact: Impact) -> str:
    document: dict[str, Any] = {
        "version": 1,
        "entity": str(entity.ref),
        "impact": {key: list(getattr(impact, key)) for key in JSON_ORDER},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def execute(*, start: Path, ref_text: str, fmt: str, jobs: int) -> int:
    parse_ref(ref_text)  # a malformed KIND/ID fails before the catalog is read
    catalog = open_workspace(start).catalog(jobs)
    entity = find_entity(catalog, ref_text)
    impact = impact_of(catalog, [entity.ref])
    write_output(
        render_json(entity, impact) if fmt == "json" else render_text(entity, impact), None
    )
    return EXIT_OK
