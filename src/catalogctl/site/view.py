"""What every page of the site looks things up in: the `View`, indexed once.

`make_view` takes the linted catalog and keeps what the edition shows
(public, live services; everything for the internal edition), with the
lookups every page needs (services by id, the services using each one, the
SLAs and the upcoming maintenance of each, the page path of each category).

`View.links_of` is the one place that decides which `metadata.links` an
edition shows: every page and `catalog.json` read links through it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalogctl.change import calendar
from catalogctl.load import kinds
from catalogctl.model.entities import SLA, Catalog, ChangeRequest, Entity, Ref, Service
from catalogctl.model.policy import Policy

if TYPE_CHECKING:
    from catalogctl.model.scorecard import ServiceScore

SERVICE, TEAM = kinds.SERVICE.name, kinds.TEAM.name
Upcoming = tuple[ChangeRequest, calendar.Window, frozenset[Ref]]


def slug(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "other"


def category_of(service: Service) -> str:
    value = service.spec.get("category")
    return value if isinstance(value, str) and value.strip() else "Other"


def visible(service: Service, internal: bool) -> bool:
    return internal or (service.visibility == "public" and service.lifecycle == "live")


# Link types customers may follow. Every other type (runbook, dashboard,
# repository, alerts, other, a link without a type, a type this list does not
# know) points at staff tooling, often on internal hosts, and stays off the
# public site unless `site.links` in catalogctl.yaml says otherwise.
PUBLIC_LINK_TYPES = frozenset({"docs", "status", "support", "website", "request"})


def link_type(link: Mapping[str, Any]) -> str:
    """A link's `type`; `other` when it has none (the schema's default)."""
    value = link.get("type")
    return value if isinstance(value, str) else "other"


def public_link(link: Mapping[str, Any], policy: Policy) -> bool:
    """Whether the public site may show a link: by the policy's `site.links`
    for its type, else public only for the customer-facing types."""
    kind = link_type(link)
    audience = policy.site_links.get(kind)
    if audience is not None:
        return audience == "public"
    return kind in PUBLIC_LINK_TYPES


@dataclass(frozen=True)
class View:
    """What the site shows, indexed for the pages' lookups."""

    catalog: Catalog
    policy: Policy
    internal: bool
    now: dt.datetime
    services: tuple[Service, ...]  # shown, sorted by category then name
    by_id: Mapping[str, Service]  # shown services
    paths: Mapping[str, str]  # service id -> docs path
    categories: Mapping[str, tuple[Service, ...]]  # category name -> its services, in order
    category_slugs: Mapping[str, str]
    slas: tuple[SLA, ...]  # covering at least one shown service
    slas_of: Mapping[str, tuple[SLA, ...]]  # service id -> its SLAs
    users_of: Mapping[str, tuple[str, ...]]  # service id -> shown services depending on it
    upcoming: tuple[Upcoming, ...]
    upcoming_of: Mapping[str, tuple[Upcoming, ...]]  # service id -> maintenance hitting it
    scores: Mapping[str, ServiceScore] = dataclasses.field(default_factory=dict)  # internal only

    def shown(self, service_id: str) -> Service | None:
        return self.by_id.get(service_id)

    def links_of(self, entity: Entity) -> tuple[Mapping[str, Any], ...]:
        """The entity's `metadata.links` this edition shows: all of them on the
        internal site, only public ones (`public_link`) on the public site."""
        if self.internal:
            return entity.links
        return tuple(lk for lk in entity.links if public_link(lk, self.policy))


def _slugs(names: Sequence[str]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = slug(name)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        slugs[name] = candidate
        taken.add(candidate)
    return slugs


def _upcoming(catalog: Catalog, shown: Mapping[str, Service], now: dt.datetime) -> list[Upcoming]:
    found = []
    for entity in catalog.of_kind(kinds.CHANGE.name):
        if not isinstance(entity, ChangeRequest) or entity.state not in calendar.ACTIVE_STATES:
            continue
        window = calendar.change_window(entity)
        if window is None or window[1] <= now or entity.spec.get("outage") is not True:
            continue
        hit = calendar.footprint(catalog, entity).hit
        if any(r.kind == SERVICE and r.id in shown for r in hit):
            found.append((entity, window, hit))
    found.sort(key=lambda item: (item[1][0], item[0].id))
    return found


def make_view(catalog: Catalog, policy: Policy, internal: bool, now: dt.datetime) -> View:
    services = sorted(
        (e for e in catalog.of_kind(SERVICE) if isinstance(e, Service) and visible(e, internal)),
        key=lambda s: (category_of(s).casefold(), s.name.casefold(), s.id),
    )
    by_id = {s.id: s for s in services}
    categories: dict[str, list[Service]] = {}
    for service in services:
        categories.setdefault(category_of(service), []).append(service)
    slugs = _slugs(list(categories))
    paths = {s.id: f"services/{slugs[category_of(s)]}/{s.id}.md" for s in services}
    users: dict[str, list[str]] = {}
    for service in services:
        for dep in dict.fromkeys(service.depends_on):
            if dep in by_id and dep != service.id:
                users.setdefault(dep, []).append(service.id)
    slas = sorted(
        (
            e
            for e in catalog.of_kind(kinds.SLA.name)
            if isinstance(e, SLA) and any(s in by_id for s in e.services)
        ),
        key=lambda s: (s.name.casefold(), s.id),
    )
    slas_of: dict[str, list[SLA]] = {}
    for sla in slas:
        for service_id in dict.fromkeys(sla.services):
            slas_of.setdefault(service_id, []).append(sla)
    upcoming = _upcoming(catalog, by_id, now)
    upcoming_of: dict[str, list[Upcoming]] = {}
    for item in upcoming:
        for ref in item[2]:
            if ref.kind == SERVICE and ref.id in by_id:
                upcoming_of.setdefault(ref.id, []).append(item)
    return View(
        catalog=catalog,
        policy=policy,
        internal=internal,
        now=now,
        services=tuple(services),
        by_id=by_id,
        paths=paths,
        categories={name: tuple(members) for name, members in categories.items()},
        category_slugs=slugs,
        slas=tuple(slas),
        slas_of={k: tuple(v) for k, v in slas_of.items()},
        users_of={k: tuple(v) for k, v in users.items()},
        upcoming=tuple(upcoming),
        upcoming_of={k: tuple(v) for k, v in upcoming_of.items()},
    )


def public_view_catalog(catalog: Catalog) -> Catalog:
    """The catalog with only public, live services still marked public, so the
    shared public calendar (calendar.build(public=True)) names no pipeline or
    retired service."""
    entities: list[Entity] = []
    for entity in catalog.entities:
        if (
            isinstance(entity, Service)
            and entity.visibility == "public"
            and entity.lifecycle != "live"
        ):
            entity = dataclasses.replace(entity, spec={**entity.spec, "visibility": "internal"})
        entities.append(entity)
    return Catalog.build(entities, catalog.schedules)


def category_page_path(view: View, name: str) -> str:
    return f"services/{view.category_slugs[name]}/index.md"
