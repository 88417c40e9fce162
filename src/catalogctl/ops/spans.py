"""Half-open time spans [start, end) as UTC seconds: union, subtraction, clipping.

Downtime is a union, not a sum: two incidents whose outages overlap took
the service down once. Seconds since the epoch (floats) keep the arithmetic
exact to the second and cheap for ten thousand incidents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

Span = tuple[float, float]


def seconds(instant: dt.datetime) -> float:
    """An aware instant as seconds since the epoch."""
    return instant.timestamp()


def union(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint spans covering exactly what the given ones cover."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """What of `spans` lies outside `holes`; both sorted and disjoint (`union`)."""
    out: list[Span] = []
    index = 0
    for start, end in spans:
        while index < len(holes) and holes[index][1] <= start:
            index += 1
        cursor, probe = start, index
        while probe < len(holes) and holes[probe][0] < end:
            hole_start, hole_end = holes[probe]
            if hole_start > cursor:
                out.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            probe += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def clip(spans: Iterable[Span], start: float, end: float) -> list[Span]:
    """The parts of `spans` inside [start, end)."""
    return [(max(a, start), min(b, end)) for a, b in spans if b > start and a < end]
