"""Tests for the JSON Schemas in schemas/: well-formed, documented, and accurate."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import referencing
from jsonschema import Draft202012Validator
from referencing.jsonschema import DRAFT202012

from paths import REPO

SCHEMA_DIR = REPO / "schemas"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))
KIND_SCHEMAS = {
    "Team": "team.schema.json",
    "Service": "service.schema.json",
    "SLA": "sla.schema.json",
    "ConfigurationItem": "configuration-item.schema.json",
    "ChangeTemplate": "change-template.schema.json",
    "ChangeRequest": "change-request.schema.json",
    "Incident": "incident.schema.json",
    "Problem": "problem.schema.json",
    "Policy": "policy.schema.json",
}


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def registry() -> referencing.Registry[Any]:
    resources = [
        (path.name, referencing.Resource.from_contents(load(path.name), DRAFT202012))
        for path in SCHEMA_FILES
    ]
    return referencing.Registry().with_resources(resources)


def validator(kind: str, registry: referencing.Registry[Any]) -> Draft202012Validator:
    return Draft202012Validator(
        load(KIND_SCHEMAS[kind]),
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def errors(kind: str, document: dict[str, Any], registry: referencing.Registry[Any]) -> list[str]:
    found = validator(kind, registry).iter_errors(document)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


# --------------------------------------------------------------------------- structure


def test_all_schema_files_present() -> None:
    names = {path.name for path in SCHEMA_FILES}
    assert names == {"defs.schema.json", *KIND_SCHEMAS.values()}


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = load(path.name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://catalogctl.io/schemas/v1/" + path.name
    assert schema.get("title")
    assert schema.get("description")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_two_space_indented_json(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (location, subschema) for every property and $defs entry below node."""
    if not isinstance(node, dict):
        return
    for keyword in ("properties", "$defs", "patternProperties"):
        for name, sub in node.get(keyword, {}).items():
            yield f"{where}/{keyword}/{name}", sub
            yield from walk(sub, f"{where}/{keyword}/{name}")
    for keyword in ("items", "additionalProperties", "propertyNames", "not", "if", "then", "else"):
        if isinstance(node.get(keyword), dict):
            yield from walk(node[keyword], f"{where}/{keyword}")
    for keyword in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for index, sub in enumerate(node.get(keyword, [])):
            yield from walk(sub, f"{where}/{keyword}/{index}")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_a_description(path: Path) -> None:
    schema = load(path.name)
    located = list(walk(schema, path.name + "#"))
    assert located, "walk found no properties at all"
    missing = [
        where
        for where, sub in located
        if not (isinstance(sub.get("description"), str) and sub["description"].strip())
    ]
    assert missing == []


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_objects_are_closed(path: Path) -> None:
    open_objects = []

    def visit(node: Any, where: str) -> None:
        if isinstance(node, dict):
            # allOf/if fragments only narrow a property; they are not objects of their own.
            if node.get("type") == "object" and "additionalProperties" not in node:
                open_objects.append(where)
            for key, value in node.items():
                visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                visit(value, f"{where}/{index}")

    visit(load(path.name), path.name + "#")
    assert open_objects == []


def test_refs_are_relative() -> None:
    def refs(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for path in SCHEMA_FILES:
        for target in refs(load(path.name)):
            assert target.startswith(("#/$defs/", "defs.schema.json#/$defs/")), target


# --------------------------------------------------------------------------- valid examples

PLAN = {
    "implementation": "1. Renew the certificate.\n2. Deploy it.",
    "backout": "Redeploy the previous certificate.",
    "validation": "Check the expiry date shown by the browser.",
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "Team": {
        "apiVersion": "catalogctl/v1",
        "kind": "Team",
        "metadata": {"id": "payroll-team", "name": "Payroll team"},
        "spec": {
            "github": "example-corp/payroll-team",
            "members": ["alice", "bob-smith"],
            "email": "payroll-team@example.com",
            "oncall": "https://example.pagerduty.com/schedules/PAYROLL",
        },
    },
    "Service": {
        "apiVersion": "catalogctl/v1",
        "kind": "Service",
        "metadata": {
            "id": "payroll",
            "name": "Payroll",
            "description": "Pays everyone, on time.\n",
            "tags": ["hr", "finance"],
            "links": [
                {"title": "Runbook", "url": "https://wiki.example.com/payroll", "type": "runbook"},
                {"title": "Home", "url": "https://payroll.example.com"},
            ],
        },
        "spec": {
            "owner": "payroll-team",
            "type": "business",
            "lifecycle": "live",
            "tier": 1,
            "visibility": "public",
            "category": "Human Resources",
            "dependsOn": ["identity"],
            "cis": ["payroll-app", "payroll-db"],
            "support": {
                "hours": "business-hours",
                "email": "payroll@example.com",
                "url": "https://help.example.com/payroll",
            },
            "offerings": [
                {
                    "id": "payslip-copy",
                    "name": "Copy of a payslip",
                    "description": "A PDF copy of any payslip from the last ten years.",
                    "fulfillment": "2d",
                    "approval": "none",
                    "cost": {"amount": 0, "currency": "EUR"},
                    "request": "https://help.example.com/payroll/payslip",
                }
            ],
            "cost": {"monthly": 12500.5, "currency": "EUR", "costCenter": "CC-4711"},
            "continuity": {"rto": "4h", "rpo": "15m", "drTier": 1},
            "security": {"classification": "confidential"},
        },
    },
    "SLA": {
        "apiVersion": "catalogctl/v1",
        "kind": "SLA",
        "metadata": {"id": "payroll-sla", "name": "Payroll SLA"},
        "spec": {
            "services": ["payroll"],
            "customer": "All employees",
            "hours": "24x7",
            "availability": {"target": 99.9, "period": "monthly"},
            "priorities": {
                "P1": {"response": "15m", "resolution": "4h"},
                "P3": {"response": "1d", "resolution": "1w"},
            },
            "requests": {"fulfillment": "3d"},
            "rto": "4h",
            "rpo": "1h",
            "credits": [{"below": 99.9, "credit": 5}, {"below": 99, "credit": 10}],
            "effective": {"from": "2026-01-01", "until": "2026-12-31"},
            "review": "2026-06-30",
        },
    },
    "ConfigurationItem": {
        "apiVersion": "catalogctl/v1",
        "kind": "ConfigurationItem",
        "metadata": {"id": "payroll-db", "name": "Payroll database"},
        "spec": {
            "type": "database",
            "environment": "production",
            "owner": "payroll-team",
            "status": "in-service",
            "relations": [
                {"type": "runs-on", "target": "db-cluster-1"},
                {"type": "connects-to", "target": "payroll-app"},
            ],
            "vendor": "PostgreSQL",
            "location": "eu-central-1",
            "expires": "2028-02-29",
            "attributes": {"version": "16.2", "cores": 8, "encrypted": True},
        },
    },
    "ChangeTemplate": {
        "apiVersion": "catalogctl/v1",
        "kind": "ChangeTemplate",
        "metadata": {"id": "renew-certificate", "name": "Renew a TLS certificate"},
        "spec": {
            "owner": "platform",
            "ciTypes": ["certificate", "load-balancer"],
            "maxDuration": "1h",
            "plan": PLAN,
        },
    },
    "ChangeRequest": {
        "apiVersion": "catalogctl/v1",
        "kind": "ChangeRequest",
        "metadata": {"id": "chg-2026-0042", "name": "Renew the payroll certificate"},
        "spec": {
            "type": "standard",
            "template": "renew-certificate",
            "state": "closed",
            "requester": "alice",
            "owner": "platform",
            "targets": {"cis": ["payroll-cert"]},
            "risk": {"impact": "low", "likelihood": "low"},
            "window": {"start": "2026-03-01T22:00:00+01:00", "end": "2026-03-01T23:00Z"},
            "outage": False,
            "plan": PLAN,
            "closure": {"code": "successful", "notes": "No issues."},
            "related": ["chg-2026-0041"],
        },
    },
    "Policy": {
        "apiVersion": "catalogctl/v1",
        "kind": "Policy",
        "cab": {"team": "cab", "emergencyTeam": "ecab"},
        "approvals": {"low": 1, "medium": 1, "high": 2, "emergency": 1},
        "leadTimes": {"normal": "3d", "standard": "1h", "emergency": "0m"},
        "freezes": [
            {
                "id": "year-end",
                "name": "Year-end freeze",
                "start": "2026-12-19T00:00:00+01:00",
                "end": "2027-01-04T00:00:00+01:00",
                "allow": ["emergency"],
            }
        ],
        "schedules": [
            {
                "id": "business-hours",
                "name": "Business hours",
                "timezone": "Europe/Berlin",
                "days": ["mon", "tue", "wed", "thu", "fri"],
                "start": "08:00",
                "end": "18:00",
            }
        ],
        "rules": {"service-without-sla": "error", "dependency-cycle": "warning"},
        "site": {
            "title": "Example Corp IT Service Catalog",
            "url": "https://it.example.com/catalog",
            "organisation": "Example Corp",
        },
    },
}

EXAMPLES["Incident"] = {
    "apiVersion": "catalogctl/v1",
    "kind": "Incident",
    "metadata": {"id": "inc-2026-0007", "name": "Payroll unavailable"},
    "spec": {
        "priority": "P1",
        "services": ["payroll"],
        "impact": "outage",
        "reported": "2026-11-10T10:05:00Z",
        "responded": "2026-11-10T10:15:00+01:00",
        "resolved": "2026-11-10T11:00:00Z",
        "outage": {"start": "2026-11-10T10:00:00Z", "end": "2026-11-10T11:00:00Z"},
        "state": "closed",
        "cause": {"change": "chg-2026-0042", "problem": "prb-2026-0002", "ci": "vm-payroll"},
        "summary": "Payroll was unavailable for an hour.",
        "review": {
            "timeline": "10:00 alert; 10:15 on it; 11:00 restored.",
            "factors": "A full disk.",
            "actions": ["Alert at 80 % disk (ops)"],
        },
    },
}
EXAMPLES["Problem"] = {
    "apiVersion": "catalogctl/v1",
    "kind": "Problem",
    "metadata": {"id": "prb-2026-0002", "name": "Payroll disk fills up"},
    "spec": {
        "opened": "2026-11-11T09:00:00+01:00",
        "state": "known-error",
        "incidents": ["inc-2026-0007"],
        "rootCause": "Logs are never rotated.",
        "workaround": "Delete old logs.",
        "fix": "chg-2026-0043",
    },
}

MINIMAL_POLICY = {"apiVersion": "catalogctl/v1", "kind": "Policy"}

NORMAL_CHANGE = {
    "apiVersion": "catalogctl/v1",
    "kind": "ChangeRequest",
    "metadata": {"id": "chg-2026-0043", "name": "Upgrade the payroll database"},
    "spec": {
        "type": "normal",
        "state": "new",
        "requester": "bob-smith",
        "owner": "payroll-team",
        "targets": {"services": ["payroll"]},
        "risk": {"impact": "high", "likelihood": "medium"},
        "plan": PLAN,
    },
}


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_valid_example(kind: str, registry: referencing.Registry[Any]) -> None:
    assert errors(kind, EXAMPLES[kind], registry) == []


def test_minimal_policy_is_valid(registry: referencing.Registry[Any]) -> None:
    assert errors("Policy", MINIMAL_POLICY, registry) == []


def test_normal_change_without_window_is_valid_while_new(
    registry: referencing.Registry[Any],
) -> None:
    assert errors("ChangeRequest", NORMAL_CHANGE, registry) == []


# --------------------------------------------------------------------------- invalid examples


def changed(kind: str, path: str, value: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Copy of an example with the value at the dotted path replaced (None deletes it)."""
    document = copy.deepcopy(EXAMPLES[kind] if base is None else base)
    *parents, last = path.split(".")
    node = document
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return document


INVALID = [
    ("unknown top-level field", "Service", changed("Service", "status", "live")),
    ("unknown spec field", "Service", changed("Service", "spec.colour", "blue")),
    ("unknown metadata field", "Team", changed("Team", "metadata.owner", "x")),
    (
        "unknown link field",
        "Service",
        changed(
            "Service",
            "metadata.links",
            [{"title": "Docs", "url": "https://docs.example.com", "icon": "book"}],
        ),
    ),
    ("upper-case id", "Service", changed("Service", "metadata.id", "Payroll")),
    ("id ending in hyphen", "Team", changed("Team", "metadata.id", "payroll-")),
    ("id too long", "Team", changed("Team", "metadata.id", "a" * 64)),
    (
        "change id not chg-YYYY-NNNN",
        "ChangeRequest",
        changed("ChangeRequest", "metadata.id", "renew-cert"),
    ),
    ("wrong kind", "Team", changed("Team", "kind", "Service")),
    ("wrong apiVersion", "Team", changed("Team", "apiVersion", "catalogctl/v2")),
    ("missing spec", "Team", changed("Team", "spec", None)),
    ("no members", "Team", changed("Team", "spec.members", [])),
    ("duplicate tags", "Service", changed("Service", "metadata.tags", ["hr", "hr"])),
    ("tier 5", "Service", changed("Service", "spec.tier", 5)),
    ("tier as string", "Service", changed("Service", "spec.tier", "1")),
    ("negative cost", "Service", changed("Service", "spec.cost.monthly", -1)),
    ("lower-case currency", "Service", changed("Service", "spec.cost.currency", "eur")),
    ("bad duration", "Service", changed("Service", "spec.continuity.rto", "4 hours")),
    ("availability over 100", "SLA", changed("SLA", "spec.availability.target", 100.5)),
    ("no priorities", "SLA", changed("SLA", "spec.priorities", {})),
    (
        "unknown priority",
        "SLA",
        changed("SLA", "spec.priorities.P5", {"response": "1d", "resolution": "2w"}),
    ),
    ("impossible date", "SLA", changed("SLA", "spec.review", "2024-02-30")),
    ("date with time", "SLA", changed("SLA", "spec.effective.from", "2026-01-01T00:00:00Z")),
    (
        "impossible expiry date",
        "ConfigurationItem",
        changed("ConfigurationItem", "spec.expires", "2027-02-29"),
    ),
    (
        "unknown CI type",
        "ConfigurationItem",
        changed("ConfigurationItem", "spec.type", "mainframe"),
    ),
    (
        "nested attribute value",
        "ConfigurationItem",
        changed("ConfigurationItem", "spec.attributes", {"disk": {"size": 10}}),
    ),
    ("template without CI types", "ChangeTemplate", changed("ChangeTemplate", "spec.ciTypes", [])),
    (
        "plan without backout",
        "ChangeTemplate",
        changed(
            "ChangeTemplate", "spec.plan", {"implementation": "Do it.", "validation": "Check it."}
        ),
    ),
    (
        "standard change without template",
        "ChangeRequest",
        changed("ChangeRequest", "spec.template", None),
    ),
    (
        "normal change with template",
        "ChangeRequest",
        changed("ChangeRequest", "spec.template", "renew-certificate", NORMAL_CHANGE),
    ),
    (
        "scheduled change without window",
        "ChangeRequest",
        changed("ChangeRequest", "spec.state", "scheduled", NORMAL_CHANGE),
    ),
    (
        "window without offset",
        "ChangeRequest",
        changed("ChangeRequest", "spec.window.start", "2026-03-01T22:00:00"),
    ),
    ("empty targets", "ChangeRequest", changed("ChangeRequest", "spec.targets", {})),
    ("empty target list", "ChangeRequest", changed("ChangeRequest", "spec.targets", {"cis": []})),
    (
        "duplicate targets",
        "ChangeRequest",
        changed("ChangeRequest", "spec.targets", {"cis": ["a", "a"]}),
    ),
    (
        "risk not on the scale",
        "ChangeRequest",
        changed("ChangeRequest", "spec.risk.impact", "critical"),
    ),
    ("bad requester login", "ChangeRequest", changed("ChangeRequest", "spec.requester", "-alice")),
    ("policy severity", "Policy", changed("Policy", "rules", {"service-without-sla": "fatal"})),
    ("policy rule id", "Policy", changed("Policy", "rules", {"Service_Without_SLA": "error"})),
    ("approvals over 10", "Policy", changed("Policy", "approvals.high", 11)),
    (
        "schedule named 24x7",
        "Policy",
        changed(
            "Policy",
            "schedules",
            [{"id": "24x7", "timezone": "UTC", "days": ["mon"], "start": "00:00", "end": "24:00"}],
        ),
    ),
    ("unknown policy key", "Policy", changed("Policy", "gate", {})),
    ("incident id", "Incident", changed("Incident", "metadata.id", "inc-26-7")),
    ("incident priority", "Incident", changed("Incident", "spec.priority", "P5")),
    ("incident without services", "Incident", changed("Incident", "spec.services", [])),
    (
        "incident time without offset",
        "Incident",
        changed("Incident", "spec.reported", "2026-11-10T10:05:00"),
    ),
    ("incident cause unknown key", "Incident", changed("Incident", "spec.cause", {"team": "ops"})),
    ("review without actions", "Incident", changed("Incident", "spec.review.actions", [])),
    ("problem state", "Problem", changed("Problem", "spec.state", "fixed")),
    ("problem without opened", "Problem", changed("Problem", "spec.opened", None)),
    ("problem incident id", "Problem", changed("Problem", "spec.incidents", ["payroll"])),
    ("problem fix not a change", "Problem", changed("Problem", "spec.fix", "prb-2026-0001")),
]


@pytest.mark.parametrize(
    ("kind", "document"), [(k, d) for _, k, d in INVALID], ids=[label for label, _, _ in INVALID]
)
def test_invalid_example(
    kind: str, document: dict[str, Any], registry: referencing.Registry[Any]
) -> None:
    assert errors(kind, document, registry) != []
