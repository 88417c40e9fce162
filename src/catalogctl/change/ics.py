"""The change calendar as iCalendar (RFC 5545), written by hand.

Escaping, 75-octet folding and CRLF line ends are done here rather than by a
library so that the same catalog always gives the same bytes (DTSTAMP is the
event's own start unless a time is given). The public form (the customer
feed) names only public services and the change id.
"""

from __future__ import annotations

import datetime as dt
import re

from catalogctl.change.calendar import Calendar, Event

PRODID = "-//catalogctl//Change calendar//EN"


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
