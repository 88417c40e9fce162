"""The `format`s the schemas assert, as plain functions (no jsonschema import).

One table for both validators: `schemas.FORMAT_CHECKER` registers these with
jsonschema, and the compiled validity check (`verdict`) calls the same
functions, so the two cannot drift apart. A function returns True when the
value conforms and raises ValueError when it does not; values that are not
strings conform (JSON Schema applies a format to strings only). Formats not
in the table are not checked, as in jsonschema.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        raise ValueError("not YYYY-MM-DD")
    dt.date.fromisoformat(value)
    return True


def is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("no UTC offset")
    return True


FORMATS: dict[str, Callable[[object], bool]] = {"date": is_date, "date-time": is_date_time}


def conforms(name: str, value: object) -> bool:
    """What jsonschema's FormatChecker.check decides, as a boolean."""
    check = FORMATS.get(name)
    if check is None:
        return True
    try:
        return bool(check(value))
    except ValueError:
        return False
