"""`catalog.json`: the machine-readable export of the published catalog.

Its shape is documented in docs/site.md; `version` goes up when a field
changes meaning or disappears. Only what the site shows is exported: the
services of the `View` and, in every list of ids, only those services; of
each service's links only those the edition shows (`View.links_of`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalogctl.change import calendar
from catalogctl.model.durations import parse_duration
from catalogctl.site.html import url_of
from catalogctl.site.view import SERVICE, TEAM, View, category_of


def _duration(value: object) -> str | None:
    """A compact duration as the catalog writes it (`2d`), else null."""
    return value if isinstance(value, str) and parse_duration(value) is not None else None


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
                "category": category_of(service),
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
                "slas": [s.id for s in view.slas_of.get(service.id, ())],
                "dependsOn": [d for d in service.depends_on if d in view.by_id],
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
                    for lk in view.links_of(service)
                ],
                "page": url_of(view.paths[service.id]),
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
                "services": [s for s in sla.services if s in view.by_id],
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
                "services": [s.id for s in view.categories[name]],
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
                "services": sorted(r.id for r in hit if r.kind == SERVICE and r.id in view.by_id),
            }
            for change, window, hit in view.upcoming
        ],
        "freezes": [
            {"id": f.id, "name": f.name, "start": f.start, "end": f.end}
            for f in view.policy.freezes
            if (w := calendar.freeze_window(f)) is not None and w[1] > view.now
        ],
    }
