"""`catalogctl impact KIND/ID`: the blast radius of one entity, as `diff` computes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.load.sources import SourceError, WorkTree
from catalogctl.model.entities import Catalog, Entity
from catalogctl.model.impact import Impact, impact_of
from catalogctl.review.diff_command import head_catalog
from catalogctl.workspace.show import parse_ref
from catalogctl.workspace.workspace import find_root

# (Impact field and JSON key, text label), in the order `catalogctl diff` prints them
GROUPS = (
    ("services", "services"),
    ("tier1", "tier 1"),
    ("slas", "SLAs"),
    ("cis", "CIs"),
    ("changes", "open changes"),
)
JSON_ORDER = ("services", "cis", "slas", "tier1", "changes")


def load_catalog(start: Path, jobs: int) -> Catalog:
    """The working tree's catalog, without schema validation (as `diff` loads its head)."""
    root = find_root(start)
    try:
        return head_catalog(WorkTree(root), jobs)
    except SourceError as error:
        raise UsageError(str(error)) from None


def find_entity(catalog: Catalog, ref_text: str) -> Entity:
    """The entity KIND/ID names; UsageError when there is none."""
    kind, entity_id = parse_ref(ref_text)
    if kind is kinds.POLICY:
        raise UsageError("the policy is not an entity; read catalogctl.yaml")
    entity = catalog.get(kind.name, entity_id)
    if entity is None:
        raise UsageError(f"no {kind.name} with id '{entity_id}'")
    return entity


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
    catalog = load_catalog(start, jobs)
    entity = find_entity(catalog, ref_text)
    impact = impact_of(catalog, [entity.ref])
    write_output(
        render_json(entity, impact) if fmt == "json" else render_text(entity, impact), None
    )
    return EXIT_OK
