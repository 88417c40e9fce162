"""The catalog site's pages, generated from the catalog: pure functions, no I/O.

`generate()` turns a linted catalog and its policy into the Markdown pages,
static files (`catalog.json`, `maintenance.ics`) and navigation of an MkDocs
project; `commands/site_cmd.py` writes them next to the `site/` template and
runs MkDocs. Every string from the catalog goes through `safehtml`: Markdown
fields are rendered and sanitised here, plain text is escaped, so MkDocs never
interprets catalog content.

The public build holds only public, live services and what customers need of
them; `internal=True` adds every service, CIs, teams with their members,
change requests with their computed risk, the rule reference and the current
lint findings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalogctl import calendar, graphviz, kinds, workflow
from catalogctl.diagnostics import Diagnostic
from catalogctl.model import (
    SLA,
    Catalog,
    ChangeRequest,
    ConfigurationItem,
    Entity,
    Ref,
    Service,
    Team,
)
from catalogctl.policy import Policy
from catalogctl.safehtml import link, markdown_block, text

SERVICE, CI, TEAM = kinds.SERVICE.name, kinds.CI.name, kinds.TEAM.name
PRIORITIES = ("P1", "P2", "P3", "P4")
DAY_NAMES = {
    "mon": "Mon",
    "tue": "Tue",
    "wed": "Wed",
    "thu": "Thu",
    "fri": "Fri",
    "sat": "Sat",
    "sun": "Sun",
}
UNITS = {"m": "minute", "h": "hour", "d": "day", "w": "week"}
LIFECYCLE_BADGES = {"live": "Live", "pipeline": "Coming soon", "retired": "Retired"}


@dataclass
class SiteFiles:
    """What the generator produces: docs-relative path -> content, and the nav."""

    pages: dict[str, str] = field(default_factory=dict)  # Markdown pages
    files: dict[str, bytes] = field(default_factory=dict)  # static files, copied as they are
    nav: list[Any] = field(default_factory=list)  # MkDocs `nav`, titles already escaped


# ---------------------------------------------------------------- helpers


def title_text(value: object) -> str:
    """A page or nav title: MkDocs inserts titles into HTML unescaped, and
    Material's `<title>` runs them through `striptags` (which unescapes them
    again), so angle brackets become look-alikes and the rest is escaped."""
    one_line = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in str(value)
    )
    return html.escape(one_line.replace("<", "\u2039").replace(">", "\u203a"), quote=True)


def front_matter(title: str) -> str:
    return f"---\ntitle: {json.dumps(title_text(title))}\n---\n\n"


def slug(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "other"


def duration_text(value: object) -> str:
    if not isinstance(value, str):
        return "-"
    match = re.fullmatch(r"([0-9]+)([mhdw])", value)
    if not match:
        return text(value)
    count = int(match.group(1))
    unit = UNITS[match.group(2)]
    return f"{count} {unit}{'' if count == 1 else 's'}"


def number_text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "-"
    return f"{value:g}"


def cell(value: str) -> str:
    """A table cell: already escaped text, with nothing that ends the cell or row."""
    return value.replace("|", "&#124;").replace("\n", " ") or "-"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n\n"


def rel(from_page: str, to_page: str) -> str:
    """A relative link from one docs page to another (MkDocs resolves .md links)."""
    up = from_page.count("/")
    return "../" * up + to_page


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


# ---------------------------------------------------------------- the model of the site


@dataclass(frozen=True)
class View:
    catalog: Catalog
    policy: Policy
    internal: bool
    now: dt.datetime
    services: tuple[Service, ...]  # shown, sorted by category then name
    paths: Mapping[str, str]  # service id -> docs path
    category_slugs: Mapping[str, str]
    slas: tuple[SLA, ...]  # covering at least one shown service
    upcoming: tuple[tuple[ChangeRequest, calendar.Window, frozenset[Ref]], ...]

    def shown(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)


def visible(service: Service, internal: bool) -> bool:
    return internal or (service.visibility == "public" and service.lifecycle == "live")


def _category(service: Service) -> str:
    value = service.spec.get("category")
    return value if isinstance(value, str) and value.strip() else "Other"


def make_view(catalog: Catalog, policy: Policy, internal: bool, now: dt.datetime) -> View:
    services = sorted(
        (e for e in catalog.of_kind(SERVICE) if isinstance(e, Service) and visible(e, internal)),
        key=lambda s: (_category(s).casefold(), s.name.casefold(), s.id),
    )
    slugs: dict[str, str] = {}
    for service in services:
        name = _category(service)
        if name not in slugs:
            base = slug(name)
            candidate, n = base, 2
            while candidate in slugs.values():
                candidate, n = f"{base}-{n}", n + 1
            slugs[name] = candidate
    paths = {s.id: f"services/{slugs[_category(s)]}/{s.id}.md" for s in services}
    shown_ids = set(paths)
    slas = sorted(
        (
            e
            for e in catalog.of_kind(kinds.SLA.name)
            if isinstance(e, SLA) and any(s in shown_ids for s in e.services)
        ),
        key=lambda s: (s.name.casefold(), s.id),
    )
    upcoming = []
    for entity in catalog.of_kind(kinds.CHANGE.name):
        if not isinstance(entity, ChangeRequest) or entity.state not in calendar.ACTIVE_STATES:
            continue
        window = calendar.change_window(entity)
        if window is None or window[1] <= now or entity.spec.get("outage") is not True:
            continue
        hit = calendar.footprint(catalog, entity).hit
        if any(r.kind == SERVICE and r.id in shown_ids for r in hit):
            upcoming.append((entity, window, hit))
    upcoming.sort(key=lambda item: (item[1][0], item[0].id))
    return View(
        catalog,
        policy,
        internal,
        now,
        tuple(services),
        paths,
        slugs,
        tuple(slas),
        tuple(upcoming),
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


def schedule_text(policy: Policy, schedule: object) -> str:
    if schedule == "24x7":
        return "24x7 (around the clock)"
    if not isinstance(schedule, str):
        return "-"
    data = policy.schedules.get(schedule)
    if not isinstance(data, Mapping):
        return text(schedule)
    days = data.get("days")
    day_text = (
        ", ".join(DAY_NAMES.get(d, text(d)) for d in days if isinstance(d, str))
        if isinstance(days, list)
        else ""
    )
    parts = [text(data.get("name") or schedule)]
    detail = " ".join(
        p
        for p in (
            day_text,
            f"{text(data.get('start', '?'))}-{text(data.get('end', '?'))}",
            text(data.get("timezone", "")),
        )
        if p
    )
    return f"{parts[0]}: {detail}"


def _team_name(view: View, team_id: str | None) -> str:
    team = view.catalog.get(TEAM, team_id) if team_id else None
    return text(team.name if team else team_id or "-")


def _service_link(view: View, from_page: str, service_id: str) -> str:
    service = view.shown(service_id)
    if service is None:
        return text(service_id)
    return f"[{text(service.name)}]({rel(from_page, view.paths[service_id])})"


def _badge(service: Service) -> str:
    label = LIFECYCLE_BADGES.get(service.lifecycle or "", text(service.lifecycle or "?"))
    css = slug(service.lifecycle or "unknown")
    extra = ""
    if service.visibility == "internal":
        extra = ' <span class="catalog-badge catalog-badge--internal">Internal</span>'
    return f'<span class="catalog-badge catalog-badge--{css}">{label}</span>{extra}'


# ---------------------------------------------------------------- pages


def home_page(view: View) -> str:
    site = view.policy.site
    organisation = site.get("organisation") or "our organisation"
    # the page title is "Home" (the nav's); Material appends the site name itself
    out = [front_matter("Home")]
    out.append(
        f"This is the IT service catalog of {text(organisation)}: the IT services you can "
        "use, what each one promises (its service-level agreement), how to get help and "
        "how to request things, and when planned maintenance will affect them.\n\n"
    )
    if view.internal:
        out.append(
            '!!! warning "Internal edition"\n    This build includes internal services, '
            "configuration items, teams and change requests. Do not publish it.\n\n"
        )
    by_category: dict[str, list[Service]] = {}
    for service in view.services:
        by_category.setdefault(_category(service), []).append(service)
    out.append(
        f"{_count(len(view.services), 'service')} in "
        f"{_count(len(by_category), 'category', 'categories')}; "
        f"{_count(len(view.upcoming), 'upcoming maintenance window')} "
        f"([maintenance](maintenance.md)).\n\n"
    )
    out.append("## Services by category\n\n")
    for name, services in by_category.items():
        counts: dict[str, int] = {}
        for service in services:
            counts[service.lifecycle or "?"] = counts.get(service.lifecycle or "?", 0) + 1
        count_text = ", ".join(
            f"{n} {LIFECYCLE_BADGES.get(k, text(k)).lower()}" for k, n in sorted(counts.items())
        )
        out.append(
            f'<h3 id="{view.category_slugs[name]}">{text(name)}</h3>\n\n'
            f"{_count(len(services), 'service')} ({count_text})\n\n"
        )
        rows = [
            [
                _service_link(view, "index.md", s.id),
                _badge(s),
                text(_first_line(s.description)),
            ]
            for s in services
        ]
        out.append(table(["service", "status", "summary"], rows))
    return "".join(out)


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _first_line(value: str) -> str:
    """A one-line summary: the first paragraph, to its first sentence, at most
    160 characters (descriptions are wrapped in YAML, so lines are not sentences)."""
    paragraph = " ".join(value.strip().split("\n\n", 1)[0].split())
    match = re.match(r"(.+?[.!?])(\s|$)", paragraph)
    summary = match.group(1) if match else paragraph
    return summary if len(summary) <= 160 else summary[:157].rstrip() + "..."


def _slas_of(view: View, service: Service) -> list[SLA]:
    return [s for s in view.slas if service.id in s.services]


def sla_table(view: View, sla: SLA) -> str:
    spec = sla.spec
    rows = [
        ["customer", text(spec.get("customer") or "-")],
        ["service hours", schedule_text(view.policy, spec.get("hours"))],
        [
            "availability",
            f"{number_text(_get(spec, 'availability', 'target'))} % "
            f"{text(_get(spec, 'availability', 'period') or '')}",
        ],
    ]
    if _get(spec, "requests", "fulfillment"):
        rows.append(["request fulfilment", duration_text(_get(spec, "requests", "fulfillment"))])
    for key, label in (("rto", "recovery time (RTO)"), ("rpo", "recovery point (RPO)")):
        if spec.get(key):
            rows.append([label, duration_text(spec.get(key))])
    effective = spec.get("effective")
    if isinstance(effective, Mapping):
        rows.append(
            [
                "effective",
                f"{text(effective.get('from', '?'))} to {text(effective.get('until', 'open'))}",
            ]
        )
    out = [table(["", "target"], rows)]
    priorities = spec.get("priorities")
    if isinstance(priorities, Mapping):
        prow = [
            [
                p,
                duration_text(_get(priorities, p, "response")),
                duration_text(_get(priorities, p, "resolution")),
            ]
            for p in PRIORITIES
            if isinstance(priorities.get(p), Mapping)
        ]
        out.append(table(["priority", "response", "resolution"], prow))
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
        out.append("Service credits:\n\n" + table(["availability", "credit"], crow))
    return "".join(out)


def service_page(view: View, service: Service) -> str:
    page = view.paths[service.id]
    spec = service.spec
    out = [front_matter(service.name)]
    facts = [
        ["category", text(_category(service))],
        ["status", _badge(service)],
        ["type", text(spec.get("type") or "-")],
        ["owner", _team_name(view, service.owner)],
    ]
    if view.internal:
        facts.append(["tier", text(service.tier or "-")])
        facts.append(["visibility", text(service.visibility or "-")])
    if service.tags:
        facts.append(
            [
                "tags",
                ", ".join(f"[{text(t)}]({rel(page, 'tags.md')}#{slug(t)})" for t in service.tags),
            ]
        )
    out.append(table(["fact", "value"], facts))
    out.append(markdown_block(service.description))

    out.append("## Support\n\n")
    support = spec.get("support") if isinstance(spec.get("support"), Mapping) else {}
    assert isinstance(support, Mapping)
    rows = [
        ["owner team", _team_name(view, service.owner)],
        ["support hours", schedule_text(view.policy, support.get("hours"))],
    ]
    if support.get("email"):
        rows.append(["e-mail", link(support["email"], f"mailto:{support['email']}")])
    if support.get("url"):
        rows.append(["web", link(support["url"], support["url"])])
    if view.internal and service.owner:
        team = view.catalog.get(TEAM, service.owner)
        if isinstance(team, Team):
            rows.append(["members", ", ".join(text(m) for m in team.members)])
            if team.spec.get("oncall"):
                rows.append(["on call", text(team.spec["oncall"])])
    out.append(table(["contact", "details"], rows))

    slas = _slas_of(view, service)
    out.append("## Service levels\n\n")
    if not slas:
        out.append("No service-level agreement covers this service.\n\n")
    for sla in slas:
        out.append(
            f"<h3>{text(sla.name)}</h3>\n\n[Full agreement]({rel(page, f'slas/{sla.id}.md')})\n\n"
        )
        out.append(sla_table(view, sla))

    offerings = [o for o in spec.get("offerings") or [] if isinstance(o, Mapping)]
    if offerings:
        out.append("## Request offerings\n\n")
        rows = []
        for offering in offerings:
            cost = offering.get("cost")
            cost_text = (
                f"{number_text(cost.get('amount'))} {text(cost.get('currency') or '')}"
                if isinstance(cost, Mapping)
                else "free"
            )
            request = offering.get("request")
            how = link("Request form", request) if request else "through the service desk"
            rows.append(
                [
                    text(offering.get("name") or offering.get("id") or "?"),
                    duration_text(offering.get("fulfillment")),
                    text(offering.get("approval") or "none"),
                    cost_text,
                    how,
                ]
            )
        out.append(table(["offering", "fulfilment", "approval", "cost", "how to request"], rows))
        for offering in offerings:
            description = offering.get("description")
            if isinstance(description, str) and description.strip():
                out.append(f"**{text(offering.get('name') or offering.get('id'))}**\n\n")
                out.append(markdown_block(description))

    out.append(dependencies_section(view, service))
    out.append(maintenance_section(view, service))

    links = [lk for lk in service.links if isinstance(lk.get("url"), str)]
    if links:
        out.append("## Links\n\n")
        for item in links:
            kind = item.get("type") or "other"
            out.append(f"- {link(item.get('title') or item['url'], item['url'])} ({text(kind)})\n")
        out.append("\n")
    if view.internal:
        out.append(internal_facts(view, service))
    return "".join(out)


def dependencies_section(view: View, service: Service) -> str:
    page = view.paths[service.id]
    deps = [d for d in service.depends_on if view.shown(d) is not None]
    users = [s.id for s in view.services if service.id in s.depends_on and s.id != service.id]
    cis = list(service.cis) if view.internal else []
    if not deps and not users and not cis:
        return ""
    nodes = [graphviz.Node(SERVICE, service.id, service.name, service.tier, service.lifecycle)]
    links: list[graphviz.Link] = []
    for dep in deps:
        other = view.shown(dep)
        assert other is not None
        nodes.append(graphviz.Node(SERVICE, other.id, other.name, other.tier, other.lifecycle))
        links.append(graphviz.Link(f"{SERVICE}/{service.id}", f"{SERVICE}/{dep}", "dependsOn"))
    for ci_id in cis:
        ci = view.catalog.get(CI, ci_id)
        status = ci.spec.get("status") if ci else None
        name = ci.name if ci else ci_id
        nodes.append(
            graphviz.Node(CI, ci_id, name, status=status if isinstance(status, str) else None)
        )
        links.append(graphviz.Link(f"{SERVICE}/{service.id}", f"{CI}/{ci_id}", "cis"))
    out = ["## Dependencies\n\n"]
    if deps or cis:
        out.append("```mermaid\n" + graphviz.mermaid(nodes, links) + "```\n\n")
    if deps:
        out.append("Depends on: " + ", ".join(_service_link(view, page, d) for d in deps) + ".\n\n")
    if users:
        out.append("Used by: " + ", ".join(_service_link(view, page, u) for u in users) + ".\n\n")
    return "".join(out)


def maintenance_section(view: View, service: Service) -> str:
    mine = [
        (change, window) for change, window, hit in view.upcoming if Ref(SERVICE, service.id) in hit
    ]
    out = ["## Upcoming maintenance\n\n"]
    if not mine:
        out.append("No maintenance with downtime is planned for this service.\n\n")
        return "".join(out)
    for change, window in mine:
        direct = service.id in change.target_services
        how = "" if direct else " (through a service it depends on)"
        out.append(
            f'!!! warning "Planned downtime"\n'
            f"    {text(change.name)}: {text(calendar.show_window(window))}{how}. "
            f"Reference {text(change.id)}.\n\n"
        )
    return "".join(out)


def internal_facts(view: View, service: Service) -> str:
    spec = service.spec
    rows = []
    cost = spec.get("cost")
    if isinstance(cost, Mapping):
        rows.append(
            [
                "cost",
                f"{number_text(cost.get('monthly'))} {text(cost.get('currency') or '')} a month, "
                f"cost centre {text(cost.get('costCenter') or '-')}",
            ]
        )
    classification = _get(spec, "security", "classification")
    if classification:
        rows.append(["classification", text(classification)])
    continuity = spec.get("continuity")
    if isinstance(continuity, Mapping):
        rows.append(
            [
                "continuity",
                f"RTO {duration_text(continuity.get('rto'))}, RPO "
                f"{duration_text(continuity.get('rpo'))}, DR tier "
                f"{text(continuity.get('drTier') or '-')}",
            ]
        )
    if service.cis:
        rows.append(["CIs", ", ".join(text(c) for c in service.cis)])
    rows.append(["file", f"`{text(service.file)}`"])
    return "## Internal\n\n" + table(["field", "value"], rows)


def sla_page(view: View, sla: SLA) -> str:
    page = f"slas/{sla.id}.md"
    out = [front_matter(sla.name), markdown_block(sla.description)]
    covered = [s for s in sla.services if view.shown(s) is not None]
    out.append("Covers: " + ", ".join(_service_link(view, page, s) for s in covered) + ".\n\n")
    out.append(sla_table(view, sla))
    return "".join(out)


def maintenance_page(view: View) -> str:
    out = [front_matter("Planned maintenance")]
    out.append(
        "Planned maintenance windows with customer-visible downtime, and the periods in "
        "which changes are frozen. Subscribe to the calendar feed in your calendar "
        "application: [maintenance.ics](maintenance.ics).\n\n"
    )
    out.append("## Upcoming maintenance windows\n\n")
    if not view.upcoming:
        out.append("No maintenance with downtime is planned.\n\n")
    else:
        rows = []
        for change, window, hit in view.upcoming:
            affected = sorted(r.id for r in hit if r.kind == SERVICE and view.shown(r.id))
            rows.append(
                [
                    text(calendar.show_window(window)),
                    text(change.name),
                    ", ".join(_service_link(view, "maintenance.md", s) for s in affected),
                    text(change.id),
                ]
            )
        out.append(table(["window", "maintenance", "services affected", "reference"], rows))
    out.append("## Change freezes\n\n")
    freezes = [
        (f, w)
        for f in view.policy.freezes
        if (w := calendar.freeze_window(f)) is not None and w[1] > view.now
    ]
    if not freezes:
        out.append("No change freeze is coming up.\n\n")
    else:
        rows = [[text(f.name), text(calendar.show_window(w))] for f, w in freezes]
        out.append(
            "During a freeze only urgent changes are made; planned maintenance "
            "waits until it ends.\n\n" + table(["freeze", "period"], rows)
        )
    return "".join(out)


def tags_page(view: View) -> str:
    tags: dict[str, list[Service]] = {}
    for service in view.services:
        for tag in service.tags:
            tags.setdefault(tag, []).append(service)
    out = [front_matter("Tags")]
    for tag in sorted(tags):
        out.append(f'<h2 id="{slug(tag)}">{text(tag)}</h2>\n\n')
        out += [f"- {_service_link(view, 'tags.md', s.id)}\n" for s in tags[tag]]
        out.append("\n")
    if not tags:
        out.append("No service has tags yet.\n")
    return "".join(out)


# ---------------------------------------------------------------- JSON export


def _duration(value: object) -> str | None:
    return value if isinstance(value, str) else None


def catalog_json(view: View) -> dict[str, Any]:
    site = view.policy.site
    services = []
    for service in view.services:
        spec = service.spec
        support = spec.get("support") if isinstance(spec.get("support"), Mapping) else {}
        assert isinstance(support, Mapping)
        owner = view.catalog.get(TEAM, service.owner) if service.owner else None
        services.append(
            {
                "id": service.id,
                "name": service.name,
                "category": _category(service),
                "type": spec.get("type"),
                "lifecycle": service.lifecycle,
                "tier": service.tier,
                "description": service.description,
                "tags": list(service.tags),
                "owner": {"id": service.owner, "name": owner.name if owner else None},
                "support": {
                    "hours": support.get("hours"),
                    "email": support.get("email"),
                    "url": support.get("url"),
                },
                "slas": [s.id for s in _slas_of(view, service)],
                "dependsOn": [d for d in service.depends_on if view.shown(d)],
                "offerings": [
                    {
                        "id": o.get("id"),
                        "name": o.get("name"),
                        "description": o.get("description"),
                        "fulfillment": _duration(o.get("fulfillment")),
                        "approval": o.get("approval"),
                        "cost": o.get("cost") if isinstance(o.get("cost"), Mapping) else None,
                        "request": o.get("request"),
                    }
                    for o in spec.get("offerings") or []
                    if isinstance(o, Mapping)
                ],
                "links": [
                    {"title": lk.get("title"), "url": lk.get("url"), "type": lk.get("type")}
                    for lk in service.links
                ],
                "page": view.paths[service.id][: -len(".md")] + "/",
            }
        )
    slas = []
    for sla in view.slas:
        spec = sla.spec
        slas.append(
            {
                "id": sla.id,
                "name": sla.name,
                "description": sla.description,
                "customer": spec.get("customer"),
                "services": [s for s in sla.services if view.shown(s)],
                "hours": spec.get("hours"),
                "availability": spec.get("availability"),
                "priorities": spec.get("priorities"),
                "requests": spec.get("requests"),
                "rto": spec.get("rto"),
                "rpo": spec.get("rpo"),
                "credits": spec.get("credits"),
                "effective": spec.get("effective"),
            }
        )
    return {
        "version": 1,
        "title": site.get("title"),
        "url": site.get("url"),
        "organisation": site.get("organisation"),
        "schedules": [
            {
                k: v
                for k, v in data.items()
                if k in ("id", "name", "timezone", "days", "start", "end")
            }
            for data in view.policy.schedules.values()
        ],
        "categories": [
            {
                "name": name,
                "slug": category_slug,
                "services": [s.id for s in view.services if _category(s) == name],
            }
            for name, category_slug in view.category_slugs.items()
        ],
        "services": services,
        "slas": slas,
        "maintenance": [
            {
                "id": change.id,
                "title": change.name,
                "start": window[0].isoformat(),
                "end": window[1].isoformat(),
                "services": sorted(r.id for r in hit if r.kind == SERVICE and view.shown(r.id)),
            }
            for change, window, hit in view.upcoming
        ],
        "freezes": [
            {"id": f.id, "name": f.name, "start": f.start, "end": f.end}
            for f in view.policy.freezes
            if (w := calendar.freeze_window(f)) is not None and w[1] > view.now
        ],
    }


# ---------------------------------------------------------------- internal pages


def teams_page(view: View) -> str:
    out = [front_matter("Teams")]
    rows = []
    for team in sorted(view.catalog.of_kind(TEAM), key=lambda t: t.name.casefold()):
        if not isinstance(team, Team):
            continue
        rows.append(
            [
                text(team.name),
                text(team.spec.get("github") or "-"),
                text(team.spec.get("email") or "-"),
                text(team.spec.get("oncall") or "-"),
                ", ".join(text(m) for m in team.members),
            ]
        )
    out.append(table(["team", "GitHub team", "e-mail", "on call", "members"], rows))
    return "".join(out)


def cis_page(view: View) -> str:
    out = [front_matter("Configuration items")]
    rows = []
    for ci in sorted(view.catalog.of_kind(CI), key=lambda c: c.id):
        if not isinstance(ci, ConfigurationItem):
            continue
        spec = ci.spec
        rows.append(
            [
                f"`{text(ci.id)}`",
                text(ci.name),
                text(spec.get("type") or "-"),
                text(spec.get("environment") or "-"),
                text(ci.status or "-"),
                _team_name(view, ci.owner),
                ", ".join(f"{text(t)} {text(target)}" for _, t, target in ci.relations),
            ]
        )
    out.append(table(["id", "name", "type", "environment", "status", "owner", "relations"], rows))
    return "".join(out)


def changes_page(view: View) -> str:
    out = [front_matter("Change requests")]
    rows = []
    changes = [c for c in view.catalog.of_kind(kinds.CHANGE.name) if isinstance(c, ChangeRequest)]
    for change in sorted(changes, key=lambda c: c.id, reverse=True):
        risk = workflow.risk(change, view.catalog)
        window = calendar.change_window(change)
        rows.append(
            [
                f"`{text(change.id)}`",
                text(change.name),
                text(change.change_type or "?"),
                text(change.state or "?"),
                text(str(risk) if risk else "?"),
                text(calendar.show_window(window)) if window else "-",
                "yes" if change.spec.get("outage") is True else "no",
                _team_name(view, change.owner),
            ]
        )
    out.append(table(["id", "title", "type", "state", "risk", "window", "outage", "owner"], rows))
    return "".join(out)


def rules_page() -> str:
    from catalogctl.commands.rules_cmd import markdown
    from catalogctl.rules import REGISTRY

    rows = [
        {
            "id": rule.id,
            "default": rule.severity.value,
            "severity": rule.severity.value,
            "fatal": "yes" if rule.fatal else "no",
            "summary": rule.summary,
            "doc": rule.doc,
        }
        for rule in sorted(REGISTRY.values(), key=lambda r: r.id)
    ]
    body = markdown(rows)
    return front_matter("Rules") + body.split("\n", 1)[1]  # our title replaces "# Rules"


def lint_page(diagnostics: Sequence[Diagnostic]) -> str:
    out = [front_matter("Lint findings")]
    if not diagnostics:
        out.append("`catalogctl lint` finds nothing: the catalog is clean.\n")
        return "".join(out)
    rows = [
        [
            text(d.severity.value if d.severity else "?"),
            f"`{text(d.file)}:{d.line}:{d.column}`",
            f"`{text(d.rule)}`",
            text(d.message),
        ]
        for d in diagnostics
    ]
    out.append(table(["severity", "where", "rule", "message"], rows))
    return "".join(out)


# ---------------------------------------------------------------- everything


def generate(
    catalog: Catalog,
    policy: Policy,
    *,
    internal: bool,
    now: dt.datetime,
    diagnostics: Sequence[Diagnostic] = (),
    extra_nav: Sequence[Any] = (),
) -> SiteFiles:
    view = make_view(catalog, policy, internal, now)
    site = SiteFiles()
    site.pages["index.md"] = home_page(view)
    category_nav: dict[str, list[Any]] = {}
    for service in view.services:
        path = view.paths[service.id]
        site.pages[path] = service_page(view, service)
        category_nav.setdefault(_category(service), []).append({title_text(service.name): path})
    for sla in view.slas:
        site.pages[f"slas/{sla.id}.md"] = sla_page(view, sla)
    site.pages["maintenance.md"] = maintenance_page(view)
    site.pages["tags.md"] = tags_page(view)
    site.files["catalog.json"] = (
        json.dumps(catalog_json(view), indent=2, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    # The same code path as `catalogctl change calendar --public --format ics`.
    feed = calendar.build(public_view_catalog(catalog), policy, public=True)
    site.files["maintenance.ics"] = calendar.to_ics(feed).encode("utf-8")
    site.nav = [
        {"Home": "index.md"},
        {"Services": [{title_text(name): pages} for name, pages in category_nav.items()]},
        {"Service levels": [{title_text(s.name): f"slas/{s.id}.md"} for s in view.slas]},
        {"Maintenance": "maintenance.md"},
        {"Tags": "tags.md"},
    ]
    if internal:
        site.pages["internal/teams.md"] = teams_page(view)
        site.pages["internal/cis.md"] = cis_page(view)
        site.pages["internal/changes.md"] = changes_page(view)
        site.pages["internal/rules.md"] = rules_page()
        site.pages["internal/lint.md"] = lint_page(diagnostics)
        site.nav.append(
            {
                "Internal": [
                    {"Teams": "internal/teams.md"},
                    {"Configuration items": "internal/cis.md"},
                    {"Change requests": "internal/changes.md"},
                    {"Rules": "internal/rules.md"},
                    {"Lint findings": "internal/lint.md"},
                ]
            }
        )
    site.nav.extend(extra_nav)
    return site
