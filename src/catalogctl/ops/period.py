"""The reporting period of `sla report`: a calendar month or a range of days.

Periods are UTC: `--period 2026-11` is 2026-11-01T00:00Z up to, not
including, 2026-12-01T00:00Z (43,200 minutes), and `--until` is inclusive
(the whole day). Without either, the report covers the last complete month,
which is what a monthly service level review looks at.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from catalogctl.load.errors import UsageError

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])\Z")


@dataclass(frozen=True)
class Period:
    start: dt.datetime  # inclusive, UTC
    end: dt.datetime  # exclusive, UTC

    @property
    def label(self) -> str:
        last = (self.end - dt.timedelta(days=1)).date()
        if (
            self.start.day == 1
            and self.end.day == 1
            and month_after(self.start.date()) == (self.end.date())
        ):
            return self.start.strftime("%Y-%m")
        return f"{self.start.date().isoformat()} to {last.isoformat()}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def month_after(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month(day: dt.date) -> Period:
    """The calendar month `day` falls in."""
    first = day.replace(day=1)
    return Period(_midnight(first), _midnight(month_after(first)))


def last_months(today: dt.date, count: int) -> list[Period]:
    """The `count` complete months before today's, oldest first."""
    out: list[Period] = []
    first = today.replace(day=1)
    for _ in range(count):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.insert(0, month(first))
    return out


def choose(
    period: str | None, since: dt.date | None, until: dt.date | None, today: dt.date
) -> Period:
    """The period the options name, or the last complete month."""
    if period is not None:
        if since is not None or until is not None:
            raise UsageError(
                "--period cannot be combined with --since/--until; give one or the other"
            )
        match = _MONTH.match(period.strip())
        if match is None:
            raise UsageError(f"--period {period}: give a month as YYYY-MM, e.g. 2026-11")
        try:
            return month(dt.date(int(match.group(1)), int(match.group(2)), 1))
        except (ValueError, OverflowError):
            raise UsageError(f"--period {period}: no such month to report on") from None
    if since is None and until is None:
        return last_months(today, 1)[0]
    if since is None or until is None:
        raise UsageError("--since and --until go together; give both, or --period YYYY-MM")
    if until < since:
        raise UsageError(f"--since {since} is after --until {until}; the period must start first")
    try:
        return Period(_midnight(since), _midnight(until + dt.timedelta(days=1)))
    except OverflowError:
        raise UsageError(f"--until {until}: too far ahead to report on") from None
