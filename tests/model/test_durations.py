"""Compact durations: one grammar (the schema's) for the linter, the gate and the site."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from catalogctl.model.durations import duration_minutes, duration_words, parse_duration
from paths import REPO

REPO = REPO


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("0m", dt.timedelta(0)),
        ("15m", dt.timedelta(minutes=15)),
        ("4h", dt.timedelta(hours=4)),
        ("3d", dt.timedelta(days=3)),
        ("2w", dt.timedelta(weeks=2)),
        ("99999m", dt.timedelta(minutes=99999)),
    ],
)
def test_compact_durations(text: str, span: dt.timedelta) -> None:
    assert parse_duration(text) == span
    assert duration_minutes(text) == span // dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    "text",
    ["", "4", "h", "04h", "4H", "4 h", " 4h", "4h\n", "-1h", "1.5h", "100000m", "4y", 4, None],
)
def test_anything_else_is_not_a_duration(text: object) -> None:
    """The schema's pattern, no looser: what the linter rejects, nothing reads."""
    assert parse_duration(text) is None
    assert duration_minutes(text) is None
    assert duration_words(text) is None


def test_words() -> None:
    assert duration_words("1m") == "1 minute"
    assert duration_words("0m") == "0 minutes"
    assert duration_words("4h") == "4 hours"
    assert duration_words("1d") == "1 day"
    assert duration_words("2w") == "2 weeks"


def test_same_grammar_as_the_schema() -> None:
    defs = json.loads((REPO / "schemas" / "defs.schema.json").read_text(encoding="utf-8"))
    pattern = re.compile(defs["$defs"]["duration"]["pattern"])
    samples = ["0m", "15m", "4h", "3d", "2w", "99999m", "", "04h", "4H", "-1h", "100000m", "4y"]
    for text in samples:
        assert (parse_duration(text) is not None) == bool(pattern.search(text)), text
