"""Continual service improvement: change and catalog KPIs over a period.

Pure functions of the change history (`history`) and the catalog at the
working tree; `build_report` reads the history and puts it all together.
Definitions, and which date puts a change in the period, are in docs/kpis.md:
volumes and ratios count a change by the day it was raised (its first
commit), outcomes and lead time by the day it first closed, time to
authorise by the day it was first scheduled, and window adherence by the day
its work started (first entering implement, else review). Days are the UTC
days of commit instants.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from catalogctl.change import calendar
from catalogctl.change.history import Commit, History, Timeline, read_history
from catalogctl.csi.health import Health, catalog_health, ratio
from catalogctl.csi.operation_kpis import OperationKpis, operation_kpis
from catalogctl.load import kinds
from catalogctl.model.entities import Catalog, ChangeRequest, dig

TYPES = ("normal", "standard", "emergency")
CODES = ("successful", "successful-with-issues", "unsuccessful")


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date  # inclusive

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.since <= day <= self.until


@dataclass(frozen=True)
class Durations:
    """Hours from one state to another over the changes that went through both."""

    count: int
    median: float | None  # hours; the mean of the two middle values for an even count
    p90: float | None  # hours; nearest rank: the ceil(0.9 n)-th smallest value


@dataclass(frozen=True)
class ChangeKpis:
    raised: int
    raised_by_type: Mapping[str, int]
    emergency_ratio: float | None
    standard_ratio: float | None
    closed: int
    outcomes: Mapping[str, int]  # the closure codes, and "none" for a missing one
    success_rate: float | None  # (successful + successful-with-issues) / closed with a code
    failed: int  # closed unsuccessful
    backed_out: int  # closure.backedOut: true
    canceled: int
    lead_time: Mapping[str, Durations]  # "all" and each type
    time_to_authorise: Mapping[str, Durations]
    implemented: int  # started work (see Fact), with a valid window
    outside_window: int
    outside_window_ratio: float | None


@dataclass(frozen=True)
class Month:
    month: str  # YYYY-MM
    period: Period  # the month, clipped to the report's period
    kpis: ChangeKpis


@dataclass(frozen=True)
class Edited:
    id: str
    commits: tuple[Commit, ...]


@dataclass(frozen=True)
class Report:
    period: Period
    today: dt.date
    history: History
    changes: ChangeKpis
    failed: tuple[str, ...]  # ids, over the whole period
    backed_out: tuple[str, ...]
    outside_window: tuple[str, ...]
    edited_after_close: tuple[Edited, ...]  # edits committed in the period
    per_service: tuple[tuple[str, int], ...]  # most changes first
    per_team: tuple[tuple[str, int], ...]
    not_in_catalog: tuple[str, ...]  # in the history, no longer in the working tree
    without_history: tuple[str, ...]  # in the working tree, never committed
    health: Health
    trend: tuple[Month, ...]
    operation: OperationKpis  # incidents and problems (csi/operation_kpis.py)


def utc_day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(dt.UTC).date()


@dataclass(frozen=True)
class Fact:
    """What the KPIs need of one change: its record joined with its timeline,
    read once (a report evaluates every change for each month)."""

    change: ChangeRequest
    timeline: Timeline
    first: Mapping[str, dt.datetime]  # state -> when the change first entered it
    day: Mapping[str, dt.date]  # the same as UTC days, plus "raised" and "started"
    code: str | None  # closure code, when it is one of CODES
    backed_out: bool
    outside_window: bool | None  # work started after window.end; None: no window or no work

    @classmethod
    def of(cls, change: ChangeRequest, timeline: Timeline) -> Fact:
        first: dict[str, dt.datetime] = {}
        for transition in timeline.transitions:
            first.setdefault(transition.state, transition.commit.time)
        day = {state: utc_day(t) for state, t in first.items()}
        day["raised"] = utc_day(timeline.raised.time)
        # The work starts with the commit entering implement (review, when a
        # change skipped implement). The commit entering review usually lands
        # after the window, once the closure notes are written: not a sign.
        started = first.get("implement") or first.get("review")
        if started is not None:
            day["started"] = utc_day(started)
        window = calendar.change_window(change)
        code = dig(change.spec, "closure", "code")
        return cls(
            change=change,
            timeline=timeline,
            first=first,
            day=day,
            code=code if code in CODES else None,
            backed_out=dig(change.spec, "closure", "backedOut") is True,
            outside_window=started > window[1] if window and started else None,
        )

    @property
    def type(self) -> str | None:
        return self.change.change_type


def default_period(since: dt.date | None, until: dt.date | None, today: dt.date) -> Period:
    """12 calendar months ending with the month of `until` (default: today)."""
    end = until or today
    if since is None:
        months = end.year * 12 + end.month - 1 - 11
        since = dt.date(months // 12, months % 12 + 1, 1)
    return Period(since, end)


def durations(hours: Sequence[float]) -> Durations:
    if not hours:
        return Durations(0, None, None)
    ordered = sorted(hours)
    return Durations(
        len(ordered), statistics.median(ordered), ordered[math.ceil(0.9 * len(ordered)) - 1]
    )


def _span(fact: Fact, start: str, end: str) -> float | None:
    """Hours from first entering `start` to first entering `end`; None if not both, in order."""
    a, b = fact.first.get(start), fact.first.get(end)
    return (b - a).total_seconds() / 3600 if a is not None and b is not None and b >= a else None


def _by_type(facts: Iterable[Fact], start: str, end: str) -> dict[str, Durations]:
    spans = [(f.type, s) for f in facts if (s := _span(f, start, end)) is not None]
    out = {"all": durations([s for _, s in spans])}
    out.update((t, durations([s for kind, s in spans if kind == t])) for t in TYPES)
    return out


def change_kpis(facts: Sequence[Fact], period: Period) -> ChangeKpis:
    raised = [f for f in facts if period.holds(f.day.get("raised"))]
    closed = [f for f in facts if period.holds(f.day.get("closed"))]
    types = Counter(f.type for f in raised)
    codes = Counter(f.code or "none" for f in closed)
    coded = sum(codes[c] for c in CODES)
    started = [
        f for f in facts if period.holds(f.day.get("started")) and f.outside_window is not None
    ]
    outside = sum(1 for f in started if f.outside_window)
    return ChangeKpis(
        raised=len(raised),
        raised_by_type={t: types[t] for t in TYPES},
        emergency_ratio=ratio(types["emergency"], len(raised)),
        standard_ratio=ratio(types["standard"], len(raised)),
        closed=len(closed),
        outcomes={c: codes[c] for c in (*CODES, "none")},
        success_rate=ratio(codes["successful"] + codes["successful-with-issues"], coded),
        failed=codes["unsuccessful"],
        backed_out=sum(1 for f in closed if f.backed_out),
        canceled=sum(1 for f in facts if period.holds(f.day.get("canceled"))),
        lead_time=_by_type(closed, "new", "closed"),
        time_to_authorise=_by_type(
            [f for f in facts if period.holds(f.day.get("scheduled"))], "assess", "scheduled"
        ),
        implemented=len(started),
        outside_window=outside,
        outside_window_ratio=ratio(outside, len(started)),
    )


def months(period: Period) -> list[Period]:
    """The calendar months the period touches, each clipped to the period."""
    out: list[Period] = []
    first = period.since.replace(day=1)
    while first <= period.until:
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        out.append(
            Period(max(first, period.since), min(following - dt.timedelta(days=1), period.until))
        )
        first = following
    return out


def join(history: History, catalog: Catalog) -> tuple[list[Fact], list[str], list[str]]:
    """(facts, ids only in the history, ids only in the working tree)."""
    facts: list[Fact] = []
    missing: list[str] = []
    for change_id, timeline in history.timelines.items():
        change = catalog.get(kinds.CHANGE.name, change_id)
        if isinstance(change, ChangeRequest):
            facts.append(Fact.of(change, timeline))
        else:
            missing.append(change_id)
    joined = {f.change.id for f in facts}
    unknown = sorted(e.id for e in catalog.of_kind(kinds.CHANGE.name) if e.id not in joined)
    return facts, missing, unknown


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def compute(history: History, catalog: Catalog, period: Period, today: dt.date) -> Report:
    facts, missing, unknown = join(history, catalog)
    raised = [f for f in facts if period.holds(f.day.get("raised"))]
    closed = [f for f in facts if period.holds(f.day.get("closed"))]
    services: Counter[str] = Counter(s for f in raised for s in set(f.change.target_services))
    teams: Counter[str] = Counter(f.change.owner for f in raised if f.change.owner)
    edited = tuple(
        Edited(t.id, commits)
        for t in history.timelines.values()
        if (commits := tuple(c for c in t.edited_after_close if period.holds(utc_day(c.time))))
    )
    return Report(
        period=period,
        today=today,
        history=history,
        changes=change_kpis(facts, period),
        failed=tuple(sorted(f.change.id for f in closed if f.code == "unsuccessful")),
        backed_out=tuple(sorted(f.change.id for f in closed if f.backed_out)),
        outside_window=tuple(
            sorted(
                f.change.id
                for f in facts
                if period.holds(f.day.get("started")) and f.outside_window
            )
        ),
        edited_after_close=edited,
        per_service=_ranked(services),
        per_team=_ranked(teams),
        not_in_catalog=tuple(missing),
        without_history=tuple(unknown),
        health=catalog_health(catalog, today),
        trend=tuple(
            Month(m.since.strftime("%Y-%m"), m, change_kpis(facts, m)) for m in months(period)
        ),
        operation=operation_kpis(
            catalog,
            period.since,
            period.until,
            [f.change.id for f in facts if period.holds(f.day.get("started"))],
        ),
    )


def build_report(
    root: Path, catalog: Catalog, since: dt.date | None, until: dt.date | None, today: dt.date
) -> Report:
    """The report for the catalog at `root`: its git history and its working-tree
    `catalog`. Raises ValueError when since > until; SourceError when git fails."""
    period = default_period(since, until, today)
    if period.since > period.until:
        raise ValueError(f"--since {period.since} is after --until {period.until}")
    return compute(read_history(root), catalog, period, today)
