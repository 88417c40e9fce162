"""Scorecards: service maturity levels checked as code (the gap analysis of CSI).

A rubric orders levels (bronze < silver < gold) and declares checks. Each
check belongs to one level, may apply to some services only (`when`) and
tests one condition over a field of the service's document or a computed
fact. A service reaches a level when it passes every applicable check of that
level and of all lower levels. The rubric itself (levels, checks, facts,
operators, the built-in one and reading `scorecards:`) is `rubric.py`; this
module computes the facts and evaluates services. Pure: nothing here reads
files or prints (docs/scorecards.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catalogctl.load import kinds
from catalogctl.model.durations import parse_duration
from catalogctl.model.entities import (
    Catalog,
    ChangeRequest,
    Entity,
    Ref,
    Service,
    id_key,
    parse_instant,
)
from catalogctl.model.impact import OPEN_STATES
from catalogctl.model.rubric import (
    FAIL,
    NONE,
    PASS,
    SKIP,
    Check,
    Condition,
    Rubric,
    is_number,
    present,
)

if TYPE_CHECKING:
    from catalogctl.model.policy import Policy


@dataclass(frozen=True)
class CheckResult:
    check: Check
    status: str  # PASS | FAIL | SKIP
    actual: Any  # the fact's or the field's value (None when absent)


@dataclass(frozen=True)
class ServiceScore:
    service: Service
    level: str  # a rubric level, or NONE
    required: str | None  # the minimum for its tier (live services only)
    below_minimum: bool
    next_level: str | None  # the level above `level`; None at the top
    results: tuple[CheckResult, ...]  # every check, lowest level first
    next_steps: tuple[CheckResult, ...]  # the failed checks of `next_level`
    to_minimum: tuple[CheckResult, ...]  # failed checks up to `required`, when below it

    @property
    def failed(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.status == FAIL)


def document(entity: Entity) -> dict[str, Any]:
    """The service's document as field paths see it: `metadata.*` and `spec.*`."""
    metadata: dict[str, Any] = {"id": entity.id, "name": entity.name}
    if entity.description:
        metadata["description"] = entity.description
    if entity.tags:
        metadata["tags"] = list(entity.tags)
    if entity.links:
        metadata["links"] = [dict(link) for link in entity.links]
    return {"kind": entity.kind, "metadata": metadata, "spec": entity.spec}


def lookup(data: Any, path: tuple[str, ...]) -> Any:
    """data.a.b.0.c; a numeric part indexes a list; None where the path ends early."""
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isascii() and part.isdigit():
            index = int(part)
            data = data[index] if index < len(data) else None
        else:
            return None
    return data


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None  # the schema rule reports impossible dates


class Scorer:
    """Scores the services of one catalog against one rubric as of one day.

    The emergency changes are indexed by service once, so scoring every
    service costs one pass over the changes, not one per service."""

    def __init__(self, catalog: Catalog, rubric: Rubric, today: dt.date) -> None:
        self.catalog = catalog
        self.rubric = rubric
        self.today = today
        self.max_age = parse_duration(rubric.emergency_max_age)
        self.emergencies = self._index_emergencies()
        self.order = {check.id: index for index, check in enumerate(rubric.checks)}

    def _index_emergencies(self) -> dict[str, list[ChangeRequest]]:
        """Service id key -> its open emergency changes (direct, or through its CIs)."""
        catalog = self.catalog
        found: dict[str, list[ChangeRequest]] = {}
        for change in catalog.of_kind(kinds.CHANGE.name):
            if not isinstance(change, ChangeRequest) or change.change_type != "emergency":
                continue
            if change.state not in OPEN_STATES:
                continue
            hit = {id_key(s) for s in change.target_services}
            for ci in change.target_cis:
                users = catalog.referrers_of(Ref(kinds.CI.name, ci), kinds.SERVICE.name)
                hit.update(id_key(r.source.id) for r in users)
            for key in hit:
                found.setdefault(key, []).append(change)
        return found

    def _slas(self, service: Service) -> list[Entity]:
        """SLAs in effect today that list the service, each once."""
        found: dict[str, Entity] = {}
        for reference in self.catalog.referrers_of(service.ref, kinds.SLA.name):
            sla = self.catalog.get(kinds.SLA.name, reference.source.id)
            if sla is None or sla.id in found:
                continue
            effective = sla.spec.get("effective")
            effective = effective if isinstance(effective, dict) else {}
            start, until = _date(effective.get("from")), _date(effective.get("until"))
            if (start is None or start <= self.today) and (until is None or self.today <= until):
                found[sla.id] = sla
        return list(found.values())

    def _stale(self, change: ChangeRequest) -> bool:
        """Open longer than the maximum age, counted in whole days since the
        window's start: without git history, that is the one dated event."""
        window = change.spec.get("window")
        start = parse_instant(window.get("start")) if isinstance(window, dict) else None
        if start is None or self.max_age is None:
            return False
        return self.today - start.date() > self.max_age

    def facts(self, service: Service) -> dict[str, bool | int | float | None]:
        catalog, spec = self.catalog, service.spec
        slas = self._slas(service)
        targets = [
            t for sla in slas if is_number(t := lookup(sla.spec, ("availability", "target")))
        ]
        reviews = [_date(sla.spec.get("review")) for sla in slas]
        owner = service.owner
        cis = [catalog.get(kinds.CI.name, ci) for ci in service.cis]
        emergencies = self.emergencies.get(id_key(service.id), [])
        return {
            "owner-set": bool(owner),
            "owner-resolves": bool(owner) and catalog.get(kinds.TEAM.name, owner or "") is not None,
            "has-sla": bool(slas),
            "sla-availability": max(targets, default=None),
            "sla-reviewed": bool(slas) and all(r is not None and r >= self.today for r in reviews),
            "has-runbook": any(link.get("type") == "runbook" for link in service.links),
            "has-continuity": all(
                present(lookup(spec, ("continuity", key))) for key in ("rto", "rpo")
            ),
            "has-cis": bool(service.cis),
            "ci-owners-set": all(ci is not None and bool(ci.owner) for ci in cis),
            "open-emergency-changes": len(emergencies),
            "stale-emergency-changes": sum(1 for c in emergencies if self._stale(c)),
        }

    def score(self, service: Service) -> ServiceScore:
        rubric = self.rubric
        facts, doc = self.facts(service), document(service)

        def value(condition: Condition) -> Any:
            return (
                facts.get(condition.subject) if condition.is_fact else lookup(doc, condition.path)
            )

        results = []
        for check in sorted(rubric.checks, key=lambda c: (rubric.rank(c.level), self.order[c.id])):
            actual = value(check.condition)
            if not all(condition.holds(value(condition)) for condition in check.when):
                results.append(CheckResult(check, SKIP, actual))
            else:
                results.append(
                    CheckResult(check, PASS if check.condition.holds(actual) else FAIL, actual)
                )
        failing = {r.check.level for r in results if r.status == FAIL}
        reached = NONE
        for level in rubric.levels:
            if level in failing:
                break
            reached = level
        rank = rubric.rank(reached)
        next_level = rubric.levels[rank] if rank < len(rubric.levels) else None
        required = rubric.required(service)
        below = required is not None and rank < rubric.rank(required)
        return ServiceScore(
            service=service,
            level=reached,
            required=required,
            below_minimum=below,
            next_level=next_level,
            results=tuple(results),
            next_steps=tuple(
                r for r in results if r.status == FAIL and r.check.level == next_level
            ),
            to_minimum=tuple(
                r
                for r in results
                if below
                and r.status == FAIL
                and rubric.rank(r.check.level) <= rubric.rank(required)
            ),
        )


def evaluate_all(catalog: Catalog, policy: Policy, today: dt.date) -> list[ServiceScore]:
    """Every service but retired ones (kept for the record), by id."""
    scorer = Scorer(catalog, policy.scorecards, today)
    services = [s for s in catalog.of_kind(kinds.SERVICE.name) if isinstance(s, Service)]
    return [
        scorer.score(s) for s in sorted(services, key=lambda s: s.id) if s.lifecycle != "retired"
    ]


def evaluate(catalog: Catalog, policy: Policy, today: dt.date, service: Service) -> ServiceScore:
    """One service, retired or not."""
    return Scorer(catalog, policy.scorecards, today).score(service)
