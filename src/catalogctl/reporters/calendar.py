"""The change calendar as text (a terminal listing) and JSON (`change calendar`)."""

from __future__ import annotations

import json
from typing import Any

from catalogctl.change.calendar import Calendar, Event, show_window
from catalogctl.change.ics import summary


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


def render_text(calendar: Calendar) -> str:
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


def render_json(calendar: Calendar) -> str:
    return json.dumps(calendar_json(calendar), indent=2, ensure_ascii=False) + "\n"
