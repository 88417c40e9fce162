"""Planned outage windows: where downtime is maintenance, not a breach.

A change excuses downtime on a service when it declares `outage: true`,
names the service in `targets.services` and has reached `scheduled` (or a
later state on its path: implement, review, closed). The CAB agreed to that
window in advance, so customers were told. Emergency changes have no
`scheduled` state and excuse nothing: an emergency is not maintenance.
Canceled changes excuse nothing either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from catalogctl.load import kinds
from catalogctl.model import workflow
from catalogctl.model.entities import Catalog, ChangeRequest, dig, parse_instant
from catalogctl.ops.spans import Span, seconds, union

SCHEDULED = "scheduled"


def is_planned(change: ChangeRequest) -> bool:
    """Whether the change is at or past `scheduled` on its type's path."""
    path = workflow.PATHS.get(change.change_type or "", ())
    if SCHEDULED not in path or change.state not in path:
        return False
    return path.index(change.state or "") >= path.index(SCHEDULED)


def planned_windows(changes: Iterable[ChangeRequest]) -> dict[str, list[Span]]:
    """service id -> its planned outage windows, sorted and disjoint."""
    out: dict[str, list[Span]] = {}
    for change in changes:
        if change.spec.get("outage") is not True or not is_planned(change):
            continue
        start = parse_instant(dig(change.spec, "window", "start"))
        end = parse_instant(dig(change.spec, "window", "end"))
        if start is None or end is None or end <= start:
            continue
        for service in change.target_services:
            out.setdefault(service, []).append((seconds(start), seconds(end)))
    return {service: union(spans) for service, spans in out.items()}


def windows_of(catalog: Catalog) -> Mapping[str, list[Span]]:
    """`planned_windows` of every change in the catalog."""
    return planned_windows(
        c for c in catalog.of_kind(kinds.CHANGE.name) if isinstance(c, ChangeRequest)
    )
