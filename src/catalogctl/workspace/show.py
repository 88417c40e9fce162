"""`catalogctl show KIND/ID`: one entity with its relations resolved both ways."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from catalogctl.load import kinds
from catalogctl.load.diagnostics import format_path
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.model.entities import SCHEDULE, Catalog, Entity
from catalogctl.model.graph import Graph
from catalogctl.workspace.workspace import find_entity, open_workspace, parse_ref


def _label(catalog: Catalog, kind: str, entity_id: str) -> str:
    if kind == SCHEDULE:
        return f"schedule {entity_id}"
    target = catalog.get(kind, entity_id)
    return f"{kind}/{entity_id}" + (f" ({target.name})" if target else " (missing!)")


def relations(catalog: Catalog, entity: Entity) -> dict[str, list[str]]:
    """Outgoing references by field, incoming ones by referring kind and field."""
    out: dict[str, list[str]] = {}
    for path, kind, target in entity.references():
        field = format_path(tuple(p for p in path if not isinstance(p, int)))
        out.setdefault(field, []).append(_label(catalog, kind, target))
    for reference in catalog.referrers_of(entity.ref):
        field = format_path(tuple(p for p in reference.path if not isinstance(p, int)))
        out.setdefault(f"referenced by {reference.source.kind} ({field})", []).append(
            _label(catalog, reference.source.kind, reference.source.id)
        )
    graph = Graph.of(catalog)
    dependents = sorted(graph.dependents([entity.ref]))
    if dependents:
        out["depended on by (transitively)"] = [_label(catalog, r.kind, r.id) for r in dependents]
    return out


def execute(*, start: Path, ref_text: str, fmt: str, today: dt.date) -> int:
    kind, _ = parse_ref(ref_text)  # a typo fails before the catalog is read
    if kind is kinds.POLICY:
        raise UsageError("the policy is not an entity; read catalogctl.yaml")
    workspace = open_workspace(start)
    result = workspace.lint(today)
    entity = find_entity(result.catalog, ref_text)
    rels = relations(result.catalog, entity)
    if fmt == "json":
        document: dict[str, Any] = {
            "kind": entity.kind,
            "id": entity.id,
            "file": entity.file,
            "name": entity.name,
            "description": entity.description,
            "tags": list(entity.tags),
            "spec": entity.spec,
            "relations": rels,
        }
        write_output(json.dumps(document, indent=2, ensure_ascii=False) + "\n", None)
        return EXIT_OK
    lines = [f"{entity.kind}/{entity.id}: {entity.name}", f"  file: {entity.file}"]
    if entity.description:
        lines.append("  description: " + entity.description.strip().replace("\n", "\n    "))
    for key, value in entity.spec.items():
        if not isinstance(value, dict | list):
            lines.append(f"  {key}: {value}")
    for field, targets in rels.items():
        lines.append(f"  {field}:")
        lines += [f"    - {target}" for target in targets]
    write_output("\n".join(lines) + "\n", None)
    return EXIT_OK
