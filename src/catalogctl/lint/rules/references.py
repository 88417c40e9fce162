"""Rules about references between entities and the dependency graph."""

from __future__ import annotations

from collections.abc import Iterable

from catalogctl.lint.rules.registry import Finding, RuleContext, rule
from catalogctl.load import kinds
from catalogctl.load.diagnostics import Severity, format_path
from catalogctl.load.suggest import did_you_mean
from catalogctl.model.entities import SCHEDULE, ConfigurationItem, Service


@rule("unknown-reference", Severity.ERROR)
def unknown_reference(ctx: RuleContext) -> Iterable[Finding]:
    """A reference names an entity that does not exist.

    Owners must be Team ids, `dependsOn` Service ids, `cis` and relation targets
    CI ids, `template` a ChangeTemplate id, `hours` a schedule declared in
    `catalogctl.yaml` (or the built-in `24x7`)."""
    catalog = ctx.catalog
    ids: dict[str, list[str]] = {}  # kind -> the ids a typo may be close to
    for reference in catalog.references:
        if catalog.resolves(reference.target):
            continue
        source = catalog.get(reference.source.kind, reference.source.id)
        if source is None:
            continue
        where = format_path(reference.path)
        target = reference.target
        schedule = target.kind == SCHEDULE
        what = "schedule" if schedule else target.kind
        if target.kind not in ids:
            ids[target.kind] = sorted(
                catalog.schedules if schedule else (e.id for e in catalog.of_kind(target.kind))
            )
        hint = did_you_mean(target.id, ids[target.kind]) or (
            "; declare it under schedules in catalogctl.yaml or use 24x7"
            if schedule
            else "; check the spelling or add the entity"
        )
        yield Finding(source, reference.path, f"{where}: no {what} with id '{target.id}'{hint}")
    cab = {ctx.policy.emergency_team: "emergencyTeam", ctx.policy.cab_team: "team"}
    for team, key in cab.items():
        if catalog.get(kinds.TEAM.name, team) is None:
            yield Finding(
                None,
                ("cab", key),
                f"cab.{key}: no Team with id '{team}'"
                + (
                    did_you_mean(team, [t.id for t in catalog.of_kind(kinds.TEAM.name)])
                    or "; the CAB must be a team in catalog/teams/"
                ),
                file=kinds.POLICY_FILE,
            )


@rule("dependency-cycle", Severity.ERROR)
def dependency_cycle(ctx: RuleContext) -> Iterable[Finding]:
    """Services or CIs depend on each other in a circle.

    Cycles through `dependsOn`, service `cis` and CI `depends-on`, `runs-on` and
    `hosted-on` relations make impact analysis and start-up order meaningless.
    The message names the whole cycle; break it at the edge that is wrong."""
    for cycle in ctx.graph.cycles():
        if not cycle:
            continue
        first = cycle[0]
        entity = ctx.catalog.get(first.source.kind, first.source.id)
        if entity is None:
            continue
        chain = " -> ".join([str(edge.source) for edge in cycle] + [str(cycle[0].source)])
        yield Finding(entity, first.path, f"{format_path(first.path)}: dependency cycle {chain}")


@rule("retired-dependency", Severity.ERROR)
def retired_dependency(ctx: RuleContext) -> Iterable[Finding]:
    """Something in use depends on something retired.

    A live or pipeline service may not depend on a retired service or CI, and an
    in-service CI may not depend on a retired CI. Retire the dependents first,
    or move them to a replacement."""
    catalog = ctx.catalog
    for source, edges in ctx.graph.edges.items():
        entity = catalog.get(source.kind, source.id)
        if isinstance(entity, Service):
            active = entity.lifecycle in ("live", "pipeline")
            state = entity.lifecycle
        elif isinstance(entity, ConfigurationItem):
            active = entity.status == "in-service"
            state = entity.status
        else:
            continue
        if not active or entity is None:
            continue
        for edge in edges:
            target = catalog.get(edge.target.kind, edge.target.id)
            retired = (isinstance(target, Service) and target.lifecycle == "retired") or (
                isinstance(target, ConfigurationItem) and target.status == "retired"
            )
            if retired:
                yield Finding(
                    entity,
                    edge.path,
                    f"{format_path(edge.path)}: {state} {entity.kind} depends on retired "
                    f"{edge.target}; remove the dependency or replace it",
                )
