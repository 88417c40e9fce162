"""Typed, immutable entities built from loaded documents, and the catalog index.

Entities are built tolerantly: a document that fails its schema still becomes
an entity when its envelope names a kind and an id, with wrongly typed fields
read as absent. That way one schema error does not turn every reference to the
entity into a second, misleading error.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from catalogctl.load import kinds

SCHEDULE = "Schedule"  # pseudo-kind for schedule references (declared in the policy)
BUILTIN_SCHEDULES = frozenset({"24x7"})


def parse_instant(text: object) -> dt.datetime | None:
    """An ISO 8601 date-time with a UTC offset, or None (the schema reports bad ones)."""
    if not isinstance(text, str):
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def id_key(entity_id: str) -> str:
    """Ids that look alike to a person are the same id: NFC, then case-folded."""
    return unicodedata.normalize("NFC", entity_id).casefold()


class Ref(NamedTuple):
    """Kind and id; a tuple so that hashing and comparing stay in C."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.id}"


class Reference(NamedTuple):
    """One typed reference field: `source` names `target` at `path`. A tuple,
    as Ref is: a large catalog has hundreds of thousands, built in C."""

    source: Ref
    path: tuple[str | int, ...]
    target: Ref


def dig(data: Any, *keys: str) -> Any:
    """data[k1][k2]..., or None where a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class Entity:
    """What every kind has: the envelope, the file it came from, the raw spec.

    Slotted (no per-instance dict: a large catalog holds tens of thousands).
    Subclasses call `Entity.references(self)`: zero-argument `super()` does
    not work in slotted dataclasses before Python 3.14."""

    kind: str
    id: str
    file: str
    name: str
    description: str
    tags: tuple[str, ...]
    links: tuple[Mapping[str, Any], ...]
    spec: Mapping[str, Any] = field(repr=False)

    @property
    def ref(self) -> Ref:
        return Ref(self.kind, self.id)

    @property
    def owner(self) -> str | None:
        return _str(self.spec.get("owner"))

    def references(self) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
        """(field path, target kind, target id) for every reference field."""
        owner = self.spec.get("owner")
        if isinstance(owner, str):
            yield ("spec", "owner"), kinds.TEAM.name, owner


def _each(
    path: tuple[str | int, ...], values: Any, kind: str
) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
    if isinstance(values, list):
        for index, value in enumerate(values):
            if isinstance(value, str):
                yield (*path, index), kind, value


@dataclass(frozen=True, slots=True)
class Team(Entity):
    @property
    def members(self) -> tuple[str, ...]:
        return _strs(self.spec.get("members"))


@dataclass(frozen=True, slots=True)
class Service(Entity):
    @property
    def lifecycle(self) -> str | None:
        return _str(self.spec.get("lifecycle"))

    @property
    def tier(self) -> int | None:
        tier = self.spec.get("tier")
        return tier if isinstance(tier, int) and not isinstance(tier, bool) else None

    @property
    def visibility(self) -> str | None:
        return _str(self.spec.get("visibility"))

    @property
    def depends_on(self) -> tuple[str, ...]:
        return _strs(self.spec.get("dependsOn"))

    @property
    def cis(self) -> tuple[str, ...]:
        return _strs(self.spec.get("cis"))

    def references(self) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
        yield from Entity.references(self)
        yield from _each(("spec", "dependsOn"), self.spec.get("dependsOn"), kinds.SERVICE.name)
        yield from _each(("spec", "cis"), self.spec.get("cis"), kinds.CI.name)
        hours = dig(self.spec, "support", "hours")
        if isinstance(hours, str):
            yield ("spec", "support", "hours"), SCHEDULE, hours


@dataclass(frozen=True, slots=True)
class SLA(Entity):
    @property
    def services(self) -> tuple[str, ...]:
        return _strs(self.spec.get("services"))

    @property
    def review(self) -> str | None:
        return _str(self.spec.get("review"))

    def references(self) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
        yield from _each(("spec", "services"), self.spec.get("services"), kinds.SERVICE.name)
        hours = self.spec.get("hours")
        if isinstance(hours, str):
            yield ("spec", "hours"), SCHEDULE, hours


DEPENDENCY_RELATIONS = frozenset({"depends-on", "runs-on", "hosted-on"})


@dataclass(frozen=True, slots=True)
class ConfigurationItem(Entity):
    @property
    def status(self) -> str | None:
        return _str(self.spec.get("status"))

    @property
    def expires(self) -> str | None:
        return _str(self.spec.get("expires"))

    @property
    def relations(self) -> list[tuple[int, str, str]]:
        """(index, type, target) for each well-formed relation."""
        out = []
        for index, relation in enumerate(self.spec.get("relations") or []):
            if isinstance(relation, dict):
                kind, target = relation.get("type"), relation.get("target")
                if isinstance(kind, str) and isinstance(target, str):
                    out.append((index, kind, target))
        return out

    def references(self) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
        yield from Entity.references(self)
        for index, _, target in self.relations:
            yield ("spec", "relations", index, "target"), kinds.CI.name, target


@dataclass(frozen=True, slots=True)
class ChangeTemplate(Entity):
    def references(self) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
        yield from Entity.references(self)
        yield from _each(("spec", "services"), self.spec.get("services"), kinds.SERVICE.name)


@dataclass(frozen=True, slots=True)
class ChangeRequest(Entity):
    @property
    def state(self) -> str | None:
        return _str(self.spec.get("state"))

    @property
    def change_type(self) -> str | None:
        return _str(self.spec.get("type"))

    @property
    def target_services(self) -> tuple[str, ...]:
        return _strs(dig(self.spec, "targets", "services"))

    @property
    def target_cis(self) -> tuple[str, ...]:
        return _strs(dig(self.spec, "targets", "cis"))

    def references(self) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
        yield from Entity.references(self)
        template = self.spec.get("template")
        if isinstance(template, str):
            yield ("spec", "template"), kinds.TEMPLATE.name, template
        targets = ("spec", "targets")
        yield from _each(
            (*targets, "services"), dig(self.spec, "targets", "services"), kinds.SERVICE.name
        )
        yield from _each((*targets, "cis"), dig(self.spec, "targets", "cis"), kinds.CI.name)
        yield from _each(("spec", "related"), self.spec.get("related"), kinds.CHANGE.name)


@dataclass(frozen=True)
class Incident(Entity):
    """A post-incident record; its times are read by `ops/` (None when malformed)."""

    @property
    def state(self) -> str | None:
        return _str(self.spec.get("state"))

    @property
    def priority(self) -> str | None:
        return _str(self.spec.get("priority"))

    @property
    def services(self) -> tuple[str, ...]:
        return _strs(self.spec.get("services"))

    def instant(self, *keys: str) -> dt.datetime | None:
        """`instant("reported")`, `instant("outage", "start")`..."""
        return parse_instant(dig(self.spec, *keys))

    def references(self) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
        yield from _each(("spec", "services"), self.spec.get("services"), kinds.SERVICE.name)
        cause = ("spec", "cause")
        for key, kind in (("change", kinds.CHANGE), ("problem", kinds.PROBLEM), ("ci", kinds.CI)):
            target = dig(self.spec, "cause", key)
            if isinstance(target, str):
                yield (*cause, key), kind.name, target


@dataclass(frozen=True)
class Problem(Entity):
    @property
    def state(self) -> str | None:
        return _str(self.spec.get("state"))

    @property
    def incidents(self) -> tuple[str, ...]:
        return _strs(self.spec.get("incidents"))

    def instant(self, key: str) -> dt.datetime | None:
        return parse_instant(self.spec.get(key))

    def references(self) -> Iterable[tuple[tuple[str | int, ...], str, str]]:
        yield from _each(("spec", "incidents"), self.spec.get("incidents"), kinds.INCIDENT.name)
        fix = self.spec.get("fix")
        if isinstance(fix, str):
            yield ("spec", "fix"), kinds.CHANGE.name, fix


ENTITY_CLASSES: dict[str, type[Entity]] = {
    kinds.TEAM.name: Team,
    kinds.SERVICE.name: Service,
    kinds.SLA.name: SLA,
    kinds.CI.name: ConfigurationItem,
    kinds.TEMPLATE.name: ChangeTemplate,
    kinds.CHANGE.name: ChangeRequest,
    kinds.INCIDENT.name: Incident,
    kinds.PROBLEM.name: Problem,
}


def build_entity(file: str, data: Mapping[str, Any]) -> Entity | None:
    """An entity from a loaded document, or None when the envelope names no
    known kind or no string id (the schema rule reports why)."""
    cls = ENTITY_CLASSES.get(data.get("kind"))  # type: ignore[arg-type]
    metadata = data.get("metadata")
    if cls is None or not isinstance(metadata, dict):
        return None
    entity_id = metadata.get("id")
    if not isinstance(entity_id, str) or not entity_id:
        return None
    spec = data.get("spec")
    return cls(
        kind=sys.intern(data["kind"]),  # one string per kind, not one per entity
        id=entity_id,
        file=file,
        name=_str(metadata.get("name")) or entity_id,
        description=_str(metadata.get("description")) or "",
        tags=_strs(metadata.get("tags")),
        links=tuple(_dicts(metadata.get("links"))),
        spec=spec if isinstance(spec, dict) else {},
    )


@dataclass(frozen=True)
class Catalog:
    """All entities, indexed by kind and id, with every reference and its reverse."""

    entities: tuple[Entity, ...]
    index: Mapping[str, Mapping[str, Entity]]  # kind -> id key -> first entity with it
    references: tuple[Reference, ...]
    referrers: Mapping[Ref, tuple[Reference, ...]]
    schedules: frozenset[str]

    @classmethod
    def build(cls, entities: Iterable[Entity], schedules: Iterable[str] = ()) -> Catalog:
        ordered = tuple(sorted(entities, key=lambda e: (e.kind, e.file)))
        index: dict[str, dict[str, Entity]] = {name: {} for name in ENTITY_CLASSES}
        for entity in ordered:
            index[entity.kind].setdefault(id_key(entity.id), entity)
        # One copy of each Ref and field path, shared by every reference
        # naming it: a 50,000-entity catalog has about 340,000 references but
        # 50,000 distinct targets and a few hundred distinct paths.
        refs: dict[Ref, Ref] = {}
        paths: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}
        found: list[Reference] = []
        for entity in ordered:
            source = refs.setdefault(entity.ref, entity.ref)
            for path, kind, target in entity.references():
                ref = Ref(kind, target)
                ref = refs.setdefault(ref, ref)
                found.append(Reference(source, paths.setdefault(path, path), ref))
        references = tuple(found)
        del found, refs, paths
        referrers: dict[Ref, list[Reference]] = {}
        for reference in references:
            referrers.setdefault(reference.target, []).append(reference)
        return cls(
            ordered,
            index,
            references,
            {ref: tuple(refs) for ref, refs in referrers.items()},
            frozenset(schedules) | BUILTIN_SCHEDULES,
        )

    def get(self, kind: str, entity_id: str) -> Entity | None:
        by_id = self.index.get(kind)
        if by_id is None:
            return None
        # Canonical ids (lowercase ASCII, as the schema demands) are their own key.
        found = by_id.get(entity_id)
        if found is not None or (entity_id.isascii() and entity_id.lower() == entity_id):
            return found
        return by_id.get(id_key(entity_id))

    def resolves(self, target: Ref) -> bool:
        if target.kind == SCHEDULE:
            return target.id in self.schedules
        return self.get(target.kind, target.id) is not None

    def of_kind(self, kind: str) -> tuple[Entity, ...]:
        return tuple(self.index.get(kind, {}).values())

    def referrers_of(self, ref: Ref, kind: str | None = None) -> tuple[Reference, ...]:
        """Who references `ref` (e.g. which SLAs cover a service); optionally one kind."""
        refs = self.referrers.get(ref, ())
        return tuple(r for r in refs if kind is None or r.source.kind == kind)
