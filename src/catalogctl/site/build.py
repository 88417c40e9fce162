"""The catalog site, generated from the catalog: pure functions, no I/O.

`generate()` turns a linted catalog and its policy into the pages, static
files (`catalog.json`, `maintenance.ics`) and navigation of an MkDocs project;
`project.py` writes them next to the `site/` template and runs
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalogctl.change import calendar, ics
from catalogctl.load.diagnostics import Diagnostic
from catalogctl.model import scorecard
from catalogctl.model.entities import Catalog
from catalogctl.model.policy import Policy
from catalogctl.site import allservices
from catalogctl.site import export as siteexport
from catalogctl.site import health as sitehealth
from catalogctl.site import internal as siteinternal
from catalogctl.site import operation as siteoperation
from catalogctl.site import pages as sitepages
from catalogctl.site import service as siteservice
from catalogctl.site.html import title_text
from catalogctl.site.view import category_page_path, make_view, public_view_catalog

if TYPE_CHECKING:
    from catalogctl.csi.kpis import Report
    from catalogctl.model.scorecard import ServiceScore


@dataclass
class SiteFiles:
    """What the generator produces: docs-relative path -> content, and the nav."""

    pages: dict[str, str] = dataclasses.field(default_factory=dict)  # generated pages
    files: dict[str, bytes] = dataclasses.field(default_factory=dict)  # static files
    nav: list[Any] = dataclasses.field(default_factory=list)  # MkDocs `nav`, titles escaped


def generate(
    catalog: Catalog,
    policy: Policy,
    *,
    internal: bool,
    now: dt.datetime,
    diagnostics: Sequence[Diagnostic] = (),
    extra_nav: Sequence[Any] = (),
    report: Report | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SiteFiles:
    """The site's pages, files and nav; `report` (internal only) holds the
    KPIs of `catalogctl report`, read from git history by the caller.
    `progress` hears (pages generated, pages in all) after every step."""
    view = make_view(catalog, policy, internal, now)
    scores: list[ServiceScore] = []
    if internal:
        scores = scorecard.evaluate_all(catalog, policy, now.date())
        view = dataclasses.replace(view, scores={s.service.id: s for s in scores})
    site = SiteFiles()
    expected = len(view.categories) + len(view.services) + len(view.slas) + 6

    def step() -> None:
        # After every step, not only every 100 service pages: at 5,000 public
        # services the pages before and after those took 2 and 4 s with no
        # call, and `progress` is what keeps a long build from looking hung.
        if progress:
            progress(len(site.pages), expected)

    site.pages["index.md"] = sitepages.home_page(view)
    site.pages[allservices.PAGE] = allservices.all_services_page(view)
    step()
    for name in view.categories:
        site.pages[category_page_path(view, name)] = sitepages.category_page(view, name)
    step()
    history = siteoperation.history(view)
    step()
    # The files before the pages they do not depend on, so that all these
    # steps report while the page count has not reached its total.
    site.files["catalog.json"] = (
        json.dumps(siteexport.catalog_json(view), indent=2, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    step()
    # The same code path as `catalogctl change calendar --public --format ics`.
    public = public_view_catalog(catalog)
    step()
    feed = calendar.build(public, policy, public=True)
    step()
    site.files["maintenance.ics"] = ics.to_ics(feed).encode("utf-8")
    step()
    for number, service in enumerate(view.services, 1):
        site.pages[view.paths[service.id]] = siteservice.service_page(view, service, history)
        if number % 100 == 0:
            step()
    site.pages["slas/index.md"] = sitepages.sla_index_page(view)
    for number, sla in enumerate(view.slas, 1):
        site.pages[f"slas/{sla.id}.md"] = sitepages.sla_page(view, sla)
        if number % 100 == 0:
            step()
    site.pages["maintenance.md"] = sitepages.maintenance_page(view)
    site.pages[siteoperation.PAGE] = siteoperation.status_page(view, history)
    site.pages["tags.md"] = sitepages.tags_page(view)
    # Category and index pages only: service and SLA pages are reached from
    # them, from search and from links (see the module docstring).
    site.nav = [
        {"Home": "index.md"},
        {
            # the all-services page first: the tab lands on it
            "Services": [
                {"All services": allservices.PAGE},
                *({title_text(name): category_page_path(view, name)} for name in view.categories),
            ]
        },
        {"Service levels": "slas/index.md"},
        {"Maintenance": "maintenance.md"},
        {"Status history": siteoperation.PAGE},
        {"Tags": "tags.md"},
    ]
    if internal:
        site.pages.update(siteinternal.pages(view, diagnostics))
        site.pages[sitehealth.PAGE] = sitehealth.health_page(view, scores, report)
        site.pages[siteoperation.INCIDENTS_PAGE] = siteoperation.incidents_page(view)
        site.pages[siteoperation.PROBLEMS_PAGE] = siteoperation.problems_page(view)
        records = [
            {"Incidents": siteoperation.INCIDENTS_PAGE},
            {"Problems": siteoperation.PROBLEMS_PAGE},
        ]
        site.nav.append(
            {"Internal": [{"Service health": sitehealth.PAGE}, *siteinternal.nav(), *records]}
        )
    site.nav.extend(extra_nav)
    if progress:
        progress(len(site.pages), len(site.pages))
    return site
