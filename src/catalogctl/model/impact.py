"""Blast radius: what a change to an entity can hit, through the dependency graph.

Walks references backwards (who depends on X) over the dependency fields only:
service `dependsOn`, service `cis`, and CI relations of the dependency types.
It works on references, not resolved edges, so the dependents of an entity
that a pull request removes are still found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from catalogctl.load import kinds
from catalogctl.model.entities import (
    DEPENDENCY_RELATIONS,
    ChangeRequest,
    ConfigurationItem,
    Entity,
    Ref,
    Reference,
    Service,
)

OPEN_STATES = frozenset({"new", "assess", "authorize", "scheduled", "implement", "review"})
SERVICE, CI, SLA = kinds.SERVICE.name, kinds.CI.name, kinds.SLA.name


class Lookup(Protocol):
    """What impact reads of a catalog: a `Catalog`, or the reference index
    of a tree (model/refindex.py), which answers the same from fewer facts."""

    def get(self, kind: str, entity_id: str) -> Entity | None: ...

    def referrers_of(self, ref: Ref, kind: str | None = None) -> tuple[Reference, ...]: ...


@dataclass(frozen=True)
class Impact:
    services: tuple[str, ...]  # ids of services hit, directly or transitively
    cis: tuple[str, ...]  # ids of CIs that depend on what changed
    slas: tuple[str, ...]  # SLAs covering any of those services
    tier1: tuple[str, ...]  # the tier-1 services among them
    changes: tuple[str, ...]  # open change requests already targeting them

    def merged(self, other: Impact) -> Impact:
        return Impact(
            *(
                tuple(sorted({*a, *b}))
                for a, b in zip(
                    (self.services, self.cis, self.slas, self.tier1, self.changes),
                    (other.services, other.cis, other.slas, other.tier1, other.changes),
                    strict=True,
                )
            )
        )


EMPTY = Impact((), (), (), (), ())


def _is_dependency(catalog: Lookup, source: Ref, path: tuple[str | int, ...]) -> bool:
    if source.kind == SERVICE:
        return path[:2] in (("spec", "dependsOn"), ("spec", "cis"))
    if source.kind == CI and path[:2] == ("spec", "relations") and isinstance(path[2], int):
        entity = catalog.get(CI, source.id)
        if isinstance(entity, ConfigurationItem):
            return any(i == path[2] and t in DEPENDENCY_RELATIONS for i, t, _ in entity.relations)
    return False


def dependents(catalog: Lookup, start: Iterable[Ref]) -> set[Ref]:
    """Everything that depends on `start`, directly or transitively (not `start`)."""
    seen: set[Ref] = set()
    frontier = list(start)
    while frontier:
        node = frontier.pop()
        for reference in catalog.referrers_of(node):
            source = reference.source
            if source not in seen and _is_dependency(catalog, source, reference.path):
                seen.add(source)
                frontier.append(source)
    return seen


def seeds(catalog: Lookup, ref: Ref) -> set[Ref]:
    """What a change to `ref` touches first: itself, an SLA's services, a change's targets."""
    entity = catalog.get(ref.kind, ref.id)
    if ref.kind in (SERVICE, CI):
        return {ref}
    if ref.kind == SLA and entity is not None:
        return {Ref(SERVICE, s) for s in entity.spec.get("services") or [] if isinstance(s, str)}
    if isinstance(entity, ChangeRequest):
        return {Ref(SERVICE, s) for s in entity.target_services} | {
            Ref(CI, c) for c in entity.target_cis
        }
    return set()


def impact_of(catalog: Lookup, refs: Iterable[Ref]) -> Impact:
    changed = set(refs)
    start: set[Ref] = set()
    for ref in changed:
        start |= seeds(catalog, ref)
    hit = start | dependents(catalog, start)
    services = sorted(r.id for r in hit if r.kind == SERVICE)
    cis = sorted(r.id for r in hit if r.kind == CI)
    slas = sorted(
        {
            reference.source.id
            for service in services
            for reference in catalog.referrers_of(Ref(SERVICE, service), SLA)
        }
    )
    tier1 = sorted(
        s
        for s in services
        if isinstance(entity := catalog.get(SERVICE, s), Service) and entity.tier == 1
    )
    changes = sorted(
        {
            reference.source.id
            for target in hit
            for reference in catalog.referrers_of(target, kinds.CHANGE.name)
            if reference.path[:2] == ("spec", "targets")
            and reference.source not in changed
            and isinstance(
                change := catalog.get(reference.source.kind, reference.source.id), ChangeRequest
            )
            and change.state in OPEN_STATES
        }
    )
    return Impact(tuple(services), tuple(cis), tuple(slas), tuple(tier1), tuple(changes))
