"""Services: planned first (ids, owners, tiers), written once their CIs exist.

A service depends only on services written before it, so the graph has no
cycles, and nothing in use depends on anything retired.
"""

from __future__ import annotations

from typing import Any

from .draft import CatalogDraft, envelope
from .model import ServiceInfo
from .policy import SCHEDULES
from .text import make_tags, markdown, slugify, unique_id
from .vocabulary import AREAS, CURRENCIES, DOMAIN, ORG, REGIONS, SITES, TECHNICAL_AREAS


def plan_services(draft: CatalogDraft) -> None:
    """Name every service and pick its owner, type, lifecycle, tier and site."""
    rng = draft.rng
    used: dict[str, int] = {}
    combos = [
        (a, s, r)
        for a in range(len(AREAS))
        for s in range(len(AREAS[a][2]))
        for r in range(len(REGIONS))
    ]
    rng.shuffle(combos)
    # Infrastructure comes first in the list so that business services
    # generated later can depend on it.
    combos.sort(key=lambda c: (AREAS[c[0]][0] not in TECHNICAL_AREAS, REGIONS[c[2]] != ""))
    head = [c for c in combos if REGIONS[c[2]] == "" or AREAS[c[0]][0] in TECHNICAL_AREAS]
    head = head[: max(1, draft.counts.services // 6)]
    taken = {id(c) for c in head}
    rest = [c for c in combos if id(c) not in taken]
    rng.shuffle(rest)
    order = head + rest
    for index in range(draft.counts.services):
        a, s, r = order[index % len(order)]
        area, category, systems, _ = AREAS[a]
        name = systems[s] + (f" {REGIONS[r]}" if REGIONS[r] else "")
        if index >= len(order):
            name += f" {index // len(order) + 1}"
        service_id = unique_id(slugify(name), used, limit=40)
        technical = area in TECHNICAL_AREAS
        stype = "technical" if (rng.random() < 0.85) == technical else "business"
        lifecycle = rng.choices(["live", "pipeline", "retired"], [84, 8, 8])[0]
        tier = rng.choices([1, 2, 3, 4], [15, 30, 35, 20])[0]
        service = ServiceInfo(
            index,
            service_id,
            name,
            area,
            category,
            draft.team_for(area).id,
            stype,
            lifecycle,
            tier,
            rng.choice(SITES),
        )
        draft.services.append(service)
        draft.service_by_id[service_id] = service


def write_service(draft: CatalogDraft, service: ServiceInfo) -> None:
    """Write a planned service, its stack made: catalog/services/AREA/ID.yaml."""
    rng = draft.rng
    active = service.lifecycle != "retired"
    # Only services written before this one (lower index): no cycles.
    candidates, technical = draft.active_services, draft.technical_services
    pool = technical if len(technical) >= 2 and rng.random() < 0.8 else candidates
    wanted = min(len(pool), rng.choice([0, 1, 1, 2, 2, 3, 4]))
    depends = [s.id for s in rng.sample(pool, wanted)]
    if active:
        draft.active_services.append(service)
        if service.type == "technical":
            draft.technical_services.append(service)
    cis = [c for c in service.cis if active is False or draft.ci_by_id[c].status != "retired"]
    if active and rng.random() < 0.5:
        for types in (["load-balancer"], ["container-cluster", "server"]):
            shared = draft.pick_shared(types)
            if shared is not None and shared.id not in cis:
                cis.append(shared.id)
    team = service.owner
    when = rng.choice(
        [
            "around the clock",
            "during office hours",
            "on every shift",
            "at month end",
            "in every depot",
        ]
    )
    users = rng.choice(
        [
            "dispatchers",
            "planners",
            "accountants",
            "warehouse staff",
            "drivers",
            "customers",
            "all employees",
            "the service desk",
        ]
    )
    paragraphs = [
        f"{service.name} for {ORG}: the {service.category.lower()} "
        f"{'platform' if service.type == 'technical' else 'service'} that {users} rely on "
        f"{when}.",
    ]
    if rng.random() < 0.5:
        paragraphs.append(
            f"Run by the {team} team. Tier {service.tier}; "
            f"{'customer-facing' if service.type == 'business' else 'used by other services'}."
        )
    if service.lifecycle == "retired":
        paragraphs.append(f"Retired in {rng.randint(2023, 2026)}; kept for the audit trail.")
    elif service.lifecycle == "pipeline":
        paragraphs.append(f"Planned go-live in {rng.choice(['Q2', 'Q3', 'Q4'])} 2027.")
    document = envelope(
        "Service",
        service.id,
        service.name,
        markdown(*paragraphs),
        make_tags(service.area, service.type, *service.name.split()[:2]),
        draft.links(service.id, ("runbook", "dashboard", "docs", "status", "repository")),
    )
    spec: dict[str, Any] = {
        "owner": team,
        "type": service.type,
        "lifecycle": service.lifecycle,
        "tier": service.tier,
        "visibility": "public" if service.type == "business" and rng.random() < 0.6 else "internal",
        "category": service.category,
    }
    if depends:
        spec["dependsOn"] = depends
    if cis:
        spec["cis"] = cis
    if active:
        support: dict[str, Any] = {"hours": "24x7" if service.tier == 1 else rng.choice(SCHEDULES)}
        support["email"] = f"{team}@{DOMAIN}"
        if rng.random() < 0.5:
            support["url"] = f"https://help.{DOMAIN}/{service.id}"
        spec["support"] = support
        if service.type == "business" and rng.random() < 0.7:
            spec["offerings"] = _offerings(draft, service)
    currency = rng.choice(CURRENCIES)
    spec["cost"] = {
        "monthly": rng.randrange(500, 60000, 50),
        "currency": currency,
        "costCenter": f"CC-{rng.randint(10, 99)}00",
    }
    if service.tier <= 2:
        spec["continuity"] = {
            "rto": rng.choice(["1h", "2h", "4h"]),
            "rpo": rng.choice(["15m", "1h", "4h"]),
            "drTier": service.tier,
        }
    spec["security"] = {
        "classification": rng.choice(
            ["internal", "internal", "confidential", "restricted", "public"]
        )
    }
    document["spec"] = spec
    comment = None
    if service.tier == 1 and service.lifecycle == "live":
        comment = f"Tier 1: if {service.name} is down, {users} stop working."
    draft.emit(f"catalog/services/{service.area}/{service.id}.yaml", document, comment)


def _offerings(draft: CatalogDraft, service: ServiceInfo) -> list[dict[str, Any]]:
    rng = draft.rng
    kinds = [
        ("user-access", "User access", "Access for one person, with a role.", "1d", "manager"),
        (
            "admin-access",
            "Administrator access",
            "Elevated access, reviewed quarterly.",
            "2d",
            "owner",
        ),
        ("data-export", "Data export", "A one-off export of data for an audit.", "3d", "owner"),
        (
            "new-integration",
            "New integration",
            "Connect a partner or internal system through the API gateway: credentials, "
            "rate limits and monitoring.",
            "2w",
            "owner",
        ),
        (
            "training",
            "Training session",
            "A two-hour training for up to ten people.",
            "1w",
            "none",
        ),
    ]
    out = []
    for slug, name, description, fulfillment, approval in rng.sample(kinds, rng.randint(1, 3)):
        offering: dict[str, Any] = {
            "id": slug,
            "name": f"{service.name}: {name.lower()}",
            "description": markdown(description) if len(description) > 60 else description,
            "fulfillment": fulfillment,
            "approval": approval,
        }
        if rng.random() < 0.4:
            offering["cost"] = {"amount": rng.randrange(50, 2000, 10), "currency": "EUR"}
        offering["request"] = f"https://help.{DOMAIN}/request/{service.id}-{slug}"
        out.append(offering)
    return out
