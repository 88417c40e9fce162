"""The gate's checks on the operational record: incidents and problems.

They are records, not plans: there is no workflow to follow, but what was
reviewed stays reviewed. A `closed` incident or problem is final (not a
byte may change), no record file is ever deleted or renamed, and an id
once used is never used again, as for change requests (DESIGN §4). The
owners of the affected services approve a record, as they would an edit of
the services themselves; a problem's services are those of its incidents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from catalogctl.load import kinds
from catalogctl.model.entities import Incident
from catalogctl.model.impact import Lookup
from catalogctl.review.diff import EntityChange
from catalogctl.review.ledger import Ledger, spec_data, spec_of

RECORD_KINDS = frozenset({kinds.INCIDENT.name, kinds.PROBLEM.name})
FINAL = "closed"


def _word(kind: str) -> str:
    return kind.lower()


def _services(spec_services: object) -> list[str]:
    return (
        [s for s in spec_services if isinstance(s, str)] if isinstance(spec_services, list) else []
    )


def record_owners(
    gate: Ledger, kind: str, documents: Iterable[Mapping[str, Any] | None]
) -> list[str]:
    """Teams that approve a record: the owners of the services it affects,
    in the base or the head catalog."""
    catalogs: tuple[Lookup, ...] = (gate.g.base_catalog, gate.g.head_catalog)
    services: list[str] = []
    for data in documents:
        spec = spec_data(data)
        if kind == kinds.INCIDENT.name:
            services += _services(spec.get("services"))
            continue
        for incident_id in spec.get("incidents") or []:
            for catalog in catalogs:
                incident = catalog.get(kinds.INCIDENT.name, str(incident_id))
                if isinstance(incident, Incident):
                    services += incident.services
    teams = set()
    for service_id in services:
        for catalog in catalogs:
            service = catalog.get(kinds.SERVICE.name, service_id)
            if service is not None and service.owner:
                teams.add(service.owner)
    return sorted(teams)


def check_record(gate: Ledger, change: EntityChange) -> None:
    """`immutable` and `owner-approval` for one changed incident or problem."""
    g, ref, word = gate.g, change.ref, _word(change.kind)
    was = str(spec_of(change, "old").get("state") or "")
    if not gate.immutable(change, word, was if was == FINAL else None, "close it instead"):
        return
    for team in record_owners(gate, change.kind, (change.old, change.new)):
        gate.need(
            "owner-approval",
            ref,
            team,
            1,
            f"{change.op} {word} on a service of team {team}",
            [g.author or ""],
        )
