"""Catalog health for the service review: gaps in the catalog as of a day.

Live services without an SLA or a runbook link, SLAs past their review date,
CIs expired or expiring, retired services still referenced, and ownership
coverage; part of `catalogctl report` (kpis.py) and the internal site's
service-health page. Definitions: docs/kpis.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from catalogctl.load import kinds
from catalogctl.model.entities import (
    Catalog,
    ChangeRequest,
    ConfigurationItem,
    Entity,
    Service,
    dig,
)
from catalogctl.model.workflow import OPEN

EXPIRY_DAYS = (30, 90)


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class RetiredUse:
    id: str  # the retired service
    by: tuple[str, ...]  # "Kind/id" of what still references it


@dataclass(frozen=True)
class Health:
    """The catalog at the working tree, as of `today` (not tied to the period)."""

    live_services: int
    without_sla: tuple[str, ...]  # live services no SLA covers
    without_runbook: tuple[str, ...]  # live services with no `type: runbook` link
    slas: int
    review_overdue: tuple[str, ...]  # SLAs whose review date is before today
    cis: int
    expired: tuple[str, ...]  # non-retired CIs whose `expires` is before today
    expiring: Mapping[int, tuple[str, ...]]  # days -> expiring today..today+days
    retired_in_use: tuple[RetiredUse, ...]
    services: int
    services_owned: int  # owner resolves to a team
    cis_owned: int
    ownership_coverage: float | None  # (services + CIs owned) / (services + CIs)


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None  # the schema rule reports impossible dates


def _owned(catalog: Catalog, entities: Iterable[Entity]) -> int:
    return sum(1 for e in entities if e.owner and catalog.get(kinds.TEAM.name, e.owner))


def _users(catalog: Catalog, service: Service) -> tuple[str, ...]:
    """Live references to a retired service: services not retired themselves,
    SLAs, and changes that are still open."""
    found: set[str] = set()
    for reference in catalog.referrers_of(service.ref):
        source = catalog.get(reference.source.kind, reference.source.id)
        if isinstance(source, Service) and source.lifecycle != "retired":
            found.add(str(source.ref))
        elif reference.source.kind == kinds.SLA.name:
            found.add(str(reference.source))
        elif isinstance(source, ChangeRequest) and source.state in OPEN:
            found.add(str(source.ref))
    return tuple(sorted(found))


def catalog_health(catalog: Catalog, today: dt.date) -> Health:
    services = [s for s in catalog.of_kind(kinds.SERVICE.name) if isinstance(s, Service)]
    live = [s for s in services if s.lifecycle == "live"]
    cis = [c for c in catalog.of_kind(kinds.CI.name) if isinstance(c, ConfigurationItem)]
    expiry = {
        c.id: days
        for c in cis
        if c.status != "retired" and (e := _date(c.expires)) is not None
        for days in [(e - today).days]
    }
    slas = catalog.of_kind(kinds.SLA.name)
    owned = _owned(catalog, services), _owned(catalog, cis)
    retired = [s for s in services if s.lifecycle == "retired"]
    return Health(
        live_services=len(live),
        without_sla=tuple(
            sorted(s.id for s in live if not catalog.referrers_of(s.ref, kinds.SLA.name))
        ),
        without_runbook=tuple(
            sorted(s.id for s in live if not any(k.get("type") == "runbook" for k in s.links))
        ),
        slas=len(slas),
        review_overdue=tuple(
            sorted(e.id for e in slas if (r := _date(dig(e.spec, "review"))) and r < today)
        ),
        cis=len(cis),
        expired=tuple(sorted(i for i, d in expiry.items() if d < 0)),
        expiring={
            n: tuple(sorted(i for i, d in expiry.items() if 0 <= d <= n)) for n in EXPIRY_DAYS
        },
        retired_in_use=tuple(
            RetiredUse(s.id, by)
            for s in sorted(retired, key=lambda s: s.id)
            if (by := _users(catalog, s))
        ),
        services=len(services),
        services_owned=owned[0],
        cis_owned=owned[1],
        ownership_coverage=ratio(sum(owned), len(services) + len(cis)),
    )
