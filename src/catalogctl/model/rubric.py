"""Scorecard rubrics: levels, checks, facts and operators, and reading them.

A rubric orders levels (bronze < silver < gold) and declares checks. Each
check belongs to one level, may apply to some services only (`when`) and
tests one condition over a field of the service's document or a computed
fact (`FACTS`; computed by `scorecard.Scorer`). The rubric comes from
`scorecards:` in catalogctl.yaml, or is the built-in one below; reading it
records every problem with its path in the file (rule `scorecard-rubric`)
instead of failing (docs/scorecards.md).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from catalogctl.model.durations import duration_minutes
from catalogctl.model.entities import Service

NONE = "none"  # the level of a service below the first level
PASS, FAIL, SKIP = "pass", "fail", "skip"  # SKIP: the check's `when` does not apply
DEFAULT_EMERGENCY_MAX_AGE = "7d"

ORDERED: Mapping[str, Callable[[Any, Any], bool]] = {
    "at-least": operator.ge,
    "at-most": operator.le,
    "above": operator.gt,
    "below": operator.lt,
}
OPERATORS = ("exists", "absent", "equals", "not-equals", "in", "not-in", *ORDERED)
# Symbols read naturally but must be quoted in YAML (a bare `>` starts a block scalar).
ALIASES: Mapping[str, str] = {">=": "at-least", "<=": "at-most", ">": "above", "<": "below"}

Value = bool | int | float | str | None


@dataclass(frozen=True)
class Fact:
    name: str
    numeric: bool  # a count or a percentage; otherwise true/false
    doc: str


FACTS: Mapping[str, Fact] = {
    fact.name: fact
    for fact in (
        Fact("owner-set", False, "`spec.owner` is set."),
        Fact("owner-resolves", False, "`spec.owner` names a team that exists in the catalog."),
        Fact("has-sla", False, "At least one SLA in effect today lists the service."),
        Fact(
            "sla-availability",
            True,
            "The best `availability.target` among the SLAs in effect that cover the "
            "service; absent when none does.",
        ),
        Fact(
            "sla-reviewed",
            False,
            "The service has an SLA in effect, and no covering SLA's `review` date has passed.",
        ),
        Fact("has-runbook", False, "A `metadata.links` item has `type: runbook`."),
        Fact(
            "has-continuity", False, "Both `spec.continuity.rto` and `spec.continuity.rpo` are set."
        ),
        Fact("has-cis", False, "`spec.cis` lists at least one configuration item."),
        Fact(
            "ci-owners-set",
            False,
            "Every CI in `spec.cis` exists and has `spec.owner` set (true when there are none).",
        ),
        Fact(
            "open-emergency-changes",
            True,
            "Open emergency changes (any state but closed and canceled) that target the "
            "service or one of its CIs.",
        ),
        Fact(
            "stale-emergency-changes",
            True,
            "Those of the open emergency changes whose window started more than "
            "`emergencyMaxAge` (default 7d) before today; one without a window is not counted.",
        ),
    )
}


# The built-in rubric, in the form catalogctl.yaml uses (policy.py reads both
# the same way). Bronze: catalogued and owned; silver: supportable; gold: run
# to agreed, reviewed targets with no loose ends.
def _default(check_id: str, level: str, title: str, remedy: str, **rest: Any) -> Mapping[str, Any]:
    return {"id": check_id, "level": level, "title": title, "remedy": remedy, **rest}


TIER_1_OR_2 = [{"field": "spec.tier", "op": "in", "value": [1, 2]}]
DEFAULT_LEVELS = ("bronze", "silver", "gold")
DEFAULT_CHECKS = (
    _default("owner", "bronze", "Owned by a team in the catalog",
           "Set spec.owner to the id of a team in catalog/teams/.", fact="owner-resolves"),
    _default("description", "bronze", "Described for its users",
           "Add metadata.description: what the service does and who it is for.",
           field="metadata.description"),
    _default("support-hours", "bronze", "Support hours declared",
           "Set spec.support.hours to 24x7 or a schedule id from catalogctl.yaml.",
           field="spec.support.hours"),
    _default("ci-owners", "bronze", "Every CI it runs on has an owner",
           "Set spec.owner on each configuration item listed in spec.cis.", fact="ci-owners-set"),
    _default("sla", "silver", "Covered by an SLA in effect",
           "Add the service to the spec.services of an SLA in effect, or agree a new SLA "
           "with its customers.", fact="has-sla"),
    _default("runbook", "silver", "Has a runbook",
           "Add a link with type: runbook to metadata.links.", fact="has-runbook"),
    _default("classification", "silver", "Data classified",
           "Set spec.security.classification (public, internal, confidential or restricted).",
           field="spec.security.classification"),
    _default("continuity", "silver", "Recovery objectives set (tier 1 and 2)",
           "Set spec.continuity.rto and spec.continuity.rpo, agreed with the business.",
           fact="has-continuity", when=TIER_1_OR_2),
    _default("tier1-availability", "gold", "SLA availability target of at least 99.9 % (tier 1)",
           "Agree an availability target of at least 99.9 % in an SLA covering the service, "
           "and engineer the service to meet it.",
           fact="sla-availability", op="at-least", value=99.9,
           when=[{"field": "spec.tier", "op": "equals", "value": 1}]),
    _default("sla-reviewed", "gold", "SLA reviews held on schedule",
           "Hold the service-level review and move each covering SLA's spec.review to the "
           "next date.", fact="sla-reviewed"),
    _default("dr-tier", "gold", "Disaster recovery tier assigned (tier 1 and 2)",
           "Set spec.continuity.drTier (1 is recovered first) as the DR plan says.",
           field="spec.continuity.drTier", when=TIER_1_OR_2),
    _default("emergency-changes", "gold", "No emergency change left open past the maximum age",
           "Finish the post-implementation review of the service's open emergency changes "
           "and close them, or cancel the ones that did not happen.",
           fact="stale-emergency-changes", op="at-most", value=0),
)  # fmt: skip


@dataclass(frozen=True)
class Condition:
    """`op` applied to a fact, or to a field of the service's document."""

    subject: str  # the fact name or the dotted field path, as written
    is_fact: bool
    op: str  # one of OPERATORS (aliases already resolved)
    value: Value | tuple[Value, ...] = None

    @property
    def path(self) -> tuple[str, ...]:
        return () if self.is_fact else tuple(self.subject.split("."))

    def holds(self, actual: Any) -> bool:
        op = self.op
        if op in ("exists", "absent"):
            return present(actual) == (op == "exists")
        if op in ("equals", "not-equals"):
            return _same(actual, self.value) == (op == "equals")
        if op in ("in", "not-in"):
            options = self.value if isinstance(self.value, tuple) else ()
            return any(_same(actual, option) for option in options) == (op == "in")
        pair = _ordered(actual, self.value)
        return pair is not None and ORDERED[op](*pair)

    def __str__(self) -> str:
        if self.op in ("exists", "absent"):
            return f"{self.subject} {self.op}"
        value = self.value
        shown = (
            "[" + ", ".join(map(_show, value)) + "]" if isinstance(value, tuple) else _show(value)
        )
        return f"{self.subject} {self.op} {shown}"


def present(value: Any) -> bool:
    """Set to something: not missing, null, or an empty string, list or mapping."""
    if value is None:
        return False
    return not (isinstance(value, str | list | tuple | dict) and len(value) == 0)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(actual: Any, expected: Any) -> bool:
    """Equality without YAML surprises: true is not 1, and "1" is not 1."""
    if is_number(actual) and is_number(expected):
        return bool(actual == expected)
    return type(actual) is type(expected) and bool(actual == expected)


def _ordered(actual: Any, expected: Any) -> tuple[float, float] | None:
    """Numbers compare as numbers and compact durations (4h, 3d) as durations."""
    if is_number(actual) and is_number(expected):
        return float(actual), float(expected)
    minutes, limit = duration_minutes(actual), duration_minutes(expected)
    return (minutes, limit) if minutes is not None and limit is not None else None


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return str(value)


@dataclass(frozen=True)
class Check:
    id: str
    level: str
    title: str
    remedy: str  # what to do to pass
    condition: Condition
    when: tuple[Condition, ...] = ()  # all must hold for the check to apply


@dataclass(frozen=True)
class RubricProblem:
    """Something wrong with the rubric in catalogctl.yaml, at a path in that file."""

    path: tuple[str | int, ...]
    message: str
    schema: bool = False  # the policy schema reports it too (lint shows that message)


@dataclass(frozen=True)
class Rubric:
    levels: tuple[str, ...]  # lowest first
    checks: tuple[Check, ...]
    minimum: Mapping[int, str]  # tier -> the level a live service of that tier needs
    emergency_max_age: str = DEFAULT_EMERGENCY_MAX_AGE  # compact duration
    source: str = "default"  # "default": the built-in levels and checks; or "policy"
    problems: tuple[RubricProblem, ...] = ()

    def rank(self, level: str | None) -> int:
        """0 for "none", 1 for the first level...; -1 for a level not in the rubric."""
        if level == NONE:
            return 0
        return self.levels.index(level) + 1 if level in self.levels else -1

    def required(self, service: Service) -> str | None:
        """The minimum level for a live service's tier; None when nothing is required."""
        if service.lifecycle != "live" or service.tier is None:
            return None
        return self.minimum.get(service.tier)
