"""SLA attainment over a period: availability, response and resolution, credits.

For every SLA in force during the period and every service it covers:

- availability achieved = 1 - downtime / service time, in percent, where
  service time is the SLA's service hours in the period and downtime is the
  union of the `outage` spans of incidents on the service, minus planned
  outage windows (`planned`), counted in service hours only;
- per priority, the incidents reported in the period on any covered service,
  and how many met the response (responded - reported) and resolution
  (resolved - reported) targets, counted in service hours (so a business-hours
  SLA's clock stops at night); an incident without the time at the end of
  the period has missed the target when it had elapsed by then, else it is
  pending (neither met nor missed);
- the credit owed: the highest `credit` whose `below` the lowest achieved
  availability of the SLA's services falls under.

The SLA is met when every service met its target and every incident met its
response and resolution targets. Definitions: docs/operation.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalogctl.load import kinds
from catalogctl.model.durations import duration_minutes
from catalogctl.model.entities import SLA, Catalog, Incident, dig
from catalogctl.ops.hours import ServiceHours, service_hours
from catalogctl.ops.period import Period
from catalogctl.ops.planned import windows_of
from catalogctl.ops.spans import Span, clip, seconds, subtract, union

PRIORITIES = ("P1", "P2", "P3", "P4")
_MINUTE = 60.0


@dataclass(frozen=True)
class ServiceResult:
    service: str
    target: float
    achieved: float  # percent, 4 decimals
    downtime_minutes: float  # unplanned, in service hours
    planned_minutes: float  # outage inside planned windows, in service hours
    service_minutes: float
    met: bool
    incidents: tuple[str, ...]  # outage incidents that counted


@dataclass(frozen=True)
class PriorityResult:
    priority: str
    response: str | None  # the target as written, e.g. 15m
    resolution: str | None
    incidents: int
    response_met: int
    resolution_met: int
    missed: tuple[str, ...]  # incidents that missed a target
    pending: tuple[str, ...]  # still open at the period's end, within their targets so far


@dataclass(frozen=True)
class SlaResult:
    id: str
    name: str
    file: str
    hours: str
    target: float | None
    measured: str  # availability.period: monthly | quarterly (what the target is over)
    met: bool
    services: tuple[ServiceResult, ...]
    priorities: tuple[PriorityResult, ...]
    credit: float  # percent of the monthly fee


@dataclass(frozen=True)
class SlaReport:
    period: Period
    slas: tuple[SlaResult, ...]


def percent_text(value: float | None) -> str:
    """99.8611 -> '99.8611 %', 100.0 -> '100 %': the one way reports and the
    site write an availability ('-' when there is none)."""
    return "-" if value is None else f"{value:.4f}".rstrip("0").rstrip(".") + " %"


def measured_over(sla: SLA) -> str:
    """The SLA's `availability.period`: monthly (also when unreadable) or quarterly."""
    return "quarterly" if dig(sla.spec, "availability", "period") == "quarterly" else "monthly"


def in_force(sla: SLA, period: Period) -> bool:
    """Whether the SLA's `effective` range overlaps the period."""
    first = dig(sla.spec, "effective", "from")
    last = dig(sla.spec, "effective", "until")
    last_day = (period.end - dt.timedelta(days=1)).date()
    if isinstance(first, str) and first > last_day.isoformat():
        return False
    return not (isinstance(last, str) and last < period.start.date().isoformat())


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def credit_owed(credits: Any, achieved: float) -> float:
    """The highest credit whose threshold the achieved availability is below."""
    owed = 0.0
    for step in credits if isinstance(credits, list) else []:
        below = _number(dig(step, "below"))
        credit = _number(dig(step, "credit"))
        if below is not None and credit is not None and achieved < below:
            owed = max(owed, credit)
    return owed


@dataclass(frozen=True)
class Record:
    """What attainment needs of one incident, read once."""

    incident: Incident
    priority: str | None
    reported: float | None
    responded: float | None
    resolved: float | None
    outage: Span | None

    @classmethod
    def of(cls, incident: Incident) -> Record:
        def at(*keys: str) -> float | None:
            instant = incident.instant(*keys)
            return seconds(instant) if instant is not None else None

        start, end = at("outage", "start"), at("outage", "end")
        outage = (start, end) if start is not None and end is not None and end > start else None
        if incident.spec.get("impact") != "outage":
            outage = None
        return cls(
            incident, incident.priority, at("reported"), at("responded"), at("resolved"), outage
        )


def _availability(
    service: str,
    target: float,
    records: Sequence[Record],
    planned: list[Span],
    hours: ServiceHours,
    period: Period,
) -> ServiceResult:
    start, end = seconds(period.start), seconds(period.end)
    outages = [r for r in records if r.outage is not None]
    down = union(clip((r.outage for r in outages if r.outage), start, end))
    unplanned = subtract(down, planned)
    in_hours = sum(hours.seconds(a, b) for a, b in unplanned)
    excused = sum(hours.seconds(a, b) for a, b in down) - in_hours
    total = hours.seconds(start, end)
    achieved = round(100.0 * (1.0 - in_hours / total), 4) if total > 0 else 100.0
    # the incidents whose outage took service time: not wholly planned, not
    # wholly outside the service hours (a Saturday outage of an office SLA)
    counted = tuple(
        r.incident.id
        for r in outages
        if r.outage
        and any(hours.seconds(a, b) for a, b in subtract(clip([r.outage], start, end), planned))
    )
    return ServiceResult(
        service,
        target,
        achieved,
        round(in_hours / _MINUTE, 4),
        round(excused / _MINUTE, 4),
        round(total / _MINUTE, 4),
        achieved >= target,
        counted,
    )


def _verdict(
    hours: ServiceHours, record: Record, until: float | None, limit: object, as_of: float
) -> bool | None:
    """True: met; False: missed; None: pending (no time yet, target not elapsed
    by `as_of`, the end of the period)."""
    minutes = duration_minutes(limit)
    if record.reported is None or minutes is None:
        return False
    if until is None:
        return None if hours.seconds(record.reported, as_of) <= minutes * _MINUTE else False
    return hours.seconds(record.reported, until) <= minutes * _MINUTE


def _priorities(
    sla: SLA, records: Sequence[Record], hours: ServiceHours, as_of: float
) -> list[PriorityResult]:
    out = []
    targets = sla.spec.get("priorities") if isinstance(sla.spec.get("priorities"), dict) else {}
    for priority in PRIORITIES:
        mine = [r for r in records if r.priority == priority]
        target = targets.get(priority) if isinstance(targets, dict) else None
        if not mine and not isinstance(target, dict):
            continue
        response = dig(target, "response") if isinstance(target, dict) else None
        resolution = dig(target, "resolution") if isinstance(target, dict) else None
        responded = [_verdict(hours, r, r.responded, response, as_of) for r in mine]
        resolved = [_verdict(hours, r, r.resolved, resolution, as_of) for r in mine]
        verdicts = list(zip(mine, responded, resolved, strict=True))
        out.append(
            PriorityResult(
                priority,
                response if isinstance(response, str) else None,
                resolution if isinstance(resolution, str) else None,
                len(mine),
                sum(1 for v in responded if v is True),
                sum(1 for v in resolved if v is True),
                tuple(r.incident.id for r, a, b in verdicts if a is False or b is False),
                tuple(
                    r.incident.id for r, a, b in verdicts if False not in (a, b) and None in (a, b)
                ),
            )
        )
    return out


# How far past the period service hours are laid out for response and
# resolution times. A time later than this counts the service time up to it:
# a year of service hours, more than any target an SLA states in earnest,
# while a hostile record resolved in the year 9999 cannot make the report
# walk eight thousand years day by day.
HORIZON = dt.timedelta(days=366)


def _span_of(records: Iterable[Record], period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period, stretched to the latest response or resolution of the
    incidents reported in it (outages are clipped to the period anyway)."""
    start, end = seconds(period.start), seconds(period.end)
    latest = end
    for r in records:
        if r.reported is not None and start <= r.reported < end:
            latest = max([latest, *(t for t in (r.responded, r.resolved) if t is not None)])
    latest = min(latest, seconds(period.end + HORIZON))
    return period.start, dt.datetime.fromtimestamp(latest, dt.UTC)


def attainment(
    catalog: Catalog, schedules: Mapping[str, Mapping[str, Any]], period: Period
) -> SlaReport:
    """Every SLA in force in the period, measured (see the module docstring).
    Raises hours.ScheduleError for an SLA whose schedule cannot be laid out."""
    records = [
        Record.of(i) for i in catalog.of_kind(kinds.INCIDENT.name) if isinstance(i, Incident)
    ]
    by_service: dict[str, list[Record]] = {}
    for record in records:
        for service in dict.fromkeys(record.incident.services):
            by_service.setdefault(service, []).append(record)
    planned = windows_of(catalog)
    start, end = seconds(period.start), seconds(period.end)
    # One layout per schedule, over every instant any record names: SLAs
    # share a handful of schedules, and laying one out walks day by day.
    span = _span_of(records, period)
    laid_out: dict[str, ServiceHours] = {}
    results = []
    for sla in sorted(catalog.of_kind(kinds.SLA.name), key=lambda e: e.id):
        if not isinstance(sla, SLA) or not in_force(sla, period):
            continue
        target = _number(dig(sla.spec, "availability", "target"))
        hours_id = sla.spec.get("hours") if isinstance(sla.spec.get("hours"), str) else "24x7"
        covered = {s: by_service.get(s, []) for s in dict.fromkeys(sla.services)}
        involved = {id(r): r for rs in covered.values() for r in rs}.values()
        if hours_id not in laid_out:
            laid_out[str(hours_id)] = service_hours(str(hours_id), schedules, *span)
        hours = laid_out[str(hours_id)]
        services = tuple(
            _availability(
                s, target if target is not None else 100.0, rs, planned.get(s, []), hours, period
            )
            for s, rs in covered.items()
        )
        reported = [r for r in involved if r.reported is not None and start <= r.reported < end]
        reported.sort(key=lambda r: (r.reported or 0.0, r.incident.id))
        priorities = tuple(_priorities(sla, reported, hours, end))
        lowest = min((s.achieved for s in services), default=100.0)
        met = all(s.met for s in services) and all(not p.missed for p in priorities)
        results.append(
            SlaResult(
                sla.id,
                sla.name,
                sla.file,
                str(hours_id),
                target,
                measured_over(sla),
                met,
                services,
                priorities,
                credit_owed(sla.spec.get("credits"), lowest),
            )
        )
    return SlaReport(period, tuple(results))
