"""The change calendar: change windows and freezes, their conflicts, and iCalendar.

Pure functions of the catalog and the policy. A *conflict* is either two
active changes (`scheduled` or `implement`) whose windows overlap and that
share a target directly or through the dependency graph, or an active change
whose window overlaps a freeze that does not allow its type. The calendar
is written out by `ics` (iCalendar) and `reporters/calendar.py` (text, JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from catalogctl.load import kinds
from catalogctl.model import workflow
from catalogctl.model.entities import Catalog, ChangeRequest, Ref, Service, parse_instant
from catalogctl.model.impact import dependents
from catalogctl.model.policy import Freeze, Policy

SERVICE, CI = kinds.SERVICE.name, kinds.CI.name
ACTIVE_STATES = frozenset({"scheduled", "implement"})  # checked for conflicts
CALENDAR_STATES = frozenset({"scheduled", "implement", "review", "closed"})
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
    uid_domain: str = "catalogctl"  # what follows the `@` of the feed's UIDs (`uid_domain`)


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


def uid_domain(policy: Policy) -> str:
    """What follows the `@` in the UIDs of the organisation's calendar feeds.

    The site's address without scheme, user, query and trailing slash
    (`it.northwind.example/catalog`, host in lower case): the feed is
    published there, so no other catalog's feed can hold the same UIDs.
    Without a usable `site.url`, a stable id of the organisation's name (else
    the site title), compared in NFC, case-folded, whitespace collapsed:
    `<16 hex digits of its SHA-256>.catalogctl`. With neither, `catalogctl`."""
    url = policy.site.get("url")
    if isinstance(url, str):
        parts = urlsplit(url.strip())
        host = parts.netloc.rpartition("@")[2].lower()
        if parts.scheme in ("http", "https") and host:
            return host + parts.path.rstrip("/")
    for key in ("organisation", "title"):
        name = policy.site.get(key)
        if isinstance(name, str) and name.strip():
            canonical = " ".join(unicodedata.normalize("NFC", name).split()).casefold()
            return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16] + ".catalogctl"
    return "catalogctl"


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
    return Calendar(
        name, tuple(events), tuple(found), public, start, end, flagged, uid_domain(policy)
    )


# ---------------------------------------------------------------- showing times


def show_instant(value: dt.datetime) -> str:
    """`2027-01-16 06:00+01:00` in the offset the file gave (seconds when not zero)."""
    text = value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    offset = value.strftime("%z")
    return text + ("Z" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}")


def show_window(window: Window) -> str:
    return f"{show_instant(window[0])} to {show_instant(window[1])}"
