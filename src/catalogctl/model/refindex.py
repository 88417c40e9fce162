"""A compact reference index of one tree: who references whom, and the few
facts impact and the reviewer signals read (tiers, lifecycles, CI status and
relations, change states, targets and risk, SLA services).

It answers `get` and `referrers_of` exactly as a `Catalog` built from the
same files would (same first-wins order for duplicate and look-alike ids,
same references in the same order), without building the catalog: its
entries stay JSON text until a question needs one, so a diff decodes only
the neighbourhood of what it changed. Three parts:

- `files`: path -> [object id] (and kind and id when the file makes an
  entity): what turns this tree's index into another's (model/refstore.py);
- `entities`: "Kind/id key" -> [path, id, name, kept spec] of the entity
  `Catalog.get` returns;
- `referrers`: "Kind/id" -> [[[source kind, source id], field path,
  [kind, id]], ...] (the catalog's `Reference` tuples as JSON writes them).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from catalogctl.model.entities import (
    ENTITY_CLASSES,
    Catalog,
    Entity,
    Ref,
    Reference,
    build_entity,
    id_key,
)

# The spec fields any entity's `references()` or the properties impact, the
# signals and change risk read; prose, plans and offerings stay in the files.
KEPT = frozenset(
    {
        "owner", "lifecycle", "tier", "visibility", "dependsOn", "cis", "services",
        "hours", "status", "template", "targets", "related", "state", "type",
        "priority", "incidents", "fix", "cause", "risk",
    }
)  # fmt: skip


class DamagedIndex(ValueError):
    """An entry that does not decode as written: the index is not used."""


# Kinds kept whole: few and small, and the gate reads more of them (a
# team's members, a template's CI types, services, duration and plan).
WHOLE = frozenset({"Team", "ChangeTemplate"})


def kept_spec(kind: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    if kind in WHOLE:
        return dict(spec)
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


def key(kind: str, entity_id: str) -> str:
    """An entry's name (kinds hold no '/'). An index whose names hold a
    separator is never written (refstore.encode)."""
    return f"{kind}/{entity_id}"


def _path(value: Any) -> tuple[str | int, ...]:
    if not isinstance(value, list):
        raise DamagedIndex("a field path")
    for part in value:  # a loop, not all(): this runs for every reference a walk meets
        if type(part) is not str and type(part) is not int:
            raise DamagedIndex("a field path")
    return tuple(value)


def _file_row(value: Any) -> bool:
    """[object id] or [object id, kind, id]."""
    if not (isinstance(value, list) and value and isinstance(value[0], str)):
        return False
    return len(value) == 1 or (
        len(value) == 3 and value[1] in ENTITY_CLASSES and isinstance(value[2], str)
    )


def file_rows(catalog: Catalog, oids: Mapping[str, str]) -> Iterator[tuple[str, list[str]]]:
    """An index's `files` part, in `oids`' order: path -> [object id], and
    kind and id when the file makes an entity."""
    made = {entity.file: entity for entity in catalog.entities}
    for path, oid in oids.items():
        entity = made.get(path)
        yield path, [oid] if entity is None else [oid, entity.kind, entity.id]


def entity_rows(catalog: Catalog) -> Iterator[tuple[str, list[Any]]]:
    """An index's `entities` part, one entry at a time, in the catalog's order."""
    for kind, by_id in catalog.index.items():
        for id_key_, e in by_id.items():
            yield key(kind, id_key_), [e.file, e.id, e.name, kept_spec(kind, e.spec)]


def referrer_rows(catalog: Catalog) -> Iterator[tuple[str, tuple[Reference, ...]]]:
    """An index's `referrers` part: the catalog's own tuples, which JSON
    writes as [[source kind, source id], field path, [target kind, target id]]."""
    for target, refs in catalog.referrers.items():
        yield key(*target), refs


class TreeIndex:
    """`get` and `referrers_of` of one tree, from its index. Entries are JSON
    text (as read from the cache) or already decoded (when just made)."""

    def __init__(
        self,
        files: Mapping[str, Any] | str,
        entities: Mapping[str, Any],
        referrers: Mapping[str, Any],
    ) -> None:
        self._files = files
        self.entities = entities
        self.referrers = referrers
        self._made: dict[str, Entity | None] = {}
        self._seen: dict[str, tuple[Reference, ...]] = {}

    @classmethod
    def of(cls, catalog: Catalog, oids: Mapping[str, str]) -> TreeIndex:
        """The index of a catalog built from a whole tree, whose files have
        the object ids `oids` (refused files left out). Made from the
        catalog's own index and referrers, so in their order."""
        entities, referrers = dict(entity_rows(catalog)), dict(referrer_rows(catalog))
        return cls(dict(file_rows(catalog, oids)), entities, referrers)

    def entity(self, path: str, kind: str, entity_id: str) -> Entity | None:
        """The entity of file `path` if it is the one `get` returns for its
        id (the only one whose facts are kept), else None."""
        found = self.entities.get(key(kind, id_key(entity_id)))
        value = self._decoded(found) if found is not None else None
        if not (isinstance(value, list) and value and value[0] == path):
            return None
        return self.get(kind, id_key(entity_id))

    def files(self) -> dict[str, Any]:
        """path -> [object id] or [object id, kind, id]."""
        if isinstance(self._files, str):
            decoded = self._decoded(self._files)
            if not isinstance(decoded, dict) or not all(map(_file_row, decoded.values())):
                raise DamagedIndex("the file list")
            self._files = decoded
        return dict(self._files)

    @staticmethod
    def _decoded(value: Any) -> Any:
        try:
            return json.loads(value) if isinstance(value, str) else value
        except ValueError:
            raise DamagedIndex("an entry") from None

    def get(self, kind: str, entity_id: str) -> Entity | None:
        if kind not in ENTITY_CLASSES:
            return None
        # as Catalog.get: canonical ids are their own key
        name = key(kind, entity_id)
        found = self.entities.get(name)
        if found is None and not (entity_id.isascii() and entity_id.lower() == entity_id):
            name = key(kind, id_key(entity_id))
            found = self.entities.get(name)
        if found is None:
            return None
        if name not in self._made:
            value = self._decoded(found)
            if not (
                isinstance(value, list)
                and len(value) == 4
                and all(isinstance(v, str) for v in value[:3])
                and isinstance(value[3], dict)
            ):
                raise DamagedIndex("an entity")
            path, real_id, label, spec = value
            document = {"kind": kind, "metadata": {"id": real_id, "name": label}, "spec": spec}
            self._made[name] = build_entity(path, document)
        return self._made[name]

    def referrers_of(self, ref: Ref, kind: str | None = None) -> tuple[Reference, ...]:
        name = key(ref.kind, ref.id)
        value = self._seen.get(name) or self.referrers.get(name, ())
        if isinstance(value, tuple):  # made in this run, or decoded before
            return value if kind is None else tuple(r for r in value if r.source.kind == kind)
        value = self._decoded(value)
        if not isinstance(value, list):
            raise DamagedIndex("the referrers of " + str(ref))
        out = []
        target = list(ref)
        for item in value:
            if not (isinstance(item, list) and len(item) == 3 and item[2] == target):
                raise DamagedIndex("a reference to " + str(ref))
            source, path, _ = item
            if not (
                isinstance(source, list)
                and len(source) == 2
                and type(source[0]) is str
                and type(source[1]) is str
            ):
                raise DamagedIndex("a reference to " + str(ref))
            out.append(Reference(Ref(*source), _path(path), ref))
        # impact walks overlap (one walk per change): decode each entry once
        self._seen[name] = found = tuple(out)
        return found if kind is None else tuple(r for r in found if r.source.kind == kind)


class Guarded:
    """An index that turns into the catalog (`rebuild`) at the first entry
    that does not decode: a damaged entry costs time, never an answer."""

    def __init__(self, index: TreeIndex, rebuild: Callable[[], Any]) -> None:
        self._index: Any = index
        self._rebuild = rebuild

    def get(self, kind: str, entity_id: str) -> Entity | None:
        try:
            found: Entity | None = self._index.get(kind, entity_id)
        except DamagedIndex:
            self._index = self._rebuild()
            found = self._index.get(kind, entity_id)
        return found

    def referrers_of(self, ref: Ref, kind: str | None = None) -> tuple[Reference, ...]:
        try:
            found: tuple[Reference, ...] = self._index.referrers_of(ref, kind)
        except DamagedIndex:
            self._index = self._rebuild()
            found = self._index.referrers_of(ref, kind)
        return found
