"""A service's page on the catalog site: what customers need to use it.

Facts and description, support contacts and hours, each covering SLA as
tables, availability achieved and incident history (`operation`), request
offerings, a Mermaid diagram of its published dependencies and the services
using it, upcoming maintenance (directly or through the
dependency graph) and its links; in the internal edition also its scorecard
level, tier, visibility, team members and the internal facts.
"""

from __future__ import annotations

from collections.abc import Mapping

from catalogctl.change import calendar
from catalogctl.model.entities import Service, Team
from catalogctl.review import graphviz
from catalogctl.site.diagram import diagram
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
from catalogctl.site.operation import History
from catalogctl.site.operation import service_section as operation_section
from catalogctl.site.pages import (
    CI,
    TEAM,
    badge,
    breadcrumb,
    duration_text,
    number_text,
    schedule_text,
    service_link,
    sla_table,
    team_name,
)
from catalogctl.site.safehtml import link, markdown_block, text
from catalogctl.site.view import SERVICE, View, category_of, category_page_path, slug


def service_page(view: View, service: Service, history: History | None = None) -> str:
    """`history`: SLA attainment of the last months and incidents (site/operation.py)."""
    page = view.paths[service.id]
    spec = service.spec
    category = category_of(service)
    out = [
        front_matter(service.name),
        breadcrumb(view, page, ("Services", category_page_path(view, category))),
    ]
    facts = [
        ["category", a(text(category), href(page, category_page_path(view, category)))],
        ["status", badge(service)],
        ["type", text(spec.get("type") or "-")],
    ]  # the owner team is the first line of Support
    if view.internal:
        facts.append(["tier", text(service.tier or "-")])
        facts.append(["visibility", text(service.visibility or "-")])
        score = view.scores.get(service.id)
        if score is not None:
            from catalogctl.site.health import level_cell

            facts.append(["scorecard level", level_cell(page, score)])
    if service.tags:
        tags = ", ".join(a(text(t), href(page, "tags.md", slug(t))) for t in service.tags)
        facts.append(["tags", tags])
    # The description first: it is what a customer reads first, and it starts
    # the page's search entry (Material's search previews an entry's first words).
    out.append(markdown_block(service.description))
    out.append(fields(facts))
    out.append(support_section(view, service))
    out.append(sla_section(view, service, page))
    out.append(operation_section(view, service, history or History()))
    out.append(offerings_section(service))
    out.append(dependencies_section(view, service))
    out.append(maintenance_section(view, service))
    links = [lk for lk in view.links_of(service) if isinstance(lk.get("url"), str)]
    if links:
        out.append(heading(2, "Links", "links"))
        out.append(
            bullets(
                f"{link(item.get('title') or item['url'], item['url'])} "
                f"({text(item.get('type') or 'other')})"
                for item in links
            )
        )
    if view.internal:
        from catalogctl.site.internal import internal_facts

        out.append(internal_facts(service))
    return "".join(out)


def support_section(view: View, service: Service) -> str:
    support = service.spec.get("support")
    support = support if isinstance(support, Mapping) else {}
    rows = [
        ["owner team", team_name(view, service.owner)],
        ["support hours", schedule_text(view, support.get("hours"))],
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
    return heading(2, "Support", "support") + fields(rows)


def sla_section(view: View, service: Service, page: str) -> str:
    slas = view.slas_of.get(service.id, ())
    out = [heading(2, "Service levels", "service-levels")]
    if not slas:
        out.append(para("No service-level agreement covers this service."))
    for sla in slas:
        out.append(heading(3, text(sla.name), f"sla-{slug(sla.id)}"))
        out.append(para(a("Full agreement", href(page, f"slas/{sla.id}.md"))))
        out.append(sla_table(view, sla))
    return "".join(out)


def offerings_section(service: Service) -> str:
    offerings = [o for o in service.spec.get("offerings") or [] if isinstance(o, Mapping)]
    if not offerings:
        return ""
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
    out = [heading(2, "Request offerings", "request-offerings")]
    out.append(table(["offering", "fulfilment", "approval", "cost", "how to request"], rows))
    for offering in offerings:
        description = offering.get("description")
        if isinstance(description, str) and description.strip():
            out.append(para(f"<strong>{text(offering.get('name') or offering.get('id'))}</strong>"))
            out.append(markdown_block(description))
    return "".join(out)


def dependencies_section(view: View, service: Service) -> str:
    page = view.paths[service.id]
    deps = [d for d in dict.fromkeys(service.depends_on) if d in view.by_id and d != service.id]
    users = view.users_of.get(service.id, ())
    cis = list(service.cis) if view.internal else []
    if not deps and not users and not cis:
        return ""
    nodes = [graphviz.Node(SERVICE, service.id, service.name, service.tier, service.lifecycle)]
    links: list[graphviz.Link] = []
    for dep in deps:
        other = view.by_id[dep]
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
    out = [heading(2, "Dependencies", "dependencies")]
    if deps or cis:
        out.append(diagram(nodes, links))
    if deps:
        out.append(
            para("Depends on: " + ", ".join(service_link(view, page, d) for d in deps) + ".")
        )
    if users:
        out.append(para("Used by: " + ", ".join(service_link(view, page, u) for u in users) + "."))
    return "".join(out)


def maintenance_section(view: View, service: Service) -> str:
    out = [heading(2, "Upcoming maintenance", "upcoming-maintenance")]
    mine = view.upcoming_of.get(service.id, ())
    if not mine:
        out.append(para("No maintenance with downtime is planned for this service."))
    for change, window, _ in mine:
        how = "" if service.id in change.target_services else " (through a service it depends on)"
        out.append(
            admonition(
                "warning",
                "Planned downtime",
                f"{text(change.name)}: {text(calendar.show_window(window))}{how}. "
                f"Reference {text(change.id)}.",
            )
        )
    return "".join(out)
