"""A compact reference index of one tree: who references whom, and the few
facts impact and the reviewer signals read (tiers, lifecycles, CI status and
relations, change states and targets, SLA services).

It answers `get` and `referrers_of` exactly as a `Catalog` built from the
same files would (same first-wins order for duplicate and case-folded ids,
same references), without building an entity per file: entities are made
on demand from the kept facts. Records are per file, so an index of one tree
is turned into another tree's by replacing the records of the files whose
bytes differ (model/refstore.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogctl.model.entities import (
    ENTITY_CLASSES,
    Entity,
    Ref,
    Reference,
    build_entity,
    id_key,
)

# The spec fields any entity's `references()` or the properties impact and the
# signals read; everything else (prose, plans, offerings) stays in the files.
KEPT = frozenset(
    {
        "owner", "lifecycle", "tier", "visibility", "dependsOn", "cis", "services",
        "hours", "status", "template", "targets", "related", "state", "type",
        "priority", "incidents", "fix", "cause", "risk",
    }
)  # fmt: skip

# kind, id, name, kept spec, references as [path, target kind, target id]
Record = tuple[str, str, str, dict[str, Any], list[list[Any]]]


def _kept_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in spec.items() if k in KEPT}
    support = spec.get("support")
    if isinstance(support, dict) and "hours" in support:
        out["support"] = {"hours": support["hours"]}
    relations = spec.get("relations")
    if isinstance(relations, list):
        # positions stay: a reference's path names the relation by its index
        out["relations"] = [
            {k: r[k] for k in ("type", "target") if k in r} if isinstance(r, dict) else None
            for r in relations
        ]
    return out


def record_of(entity: Entity) -> Record:
    refs = [[list(path), kind, target] for path, kind, target in entity.references()]
    return (entity.kind, entity.id, entity.name, _kept_spec(entity.spec), refs)


def valid_record(value: Any) -> bool:
    """A decoded record as `record_of` writes it (anything else is a miss)."""
    return (
        isinstance(value, list)
        and len(value) == 5
        and value[0] in ENTITY_CLASSES
        and all(isinstance(v, str) for v in value[1:3])
        and isinstance(value[3], dict)
        and isinstance(value[4], list)
        and all(
            isinstance(r, list)
            and len(r) == 3
            and isinstance(r[0], list)
            and all(isinstance(p, str | int) and not isinstance(p, bool) for p in r[0])
            and isinstance(r[1], str)
            and isinstance(r[2], str)
            for r in value[4]
        )
    )


class IndexedCatalog:
    """`get` and `referrers_of` of the catalog the records (path -> record)
    make; what impact, the reviewer signals and change risk need."""

    def __init__(self, records: Mapping[str, Record]) -> None:
        self._ordered = sorted(records.items(), key=lambda item: (item[1][0], item[0]))
        self.index: dict[str, dict[str, tuple[str, Record]]] = {n: {} for n in ENTITY_CLASSES}
        for path, record in self._ordered:
            self.index[record[0]].setdefault(id_key(record[1]), (path, record))
        self._entities: dict[tuple[str, str], Entity | None] = {}
        self._referrers: dict[Ref, list[Reference]] | None = None

    def _entity(self, found: tuple[str, Record]) -> Entity | None:
        path, (kind, entity_id, name, spec, _) = found
        key = (kind, path)
        if key not in self._entities:
            document = {"kind": kind, "metadata": {"id": entity_id, "name": name}, "spec": spec}
            self._entities[key] = build_entity(path, document)
        return self._entities[key]

    def get(self, kind: str, entity_id: str) -> Entity | None:
        by_id = self.index.get(kind)
        if by_id is None:
            return None
        # as Catalog.get: canonical ids are their own key
        found = by_id.get(entity_id)
        if found is None and not (entity_id.isascii() and entity_id.lower() == entity_id):
            found = by_id.get(id_key(entity_id))
        return self._entity(found) if found is not None else None

    def referrers_of(self, ref: Ref, kind: str | None = None) -> tuple[Reference, ...]:
        if self._referrers is None:
            # built on first use, in the catalog's order (kind, then file)
            self._referrers = {}
            for _path, (source_kind, source_id, _n, _s, fields) in self._ordered:
                source = Ref(source_kind, source_id)
                for path, target_kind, target in fields:
                    target_ref = Ref(target_kind, target)
                    self._referrers.setdefault(target_ref, []).append(
                        Reference(source, tuple(path), target_ref)
                    )
        refs = self._referrers.get(ref, ())
        return tuple(r for r in refs if kind is None or r.source.kind == kind)
