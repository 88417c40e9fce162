"""`catalogctl export openslo`: every SLA availability target as an OpenSLO v1 SLO.

OpenSLO publishes no complete JSON Schema for v1 (its schemas/v1 folder is
partial), so the documents are checked against the fields its specification
(README, "SLO" and "Service") documents, rule by rule below.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from catalogs import make_catalog, run

from catalogctl.interop.backstage_read import split_documents
from catalogctl.load import loader, yamlsafe
from paths import REPO

RFC1123 = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
DURATION = re.compile(r"^[1-9][0-9]*[mhdwMQY]$")  # "duration-shorthand"
START = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")
SLO_SPEC = {
    "description",
    "service",
    "indicator",
    "indicatorRef",
    "timeWindow",
    "budgetingMethod",
    "objectives",
    "alertPolicies",
}


def check(doc: dict[str, Any]) -> None:
    """The OpenSLO v1 rules for the kinds we write."""
    assert doc["apiVersion"] == "openslo/v1"
    assert doc["kind"] in ("SLO", "Service")
    assert RFC1123.match(doc["metadata"]["name"])
    spec = doc["spec"]
    assert len(spec.get("description", "")) <= 1050
    if doc["kind"] == "Service":
        assert set(spec) <= {"description"}
        return
    assert set(spec) <= SLO_SPEC
    assert ("indicator" in spec) != ("indicatorRef" in spec)  # exactly one
    assert RFC1123.match(spec["service"]) and RFC1123.match(spec["indicatorRef"])
    [window] = spec["timeWindow"]  # a list of exactly one item
    assert DURATION.match(window["duration"])
    assert window["isRolling"] is False and START.match(window["calendar"]["startTime"])
    assert spec["budgetingMethod"] in ("Occurrences", "Timeslices")
    assert spec["objectives"]
    for objective in spec["objectives"]:
        assert 0.0 <= objective["target"] < 1.0 and "targetPercent" not in objective


def documents(folder: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        for _, text in split_documents(path.read_text(encoding="utf-8")):
            data, problems, _ = yamlsafe.parse(text)
            assert not problems
            out.append(data)
    return out


def test_every_sla_target_of_the_reference_catalog(tmp_path: Path) -> None:
    result = run(REPO, "export", "openslo", "--out", str(tmp_path / "slo"))
    assert result.exit_code == 0, result.output
    docs = documents(tmp_path / "slo")
    for doc in docs:
        check(doc)
    slos = {(d["metadata"]["name"], d["spec"]["service"]): d for d in docs if d["kind"] == "SLO"}
    expected = {}
    for path in (REPO / "catalog" / "slas").rglob("*.yaml"):
        sla = loader.load(path.name, path.read_bytes())[0].data
        assert sla is not None
        for service in sla["spec"]["services"]:
            name = sla["metadata"]["id"]
            name = name if len(sla["spec"]["services"]) == 1 else f"{name}-{service}"
            expected[(name, service)] = sla["spec"]["availability"]
    assert slos.keys() == expected.keys()
    for key, availability in expected.items():
        window = slos[key]["spec"]["timeWindow"][0]
        assert window["duration"] == {"monthly": "1M", "quarterly": "1Q"}[availability["period"]]
        target = slos[key]["spec"]["objectives"][0]["target"]
        assert target == pytest.approx(availability["target"] / 100, abs=1e-12)
    services = {d["metadata"]["name"] for d in docs if d["kind"] == "Service"}
    assert services == {service for _, service in expected}


SLA = """\
apiVersion: catalogctl/v1
kind: SLA
metadata:
  id: {id}
  name: {id} SLA
spec:
  services: [mail]
  customer: Everyone
  hours: 24x7
  availability: {{target: {target}, period: quarterly}}
  effective: {{from: "2026-05-12"}}
"""
SERVICE = """\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: mail
  name: Mail
spec:
  owner: cab
  type: business
  lifecycle: live
  tier: 2
  visibility: public
  category: Collaboration
"""


def test_a_target_of_100_percent_has_no_openslo_form(tmp_path: Path) -> None:
    root = make_catalog(
        tmp_path / "catalog",
        {
            "catalog/services/mail.yaml": SERVICE,
            "catalog/slas/gold.yaml": SLA.format(id="gold", target=99.9),
            "catalog/slas/perfect.yaml": SLA.format(id="perfect", target=100),
        },
    )
    result = run(root, "export", "openslo", "--out", "slo")
    assert result.exit_code == 1
    assert "skipped sla/perfect: availability 100% quarterly has no OpenSLO form" in result.output
    [service, slo] = documents(root / "slo")
    check(service)
    check(slo)
    assert slo["metadata"]["name"] == "gold"
    # calendar quarters: the one the SLA starts in begins on 1 April
    assert slo["spec"]["timeWindow"][0]["calendar"]["startTime"] == "2026-04-01 00:00:00"
    assert slo["spec"]["objectives"][0]["target"] == 0.999
