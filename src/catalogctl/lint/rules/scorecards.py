"""Scorecard rules: the rubric in catalogctl.yaml is sound, and live services
reach the minimum level of their tier (docs/scorecards.md)."""

from __future__ import annotations

from collections.abc import Iterable

from catalogctl.lint.rules.registry import Finding, RuleContext, rule
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Severity
from catalogctl.model.entities import Service
from catalogctl.model.scorecard import Scorer

SHOWN_CHECKS = 3  # failed checks named in a message; `catalogctl scorecard` lists all


@rule("scorecard-rubric", Severity.ERROR)
def scorecard_rubric(ctx: RuleContext) -> Iterable[Finding]:
    """The scorecard rubric under `scorecards:` in catalogctl.yaml is inconsistent.

    A check names a level that `levels` does not list, a fact that does not
    exist, or an operator that cannot take its value (`in` needs a list, `at-least`
    a number or a duration); two checks share an id; a level is listed twice;
    `minimum` names an unknown level; or `levels` and `checks` are not declared
    together. Wrong types and unknown keys are reported by the `schema` rule.
    While the rubric has a problem, `scorecard-level` is not checked and
    `catalogctl scorecard` refuses to run."""
    for problem in ctx.policy.scorecards.problems:
        if not problem.schema:
            yield Finding(None, problem.path, problem.message, file=kinds.POLICY_FILE)


@rule("scorecard-level", Severity.WARNING)
def scorecard_level(ctx: RuleContext) -> Iterable[Finding]:
    """A live service is below the scorecard level its tier requires.

    `scorecards.minimum` in catalogctl.yaml sets a level per tier (for example
    `tier1: silver`); the message names the service's level, the required one
    and the first checks it fails. `catalogctl scorecard service/ID` shows what
    to do. A warning, because a scorecard measures maturity to improve over
    time; raise it to `error` in `rules:` to make the minimum a gate. Services
    in the pipeline and retired ones are not held to the minimum, and nothing
    is required when `minimum` is not set."""
    rubric = ctx.policy.scorecards
    if not rubric.minimum or rubric.problems:
        return  # nothing required, or the rubric rule / schema rule reports why not
    scorer = Scorer(ctx.catalog, rubric, ctx.today)
    for entity in ctx.catalog.of_kind(kinds.SERVICE.name):
        if not isinstance(entity, Service) or rubric.required(entity) is None:
            continue
        score = scorer.score(entity)
        if not score.below_minimum:
            continue
        gaps = [r.check.id for r in score.to_minimum]
        shown = ", ".join(gaps[:SHOWN_CHECKS])
        more = f" and {len(gaps) - SHOWN_CHECKS} more" if len(gaps) > SHOWN_CHECKS else ""
        yield Finding(
            entity,
            ("spec", "tier"),
            f"tier-{entity.tier} service '{entity.id}' is at scorecard level {score.level}, "
            f"below the required {score.required}; it fails {shown}{more} "
            f"(`catalogctl scorecard service/{entity.id}` says what to do)",
        )
