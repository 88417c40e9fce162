"""Compact durations (`15m`, `4h`, `3d`, `2w`): the one reader and its words.

The grammar is the schema's `duration` (schemas/defs.schema.json): a whole
number without sign or leading zero, at most five digits, then m (minutes),
h (hours), d (days) or w (weeks). SLA targets, lead times, template limits,
rubric values and the site all read durations here, so a value means the
same thing to the linter, the gate and the pages.
"""

from __future__ import annotations

import datetime as dt
import re

_DURATION = re.compile(r"(0|[1-9][0-9]{0,4})([mhdw])\Z")
_UNITS = {
    "m": ("minute", dt.timedelta(minutes=1)),
    "h": ("hour", dt.timedelta(hours=1)),
    "d": ("day", dt.timedelta(days=1)),
    "w": ("week", dt.timedelta(weeks=1)),
}
_MINUTE = dt.timedelta(minutes=1)


def _split(text: object) -> tuple[int, str] | None:
    match = _DURATION.match(text) if isinstance(text, str) else None
    return (int(match.group(1)), match.group(2)) if match else None


def parse_duration(text: object) -> dt.timedelta | None:
    """'4h' -> 4 hours; None for anything that is not a compact duration."""
    parts = _split(text)
    return parts[0] * _UNITS[parts[1]][1] if parts else None


def duration_minutes(text: object) -> int | None:
    """'4h' -> 240: `parse_duration` in whole minutes, for callers that count."""
    span = parse_duration(text)
    return span // _MINUTE if span is not None else None


def duration_words(text: object) -> str | None:
    """'4h' -> '4 hours', '1d' -> '1 day'; None for anything that is not a
    compact duration."""
    parts = _split(text)
    if parts is None:
        return None
    count, unit = parts
    return f"{count} {_UNITS[unit][0]}{'' if count == 1 else 's'}"
