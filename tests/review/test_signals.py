"""Signals computed from entity changes and the head catalog (pure, no git)."""

from __future__ import annotations

from typing import Any

from catalogctl.model.entities import Catalog, build_entity
from catalogctl.review.diff import EntityChange
from catalogctl.review.signals import compute, weekly_hours


def doc(kind: str, entity_id: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "catalogctl/v1",
        "kind": kind,
        "metadata": {"id": entity_id, "name": entity_id},
        "spec": spec,
    }


def catalog(*docs: dict[str, Any]) -> Catalog:
    entities = [build_entity(f"{d['kind']}/{d['metadata']['id']}.yaml", d) for d in docs]
    return Catalog.build([e for e in entities if e is not None])


def change_request(impact: str, likelihood: str, services: list[str]) -> dict[str, Any]:
    return doc(
        "ChangeRequest",
        "chg-2026-0001",
        {
            "type": "normal",
            "state": "new",
            "requester": "amy",
            "owner": "ops",
            "targets": {"services": services},
            "risk": {"impact": impact, "likelihood": likelihood},
        },
    )


def test_change_risk_is_raised_by_a_tier1_dependent() -> None:
    base = doc("Service", "db", {"tier": 3, "lifecycle": "live"})
    top = doc("Service", "payroll", {"tier": 1, "lifecycle": "live", "dependsOn": ["db"]})
    new = change_request("medium", "medium", ["db"])
    signals = compute(
        [
            EntityChange(
                "added", "ChangeRequest", "chg-2026-0001", "x", "c.yaml", None, (), None, new
            )
        ],
        {},
        catalog(base, top, new),
    )
    assert [(s.id, s.level, s.message) for s in signals] == [
        ("change-risk", "warning", "computed risk high (raised from medium: tier 1 payroll)")
    ]


def test_change_risk_without_tier1_stays_declared() -> None:
    base = doc("Service", "db", {"tier": 3, "lifecycle": "live"})
    new = change_request("low", "medium", ["db"])
    signals = compute(
        [
            EntityChange(
                "added", "ChangeRequest", "chg-2026-0001", "x", "c.yaml", None, (), None, new
            )
        ],
        {},
        catalog(base, new),
    )
    assert [(s.id, s.level, s.message) for s in signals] == [
        ("change-risk", "info", "computed risk low")
    ]


def test_weekly_hours_of_day_and_overnight_schedules() -> None:
    schedules = {
        "day": {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00"},
        "night": {"days": ["mon"], "start": "22:00", "end": "06:00"},
    }
    assert weekly_hours("day", schedules) == 50
    assert weekly_hours("night", schedules) == 8
    assert weekly_hours("24x7", schedules) == 168
    assert weekly_hours("unknown", schedules) is None
