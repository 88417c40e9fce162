"""The all-services page (`services/index.md`), where the Services tab lands.

Every shown service in one table: name, category, lifecycle badge, one-line
summary and the availability target of its SLAs. The whole list is in the
HTML, so the page works without JavaScript; the template's
`javascripts/catalog-filter.js` adds a text box and a category menu that hide
rows in the browser (no server, no third-party script). Each row carries its
category's slug (`data-category`) for the menu; the script reads each row's
text once and only toggles rows afterwards, so filtering stays fast with
thousands of services.

The page is left out of the search index (`search: exclude`): every summary
on it is indexed on its category page already, and a page matching nearly
every query would crowd the results.
"""

from __future__ import annotations

from catalogctl.site.html import a, front_matter, href, para
from catalogctl.site.pages import (
    ALL_SERVICES,
    availability_text,
    badge,
    count,
    service_link,
    summary,
)
from catalogctl.site.safehtml import text
from catalogctl.site.view import View, category_of, category_page_path

PAGE = ALL_SERVICES
HEADER = ("service", "category", "status", "summary", "availability")


def availability_targets(view: View, service_id: str) -> str:
    """The availability target of each SLA covering the service, highest first."""
    targets = dict.fromkeys(availability_text(sla.spec) for sla in view.slas_of.get(service_id, ()))
    targets.pop("-", None)
    return ", ".join(sorted(targets, key=lambda t: -float(t.split()[0])))


def all_services_page(view: View) -> str:
    out = [front_matter("All services", search=False, toc=False)]
    out.append(
        para(
            f"Every service in this catalog ({count(len(view.services), 'service')}) with "
            "its category, status, summary and availability target. Select a service for "
            "its support contacts, service levels and planned maintenance."
        )
    )
    rows = []
    for service in view.services:
        category = category_of(service)
        cells = (
            service_link(view, PAGE, service.id),
            a(text(category), href(PAGE, category_page_path(view, category))),
            badge(service),
            summary(service.description),
            availability_targets(view, service.id),
        )
        rows.append(
            f'<tr data-category="{view.category_slugs[category]}">'
            + "".join(f"<td>{cell or '-'}</td>" for cell in cells)
            + "</tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    out.append(
        '<div class="catalog-filter" data-catalog-filter>\n'
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</div>\n"
    )
    return "".join(out)
