"""The reporting period of `sla report`: a calendar month or quarter, or a range of days.

Periods are UTC: `--period 2026-11` is 2026-11-01T00:00Z up to, not
including, 2026-12-01T00:00Z (43,200 minutes); `--period 2026-Q4` is
October to December; `--until` is inclusive (the whole day). Without any,
the report covers the last complete month, which is what a monthly service
level review looks at.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from catalogctl.load.errors import UsageError

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])\Z")
_QUARTER = re.compile(r"([0-9]{4})-[Qq]([1-4])\Z")


@dataclass(frozen=True)
class Period:
    start: dt.datetime  # inclusive, UTC
    end: dt.datetime  # exclusive, UTC

    @property
    def label(self) -> str:
        """2026-11 for a calendar month, 2026-Q4 for a quarter, else the days."""
        first, after = self.start.date(), self.end.date()
        if self.start.time() == self.end.time() == dt.time() and first.day == after.day == 1:
            if month_after(first) == after:
                return first.strftime("%Y-%m")
            if first.month % 3 == 1 and months_after(first, 3) == after:
                return f"{first.year}-Q{first.month // 3 + 1}"
        last = (self.end - dt.timedelta(days=1)).date()
        return f"{first.isoformat()} to {last.isoformat()}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def months_after(day: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after `day`'s."""
    index = day.year * 12 + day.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_after(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return months_after(day, 1)


def month(day: dt.date) -> Period:
    """The calendar month `day` falls in."""
    first = day.replace(day=1)
    return Period(_midnight(first), _midnight(month_after(first)))


def quarter(day: dt.date) -> Period:
    """The calendar quarter `day` falls in."""
    first = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(_midnight(first), _midnight(months_after(first, 3)))


def last_months(today: dt.date, count: int) -> list[Period]:
    """The `count` complete months before today's, oldest first."""
    first = today.replace(day=1)
    return [month(months_after(first, -n)) for n in range(count, 0, -1)]


def last_quarters(today: dt.date, count: int) -> list[Period]:
    """The `count` complete quarters before today's, oldest first."""
    first = quarter(today).start.date()
    return [quarter(months_after(first, -3 * n)) for n in range(count, 0, -1)]


def _named(text: str) -> Period | None:
    """`2026-11` or `2026-Q4` as a period; None when it is neither."""
    if match := _MONTH.match(text):
        return month(dt.date(int(match.group(1)), int(match.group(2)), 1))
    if match := _QUARTER.match(text):
        return quarter(dt.date(int(match.group(1)), int(match.group(2)) * 3 - 2, 1))
    return None


def choose(
    period: str | None, since: dt.date | None, until: dt.date | None, today: dt.date
) -> Period:
    """The period the options name, or the last complete month."""
    if period is not None:
        if since is not None or until is not None:
            raise UsageError(
                "--period cannot be combined with --since/--until; give one or the other"
            )
        try:
            named = _named(period.strip())
        except (ValueError, OverflowError):
            raise UsageError(f"--period {period}: no such month to report on") from None
        if named is None:
            raise UsageError(
                f"--period {period}: give a month as YYYY-MM (2026-11) or a quarter as "
                "YYYY-Qn (2026-Q4)"
            )
        return named
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
