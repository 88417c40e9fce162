"""Scorecards: facts, operators, levels, the rubric in catalogctl.yaml, the lint
rules scorecard-level and scorecard-rubric, and `catalogctl scorecard`."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.lint import engine
from catalogctl.lint.engine import LintResult
from catalogctl.load.schemas import SchemaSet, bundled_dir
from catalogctl.load.sources import WorkTree
from catalogctl.model import rubric, scorecard
from catalogctl.model.entities import Service
from catalogctl.model.policy import read_policy, read_scorecards
from catalogctl.model.rubric import FAIL, PASS, SKIP, Condition
from catalogctl.model.scorecard import ServiceScore
from gitrepo import assert_usage_error
from paths import REPO

REPO = REPO
BASE = REPO / "tests" / "cases" / "_base"
TODAY = dt.date(2026, 11, 28)
DEFAULT_SOURCE = (
    "rubric: built-in (catalogctl.yaml declares no levels and checks); "
    "levels bronze < silver < gold"
)
DEFAULT_IDS = [
    "owner",
    "description",
    "support-hours",
    "ci-owners",
    "sla",
    "runbook",
    "classification",
    "continuity",
    "tier1-availability",
    "sla-reviewed",
    "dr-tier",
    "emergency-changes",
]


# ---------------------------------------------------------------- helpers


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The tiny base catalog: payroll (tier 2, SLA 99.5 %, on vm-payroll) and
    identity (tier 3), both owned by ops; no scorecards in the policy."""
    return Path(shutil.copytree(BASE, tmp_path / "repo"))


def write(
    root: Path, folder: str, kind: str, entity_id: str, spec: dict[str, Any], **meta: Any
) -> None:
    document = {
        "apiVersion": "catalogctl/v1",
        "kind": kind,
        "metadata": {"id": entity_id, "name": meta.pop("name", entity_id.title()), **meta},
        "spec": spec,
    }
    path = root / folder / f"{entity_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")


RUNBOOK = [{"title": "Runbook", "url": "https://wiki.example.com/rb", "type": "runbook"}]


def service(
    root: Path, entity_id: str, tier: int = 2, lifecycle: str = "live", **extra: Any
) -> None:
    """A service that passes every check of the built-in rubric unless `extra`
    (spec fields; None deletes one; `links`/`description` go to metadata) says otherwise."""
    spec: dict[str, Any] = {
        "owner": "ops",
        "type": "business",
        "lifecycle": lifecycle,
        "tier": tier,
        "visibility": "internal",
        "category": "Finance",
        "support": {"hours": "business-hours", "email": "ops@example.com"},
        "continuity": {"rto": "4h", "rpo": "1h", "drTier": 2},
        "security": {"classification": "internal"},
    }
    meta = {
        "name": extra.pop("name", entity_id.title()),
        "description": extra.pop("description", "Does things."),
        "links": extra.pop("links", RUNBOOK),
    }
    for key, value in extra.items():
        if value is None:
            spec.pop(key, None)
        else:
            spec[key] = value
    write(
        root,
        "catalog/services",
        "Service",
        entity_id,
        spec,
        **{k: v for k, v in meta.items() if v is not None},
    )


def sla(
    root: Path,
    entity_id: str,
    services: list[str],
    target: float = 99.9,
    start: str = "2026-01-01",
    until: str | None = None,
    review: str = "2027-06-01",
) -> None:
    effective: dict[str, str] = {"from": start}
    if until:
        effective["until"] = until
    spec = {
        "services": services,
        "customer": "Everyone",
        "hours": "24x7",
        "availability": {"target": target, "period": "monthly"},
        "priorities": {"P1": {"response": "15m", "resolution": "4h"}},
        "effective": effective,
        "review": review,
    }
    write(root, "catalog/slas", "SLA", entity_id, spec)


def change(
    root: Path,
    change_id: str,
    *,
    state: str = "implement",
    change_type: str = "emergency",
    services: list[str] | None = None,
    cis: list[str] | None = None,
    start: str | None = "2026-11-20T22:00:00+01:00",
) -> None:
    spec: dict[str, Any] = {
        "type": change_type,
        "state": state,
        "requester": "carol",
        "owner": "ops",
        "targets": {k: v for k, v in (("services", services), ("cis", cis)) if v},
        "risk": {"impact": "low", "likelihood": "low"},
    }
    if start is not None:
        end = (dt.datetime.fromisoformat(start) + dt.timedelta(hours=1)).isoformat()
        spec["window"] = {"start": start, "end": end}
    spec["plan"] = {"implementation": "Do.", "backout": "Undo.", "validation": "Check."}
    if state in ("review", "closed"):
        spec["closure"] = {"code": "successful", "notes": "Done."}
    write(root, f"changes/{change_id.split('-')[1]}", "ChangeRequest", change_id, spec)


def set_policy(root: Path, scorecards: str) -> None:
    """Append a `scorecards:` block (YAML text) to the base policy."""
    policy = root / "catalogctl.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + scorecards, encoding="utf-8")


def lint(root: Path, today: dt.date = TODAY) -> LintResult:
    return engine.lint(WorkTree(root), SchemaSet.from_dir(bundled_dir()), today)


def score(root: Path, service_id: str, today: dt.date = TODAY) -> ServiceScore:
    result = lint(root, today)
    entity = result.catalog.get("Service", service_id)
    assert isinstance(entity, Service)
    return scorecard.evaluate(result.catalog, result.policy, today, entity)


def facts(root: Path, service_id: str, today: dt.date = TODAY) -> dict[str, Any]:
    result = lint(root, today)
    entity = result.catalog.get("Service", service_id)
    assert isinstance(entity, Service)
    return scorecard.Scorer(result.catalog, result.policy.scorecards, today).facts(entity)


def failed(s: ServiceScore) -> list[str]:
    return [r.check.id for r in s.failed]


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), *args], env={"NO_COLOR": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# ---------------------------------------------------------------- levels


def test_base_fixture_levels_with_the_default_rubric(root: Path) -> None:
    payroll = score(root, "payroll")
    assert payroll.level == "none"
    assert failed(payroll) == ["description", "runbook", "classification", "continuity", "dr-tier"]
    assert payroll.next_level == "bronze"
    assert [r.check.id for r in payroll.next_steps] == ["description"]
    assert payroll.required is None and not payroll.below_minimum and payroll.to_minimum == ()
    identity = score(root, "identity")
    assert identity.level == "none"
    assert failed(identity) == [
        "description",
        "support-hours",
        "sla",
        "runbook",
        "classification",
        "sla-reviewed",
    ]
    statuses = {r.check.id: r.status for r in identity.results}
    assert statuses["continuity"] == SKIP  # tier 3: recovery objectives are for tiers 1 and 2
    assert statuses["tier1-availability"] == SKIP
    assert statuses["owner"] == PASS


def test_a_service_climbs_level_by_level(root: Path) -> None:
    sla(root, "ledger", ["ledger"], target=99.95)
    service(root, "ledger", tier=1, links=[], security=None)
    bronze = score(root, "ledger")
    assert (bronze.level, bronze.next_level) == ("bronze", "silver")
    assert [r.check.id for r in bronze.next_steps] == ["runbook", "classification"]
    assert "runbook" in bronze.next_steps[0].check.remedy

    service(root, "ledger", tier=1, continuity={"rto": "4h", "rpo": "1h"})
    silver = score(root, "ledger")
    assert (silver.level, silver.next_level, failed(silver)) == ("silver", "gold", ["dr-tier"])

    service(root, "ledger", tier=1)
    gold = score(root, "ledger")
    assert (gold.level, gold.next_level, gold.next_steps, failed(gold)) == ("gold", None, (), [])
    assert all(r.status == PASS for r in gold.results)


def test_failing_a_lower_level_caps_the_level_whatever_passes_above(root: Path) -> None:
    sla(root, "ledger", ["ledger"], target=99.95)
    service(root, "ledger", tier=1, description=None)
    ledger = score(root, "ledger")
    assert failed(ledger) == ["description"]
    assert (ledger.level, ledger.next_level) == ("none", "bronze")


def test_results_are_ordered_by_level_then_as_declared(root: Path) -> None:
    set_policy(
        root,
        """
scorecards:
  levels: [one, two]
  checks:
    - {id: z-two, level: two, title: T, remedy: R, fact: has-sla}
    - {id: y-one, level: one, title: T, remedy: R, fact: owner-set}
    - {id: x-two, level: two, title: T, remedy: R, fact: owner-set}
""",
    )
    payroll = score(root, "payroll")
    assert [r.check.id for r in payroll.results] == ["y-one", "z-two", "x-two"]
    assert payroll.level == "two"


def test_evaluate_all_skips_retired_services_and_sorts_by_id(root: Path) -> None:
    service(root, "archive", lifecycle="retired")
    service(root, "alpha", lifecycle="pipeline")
    result = lint(root)
    scores = scorecard.evaluate_all(result.catalog, result.policy, TODAY)
    assert [s.service.id for s in scores] == ["alpha", "identity", "payroll"]
    retired = result.catalog.get("Service", "archive")
    assert isinstance(retired, Service)
    assert scorecard.evaluate(result.catalog, result.policy, TODAY, retired).service.id == "archive"


# ---------------------------------------------------------------- minimum


MINIMUM = """
scorecards:
  minimum:
    tier1: silver
    tier2: bronze
"""


def test_minimum_applies_to_live_services_of_the_tier(root: Path) -> None:
    set_policy(root, MINIMUM)
    service(root, "new-thing", tier=1, lifecycle="pipeline", links=[])
    service(root, "ledger", tier=1, links=[])
    sla(root, "ledger", ["ledger", "new-thing"])
    ledger = score(root, "ledger")
    assert (ledger.level, ledger.required, ledger.below_minimum) == ("bronze", "silver", True)
    assert [r.check.id for r in ledger.to_minimum] == ["runbook"]
    pipeline = score(root, "new-thing")
    assert (pipeline.level, pipeline.required, pipeline.below_minimum) == ("bronze", None, False)
    payroll = score(root, "payroll")
    assert (payroll.level, payroll.required, payroll.below_minimum) == ("none", "bronze", True)
    assert [r.check.id for r in payroll.to_minimum] == ["description"]
    identity = score(root, "identity")  # tier 3: nothing required
    assert (identity.required, identity.below_minimum) == (None, False)


def test_to_minimum_spans_every_level_up_to_the_required_one(root: Path) -> None:
    set_policy(root, "\nscorecards:\n  minimum: {tier2: gold}\n")
    payroll = score(root, "payroll")
    assert [r.check.id for r in payroll.next_steps] == ["description"]
    assert [r.check.id for r in payroll.to_minimum] == failed(payroll)


# ---------------------------------------------------------------- facts


def test_owner_facts(root: Path) -> None:
    service(root, "ghost-owned", owner="ghost")
    service(root, "unowned", owner=None)
    assert facts(root, "payroll")["owner-set"] is True
    assert facts(root, "payroll")["owner-resolves"] is True
    assert (
        facts(root, "ghost-owned")["owner-set"],
        facts(root, "ghost-owned")["owner-resolves"],
    ) == (
        True,
        False,
    )
    assert (facts(root, "unowned")["owner-set"], facts(root, "unowned")["owner-resolves"]) == (
        False,
        False,
    )


def test_sla_facts_count_only_agreements_in_effect(root: Path) -> None:
    service(root, "ledger")
    service(root, "journal")
    assert facts(root, "ledger")["has-sla"] is False
    assert facts(root, "ledger")["sla-availability"] is None
    sla(root, "expired", ["ledger", "journal"], target=99.99, until="2026-11-27")
    sla(root, "future", ["ledger", "journal"], target=99.98, start="2026-11-29")
    assert facts(root, "ledger")["has-sla"] is False
    sla(root, "last-day", ["ledger"], target=99.97, until="2026-11-28")  # both ends count
    sla(root, "first-day", ["ledger", "journal"], target=99.5, start="2026-11-28")
    found = facts(root, "ledger")
    assert (found["has-sla"], found["sla-availability"]) == (True, 99.97)
    found = facts(root, "journal")
    assert (found["has-sla"], found["sla-availability"]) == (True, 99.5)
    assert facts(root, "payroll")["sla-availability"] == 99.5  # the base SLA


def test_sla_reviewed(root: Path) -> None:
    service(root, "ledger")
    assert facts(root, "ledger")["sla-reviewed"] is False  # no SLA: nothing reviewed
    sla(root, "ledger", ["ledger"], review="2026-11-28")
    assert facts(root, "ledger")["sla-reviewed"] is True
    sla(root, "other", ["ledger"], review="2026-11-27")
    assert facts(root, "ledger")["sla-reviewed"] is False
    assert facts(root, "ledger", today=dt.date(2026, 11, 27))["sla-reviewed"] is True


def test_has_runbook_needs_a_link_of_type_runbook(root: Path) -> None:
    service(
        root, "ledger", links=[{"title": "Runbook", "url": "https://x.example/rb", "type": "docs"}]
    )
    assert facts(root, "ledger")["has-runbook"] is False
    service(root, "ledger")
    assert facts(root, "ledger")["has-runbook"] is True


def test_has_continuity_needs_rto_and_rpo(root: Path) -> None:
    service(root, "ledger", continuity={"rto": "4h"})
    assert facts(root, "ledger")["has-continuity"] is False
    service(root, "ledger", continuity={"rto": "4h", "rpo": "0m"})
    assert facts(root, "ledger")["has-continuity"] is True


def test_ci_facts(root: Path) -> None:
    service(root, "ledger")
    assert (facts(root, "ledger")["has-cis"], facts(root, "ledger")["ci-owners-set"]) == (
        False,
        True,
    )
    assert (facts(root, "payroll")["has-cis"], facts(root, "payroll")["ci-owners-set"]) == (
        True,
        True,
    )
    write(
        root,
        "catalog/cis",
        "ConfigurationItem",
        "orphan",
        {"type": "server", "environment": "production", "status": "in-service"},
    )
    service(root, "ledger", cis=["vm-payroll", "orphan"])
    assert (facts(root, "ledger")["has-cis"], facts(root, "ledger")["ci-owners-set"]) == (
        True,
        False,
    )
    service(root, "ledger", cis=["vm-payroll", "missing-ci"])
    assert facts(root, "ledger")["ci-owners-set"] is False


def test_emergency_change_facts(root: Path) -> None:
    # today 2026-11-28; the default maximum age is 7 days
    change(root, "chg-2026-0101", services=["payroll"], start="2026-11-20T22:00:00+01:00")  # 8 days
    change(root, "chg-2026-0102", services=["payroll"], start="2026-11-21T23:30:00+01:00")  # 7 days
    change(root, "chg-2026-0103", cis=["vm-payroll"], start="2026-11-01T10:00:00Z", state="review")
    change(root, "chg-2026-0104", services=["payroll"], state="authorize", start=None)  # no window
    change(
        root, "chg-2026-0105", services=["payroll"], state="closed", start="2026-11-01T10:00:00Z"
    )
    change(
        root, "chg-2026-0106", services=["payroll"], state="canceled", start="2026-11-01T10:00:00Z"
    )
    change(root, "chg-2026-0107", services=["payroll"], change_type="normal", state="scheduled")
    found = facts(root, "payroll")
    assert found["open-emergency-changes"] == 4  # 0101-0104
    assert found["stale-emergency-changes"] == 2  # 0101 and 0103 (through its CI)
    assert facts(root, "identity")["open-emergency-changes"] == 0
    assert facts(root, "payroll", today=dt.date(2026, 11, 29))["stale-emergency-changes"] == 3
    payroll = score(root, "payroll")
    result = {r.check.id: r for r in payroll.results}["emergency-changes"]
    assert (result.status, result.actual) == (FAIL, 2)


def test_emergency_max_age_is_configurable(root: Path) -> None:
    change(root, "chg-2026-0101", services=["payroll"], start="2026-11-25T10:00:00+01:00")  # 3 days
    assert facts(root, "payroll")["stale-emergency-changes"] == 0
    policy = (root / "catalogctl.yaml").read_text(encoding="utf-8")
    for max_age, stale in (("2d", 1), ("3d", 0), ("48h", 1), ("72h", 0)):  # 3 days is not more
        text = policy + f"\nscorecards:\n  emergencyMaxAge: {max_age}\n"
        (root / "catalogctl.yaml").write_text(text, encoding="utf-8")
        assert facts(root, "payroll")["stale-emergency-changes"] == stale, max_age


def test_every_fact_is_computed_and_documented() -> None:
    docs = (REPO / "docs" / "scorecards.md").read_text(encoding="utf-8")
    for name in rubric.FACTS:
        assert f"`{name}`" in docs, name
    for op in (*rubric.OPERATORS, *rubric.ALIASES):
        assert f"`{op}`" in docs, op
    for check_id in DEFAULT_IDS:
        assert f"`{check_id}`" in docs, check_id


def test_facts_cover_exactly_the_fact_table(root: Path) -> None:
    assert sorted(facts(root, "payroll")) == sorted(rubric.FACTS)


# ---------------------------------------------------------------- operators and fields


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("exists", None, "x", True),
        ("exists", None, 0, True),
        ("exists", None, False, True),
        ("exists", None, "", False),
        ("exists", None, [], False),
        ("exists", None, {}, False),
        ("exists", None, None, False),
        ("absent", None, None, True),
        ("absent", None, "x", False),
        ("equals", 1, 1, True),
        ("equals", 1, 1.0, True),
        ("equals", 1, True, False),
        ("equals", True, 1, False),
        ("equals", "1", 1, False),
        ("equals", "live", "live", True),
        ("not-equals", "retired", "live", True),
        ("not-equals", "retired", None, True),
        ("not-equals", "retired", "retired", False),
        ("in", (1, 2), 2, True),
        ("in", (1, 2), 3, False),
        ("in", (1, 2), None, False),
        ("not-in", (1, 2), 3, True),
        ("not-in", (1, 2), 1, False),
        ("at-least", 99.9, 99.9, True),
        ("at-least", 99.9, 99.5, False),
        ("at-least", 99.9, None, False),
        ("at-least", 99.9, "99.95", False),
        ("at-least", 1, True, False),
        ("at-most", 0, 0, True),
        ("at-most", 0, 1, False),
        ("above", 2, 3, True),
        ("above", 2, 2, False),
        ("below", 2, 1, True),
        ("below", 2, 2, False),
        ("at-most", "4h", "2h", True),
        ("at-most", "4h", "4h", True),
        ("at-most", "4h", "1d", False),
        ("below", "1d", "23h", True),
        ("at-most", "4h", "soon", False),
        ("at-most", "4h", 3, False),
    ],
)
def test_operators(op: str, value: Any, actual: Any, expected: bool) -> None:
    assert Condition("x", True, op, value).holds(actual) is expected


def test_symbol_aliases_read_as_the_named_operators() -> None:
    rubric = read_scorecards(
        {
            "levels": ["one"],
            "checks": [
                {
                    "id": f"c{i}",
                    "level": "one",
                    "title": "T",
                    "remedy": "R",
                    "field": "spec.tier",
                    "op": op,
                    "value": 1,
                }
                for i, op in enumerate((">=", "<=", ">", "<"))
            ],
        }
    )
    assert rubric.problems == ()
    assert [c.condition.op for c in rubric.checks] == ["at-least", "at-most", "above", "below"]


def test_field_paths_read_metadata_spec_and_list_items(root: Path) -> None:
    set_policy(
        root,
        """
scorecards:
  levels: [one]
  checks:
    - {id: name, level: one, title: T, remedy: R,
       field: metadata.name, op: equals, value: Payroll}
    - {id: first-ci, level: one, title: T, remedy: R,
       field: spec.cis.0, op: equals, value: vm-payroll}
    - {id: no-second-ci, level: one, title: T, remedy: R, field: spec.cis.1, op: absent}
    - {id: email, level: one, title: T, remedy: R,
       field: spec.support.email, op: equals, value: ops@example.com}
    - {id: tags, level: one, title: T, remedy: R, field: metadata.tags, op: absent}
    - {id: deep, level: one, title: T, remedy: R, field: spec.support.hours.x, op: absent}
""",
    )
    payroll = score(root, "payroll")
    assert failed(payroll) == []
    assert {r.check.id: r.actual for r in payroll.results}["first-ci"] == "vm-payroll"
    identity = score(root, "identity")
    assert failed(identity) == ["name", "first-ci", "email"]


def test_when_filters_apply_a_check_to_some_services_only(root: Path) -> None:
    set_policy(
        root,
        """
scorecards:
  levels: [one]
  checks:
    - id: runbook-tier2-live
      level: one
      title: T
      remedy: R
      fact: has-runbook
      when:
        - {field: spec.tier, op: equals, value: 2}
        - {field: spec.lifecycle, op: equals, value: live}
    - id: sla-if-ci
      level: one
      title: T
      remedy: R
      fact: has-sla
      when:
        - {fact: has-cis}
""",
    )
    payroll = score(root, "payroll")
    assert [(r.check.id, r.status) for r in payroll.results] == [
        ("runbook-tier2-live", FAIL),
        ("sla-if-ci", PASS),
    ]
    assert payroll.level == "none"
    identity = score(root, "identity")
    assert [r.status for r in identity.results] == [SKIP, SKIP]
    assert identity.level == "one"  # checks that do not apply do not hold a service back
    service(root, "pilot", tier=2, lifecycle="pipeline", links=[])
    assert [r.status for r in score(root, "pilot").results] == [SKIP, SKIP]


# ---------------------------------------------------------------- the rubric in the policy


def test_default_rubric() -> None:
    rubric = read_policy(None).scorecards
    assert rubric == read_policy({"apiVersion": "catalogctl/v1", "kind": "Policy"}).scorecards
    assert (rubric.source, rubric.levels, rubric.minimum, rubric.problems) == (
        "default",
        ("bronze", "silver", "gold"),
        {},
        (),
    )
    assert [c.id for c in rubric.checks] == DEFAULT_IDS
    assert rubric.emergency_max_age == "7d"
    tier1 = next(c for c in rubric.checks if c.id == "tier1-availability")
    assert tier1.condition == Condition("sla-availability", True, "at-least", 99.9)
    assert tier1.when == (Condition("spec.tier", False, "equals", 1),)


def test_minimum_alone_keeps_the_default_checks() -> None:
    rubric = read_scorecards(
        {"minimum": {"tier1": "gold", "tier4": "bronze"}, "emergencyMaxAge": "2w"}
    )
    assert (rubric.source, rubric.problems) == ("default", ())
    assert [c.id for c in rubric.checks] == DEFAULT_IDS
    assert rubric.minimum == {1: "gold", 4: "bronze"}
    assert rubric.emergency_max_age == "2w"


def test_policy_rubric() -> None:
    rubric = read_scorecards(
        {
            "levels": ["basic", "managed"],
            "minimum": {"tier2": "managed"},
            "checks": [
                {
                    "id": "owner",
                    "level": "basic",
                    "title": " Owned ",
                    "remedy": "Set it.",
                    "fact": "owner-set",
                },
                {
                    "id": "hours",
                    "level": "managed",
                    "title": "Hours",
                    "remedy": "Set them.",
                    "field": "spec.support.hours",
                    "op": "in",
                    "value": ["24x7", "business-hours"],
                    "when": [{"field": "spec.tier", "op": "at-most", "value": 2}],
                },
                {
                    "id": "rto",
                    "level": "managed",
                    "title": "RTO",
                    "remedy": "Lower it.",
                    "field": "spec.continuity.rto",
                    "op": "at-most",
                    "value": "4h",
                },
            ],
        }
    )
    assert rubric.problems == ()
    assert (rubric.source, rubric.levels, rubric.minimum) == (
        "policy",
        ("basic", "managed"),
        {2: "managed"},
    )
    owner, hours, rto = rubric.checks
    assert (owner.title, owner.condition) == ("Owned", Condition("owner-set", True, "equals", True))
    assert hours.condition == Condition(
        "spec.support.hours", False, "in", ("24x7", "business-hours")
    )
    assert hours.when == (Condition("spec.tier", False, "at-most", 2),)
    assert rto.condition.holds("2h") and not rto.condition.holds("1d")


def problems(data: Any) -> list[tuple[str, bool]]:
    return [(p.message, p.schema) for p in read_scorecards(data).problems]


def check(**fields: Any) -> dict[str, Any]:
    return {"id": "c", "level": "one", "title": "T", "remedy": "R", **fields}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"levels": ["one"]},
            [("scorecards.levels: checks is missing; declare levels and checks together", False)],
        ),
        (
            {"levels": ["one", "one", "none"], "checks": []},
            [
                ("scorecards.levels[1]: level 'one' is listed twice", False),
                (
                    "scorecards.levels[2]: 'none' is the level of a service below the first level; "
                    "choose another name",
                    False,
                ),
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(), check(fact="owner-set", level="two")]},
            [
                ("scorecards.checks[0]: give either fact or field (not both)", False),
                ("scorecards.checks[1].level: unknown level 'two'; levels are one", False),
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(fact="has-sla"), check(fact="owner-set")]},
            [("scorecards.checks[1].id: check id 'c' is used twice; ids must be unique", False)],
        ),
        (
            {"levels": ["one"], "checks": [check(fact="has-runbok")]},
            [
                (
                    "scorecards.checks[0].fact: unknown fact 'has-runbok'; did you mean "
                    "'has-runbook'? docs/scorecards.md lists them",
                    True,
                )
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(fact="sla-availability")]},
            [
                (
                    "scorecards.checks[0]: fact 'sla-availability' is a number: give op and value, "
                    "e.g. op: at-most, value: 0",
                    False,
                )
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(fact="has-sla", op="at-least", value=1)]},
            [
                (
                    "scorecards.checks[0].value: this fact is true or false; "
                    "op at-least needs a number",
                    False,
                )
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(fact="has-sla", op="equals", value="yes")]},
            [
                (
                    "scorecards.checks[0].value: this fact is true or false; "
                    "compare it with true or false",
                    False,
                )
            ],
        ),
        (
            {
                "levels": ["one"],
                "checks": [check(fact="sla-availability", op="in", value=[99, "x"])],
            },
            [
                (
                    "scorecards.checks[0].value: this fact is a number; compare it with a number",
                    False,
                )
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(field="spec.tier", op="in", value=1)]},
            [
                (
                    "scorecards.checks[0].value: op in needs a list of values, e.g. value: [1, 2]",
                    False,
                )
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(field="spec.tier", op="equals")]},
            [
                (
                    "scorecards.checks[0]: op equals needs one value: text, a number or true/false",
                    False,
                )
            ],
        ),
        (
            {
                "levels": ["one"],
                "checks": [check(field="spec.continuity.rto", op="below", value="soon")],
            },
            [
                (
                    "scorecards.checks[0].value: op below needs a number or a duration such as 4h",
                    False,
                )
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(field="spec.tier", op="exists", value=1)]},
            [("scorecards.checks[0].value: op exists takes no value", False)],
        ),
        (
            {"levels": ["one"], "checks": [check(field="spec.tier", value=1)]},
            [("scorecards.checks[0].value: a value needs an op, e.g. op: equals", False)],
        ),
        (
            {
                "levels": ["one"],
                "checks": [check(field="spec.tier", when=[{"fact": "open-emergency-changes"}])],
            },
            [
                (
                    "scorecards.checks[0].when[0]: fact 'open-emergency-changes' is a number: "
                    "give op and value, e.g. op: at-most, value: 0",
                    False,
                )
            ],
        ),
        (
            {"levels": ["one"], "checks": [], "minimum": {"tier1": "two", "tier9": "one"}},
            [
                ("scorecards.minimum.tier1: unknown level 'two'; levels are one", False),
                ("scorecards.minimum.tier9: expected tier1, tier2, tier3 or tier4", True),
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(field="status", op="exists")]},
            [
                (
                    "scorecards.checks[0].field: expected a dotted path under metadata. or spec., "
                    "e.g. spec.continuity.rto",
                    True,
                )
            ],
        ),
        (
            {"levels": ["one"], "checks": [check(field="spec.tier", op="~")]},
            [
                (
                    "scorecards.checks[0].op: unknown op '~'; ops are exists, absent, equals, "
                    "not-equals, in, not-in, at-least, at-most, above, below",
                    True,
                )
            ],
        ),
    ],
)
def test_invalid_rubrics(data: dict[str, Any], expected: list[tuple[str, bool]]) -> None:
    assert problems(data) == expected


HOSTILE: list[Any] = [
    5,
    "gold",
    [],
    {"levels": 5, "checks": "x"},
    {"levels": [None, 1, [], {}, "Gold!", "a" * 100], "checks": [None, 1, "x", [], {}]},
    {"levels": ["one"], "checks": [{"id": 1, "level": [], "title": {}, "remedy": None, "fact": 3}]},
    {
        "levels": ["one"],
        "checks": [check(fact=["has-sla"]), check(field={"a": 1}), check(field="spec..x")],
    },
    {"levels": ["one"], "checks": [check(field="spec.tier", op=None, value={"a": [1]})]},
    {"levels": ["one"], "checks": [check(field="spec.tier", op="in", value=[[1], {"a": 1}])]},
    {
        "levels": ["one"],
        "checks": [check(field="spec.tier", op=5), check(field="spec.²", op="exists")],
    },
    {
        "levels": ["one"],
        "checks": [check(field="spec.tier", when="tier1"), check(field="spec.tier", when=[5])],
    },
    {"minimum": [1], "emergencyMaxAge": 7},
    {"minimum": {"tier1": 1, "tier2": None, 3: "x"}, "emergencyMaxAge": "99999w"},
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_rubrics_are_problems_never_exceptions(data: Any) -> None:
    rubric = read_scorecards(data)
    assert rubric.problems
    assert all(
        isinstance(p.message, str) and p.message.startswith("scorecards") for p in rubric.problems
    )


def test_hostile_policy_values_keep_the_rest_of_the_policy() -> None:
    policy = read_policy({"scorecards": "x", "cab": {"team": "board"}})
    assert policy.cab_team == "board"
    assert policy.scorecards.problems[0].message == (
        "scorecards: expected a mapping with levels, checks and minimum"
    )
    assert [c.id for c in policy.scorecards.checks] == DEFAULT_IDS


def test_policy_schema_lists_every_fact_and_operator() -> None:
    schema = json.loads((REPO / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
    check_schema = schema["properties"]["scorecards"]["properties"]["checks"]["items"]
    assert check_schema["properties"]["fact"]["enum"] == list(rubric.FACTS)
    assert check_schema["properties"]["op"]["enum"] == [*rubric.OPERATORS, *rubric.ALIASES]
    when = check_schema["properties"]["when"]["items"]["properties"]
    assert when["fact"]["enum"] == list(rubric.FACTS)


# ---------------------------------------------------------------- lint


def lint_lines(root: Path) -> list[str]:
    result = run(root, "lint", "--today", TODAY.isoformat(), "--color", "never")
    return result.stdout.splitlines()


def test_lint_reports_services_below_their_minimum(root: Path) -> None:
    set_policy(root, MINIMUM)
    service(root, "ledger", tier=1, links=[], security=None)
    service(root, "pilot", tier=1, lifecycle="pipeline", links=[], description=None)
    sla(root, "ledger", ["ledger", "pilot"])
    assert lint_lines(root) == [
        "catalog/services/ledger.yaml:12:9: warning: tier-1 service 'ledger' is at scorecard level "
        "bronze, below the required silver; it fails runbook, classification "
        "(`catalogctl scorecard service/ledger` says what to do) [scorecard-level]",
        "catalog/services/payroll.yaml:10:9: warning: tier-2 service 'payroll' is at "
        "scorecard level none, below the required bronze; it fails description "
        "(`catalogctl scorecard service/payroll` says what to do) [scorecard-level]",
        "0 errors, 2 warnings in 13 files",
    ]


def test_lint_names_at_most_three_failed_checks(root: Path) -> None:
    set_policy(root, "\nscorecards:\n  minimum: {tier3: gold}\n")
    [line, _] = lint_lines(root)
    assert "it fails description, support-hours, sla and 3 more (" in line


def test_lint_is_quiet_without_a_minimum_or_when_it_is_met(root: Path) -> None:
    assert lint_lines(root) == ["0 errors, 0 warnings in 10 files"]
    set_policy(root, "\nscorecards:\n  minimum: {tier1: gold}\n")  # no tier-1 service
    assert lint_lines(root) == ["0 errors, 0 warnings in 10 files"]


def test_scorecard_level_can_be_made_a_gate(root: Path) -> None:
    set_policy(root, MINIMUM + "rules:\n  scorecard-level: error\n")
    result = run(root, "lint", "--today", TODAY.isoformat(), "--color", "never")
    assert result.exit_code == 1
    assert result.stdout.endswith("1 error, 0 warnings in 10 files\n")
    assert ": error: tier-2 service 'payroll' is at scorecard level none" in result.stdout


def test_one_service_can_be_exempted_by_a_suppression(root: Path) -> None:
    set_policy(root, MINIMUM)
    payroll = root / "catalog" / "services" / "payroll.yaml"
    payroll.write_text(
        "# catalogctl: disable=scorecard-level -- exempt while it is replaced\n"
        + payroll.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert lint_lines(root) == ["0 errors, 0 warnings in 10 files (1 suppressed)"]


def test_lint_reports_rubric_problems_at_their_place_and_skips_the_level_rule(root: Path) -> None:
    set_policy(
        root,
        """
scorecards:
  levels: [bronze]
  minimum: {tier2: silver}
  checks:
    - {id: owner, level: bronze, title: T, remedy: R, fact: has-sla, field: spec.tier}
    - {id: runbook, level: bronze, title: T, remedy: R, fact: has-runbok}
""",
    )
    assert lint_lines(root) == [
        "catalogctl.yaml:17:20: error: scorecards.minimum.tier2: unknown level 'silver'; "
        "levels are bronze [scorecard-rubric]",
        "catalogctl.yaml:19:7: error: scorecards.checks[0]: give either fact or field (not both) "
        "[scorecard-rubric]",
        "catalogctl.yaml:20:63: error: scorecards.checks[1].fact: 'has-runbok' is not one of: "
        + ", ".join(rubric.FACTS)
        + " [schema]",
        "3 errors, 0 warnings in 10 files",
    ]


def test_reference_catalog_meets_its_minimums() -> None:
    result = lint(REPO)
    assert [d for d in result.diagnostics if d.rule.startswith("scorecard")] == []
    rubric = result.policy.scorecards
    assert (rubric.source, rubric.problems, rubric.minimum) == (
        "policy",
        (),
        {1: "silver", 2: "bronze", 3: "bronze", 4: "bronze"},
    )
    scores = {s.service.id: s for s in scorecard.evaluate_all(result.catalog, result.policy, TODAY)}
    assert (scores["erp-finance"].level, failed(scores["erp-finance"])) == (
        "silver",
        ["tier1-availability"],
    )
    assert (scores["api-gateway"].level, failed(scores["api-gateway"])) == ("bronze", ["runbook"])
    assert scores["transport-management"].level == "gold"
    assert "legacy-edi-gateway" not in scores  # retired


# ---------------------------------------------------------------- the command


def test_text_table(root: Path) -> None:
    set_policy(root, MINIMUM)
    result = run(root, "scorecard", "--today", "2026-11-28")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"{DEFAULT_SOURCE}\n"
        "\n"
        "service   tier  level  required        failed checks\n"
        "identity  3     none   -               description, support-hours, sla, runbook, "
        "classification, sla-reviewed\n"
        "payroll   2     none   bronze (below)  description, runbook, classification, continuity, "
        "dr-tier\n"
        "\n"
        "2 services: 2 none; 1 below the minimum for their tier\n"
    )


def test_text_one_service(root: Path) -> None:
    set_policy(root, MINIMUM)
    result = run(root, "scorecard", "service/payroll", "--today", "2026-11-28")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "Service/payroll: Payroll",
        "  file: catalog/services/payroll.yaml",
        "  tier 2, live; level: none; required: bronze (below)",
        f"  {DEFAULT_SOURCE}",
    ]
    assert "  pass  bronze  owner               Owned by a team in the catalog" in lines
    assert (
        "  FAIL  bronze  description         Described for its users "
        "(got nothing, wanted metadata.description exists)"
    ) in lines
    assert (
        "  n/a   gold    tier1-availability  SLA availability target of at least 99.9 % (tier 1)"
        in lines
    )
    assert lines[-2:] == [
        "Next steps to bronze:",
        "  - description: Add metadata.description: what the service does and who it is for.",
    ]


def test_text_one_service_at_the_top_and_below_by_two_levels(root: Path) -> None:
    sla(root, "ledger", ["ledger"], target=99.95)
    service(root, "ledger", tier=1)
    assert run(root, "scorecard", "svc/ledger").stdout.endswith("\nTop level reached: gold.\n")
    set_policy(root, "\nscorecards:\n  minimum: {tier2: silver}\n")
    out = run(root, "scorecard", "service/payroll").stdout
    assert out.endswith(
        "Next steps to bronze:\n"
        "  - description: Add metadata.description: what the service does and who it is for.\n"
        "Also needed for the required silver:\n"
        "  - runbook: Add a link with type: runbook to metadata.links.\n"
        "  - classification: Set spec.security.classification (public, internal, confidential "
        "or restricted).\n"
        "  - continuity: Set spec.continuity.rto and spec.continuity.rpo, agreed with the "
        "business.\n"
    )


# An invisible right-to-left mark: the loader refuses an escaped ESC (file-invalid),
# but this one is allowed in data and must still be shown, not printed raw.
NASTY = "Pay|roll <script>alert(1)</script> @team #1 `x` *y* \u200f[31m"


def test_text_escapes_control_characters(root: Path) -> None:
    service(root, "ledger", name=NASTY)
    out = run(root, "scorecard", "service/ledger").stdout
    assert "\u200f" not in out
    assert "Service/ledger: Pay|roll <script>alert(1)</script> @team #1 `x` *y* \\u200f[31m" in out


def test_markdown_table_escapes_catalog_text(root: Path) -> None:
    service(root, "ledger", name=NASTY)
    result = run(root, "scorecard", "--format", "markdown", "--today", "2026-11-28")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "# Service scorecards",
        "",
        "Rubric: built-in; levels bronze < silver < gold; as of 2026-11-28.",
        "",
        "| service | tier | level | required | failed checks |",
        "|---|---|---|---|---|",
    ]
    row = next(line for line in lines if "(ledger)" in line)
    assert "<script>" not in row and "@team" not in row and "|roll" not in row
    assert row.startswith("| Pay&#124;roll &lt;script&gt;")
    assert "\u200f" not in result.stdout
    assert row.endswith(" &#92;u200f&#91;31m (ledger) | 2 | bronze | - | `sla`, `sla-reviewed` |")
    assert lines[-1] == "3 services: 1 bronze, 2 none; 0 below the minimum for their tier."


def test_markdown_one_service(root: Path) -> None:
    result = run(root, "scorecard", "service/payroll", "-f", "markdown", "--today", "2026-11-28")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith(
        "# Scorecard: Payroll\n\nRubric: built-in; levels bronze < silver < gold;"
    )
    assert "- level: **none**; required: -\n" in out
    assert "| pass | bronze | `owner` | Owned by a team in the catalog |\n" in out
    assert "| n/a | gold | `tier1-availability` |" in out
    assert "## Next steps to bronze\n\n- `description`: Add metadata.description: " in out


def test_json_shape(root: Path) -> None:
    set_policy(root, MINIMUM)
    change(root, "chg-2026-0101", services=["payroll"], start="2026-11-01T10:00:00Z")
    result = run(root, "scorecard", "--format", "json", "--today", "2026-11-28")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == ["version", "today", "rubric", "services", "summary"]
    assert (document["version"], document["today"]) == (1, "2026-11-28")
    rubric = document["rubric"]
    assert (rubric["source"], rubric["levels"], rubric["minimum"], rubric["emergencyMaxAge"]) == (
        "default",
        ["bronze", "silver", "gold"],
        {"tier1": "silver", "tier2": "bronze"},
        "7d",
    )
    assert [c["id"] for c in rubric["checks"]] == DEFAULT_IDS
    assert rubric["checks"][8] == {
        "id": "tier1-availability",
        "level": "gold",
        "title": "SLA availability target of at least 99.9 % (tier 1)",
        "remedy": rubric["checks"][8]["remedy"],
        "fact": "sla-availability",
        "op": "at-least",
        "value": 99.9,
        "when": [{"field": "spec.tier", "op": "equals", "value": 1}],
    }
    assert (
        rubric["checks"][1]["field"] == "metadata.description"
        and "value" not in rubric["checks"][1]
    )
    identity, payroll = document["services"]
    assert identity["id"] == "identity"
    assert {k: v for k, v in payroll.items() if k not in ("checks", "nextSteps")} == {
        "id": "payroll",
        "name": "Payroll",
        "file": "catalog/services/payroll.yaml",
        "tier": 2,
        "lifecycle": "live",
        "level": "none",
        "required": "bronze",
        "belowMinimum": True,
        "nextLevel": "bronze",
        "failed": [
            "description",
            "runbook",
            "classification",
            "continuity",
            "dr-tier",
            "emergency-changes",
        ],
        "toMinimum": ["description"],
    }
    checks = {c["id"]: c for c in payroll["checks"]}
    assert checks["emergency-changes"] == {
        "id": "emergency-changes",
        "level": "gold",
        "status": "fail",
        "actual": 1,
    }
    assert checks["tier1-availability"]["status"] == "skip"
    assert checks["sla"] == {"id": "sla", "level": "silver", "status": "pass", "actual": True}
    assert payroll["nextSteps"] == [
        {
            "id": "description",
            "title": "Described for its users",
            "remedy": "Add metadata.description: what the service does and who it is for.",
        }
    ]
    assert document["summary"] == {
        "services": 2,
        "levels": {"none": 2, "bronze": 0, "silver": 0, "gold": 0},
        "belowMinimum": 1,
    }


def test_json_one_service_has_the_same_shape(root: Path) -> None:
    document = json.loads(run(root, "scorecard", "service/identity", "--format", "json").stdout)
    assert [s["id"] for s in document["services"]] == ["identity"]
    assert document["summary"]["services"] == 1


def test_today_moves_what_is_stale(root: Path) -> None:
    change(root, "chg-2026-0101", services=["payroll"], start="2026-11-20T10:00:00Z")
    for today, status in (("2026-11-27", "pass"), ("2026-11-28", "fail")):
        document = json.loads(
            run(root, "scorecard", "service/payroll", "-f", "json", "--today", today).stdout
        )
        checks = {c["id"]: c["status"] for c in document["services"][0]["checks"]}
        assert checks["emergency-changes"] == status, today


def test_policy_rubric_through_the_command(root: Path) -> None:
    set_policy(
        root,
        """
scorecards:
  levels: [basic, managed]
  checks:
    - {id: owner, level: basic, title: Owned, remedy: Set spec.owner., fact: owner-resolves}
    - {id: availability, level: managed, title: 99.5 % or better, remedy: Agree it.,
       fact: sla-availability, op: ">=", value: 99.5}
""",
    )
    out = run(root, "scorecard").stdout
    assert out.startswith("rubric: catalogctl.yaml; levels basic < managed\n")
    assert "identity  3     basic    -         availability\n" in out
    assert "payroll   2     managed  -         -\n" in out


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["ci/esx-01"], ["'ci/esx-01' is a ConfigurationItem; scorecards are for services"]),
        (["policy/x"], ["'policy/x' is a Policy"]),
        (["service/nope"], ["no Service with id 'nope'"]),
        (["payroll"], ["'payroll' is not KIND/ID"]),
        (["bogus/payroll"], ["'bogus/payroll' is not KIND/ID"]),
    ],
)
def test_bad_refs_exit_2(root: Path, args: list[str], needles: list[str]) -> None:
    assert_usage_error(run(root, "scorecard", *args), *needles)


def test_outside_a_catalog_exits_2(tmp_path: Path) -> None:
    assert_usage_error(run(tmp_path, "scorecard"), "not a catalog")


def test_invalid_rubric_exits_2_naming_the_place(root: Path) -> None:
    set_policy(
        root,
        """
scorecards:
  levels: [bronze]
  checks:
    - {id: owner, level: silver, title: T, remedy: R, fact: owner-set}
    - {id: sla, level: gold, title: T, remedy: R, fact: has-sla}
""",
    )
    assert_usage_error(
        run(root, "scorecard"),
        "catalogctl.yaml:18:26: scorecards.checks[0].level: unknown level 'silver'; "
        "levels are bronze and 1 more; fix the rubric first (`catalogctl lint` lists all)",
    )


def test_rubric_failing_its_schema_exits_2(root: Path) -> None:
    set_policy(root, "\nscorecards:\n  minimum: {tier1: silver}\n  emergencyMaxAge: a week\n")
    assert_usage_error(
        run(root, "scorecard"),
        "catalogctl.yaml:17:20: scorecards.emergencyMaxAge: 'a week' is not valid: "
        "durations look like",
    )


def test_unreadable_policy_exits_2(root: Path) -> None:
    set_policy(root, "\nscorecards: [\n")
    assert_usage_error(run(root, "scorecard"), "catalogctl.yaml:", "fix it first")


def test_unrelated_policy_problems_do_not_stop_the_report(root: Path) -> None:
    set_policy(root, "\nsite: {title: ''}\n")
    assert run(root, "scorecard").exit_code == 0


def test_reference_catalog_report_runs(tmp_path: Path) -> None:
    result = run(REPO, "scorecard", "--today", "2026-11-28")
    assert result.exit_code == 0
    assert re.search(r"^erp-finance +1 +silver +silver +tier1-availability$", result.stdout, re.M)
    assert result.stdout.endswith("; 0 below the minimum for their tier\n")
