"""The catalog site, generated from the catalog: pure functions, no I/O.

`generate()` turns a linted catalog and its policy into the pages, static
files (`catalog.json`, `maintenance.ics`) and navigation of an MkDocs project;
`commands/site_cmd.py` writes them next to the `site/` template and runs
MkDocs. The pages are HTML bodies (`sitehtml`, `sitepages`, `siteinternal`)
in which every string from the catalog is escaped or sanitised (`safehtml`).

The public build holds only public, live services and what customers need of
them; `internal=True` adds every service, CIs, teams with their members,
change requests with their computed risk, the rule reference and the current
lint findings.

Scale: a site's build time must grow with its page count, not faster, so
`View` indexes everything a page looks up (services by id, the services using
each one, the SLAs and maintenance of each) once, and the navigation lists
category and index pages only (each page's HTML carries the navigation; a nav
listing every service makes every page grow with the catalog).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalogctl.change import calendar, ics
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Diagnostic
from catalogctl.model.entities import SLA, Catalog, ChangeRequest, Entity, Ref, Service
from catalogctl.model.policy import Policy
from catalogctl.site.html import title_text

if TYPE_CHECKING:
    from catalogctl.csi.kpis import Report
    from catalogctl.model.scorecard import ServiceScore

SERVICE, TEAM = kinds.SERVICE.name, kinds.TEAM.name
Upcoming = tuple[ChangeRequest, calendar.Window, frozenset[Ref]]


@dataclass
class SiteFiles:
    """What the generator produces: docs-relative path -> content, and the nav."""

    pages: dict[str, str] = dataclasses.field(default_factory=dict)  # generated pages
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)  # static files
    nav: list[Any] = dataclasses.field(default_factory=list)  # MkDocs `nav`, titles escaped


def slug(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "other"


def category_of(service: Service) -> str:
    value = service.spec.get("category")
    return value if isinstance(value, str) and value.strip() else "Other"


def visible(service: Service, internal: bool) -> bool:
    return internal or (service.visibility == "public" and service.lifecycle == "live")


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


def generate(
    catalog: Catalog,
    policy: Policy,
    *,
    internal: bool,
    now: dt.datetime,
    diagnostics: Sequence[Diagnostic] = (),
    extra_nav: Sequence[Any] = (),
    report: Report | None = None,
) -> SiteFiles:
    """The site's pages, files and nav; `report` (internal only) holds the
    KPIs of `catalogctl report`, read from git history by the caller."""
    # The page modules import View from here: imported late to keep one direction.
    from catalogctl.model import scorecard
    from catalogctl.site import export as siteexport
    from catalogctl.site import health as sitehealth
    from catalogctl.site import internal as siteinternal
    from catalogctl.site import pages as sitepages
    from catalogctl.site import service as siteservice

    view = make_view(catalog, policy, internal, now)
    scores: list[ServiceScore] = []
    if internal:
        scores = scorecard.evaluate_all(catalog, policy, now.date())
        view = dataclasses.replace(view, scores={s.service.id: s for s in scores})
    site = SiteFiles()
    site.pages["index.md"] = sitepages.home_page(view)
    for name in view.categories:
        site.pages[category_page_path(view, name)] = sitepages.category_page(view, name)
    for service in view.services:
        site.pages[view.paths[service.id]] = siteservice.service_page(view, service)
    site.pages["slas/index.md"] = sitepages.sla_index_page(view)
    for sla in view.slas:
        site.pages[f"slas/{sla.id}.md"] = sitepages.sla_page(view, sla)
    site.pages["maintenance.md"] = sitepages.maintenance_page(view)
    site.pages["tags.md"] = sitepages.tags_page(view)
    site.files["catalog.json"] = (
        json.dumps(siteexport.catalog_json(view), indent=2, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    # The same code path as `catalogctl change calendar --public --format ics`.
    feed = calendar.build(public_view_catalog(catalog), policy, public=True)
    site.files["maintenance.ics"] = ics.to_ics(feed).encode("utf-8")
    # Category and index pages only: service and SLA pages are reached from
    # them, from search and from links (see the module docstring).
    site.nav = [
        {"Home": "index.md"},
        {
            "Services": [
                {title_text(name): category_page_path(view, name)} for name in view.categories
            ]
        },
        {"Service levels": "slas/index.md"},
        {"Maintenance": "maintenance.md"},
        {"Tags": "tags.md"},
    ]
    if internal:
        site.pages.update(siteinternal.pages(view, diagnostics))
        site.pages[sitehealth.PAGE] = sitehealth.health_page(view, scores, report)
        site.nav.append({"Internal": [{"Service health": sitehealth.PAGE}, *siteinternal.nav()]})
    site.nav.extend(extra_nav)
    return site
