"""The rule registry: every rule has a stable id, a default severity and a
docstring that is its documentation (`catalogctl rules`, the site's reference).

Rules only produce Findings. The engine, not the rule, decides the final
severity (policy overrides) and applies suppressions.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from catalogctl.load.diagnostics import Severity
from catalogctl.model.entities import Catalog, Entity
from catalogctl.model.graph import Graph
from catalogctl.model.policy import Policy


@dataclass(frozen=True)
class RuleContext:
    catalog: Catalog
    graph: Graph
    policy: Policy
    today: dt.date


@dataclass(frozen=True)
class Finding:
    """A rule's finding about one entity (or a file such as the policy), located
    later by the engine."""

    entity: Entity | None
    path: tuple[str | int, ...]
    message: str
    severity: Severity | None = None  # escalation/de-escalation by the rule itself
    at_key: bool = False
    file: str | None = None  # when there is no entity: the file the path is in


Check = Callable[[RuleContext], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    doc: str
    check: Check | None  # None: reported by the loader or the schema stage
    fatal: bool = False  # cannot be disabled or suppressed

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]


REGISTRY: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if rule.id in REGISTRY:
        raise ValueError(f"rule {rule.id} registered twice")
    REGISTRY[rule.id] = rule


def rule(rule_id: str, severity: Severity) -> Callable[[Check], Check]:
    """Register a model-level rule; its docstring is its documentation."""

    def wrap(check: Check) -> Check:
        _register(Rule(rule_id, severity, inspect.cleandoc(check.__doc__ or ""), check))
        return check

    return wrap


def declare(rule_id: str, severity: Severity, doc: str, *, fatal: bool = False) -> None:
    """Register a rule whose findings come from the loader or the schema stage."""
    _register(Rule(rule_id, severity, inspect.cleandoc(doc), None, fatal))


def days_count(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def days_ago(days: int) -> str:
    return "yesterday" if days == 1 else f"{days} days ago"
