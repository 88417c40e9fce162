"""Service operation KPIs over the report's period, from the incident record.

- change failure rate (DORA): of the changes deployed in the period (work
  started: first entering implement, else review), the share that an
  incident names as its `cause.change`, whenever that incident happened,
  unless the incident's outage lies wholly inside that change's planned
  outage window (announced downtime is not a failure);
- mean time to restore per priority: hours from `reported` to `resolved`,
  over the incidents resolved in the period;
- incidents per service (`services`) and per CI (`cause.ci`), reported in
  the period;
- problems opened (`opened`) and resolved (`resolved`) in the period;
- repeat incidents: incidents reported in the period whose problem already
  had an earlier incident (the second and later of each problem).

Days are UTC days, as for the change KPIs (docs/kpis.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalogctl.load import kinds
from catalogctl.model.entities import Catalog, ChangeRequest, Incident, Problem, dig
from catalogctl.ops.planned import planned_windows
from catalogctl.ops.spans import seconds

PRIORITIES = ("P1", "P2", "P3", "P4")


@dataclass(frozen=True)
class Restore:
    count: int
    mean_hours: float | None


@dataclass(frozen=True)
class OperationKpis:
    incidents: int  # reported in the period
    deployed: int  # changes whose work started in the period
    failed_changes: tuple[str, ...]  # of those, named as an incident's cause.change
    change_failure_rate: float | None
    restore: Mapping[str, Restore]  # priority -> mean time to restore
    per_service: tuple[tuple[str, int], ...]  # most incidents first
    per_ci: tuple[tuple[str, int], ...]
    problems_opened: tuple[str, ...]
    problems_resolved: tuple[str, ...]
    repeats: tuple[tuple[str, tuple[str, ...]], ...]  # problem -> its repeat incidents


def _day(instant: dt.datetime | None) -> dt.date | None:
    try:
        return instant.astimezone(dt.UTC).date() if instant is not None else None
    except OverflowError:  # the first or last hours of the calendar: outside any period
        return None


def _announced(catalog: Catalog, incident: Incident, change_id: str) -> bool:
    """Whether the incident is its cause's planned outage: an outage wholly
    inside the window of that change, planned as `sla report` reads planned
    windows. Downtime that was announced is not a failed change."""
    change = catalog.get(kinds.CHANGE.name, change_id)
    start, end = incident.instant("outage", "start"), incident.instant("outage", "end")
    if not isinstance(change, ChangeRequest) or start is None or end is None:
        return False
    windows = planned_windows([change]).values()
    return any(a <= seconds(start) and seconds(end) <= b for spans in windows for a, b in spans)


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def operation_kpis(
    catalog: Catalog, since: dt.date, until: dt.date, deployed: Sequence[str]
) -> OperationKpis:
    """`deployed`: ids of the changes whose work started in the period."""

    def holds(day: dt.date | None) -> bool:
        return day is not None and since <= day <= until

    incidents = sorted(
        (i for i in catalog.of_kind(kinds.INCIDENT.name) if isinstance(i, Incident)),
        key=lambda i: (i.instant("reported") or dt.datetime.max.replace(tzinfo=dt.UTC), i.id),
    )
    reported = [i for i in incidents if holds(_day(i.instant("reported")))]
    causes = {
        c
        for i in incidents
        if isinstance(c := dig(i.spec, "cause", "change"), str) and not _announced(catalog, i, c)
    }
    failed = tuple(sorted(c for c in set(deployed) if c in causes))
    restore: dict[str, Restore] = {}
    for priority in PRIORITIES:
        hours = [
            (end - start).total_seconds() / 3600
            for i in incidents
            if i.priority == priority
            and (start := i.instant("reported")) is not None
            and (end := i.instant("resolved")) is not None
            and holds(_day(end))
        ]
        restore[priority] = Restore(len(hours), sum(hours) / len(hours) if hours else None)
    services = Counter(s for i in reported for s in set(i.services))
    cis = Counter(c for i in reported if isinstance(c := dig(i.spec, "cause", "ci"), str))
    problems = [p for p in catalog.of_kind(kinds.PROBLEM.name) if isinstance(p, Problem)]
    seen: dict[str, int] = {}
    repeats: dict[str, list[str]] = {}
    for incident in incidents:
        problem = dig(incident.spec, "cause", "problem")
        if not isinstance(problem, str):
            continue
        seen[problem] = seen.get(problem, 0) + 1
        if seen[problem] > 1 and incident in reported:
            repeats.setdefault(problem, []).append(incident.id)
    return OperationKpis(
        incidents=len(reported),
        deployed=len(set(deployed)),
        failed_changes=failed,
        change_failure_rate=len(failed) / len(set(deployed)) if deployed else None,
        restore=restore,
        per_service=_ranked(services),
        per_ci=_ranked(cis),
        problems_opened=tuple(sorted(p.id for p in problems if holds(_day(p.instant("opened"))))),
        problems_resolved=tuple(
            sorted(p.id for p in problems if holds(_day(p.instant("resolved"))))
        ),
        repeats=tuple((p, tuple(ids)) for p, ids in sorted(repeats.items())),
    )
