"""Service hours: when an SLA's targets apply, as spans, and time counted in them.

`24x7` is always; a schedule from `catalogctl.yaml` (days, start, end in an
IANA time zone) is its weekly hours, laid out day by day in that zone so
that summer time moves them as a clock on the office wall would. An `end`
at or before `start` runs past midnight; `24:00` is the end of the day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalogctl.ops.spans import Span, seconds, union

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS = "24x7"


class ScheduleError(ValueError):
    """A schedule that cannot be laid out (unknown time zone, bad time)."""


class ServiceHours:
    """Service hours between two instants, with the seconds of service time
    in any span answered by binary search (prefix sums over the spans)."""

    def __init__(self, spans: list[Span], always: bool = False) -> None:
        self.always = always
        self.spans = spans
        self._starts = [s for s, _ in spans]
        self._before: list[float] = [0.0]  # service seconds before span i
        for start, end in spans:
            self._before.append(self._before[-1] + end - start)

    def _upto(self, instant: float) -> float:
        index = bisect_right(self._starts, instant)
        if index == 0:
            return 0.0
        start, end = self.spans[index - 1]
        return self._before[index - 1] + min(instant, end) - start

    def seconds(self, start: float, end: float) -> float:
        """Service seconds in [start, end); 0 when end is not after start."""
        if end <= start:
            return 0.0
        if self.always:
            return end - start
        return self._upto(end) - self._upto(start)


def _clock(text: object) -> tuple[int, int]:
    hours, _, minutes = text.partition(":") if isinstance(text, str) else ("", "", "")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ScheduleError(f"'{text}' is not a time of day HH:MM")
    clock = int(hours), int(minutes)
    if clock != (24, 0) and not (clock[0] < 24 and clock[1] < 60):
        raise ScheduleError(f"'{text}' is not a time of day HH:MM")
    return clock


def service_hours(
    schedule_id: str,
    schedules: Mapping[str, Mapping[str, Any]],
    start: dt.datetime,
    end: dt.datetime,
) -> ServiceHours:
    """The service hours of a schedule covering at least [start, end)."""
    if schedule_id == ALWAYS:
        return ServiceHours([], always=True)
    spec = schedules.get(schedule_id)
    if spec is None:
        raise ScheduleError(f"no schedule '{schedule_id}' in catalogctl.yaml")
    try:
        zone = ZoneInfo(str(spec.get("timezone")))
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"schedule {schedule_id}: unknown time zone '{spec.get('timezone')}'"
        ) from None
    opens, closes = _clock(spec.get("start")), _clock(spec.get("end"))
    if opens == (24, 0):
        raise ScheduleError(f"schedule {schedule_id}: a day cannot start at 24:00")
    listed = spec.get("days")
    days = {_DAYS.index(d) for d in listed if d in _DAYS} if isinstance(listed, list) else set()
    spans: list[Span] = []
    day = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date()
    while day <= last:
        if day.weekday() in days:
            begin = dt.datetime(day.year, day.month, day.day, *opens, tzinfo=zone)
            if closes == (24, 0):
                stop_day, stop = day + dt.timedelta(days=1), (0, 0)
            elif closes <= opens:
                stop_day, stop = day + dt.timedelta(days=1), closes
            else:
                stop_day, stop = day, closes
            finish = dt.datetime(stop_day.year, stop_day.month, stop_day.day, *stop, tzinfo=zone)
            spans.append((seconds(begin), seconds(finish)))
        day += dt.timedelta(days=1)
    return ServiceHours(union(spans))
