"""What a generated catalog holds: how many of each kind, and what later kinds refer to.

The `...Info` records are the generator's own notes on what it has written
(ids, owners, lifecycle), so that later entities refer only to earlier ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Counts:
    """How many entities of each kind a catalog has."""

    teams: int
    services: int
    slas: int
    cis: int
    templates: int
    changes: int

    @property
    def total(self) -> int:
        return self.teams + self.services + self.slas + self.cis + self.templates + self.changes


MIN_ENTITIES = 7  # cab, ecab, one delivery team, a service, an SLA, a CI, a template


def split_counts(entities: int) -> Counts:
    """How many entities of each kind make up `entities` (exactly)."""
    if entities < MIN_ENTITIES:
        raise ValueError(f"need at least {MIN_ENTITIES} entities, got {entities}")
    teams = max(3, round(entities * 0.02))
    services = max(1, round(entities * 0.20))
    slas = max(1, round(entities * 0.05))
    templates = max(1, round(entities * 0.01))
    cis = max(1, round(entities * 0.55))
    while teams + services + slas + templates + cis > entities:  # tiny catalogs only
        if cis > 1:
            cis -= 1
        elif services > 1:
            services -= 1
        else:
            teams -= 1
    changes = entities - teams - services - slas - templates - cis
    return Counts(teams, services, slas, cis, templates, changes)


@dataclass
class TeamInfo:
    id: str
    area: str
    members: list[str]


@dataclass
class ServiceInfo:
    index: int
    id: str
    name: str
    area: str
    category: str
    owner: str
    type: str
    lifecycle: str
    tier: int
    site: str
    cis: list[str] = field(default_factory=list)


@dataclass
class CIInfo:
    index: int
    id: str
    type: str
    status: str
    owner: str
    service: str | None  # the service whose stack it belongs to (None: shared)
    name: str


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    title: str
    ci_types: tuple[str, ...]
    max_minutes: int
