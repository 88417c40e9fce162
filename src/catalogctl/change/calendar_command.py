"""`catalogctl change calendar`: windows, freezes and conflicts as text, JSON or iCalendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from catalogctl.change import calendar, ics
from catalogctl.change.files import load_changes
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import write_bytes, write_output
from catalogctl.model.entities import parse_instant

# ---------------------------------------------------------------- calendar


def _instant(text: str | None, option: str, end_of_day: bool = False) -> dt.datetime | None:
    """A date (midnight UTC; with end_of_day, the midnight after it) or a date-time with offset."""
    if text is None:
        return None
    if len(text) == 10:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if end_of_day:
                day += dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(), dt.UTC)
    value = parse_instant(text)
    if value is None:
        raise UsageError(
            f"{option} {text}: not a date (YYYY-MM-DD) or a date-time with offset "
            "(2027-01-16T06:00:00+01:00)"
        )
    return value


def calendar_command(
    *,
    start: Path,
    date_from: str | None,
    date_to: str | None,
    public: bool,
    now: str | None,
    output: Path | None,
    render: Callable[[calendar.Calendar], str] | None,
) -> int:
    """`render` gives the text or JSON form; None writes the iCalendar feed."""
    begin = _instant(date_from, "--from")
    end = _instant(date_to, "--to", end_of_day=True)
    stamp = _instant(now, "--now")
    if begin is not None and end is not None and end <= begin:
        raise UsageError(f"--to {date_to} is before --from {date_from}")
    if output is not None and not output.parent.is_dir():
        raise UsageError(f"--output {output}: the folder {output.parent} does not exist")
    _, catalog, policy = load_changes(start)
    cal = calendar.build(catalog, policy, begin, end, public=public)
    if render is None:
        write_bytes(ics.to_ics(cal, stamp).encode("utf-8"), output)
    else:
        write_output(render(cal), output)
    return EXIT_OK
