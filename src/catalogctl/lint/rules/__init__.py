"""All rules, registered on import. `REGISTRY` maps rule id -> Rule."""

from catalogctl.lint.rules import (  # noqa: F401  (imported for their registrations)
    changes,
    configuration,
    files,
    identity,
    operation,
    placeholders,
    references,
    scorecards,
    service_level,
)
from catalogctl.lint.rules.registry import REGISTRY, Finding, Rule, RuleContext

__all__ = ["REGISTRY", "Finding", "Rule", "RuleContext"]
