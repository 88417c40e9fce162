"""Reading a scorecard rubric from `scorecards:` in catalogctl.yaml.

Tolerant like the rest of the policy reader: every problem (unknown level,
fact or operator, duplicate check id, a value of the wrong kind) is recorded
with its path in the file, for rule `scorecard-rubric`, and whatever can be
read is kept. Without levels and checks, the built-in rubric applies.
"""

from __future__ import annotations

import difflib
from typing import Any, Protocol

from catalogctl.load.kinds import ID_PATTERN
from catalogctl.model.durations import parse_duration
from catalogctl.model.rubric import (
    ALIASES,
    DEFAULT_CHECKS,
    DEFAULT_EMERGENCY_MAX_AGE,
    DEFAULT_LEVELS,
    FACTS,
    NONE,
    OPERATORS,
    Check,
    Condition,
    Rubric,
    RubricProblem,
    is_number,
)

# --------------------------------------------------------------------------- scorecards

FieldPath = tuple[str | int, ...]


class Report(Protocol):
    """Records a rubric problem (schema: the policy schema reports it too)."""

    def __call__(self, path: FieldPath, message: str, schema: bool = False) -> None: ...


ROOT: FieldPath = ("scorecards",)
TIERS = {f"tier{tier}": tier for tier in (1, 2, 3, 4)}


def read_scorecards(data: Any) -> Rubric:
    """The rubric under `scorecards:`; the built-in levels and checks when it
    declares neither. Every problem is recorded with its path rather than
    raised, and the entry it concerns is left out."""
    problems: list[RubricProblem] = []

    def report(path: FieldPath, message: str, schema: bool = False) -> None:
        problems.append(RubricProblem(path, f"{_dotted(path)}: {message}", schema))

    if data is not None and not isinstance(data, dict):
        report(ROOT, "expected a mapping with levels, checks and minimum", True)
    data = data if isinstance(data, dict) else {}
    max_age = data.get("emergencyMaxAge", DEFAULT_EMERGENCY_MAX_AGE)
    if parse_duration(max_age) is None:
        report((*ROOT, "emergencyMaxAge"), "expected a duration such as 7d", True)
        max_age = DEFAULT_EMERGENCY_MAX_AGE
    own = "levels" in data or "checks" in data
    if own and ("levels" in data) != ("checks" in data):
        given, missing = ("levels", "checks") if "levels" in data else ("checks", "levels")
        report((*ROOT, given), f"{missing} is missing; declare levels and checks together")
    if own:
        levels = _levels(data.get("levels"), report)
        checks = _checks(data.get("checks"), (*ROOT, "checks"), levels, report)
    else:  # the defaults are parsed too, so they cannot drift from the format
        levels = _levels(list(DEFAULT_LEVELS), report)
        checks = _checks(list(DEFAULT_CHECKS), ("default",), levels, report)
    minimum = _minimum(data.get("minimum"), levels, report)
    return Rubric(
        levels=tuple(levels or ()),
        checks=checks,
        minimum=minimum,
        emergency_max_age=str(max_age),
        source="policy" if own else "default",
        problems=tuple(problems),
    )


def _dotted(path: FieldPath) -> str:
    return "".join(
        f"[{p}]" if isinstance(p, int) else ("." if i else "") + p for i, p in enumerate(path)
    )


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and ID_PATTERN.match(value) is not None


def _levels(value: Any, report: Report) -> list[str] | None:
    """The level ids, lowest first; None when the list is unusable."""
    path = (*ROOT, "levels")
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        report(path, "expected a list of level ids, lowest first", True)
        return None
    levels: list[str] = []
    for index, level in enumerate(value):
        if not _is_id(level):
            report((*path, index), "expected a level id such as bronze", True)
        elif level == NONE:
            report(
                (*path, index),
                "'none' is the level of a service below the first level; choose another name",
                False,
            )
        elif level in levels:
            report((*path, index), f"level '{level}' is listed twice", False)
        else:
            levels.append(level)
    return levels or None


def _checks(
    value: Any, path: FieldPath, levels: list[str] | None, report: Report
) -> tuple[Check, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        report(path, "expected a list of checks", True)
        return ()
    checks: list[Check] = []
    seen: set[str] = set()
    for index, raw in enumerate(value):
        here = (*path, index)
        if not isinstance(raw, dict):
            report(here, "expected a check with id, level, title, remedy and a fact or field", True)
            continue
        check = _check(raw, here, levels, report)
        if check is None:
            continue
        if check.id in seen:
            report((*here, "id"), f"check id '{check.id}' is used twice; ids must be unique")
            continue
        seen.add(check.id)
        checks.append(check)
    return tuple(checks)


def _check(
    raw: dict[str, Any], here: FieldPath, levels: list[str] | None, report: Report
) -> Check | None:
    usable = True
    for key in ("id", "level"):
        if not _is_id(raw.get(key)):
            report((*here, key) if key in raw else here, f"{key}: expected an id", True)
            usable = False
    for key in ("title", "remedy"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            report((*here, key) if key in raw else here, f"{key}: expected text", True)
            usable = False
    level = raw.get("level")
    if usable and levels is not None and level not in levels:
        report((*here, "level"), f"unknown level '{level}'; levels are {', '.join(levels)}")
        usable = False
    condition = _condition(raw, here, report)
    when: list[Condition | None] = []
    raw_when = raw.get("when")
    if raw_when is not None and not isinstance(raw_when, list):
        report((*here, "when"), "expected a list of conditions", True)
        usable = False
    for index, item in enumerate(raw_when if isinstance(raw_when, list) else []):
        if isinstance(item, dict):
            when.append(_condition(item, (*here, "when", index), report))
        else:
            report((*here, "when", index), "expected a condition with a fact or field", True)
            usable = False
    if not usable or condition is None or None in when:
        return None
    return Check(
        id=raw["id"],
        level=raw["level"],
        title=raw["title"].strip(),
        remedy=raw["remedy"].strip(),
        condition=condition,
        when=tuple(c for c in when if c is not None),
    )


def _condition(raw: dict[str, Any], here: FieldPath, report: Report) -> Condition | None:
    fact, field_path = raw.get("fact"), raw.get("field")
    if (fact is None) == (field_path is None):
        report(here, "give either fact or field (not both)")
        return None
    known = FACTS.get(fact) if isinstance(fact, str) else None
    if fact is not None:
        if known is None:
            close = difflib.get_close_matches(str(fact), FACTS, 1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            report(
                (*here, "fact"), f"unknown fact '{fact}'; {hint}docs/scorecards.md lists them", True
            )
            return None
    elif not _field_path(field_path):
        report(
            (*here, "field"),
            "expected a dotted path under metadata. or spec., e.g. spec.continuity.rto",
            True,
        )
        return None
    subject = str(fact if fact is not None else field_path)
    numeric = known.numeric if known is not None else None
    op = raw.get("op")
    op = ALIASES.get(op, op) if isinstance(op, str) else op
    if op is None:
        if numeric:
            report(
                here, f"fact '{fact}' is a number: give op and value, e.g. op: at-most, value: 0"
            )
            return None
        op = "equals" if fact is not None else "exists"
        value: Any = True if fact is not None else None
        if "value" in raw:
            report((*here, "value"), "a value needs an op, e.g. op: equals")
            return None
        return Condition(subject, fact is not None, op, value)
    if op not in OPERATORS:
        report((*here, "op"), f"unknown op {op!r}; ops are {', '.join(OPERATORS)}", True)
        return None
    value = raw.get("value")
    if isinstance(value, dict) or (isinstance(value, list) and not all(map(_scalar, value))):
        report((*here, "value"), "expected text, a number, true/false or a list of them", True)
        return None
    problem = _value_problem(op, value, numeric)
    if problem:
        report((*here, "value") if "value" in raw else here, problem)
        return None
    return Condition(
        subject, fact is not None, op, tuple(value) if isinstance(value, list) else value
    )


def _field_path(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = value.split(".")
    return (
        len(parts) > 1
        and parts[0] in ("metadata", "spec")
        and all(
            part and all(c.isascii() and (c.isalnum() or c in "_-") for c in part) for part in parts
        )
    )


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _value_problem(op: str, value: Any, numeric: bool | None) -> str | None:
    """Why `value` cannot go with `op` (numeric: the fact's type; None for a field)."""
    if op in ("exists", "absent"):
        return None if value is None else f"op {op} takes no value"
    if op in ("equals", "not-equals", "in", "not-in"):
        listed = op in ("in", "not-in")
        if listed and (not isinstance(value, list) or not value):
            return f"op {op} needs a list of values, e.g. value: [1, 2]"
        if not listed and not _scalar(value):
            return f"op {op} needs one value: text, a number or true/false"
        options = value if listed else [value]
        if numeric is False and not all(isinstance(v, bool) for v in options):
            return "this fact is true or false; compare it with true or false"
        if numeric and not all(is_number(v) for v in options):
            return "this fact is a number; compare it with a number"
        return None
    if numeric is False:
        return f"this fact is true or false; op {op} needs a number"
    if is_number(value) or (numeric is None and parse_duration(value) is not None):
        return None
    return f"op {op} needs a number" + ("" if numeric else " or a duration such as 4h")


def _minimum(value: Any, levels: list[str] | None, report: Report) -> dict[int, str]:
    path = (*ROOT, "minimum")
    if value is None:
        return {}
    if not isinstance(value, dict):
        report(path, "expected a mapping of tier1..tier4 to a level", True)
        return {}
    minimum: dict[int, str] = {}
    for key, level in value.items():
        if key not in TIERS:
            report((*path, key), "expected tier1, tier2, tier3 or tier4", True)
        elif not _is_id(level):
            report((*path, key), "expected a level id", True)
        elif levels is not None and level not in levels:
            report((*path, key), f"unknown level '{level}'; levels are {', '.join(levels)}")
        else:
            minimum[TIERS[key]] = level
    return minimum
