"""The change calendar as iCalendar (RFC 5545), through the `icalendar` library.

This module decides what the feed says; the library writes it: TEXT
escaping, 75-octet folding, UTC date-times and CRLF line ends. Properties
are written in the order they are added, and DTSTAMP is the event's own
start unless a time is given, so the same catalog always gives the same
bytes. UIDs carry the organisation's domain and differ between the public
and the internal feed. The public form (the customer feed) names only
public services and the change id.
"""

from __future__ import annotations

import datetime as dt
import re

import icalendar

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


# TEXT allows no control character but tab and line breaks, and the library
# passes the others through: they become spaces before it escapes the rest.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(value: str) -> str:
    """Control characters (not allowed in TEXT) as spaces; tab and line breaks stay."""
    return _CONTROL.sub(" ", value)


def _text(value: str) -> icalendar.vText:
    return icalendar.vText(plain(value))


def _utc(value: dt.datetime) -> dt.datetime:
    """Written as `YYYYMMDDTHHMMSSZ`: in UTC, fractions of a second dropped."""
    return value.astimezone(dt.UTC).replace(microsecond=0)


def uid(event: Event, calendar: Calendar) -> str:
    """Stable across runs, unique per organisation and per feed: the change id
    (`freeze-<id>` for a freeze), `.public` in the public feed, then `@` and
    the organisation's domain (`calendar.uid_domain`):
    `chg-2027-0001.public@it.northwind.example/catalog`. A subscriber to both
    feeds gets two events, not one that each feed overwrites."""
    local = event.id if event.kind == "change" else f"freeze-{event.id}"
    if calendar.public:
        local += ".public"
    return f"{local}@{calendar.uid_domain}"


def to_ics(calendar: Calendar, now: dt.datetime | None = None) -> str:
    """The calendar as an RFC 5545 VCALENDAR (METHOD:PUBLISH), CRLF line ends.

    DTSTAMP is `now` when given, else the event's own start, so the same
    catalog always gives the same bytes."""
    feed = icalendar.Calendar()
    feed.add("VERSION", "2.0")
    feed.add("PRODID", PRODID)
    feed.add("CALSCALE", "GREGORIAN")
    feed.add("METHOD", "PUBLISH")
    feed.add("X-WR-CALNAME", _text(calendar.name))  # an X- name: TEXT only when said so
    for event in calendar.events:
        entry = icalendar.Event()
        entry.add("UID", _text(uid(event, calendar)))
        entry.add("DTSTAMP", _utc(now or event.start))
        entry.add("DTSTART", _utc(event.start))
        entry.add("DTEND", _utc(event.end))
        entry.add("SUMMARY", _text(summary(event, calendar.public)))
        entry.add("DESCRIPTION", _text(description(event, calendar)))
        entry.add("CATEGORIES", [plain(c) for c in categories(event, calendar)])
        entry.add("TRANSP", "TRANSPARENT")
        entry.add("STATUS", "CONFIRMED")
        feed.add_component(entry)
    # sorted=False: the order above (the documented one), not the library's
    written: bytes = feed.to_ical(sorted=False)
    return written.decode("utf-8")
