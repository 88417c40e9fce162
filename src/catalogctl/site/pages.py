"""The public pages of the catalog site (customers), as HTML bodies; the
service page is `siteservice`.

Each function takes the `View` and returns one page: front matter, then
blocks from `sitehtml`. Catalog text goes through `safehtml.text` (plain
fields) or `safehtml.markdown_block` (Markdown fields); links are final URLs
(`sitehtml.href`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from catalogctl.change import calendar
from catalogctl.load import kinds
from catalogctl.model.durations import duration_words
from catalogctl.model.entities import SLA, Service, dig
from catalogctl.site.html import (
    a,
    admonition,
    bullets,
    fields,
    front_matter,
    heading,
    href,
    para,
    table,
)
from catalogctl.site.safehtml import markdown_block, render_inline, text
from catalogctl.site.view import SERVICE, View, category_page_path, slug

CI, TEAM = kinds.CI.name, kinds.TEAM.name
PRIORITIES = ("P1", "P2", "P3", "P4")
DAY_NAMES = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri"}
DAY_NAMES |= {"sat": "Sat", "sun": "Sun"}
ALL_SERVICES = "services/index.md"  # allservices.py; the home page links to it
LIFECYCLE_BADGES = {"live": "Live", "pipeline": "Coming soon", "retired": "Retired"}
_SENTENCE = re.compile(r"(.+?[.!?])(\s|$)")


# ---------------------------------------------------------------- small parts


def duration_text(value: object) -> str:
    """'4h' -> '4 hours'; anything else as written (escaped), '-' when absent."""
    if not isinstance(value, str):
        return "-"
    return duration_words(value) or text(value)


def number_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "-"
    return f"{value:g}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def first_line(value: str) -> str:
    """A one-line summary: the first paragraph, to its first sentence, at most
    160 characters (descriptions are wrapped in YAML, so lines are not sentences)."""
    paragraph = " ".join(value.strip().split("\n\n", 1)[0].split())
    match = _SENTENCE.match(paragraph)
    summary = match.group(1) if match else paragraph
    return summary if len(summary) <= 160 else summary[:157].rstrip() + "..."


@functools.lru_cache(maxsize=4096)  # the category page and the all-services page
def summary(description: str) -> str:
    """A service's one-line summary as sanitised inline HTML: code, emphasis and
    links render; anything else is text (`safehtml.render_inline`)."""
    return render_inline(first_line(description))


def schedule_text(view: View, schedule: object) -> str:
    if schedule == "24x7":
        return "24x7 (around the clock)"
    if not isinstance(schedule, str):
        return "-"
    data = view.policy.schedules.get(schedule)
    if not isinstance(data, Mapping):
        return text(schedule)
    days = data.get("days")
    day_text = (
        ", ".join(DAY_NAMES.get(d, text(d)) for d in days if isinstance(d, str))
        if isinstance(days, list)
        else ""
    )
    hours = f"{text(data.get('start', '?'))}-{text(data.get('end', '?'))}"
    detail = " ".join(p for p in (day_text, hours, text(data.get("timezone", ""))) if p)
    return f"{text(data.get('name') or schedule)}: {detail}"


def nowrap(inner_html: str) -> str:
    return f'<span class="catalog-nowrap">{inner_html}</span>'


def window_html(window: calendar.Window) -> str:
    """A window in a table cell, breaking only between its start and end
    (a date or an id broken at its hyphens is hard to read)."""
    return " to ".join(nowrap(text(end)) for end in calendar.show_window(window).split(" to "))


def team_name(view: View, team_id: str | None) -> str:
    team = view.catalog.get(TEAM, team_id) if team_id else None
    return text(team.name if team else team_id or "-")


def service_link(view: View, from_page: str, service_id: str) -> str:
    service = view.by_id.get(service_id)
    if service is None:
        return text(service_id)
    return a(text(service.name), href(from_page, view.paths[service_id]))


def badge(service: Service) -> str:
    label = LIFECYCLE_BADGES.get(service.lifecycle or "", text(service.lifecycle or "?"))
    css = slug(service.lifecycle or "unknown")
    extra = ""
    if service.visibility == "internal":
        extra = ' <span class="catalog-badge catalog-badge--internal">Internal</span>'
    return f'<span class="catalog-badge catalog-badge--{css}">{label}</span>{extra}'


def breadcrumb(view: View, page: str, *crumbs: tuple[str, str]) -> str:
    """Where a page sits, for pages the navigation does not list."""
    parts = [a("Home", href(page, "index.md"))]
    parts += [a(label, href(page, target)) for label, target in crumbs]
    return para(" &rsaquo; ".join(parts), "catalog-breadcrumb")


# ---------------------------------------------------------------- home and categories


def home_page(view: View) -> str:
    organisation = view.policy.site.get("organisation") or "our organisation"
    # the page title is "Home" (the nav's); Material appends the site name itself
    out = [front_matter("Home")]
    out.append(
        para(
            f"This is the IT service catalog of {text(organisation)}: the IT services you "
            "can use, what each one promises (its service-level agreement), how to get "
            "help and how to request things, and when planned maintenance will affect "
            "them. Search for a service with the search box at the top of every page."
        )
    )
    if view.internal:
        out.append(
            admonition(
                "warning",
                "Internal edition",
                "This build includes internal services, configuration items, teams and "
                "change requests. Do not publish it.",
            )
        )
    maintenance = a("maintenance", href("index.md", "maintenance.md"))
    every = a("all services", href("index.md", ALL_SERVICES))
    out.append(
        para(
            f"{count(len(view.services), 'service')} in "
            f"{count(len(view.categories), 'category', 'categories')} ({every}); "
            f"{count(len(view.upcoming), 'upcoming maintenance window')} ({maintenance})."
        )
    )
    out.append(heading(2, "Services by category", "services-by-category"))
    cards = []
    for name, services in view.categories.items():
        target = href("index.md", category_page_path(view, name))
        listed = ", ".join(service_link(view, "index.md", s.id) for s in services[:8])
        more = f", {a(f'and {len(services) - 8} more', target)}" if len(services) > 8 else ""
        cards.append(
            f"<li><p><strong>{a(text(name), target)}</strong></p>\n"
            f"<p>{_lifecycle_counts(services)}</p>\n<p>{listed}{more}</p></li>"
        )
    if cards:
        out.append('<div class="grid cards catalog-categories">\n<ul>\n')
        out.append("\n".join(cards) + "\n</ul>\n</div>\n")
    return "".join(out)


def _lifecycle_counts(services: tuple[Service, ...]) -> str:
    counts: dict[str, int] = {}
    for service in services:
        counts[service.lifecycle or "?"] = counts.get(service.lifecycle or "?", 0) + 1
    if set(counts) == {"live"}:
        return count(len(services), "service")  # the public edition: all live, say nothing
    detail = ", ".join(
        f"{n} {LIFECYCLE_BADGES.get(k, text(k)).lower()}" for k, n in sorted(counts.items())
    )
    return f"{count(len(services), 'service')} ({detail})"


def category_page(view: View, name: str) -> str:
    page = category_page_path(view, name)
    services = view.categories[name]
    out = [front_matter(name, toc=False), para(_lifecycle_counts(services))]
    rows = [[service_link(view, page, s.id), badge(s), summary(s.description)] for s in services]
    out.append(table(["service", "status", "summary"], rows))
    return "".join(out)


# ---------------------------------------------------------------- service pages


def availability_text(spec: Mapping[str, object]) -> str:
    target = dig(spec, "availability", "target")
    if number_text(target) == "-":
        return "-"
    return f"{number_text(target)} % {text(dig(spec, 'availability', 'period') or '')}".strip()


def sla_table(view: View, sla: SLA) -> str:
    """An SLA's terms in the order customers look for them: the availability
    target and its period, the service hours, response and resolution per
    priority; then request fulfilment, recovery, customer, validity, credits."""
    spec = sla.spec
    out = [
        fields(
            [
                ["availability", availability_text(spec)],
                ["service hours", schedule_text(view, spec.get("hours"))],
            ]
        )
    ]
    priorities = spec.get("priorities")
    if isinstance(priorities, Mapping):
        prow = [
            [
                p,
                duration_text(dig(priorities, p, "response")),
                duration_text(dig(priorities, p, "resolution")),
            ]
            for p in PRIORITIES
            if isinstance(priorities.get(p), Mapping)
        ]
        if prow:
            out.append(table(["priority", "response", "resolution"], prow))
    rows = []
    if dig(spec, "requests", "fulfillment"):
        rows.append(["request fulfilment", duration_text(dig(spec, "requests", "fulfillment"))])
    for key, label in (("rto", "recovery time (RTO)"), ("rpo", "recovery point (RPO)")):
        if spec.get(key):
            rows.append([label, duration_text(spec.get(key))])
    if spec.get("customer"):
        rows.append(["customer", text(spec["customer"])])
    effective = spec.get("effective")
    if isinstance(effective, Mapping):
        start, until = text(effective.get("from", "?")), text(effective.get("until", "open"))
        rows.append(["effective", f"{start} to {until}"])
    if rows:
        out.append(fields(rows))
    credits = spec.get("credits")
    if isinstance(credits, list) and credits:
        crow = [
            [
                f"below {number_text(c.get('below'))} %",
                f"{number_text(c.get('credit'))} % of the monthly fee",
            ]
            for c in credits
            if isinstance(c, Mapping)
        ]
        out.append(para("Service credits:") + table(["availability", "credit"], crow))
    return '<div class="catalog-sla">\n' + "".join(out) + "</div>\n"


# ---------------------------------------------------------------- SLAs, maintenance, tags


def sla_index_page(view: View) -> str:
    page = "slas/index.md"
    out = [front_matter("Service levels")]
    out.append(
        para(
            "The service-level agreements (SLAs) of the services in this catalog: what "
            "each promises, for which services, and during which hours."
        )
    )
    if not view.slas:
        return "".join(out) + para("No published service has an SLA yet.")
    rows = [
        [
            a(text(sla.name), href(page, f"slas/{sla.id}.md")),
            availability_text(sla.spec),
            schedule_text(view, sla.spec.get("hours")),
            str(sum(1 for s in sla.services if s in view.by_id)),
        ]
        for sla in view.slas
    ]
    out.append(table(["agreement", "availability", "service hours", "services"], rows))
    return "".join(out)


def sla_page(view: View, sla: SLA) -> str:
    page = f"slas/{sla.id}.md"
    out = [
        front_matter(sla.name),
        breadcrumb(view, page, ("Service levels", "slas/index.md")),
        markdown_block(sla.description),
    ]
    covered = [s for s in dict.fromkeys(sla.services) if s in view.by_id]
    out.append(para("Covers: " + ", ".join(service_link(view, page, s) for s in covered) + "."))
    out.append(sla_table(view, sla))
    return "".join(out)


def maintenance_page(view: View) -> str:
    page = "maintenance.md"
    out = [front_matter("Planned maintenance")]
    out.append(
        para(
            "Planned maintenance windows with customer-visible downtime, and the periods "
            "in which changes are frozen. Subscribe to the calendar feed in your calendar "
            f"application: {a('maintenance.ics', href(page, 'maintenance.ics'))}."
        )
    )
    out.append(heading(2, "Upcoming maintenance windows", "upcoming-maintenance-windows"))
    if not view.upcoming:
        out.append(para("No maintenance with downtime is planned."))
    else:
        rows = []
        for change, window, hit in view.upcoming:
            affected = sorted(r.id for r in hit if r.kind == SERVICE and r.id in view.by_id)
            rows.append(
                [
                    window_html(window),
                    text(change.name),
                    ", ".join(service_link(view, page, s) for s in affected),
                    nowrap(text(change.id)),
                ]
            )
        out.append(table(["window", "maintenance", "services affected", "reference"], rows))
    out.append(heading(2, "Change freezes", "change-freezes"))
    freezes = [
        (f, w)
        for f in view.policy.freezes
        if (w := calendar.freeze_window(f)) is not None and w[1] > view.now
    ]
    if not freezes:
        out.append(para("No change freeze is coming up."))
    else:
        out.append(
            para(
                "During a freeze only urgent changes are made; planned maintenance waits "
                "until it ends."
            )
        )
        out.append(
            table(
                ["freeze", "period"],
                [[text(f.name), window_html(w)] for f, w in freezes],
            )
        )
    return "".join(out)


def tags_page(view: View) -> str:
    tags: dict[str, list[Service]] = {}
    for service in view.services:
        for tag in dict.fromkeys(service.tags):
            tags.setdefault(tag, []).append(service)
    out = [front_matter("Tags")]
    if not tags:
        out.append(para("No service has tags yet."))
    for tag in sorted(tags):
        out.append(heading(2, text(tag), slug(tag)))
        out.append(bullets(service_link(view, "tags.md", s.id) for s in tags[tag]))
    return "".join(out)
