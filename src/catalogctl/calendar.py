"""The change calendar: change windows and freezes, their conflicts, and iCalendar.

Pure functions of the catalog and the policy. A *conflict* is either two
active changes (`scheduled` or `implement`) whose windows overlap and that
share a target directly or through the dependency graph, or an active change
whose window overlaps a freeze that does not allow its type. The iCalendar
writer is written by hand against RFC 5545 (escaping, 75-octet folding,
CRLF) so that the feed is byte-for-byte reproducible.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from catalogctl import kinds, workflow
from catalogctl.impact import dependents
from catalogctl.model import Catalog, ChangeRequest, Ref, Service, parse_instant
from catalogctl.policy import Freeze, Policy

SERVICE, CI = kinds.SERVICE.name, kinds.CI.name
ACTIVE_STATES = frozenset({"scheduled", "implement"})  # checked for conflicts
CALENDAR_STATES = frozenset({"scheduled", "implement", "review", "closed"})
PRODID = "-//catalogctl//Change calendar//EN"
PLAN_FIELDS = ("implementation", "backout", "validation")

Window = tuple[dt.datetime, dt.datetime]


def change_window(change: ChangeRequest) -> Window | None:
    """The change's window as instants; None when missing, malformed or not positive."""
    window = change.spec.get("window")
    if not isinstance(window, dict):
        return None
    start, end = parse_instant(window.get("start")), parse_instant(window.get("end"))
    if start is None or end is None or end <= start:
        return None
    return start, end


def freeze_window(freeze: Freeze) -> Window | None:
    start, end = parse_instant(freeze.start), parse_instant(freeze.end)
    if start is None or end is None or end <= start:
        return None
    return start, end


def overlaps(a: Window, b: Window) -> bool:
    """Half-open intervals: a window ending at 02:00 does not collide with one starting then."""
    return a[0] < b[1] and b[0] < a[1]


def in_range(window: Window, start: dt.datetime | None, end: dt.datetime | None) -> bool:
    return (end is None or window[0] < end) and (start is None or start < window[1])


# ---------------------------------------------------------------- footprints


@dataclass(frozen=True)
class Footprint:
    targets: frozenset[Ref]  # what the change names
    hit: frozenset[Ref]  # the targets and everything that depends on them


def footprint(catalog: Catalog, change: ChangeRequest) -> Footprint:
    targets = {Ref(SERVICE, s) for s in change.target_services}
    targets |= {Ref(CI, c) for c in change.target_cis}
    return Footprint(frozenset(targets), frozenset(targets | dependents(catalog, targets)))


def ref_text(ref: Ref) -> str:
    """`service/payroll`, `ci/esx-01`: refs as the command line takes them."""
    return f"{'ci' if ref.kind == CI else ref.kind.lower()}/{ref.id}"


@dataclass(frozen=True)
class Conflict:
    kind: str  # "overlap" (two changes) | "freeze"
    change: str  # change id
    other: str  # the other change's id, or the freeze id
    direct: tuple[Ref, ...] = ()  # overlap: targets both changes name
    # overlap: (dependent, dependency, change naming the dependent): a target of
    # one change that depends, transitively, on a target of the other
    through: tuple[tuple[Ref, Ref, str], ...] = ()
    change_type: str = ""  # freeze: the change's type
    allow: tuple[str, ...] = ()  # freeze: the types it allows

    @property
    def shared(self) -> tuple[Ref, ...]:
        return tuple(sorted({*self.direct, *(d for d, _, _ in self.through)}))

    def message(self) -> str:
        if self.kind == "freeze":
            allowed = ", ".join(self.allow) if self.allow else "no change types"
            return (
                f"{self.change} ({self.change_type}) falls in freeze {self.other}, "
                f"which allows {allowed}"
            )
        parts = []
        if self.direct:
            parts.append("both target " + ", ".join(ref_text(r) for r in self.direct))
        parts += [
            f"{ref_text(dependent)} ({owner}) depends on {ref_text(dependency)}"
            for dependent, dependency, owner in self.through
        ]
        return f"{self.change} and {self.other} overlap: " + "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "change": self.change, "other": self.other}
        if self.kind == "freeze":
            out["changeType"] = self.change_type
            out["allow"] = list(self.allow)
        else:
            out["direct"] = [ref_text(r) for r in self.direct]
            out["through"] = [
                {"dependent": ref_text(d), "change": owner, "dependsOn": ref_text(on)}
                for d, on, owner in self.through
            ]
        out["message"] = self.message()
        return out


def _overlap(
    catalog: Catalog, change: ChangeRequest, a: Footprint, other: ChangeRequest, b: Footprint
) -> Conflict | None:
    """What two changes both touch, or None: a target of one that is a target of
    the other or depends (transitively) on one of its targets. Two changes whose
    targets merely have a common dependent do not collide."""
    direct = tuple(sorted(a.targets & b.targets))
    through: list[tuple[Ref, Ref, str]] = []
    for mine, theirs, owner in ((a, b, change.id), (b, a, other.id)):
        for dependent in sorted((mine.targets & theirs.hit) - theirs.targets):
            for dependency in sorted(theirs.targets):
                if dependent in dependents(catalog, {dependency}):
                    through.append((dependent, dependency, owner))
    if not direct and not through:
        return None
    return Conflict("overlap", change.id, other.id, direct, tuple(through))


def change_conflicts(catalog: Catalog, change: ChangeRequest) -> list[Conflict]:
    """Active changes (other than `change`) whose windows overlap its window and
    that share a target with it, directly or through the dependency graph."""
    window = change_window(change)
    if window is None:
        return []
    mine = footprint(catalog, change)
    found = []
    for other in catalog.of_kind(kinds.CHANGE.name):
        if not isinstance(other, ChangeRequest) or other.id == change.id:
            continue
        theirs = change_window(other)
        if other.state not in ACTIVE_STATES or theirs is None or not overlaps(window, theirs):
            continue
        conflict = _overlap(catalog, change, mine, other, footprint(catalog, other))
        if conflict is not None:
            found.append(conflict)
    return sorted(found, key=lambda c: c.other)


def freezes_of(policy: Policy, window: Window) -> list[Freeze]:
    """The freezes a window overlaps, in policy order."""
    return [
        f for f in policy.freezes if (fw := freeze_window(f)) is not None and overlaps(window, fw)
    ]


def freeze_conflict(change: ChangeRequest, freeze: Freeze) -> Conflict | None:
    change_type = change.change_type or ""
    if change_type in freeze.allow:
        return None
    return Conflict("freeze", change.id, freeze.id, change_type=change_type, allow=freeze.allow)


# ---------------------------------------------------------------- events


@dataclass(frozen=True)
class Event:
    kind: str  # "change" | "freeze"
    id: str
    title: str
    start: dt.datetime
    end: dt.datetime
    change_type: str | None = None
    state: str | None = None
    outage: bool = False
    services: tuple[str, ...] = ()
    cis: tuple[str, ...] = ()
    public_services: tuple[tuple[str, str], ...] = ()  # (id, name) of public services hit
    risk: str | None = None
    owner: str | None = None
    requester: str | None = None
    description: str = ""
    plan: tuple[tuple[str, str], ...] = ()
    allow: tuple[str, ...] = ()  # freeze: change types it allows


@dataclass(frozen=True)
class Calendar:
    name: str
    events: tuple[Event, ...]
    conflicts: tuple[Conflict, ...]
    public: bool
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    flagged: frozenset[str] = field(default_factory=frozenset)  # event ids in a conflict


def _public_services(catalog: Catalog, hit: Iterable[Ref]) -> tuple[tuple[str, str], ...]:
    found = []
    for ref in hit:
        if ref.kind != SERVICE:
            continue
        service = catalog.get(SERVICE, ref.id)
        if isinstance(service, Service) and service.visibility == "public":
            found.append((service.id, service.name))
    return tuple(sorted(found, key=lambda s: (s[1].casefold(), s[0])))


def _change_event(
    catalog: Catalog, change: ChangeRequest, window: Window, with_risk: bool = True
) -> Event:
    plan = change.spec.get("plan")
    # The public feed never shows risk, and computing it walks the dependency graph.
    risk = workflow.risk(change, catalog) if with_risk else None
    requester = change.spec.get("requester")
    return Event(
        kind="change",
        id=change.id,
        title=change.name,
        start=window[0],
        end=window[1],
        change_type=change.change_type,
        state=change.state,
        outage=change.spec.get("outage") is True,
        services=change.target_services,
        cis=change.target_cis,
        public_services=_public_services(catalog, footprint(catalog, change).hit),
        risk=str(risk) if risk else None,
        owner=change.owner,
        requester=requester if isinstance(requester, str) else None,
        description=change.description,
        plan=tuple(
            (key, value)
            for key in PLAN_FIELDS
            if isinstance(plan, dict) and isinstance(value := plan.get(key), str)
        ),
    )


def _freeze_event(freeze: Freeze, window: Window) -> Event:
    return Event(
        kind="freeze",
        id=freeze.id,
        title=freeze.name,
        start=window[0],
        end=window[1],
        allow=freeze.allow,
    )


def conflicts(catalog: Catalog, policy: Policy) -> list[Conflict]:
    """Every conflict among the active changes of the catalog, each pair once."""
    active: list[tuple[Window, ChangeRequest, Footprint]] = []
    for entity in catalog.of_kind(kinds.CHANGE.name):
        if isinstance(entity, ChangeRequest) and entity.state in ACTIVE_STATES:
            window = change_window(entity)
            if window is not None:
                active.append((window, entity, footprint(catalog, entity)))
    active.sort(key=lambda item: (item[0][0], item[1].id))
    found: list[Conflict] = []
    for index, (window, change, mine) in enumerate(active):
        for other_window, other, theirs in active[index + 1 :]:
            if other_window[0] >= window[1]:
                break  # sorted by start: nothing later can overlap
            first, second = sorted(((change, mine), (other, theirs)), key=lambda c: c[0].id)
            conflict = _overlap(catalog, first[0], first[1], second[0], second[1])
            if conflict is not None:
                found.append(conflict)
        for freeze in freezes_of(policy, window):
            frozen = freeze_conflict(change, freeze)
            if frozen is not None:
                found.append(frozen)
    return sorted(found, key=lambda c: (c.change, c.kind, c.other))


def build(
    catalog: Catalog,
    policy: Policy,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    public: bool = False,
) -> Calendar:
    """Change windows (scheduled, implement, review, closed) and freezes that
    overlap [start, end), with the conflicts of the active changes among them.

    `public` keeps only changes with `outage: true` that hit a public service
    (directly or through the dependency graph), and drops freezes and conflicts:
    the feed is meant for customers."""
    events: list[Event] = []
    for entity in catalog.of_kind(kinds.CHANGE.name):
        if not isinstance(entity, ChangeRequest) or entity.state not in CALENDAR_STATES:
            continue
        window = change_window(entity)
        if window is None or not in_range(window, start, end):
            continue
        if public and entity.spec.get("outage") is not True:
            continue  # before the costly part: customers see only downtime
        event = _change_event(catalog, entity, window, with_risk=not public)
        if public and not (event.outage and event.public_services):
            continue
        events.append(event)
    found: list[Conflict] = []
    if not public:
        for freeze in policy.freezes:
            window = freeze_window(freeze)
            if window is not None and in_range(window, start, end):
                events.append(_freeze_event(freeze, window))
        shown = {e.id for e in events if e.kind == "change"}
        found = [c for c in conflicts(catalog, policy) if c.change in shown or c.other in shown]
    events.sort(key=lambda e: (e.start, e.end, e.kind != "freeze", e.id))
    flagged = frozenset({c.change for c in found} | {c.other for c in found if c.kind == "overlap"})
    name = str(policy.site.get("title") or "catalogctl")
    name += " maintenance" if public else " change calendar"
    return Calendar(name, tuple(events), tuple(found), public, start, end, flagged)


def summary(event: Event, public: bool) -> str:
    if event.kind == "freeze":
        return f"Change freeze: {event.title}"
    if public:
        return "Maintenance: " + ", ".join(name for _, name in event.public_services)
    return f"{event.id}: {event.title}"


def description(event: Event, calendar: Calendar) -> str:
    """The event's text for a calendar entry; the public form names only the
    public services hit and the change id."""
    if event.kind == "freeze":
        allowed = ", ".join(event.allow) if event.allow else "none"
        return f"Change freeze {event.id}. Change types allowed: {allowed}."
    if calendar.public:
        names = ", ".join(name for _, name in event.public_services)
        return (
            f"Planned maintenance with customer-visible downtime of: {names}.\n"
            f"Reference: {event.id}"
        )
    lines = [
        f"{event.id}: {event.change_type} change, state {event.state}, risk {event.risk or '?'}",
        f"Outage: {'yes' if event.outage else 'no'}",
        f"Owner: {event.owner or '?'}; requester: {event.requester or '?'}",
    ]
    if event.services:
        lines.append("Services: " + ", ".join(event.services))
    if event.cis:
        lines.append("CIs: " + ", ".join(event.cis))
    for conflict in calendar.conflicts:
        if event.id in (conflict.change, conflict.other):
            lines.append("CONFLICT: " + conflict.message())
    if event.description.strip():
        lines += ["", event.description.strip()]
    for key, text in event.plan:
        lines += ["", f"{key.capitalize()}:", text.strip()]
    return "\n".join(lines)


def categories(event: Event, calendar: Calendar) -> list[str]:
    if event.kind == "freeze":
        return ["Change freeze"]
    if calendar.public:
        return ["Maintenance"]
    out = ["Change", f"{(event.change_type or 'unknown').capitalize()} change"]
    if event.outage:
        out.append("Outage")
    if event.id in calendar.flagged:
        out.append("Conflict")
    return out


# ---------------------------------------------------------------- iCalendar

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def escape_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon and comma escaped, line breaks as \\n;
    other control characters (not allowed in TEXT) become spaces."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    return _CONTROL.sub(" ", value)


def fold(line: str, limit: int = 75) -> list[str]:
    """Split a content line into lines of at most `limit` octets of UTF-8 (the
    continuation's leading space included), never inside a character."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += width
    out.append("".join(current))
    return out


def ics_datetime(value: dt.datetime) -> str:
    """UTC form `YYYYMMDDTHHMMSSZ` (fractions of a second dropped)."""
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def uid(event: Event) -> str:
    """Stable across runs: the change id, or `freeze-<id>` for freezes."""
    return f"{event.id}@catalogctl" if event.kind == "change" else f"freeze-{event.id}@catalogctl"


def to_ics(calendar: Calendar, now: dt.datetime | None = None) -> str:
    """The calendar as an RFC 5545 VCALENDAR (METHOD:PUBLISH), CRLF line ends.

    DTSTAMP is `now` when given, else the event's own start, so the same
    catalog always gives the same bytes."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(calendar.name)}",
    ]
    for event in calendar.events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(uid(event))}",
            f"DTSTAMP:{ics_datetime(now or event.start)}",
            f"DTSTART:{ics_datetime(event.start)}",
            f"DTEND:{ics_datetime(event.end)}",
            f"SUMMARY:{escape_text(summary(event, calendar.public))}",
            f"DESCRIPTION:{escape_text(description(event, calendar))}",
            "CATEGORIES:" + ",".join(escape_text(c) for c in categories(event, calendar)),
            "TRANSP:TRANSPARENT",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))


# ---------------------------------------------------------------- text and JSON


def show_instant(value: dt.datetime) -> str:
    """`2027-01-16 06:00+01:00` in the offset the file gave (seconds when not zero)."""
    text = value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    offset = value.strftime("%z")
    return text + ("Z" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}")


def show_window(window: Window) -> str:
    return f"{show_instant(window[0])} to {show_instant(window[1])}"


def event_json(event: Event, calendar: Calendar) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": event.kind,
        "id": event.id,
        "title": summary(event, True) if calendar.public else event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
    }
    if event.kind == "freeze":
        out["allow"] = list(event.allow)
        return out
    if calendar.public:
        out["services"] = [{"id": i, "name": n} for i, n in event.public_services]
        return out
    out.update(
        {
            "type": event.change_type,
            "state": event.state,
            "risk": event.risk,
            "outage": event.outage,
            "targets": {"services": list(event.services), "cis": list(event.cis)},
            "publicServices": [i for i, _ in event.public_services],
            "owner": event.owner,
            "requester": event.requester,
            "conflict": event.id in calendar.flagged,
        }
    )
    return out


def calendar_json(calendar: Calendar) -> dict[str, Any]:
    return {
        "name": calendar.name,
        "from": calendar.start.isoformat() if calendar.start else None,
        "to": calendar.end.isoformat() if calendar.end else None,
        "public": calendar.public,
        "events": [event_json(e, calendar) for e in calendar.events],
        "conflicts": [c.as_json() for c in calendar.conflicts],
    }


def calendar_text(calendar: Calendar) -> str:
    lines: list[str] = []
    for event in calendar.events:
        when = show_window((event.start, event.end))
        if event.kind == "freeze":
            allowed = ", ".join(event.allow) if event.allow else "none"
            lines.append(f"{when}  FREEZE {event.id}: {event.title} (allows: {allowed})")
            continue
        if calendar.public:
            lines.append(f"{when}  {event.id}  {summary(event, True)}")
            continue
        flags = " OUTAGE" if event.outage else ""
        flags += " CONFLICT" if event.id in calendar.flagged else ""
        lines.append(f"{when}  {event.id}  {event.change_type}/{event.state}{flags}  {event.title}")
        targets = [f"service/{s}" for s in event.services] + [f"ci/{c}" for c in event.cis]
        lines.append("    targets: " + (", ".join(targets) or "none"))
    if calendar.conflicts:
        lines += ["", "Conflicts:"]
        lines += [f"  ! {c.message()}" for c in calendar.conflicts]
    changes = sum(e.kind == "change" for e in calendar.events)
    freezes = len(calendar.events) - changes
    tail = f"{_count(changes, 'change window')}, {_count(freezes, 'freeze')}"
    if not calendar.public:
        tail += f", {_count(len(calendar.conflicts), 'conflict')}"
    if lines:
        lines.append("")
    lines.append(tail)
    return "\n".join(lines) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
