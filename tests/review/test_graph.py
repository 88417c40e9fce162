"""`catalogctl impact` and `catalogctl graph`: blast radius and dependency drawings.

The fixture catalog, with edges from the dependent to its dependency:

    web (tier 1) -> api -> auth -> vm-auth -> esx-01
                    api -> vm-api -> esx-01
    legacy (retired) -> auth
    db-01 connects-to vm-api (an association: no edge)

SLAs: web-sla covers web, auth-sla covers auth. Changes: chg-2026-0001
(scheduled) targets CI esx-01, chg-2026-0002 (implement) targets service web,
chg-2026-0003 (closed) targets CI vm-api.

The golden files tests/golden/graph.{mmd,dot,json} are the whole graph; run
with UPDATE_GOLDEN=1 to rewrite them, then read the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.review import graphviz
from conftest import require
from gitrepo import assert_usage_error
from paths import GOLDEN

GOLDEN_DIR = GOLDEN
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
GOLDEN = {"mermaid": "graph.mmd", "dot": "graph.dot", "json": "graph.json"}
HOSTILE = (
    'Evil"]; click x call alert() <script>alert(1)</script> [x] {y} #quot; %%{init}%% `md` \\N'
)

POLICY = """\
apiVersion: catalogctl/v1
kind: Policy
cab: {team: ops}
"""


def service(
    entity_id: str,
    name: str,
    tier: int = 2,
    lifecycle: str = "live",
    depends_on: Sequence[str] = (),
    cis: Sequence[str] = (),
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "owner": "ops",
        "type": "technical",
        "lifecycle": lifecycle,
        "tier": tier,
        "visibility": "internal",
    }
    if depends_on:
        spec["dependsOn"] = list(depends_on)
    if cis:
        spec["cis"] = list(cis)
    return {"kind": "Service", "metadata": {"id": entity_id, "name": name}, "spec": spec}


def ci(entity_id: str, name: str, *relations: tuple[str, str]) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "type": "server",
        "environment": "production",
        "owner": "ops",
        "status": "in-service",
    }
    if relations:
        spec["relations"] = [{"type": kind, "target": target} for kind, target in relations]
    return {"kind": "ConfigurationItem", "metadata": {"id": entity_id, "name": name}, "spec": spec}


def sla(entity_id: str, *services: str) -> dict[str, Any]:
    return {
        "kind": "SLA",
        "metadata": {"id": entity_id, "name": entity_id},
        "spec": {"services": list(services), "customer": "Everyone", "hours": "24x7"},
    }


def change(entity_id: str, state: str, **targets: list[str]) -> dict[str, Any]:
    return {
        "kind": "ChangeRequest",
        "metadata": {"id": entity_id, "name": f"Change {entity_id}"},
        "spec": {"type": "normal", "state": state, "owner": "ops", "targets": targets},
    }


FIXTURE: dict[str, dict[str, Any]] = {
    "catalog/teams/ops.yaml": {
        "kind": "Team",
        "metadata": {"id": "ops", "name": "Operations"},
        "spec": {"members": ["alice"], "email": "ops@example.com"},
    },
    "catalog/services/web.yaml": service("web", "Web shop", tier=1, depends_on=["api"]),
    "catalog/services/api.yaml": service("api", "API", depends_on=["auth"], cis=["vm-api"]),
    "catalog/services/auth.yaml": service("auth", "Auth", cis=["vm-auth"]),
    "catalog/services/legacy.yaml": service(
        "legacy", "Legacy portal", tier=3, lifecycle="retired", depends_on=["auth"]
    ),
    "catalog/cis/esx-01.yaml": ci("esx-01", "ESX host 01"),
    "catalog/cis/vm-api.yaml": ci("vm-api", "API VM", ("runs-on", "esx-01")),
    "catalog/cis/vm-auth.yaml": ci("vm-auth", "Auth VM", ("runs-on", "esx-01")),
    "catalog/cis/db-01.yaml": ci("db-01", "db-01", ("connects-to", "vm-api")),
    "catalog/slas/web-sla.yaml": sla("web-sla", "web"),
    "catalog/slas/auth-sla.yaml": sla("auth-sla", "auth"),
    "changes/2026/chg-2026-0001.yaml": change("chg-2026-0001", "scheduled", cis=["esx-01"]),
    "changes/2026/chg-2026-0002.yaml": change("chg-2026-0002", "implement", services=["web"]),
    "changes/2026/chg-2026-0003.yaml": change("chg-2026-0003", "closed", cis=["vm-api"]),
}


def write_document(root: Path, path: str, document: Mapping[str, Any]) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"apiVersion": "catalogctl/v1", **document}
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog-repo"
    root.mkdir()
    (root / "catalogctl.yaml").write_text(POLICY, encoding="utf-8")
    for path, document in FIXTURE.items():
        write_document(root, path, document)
    return root


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), *args], env={"NO_COLOR": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def ok(root: Path, *args: str) -> str:
    result = run(root, *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


def graph_json(root: Path, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ok(root, "graph", "--format", "json", *args))
    return document


def node_ids(document: Mapping[str, Any]) -> set[str]:
    return {node["id"] for node in document["nodes"]}


# --------------------------------------------------------------------------- impact


IMPACTS = {
    "ci/esx-01": {
        "services": ["api", "auth", "legacy", "web"],
        "cis": ["esx-01", "vm-api", "vm-auth"],
        "slas": ["auth-sla", "web-sla"],
        "tier1": ["web"],
        "changes": ["chg-2026-0001", "chg-2026-0002"],
    },
    "service/auth": {
        "services": ["api", "auth", "legacy", "web"],
        "cis": [],
        "slas": ["auth-sla", "web-sla"],
        "tier1": ["web"],
        "changes": ["chg-2026-0002"],
    },
    "ci/vm-api": {  # db-01 only connects to it: an association, not a dependency
        "services": ["api", "web"],
        "cis": ["vm-api"],
        "slas": ["web-sla"],
        "tier1": ["web"],
        "changes": ["chg-2026-0002"],  # chg-2026-0003 targets vm-api but is closed
    },
    "sla/auth-sla": {  # an SLA hits the services it covers
        "services": ["api", "auth", "legacy", "web"],
        "cis": [],
        "slas": ["auth-sla", "web-sla"],
        "tier1": ["web"],
        "changes": ["chg-2026-0002"],
    },
    "service/legacy": {
        "services": ["legacy"],
        "cis": [],
        "slas": [],
        "tier1": [],
        "changes": [],
    },
}
ENTITIES = {
    "ci/esx-01": "ConfigurationItem/esx-01",
    "service/auth": "Service/auth",
    "ci/vm-api": "ConfigurationItem/vm-api",
    "sla/auth-sla": "SLA/auth-sla",
    "service/legacy": "Service/legacy",
}


@pytest.mark.parametrize("ref", sorted(IMPACTS))
def test_impact_json_is_the_hand_computed_blast_radius(catalog: Path, ref: str) -> None:
    document = json.loads(ok(catalog, "impact", ref, "--format", "json"))
    assert document == {"version": 1, "entity": ENTITIES[ref], "impact": IMPACTS[ref]}
    assert list(document["impact"]) == ["services", "cis", "slas", "tier1", "changes"]


def test_impact_text_lists_every_group(catalog: Path) -> None:
    assert ok(catalog, "impact", "ci/esx-01") == (
        "Impact of ConfigurationItem/esx-01: ESX host 01\n"
        "  services: api, auth, legacy, web\n"
        "  tier 1: web\n"
        "  SLAs: auth-sla, web-sla\n"
        "  CIs: esx-01, vm-api, vm-auth\n"
        "  open changes: chg-2026-0001, chg-2026-0002\n"
    )
    assert ok(catalog, "impact", "service/legacy").splitlines()[1:] == [
        "  services: legacy",
        "  tier 1: -",
        "  SLAs: -",
        "  CIs: -",
        "  open changes: -",
    ]


def test_impact_matches_what_diff_reports(catalog: Path) -> None:
    """The same function as `diff` per changed entity: compare with it directly."""
    from catalogctl.load.sources import WorkTree
    from catalogctl.model.entities import Ref
    from catalogctl.model.impact import impact_of
    from catalogctl.workspace.workspace import load_catalog

    loaded = load_catalog(WorkTree(catalog), 1)
    expected = impact_of(loaded, [Ref("ConfigurationItem", "esx-01")])
    document = json.loads(ok(catalog, "impact", "ci/esx-01", "--format", "json"))
    assert document["impact"] == {
        "services": list(expected.services),
        "cis": list(expected.cis),
        "slas": list(expected.slas),
        "tier1": list(expected.tier1),
        "changes": list(expected.changes),
    }


def test_impact_accepts_kind_aliases_and_any_id_case(catalog: Path) -> None:
    document = json.loads(ok(catalog, "impact", "ConfigurationItem/ESX-01", "--format", "json"))
    assert document["entity"] == "ConfigurationItem/esx-01"


@pytest.mark.parametrize(
    ("ref", "needle"),
    [
        ("service/nope", "no Service with id 'nope'"),
        ("ci/web", "no ConfigurationItem with id 'web'"),
        ("payroll", "is not KIND/ID"),
        ("widget/x", "is not KIND/ID"),
        ("policy/x", "the policy is not an entity"),
    ],
)
def test_impact_of_an_unknown_entity_exits_2(catalog: Path, ref: str, needle: str) -> None:
    assert_usage_error(run(catalog, "impact", ref), needle)


def test_impact_outside_a_catalog_exits_2(tmp_path: Path) -> None:
    assert_usage_error(run(tmp_path, "impact", "service/web"), "not a catalog")


# --------------------------------------------------------------------------- graph


@pytest.mark.parametrize("fmt", sorted(GOLDEN))
def test_graph_golden(catalog: Path, fmt: str) -> None:
    actual = ok(catalog, "graph", "--format", fmt)
    golden = GOLDEN_DIR / GOLDEN[fmt]
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_mermaid_is_the_default_format(catalog: Path) -> None:
    assert ok(catalog, "graph") == ok(catalog, "graph", "--format", "mermaid")


def test_tiny_graph_exact_output() -> None:
    """The renderers on a hand-made two-node graph, spelled out in full."""
    nodes = [
        graphviz.Node("ConfigurationItem", "vm-1", "VM 1", status="retired"),
        graphviz.Node("Service", "shop", "Shop", tier=1, lifecycle="live"),
    ]
    edges = [graphviz.Link("Service/shop", "ConfigurationItem/vm-1", "spec.cis[0]")]
    assert graphviz.mermaid(nodes, edges) == (
        "flowchart LR\n"
        '  n0["VM 1 (vm-1)"]\n'
        '  n1("Shop (shop)")\n'
        "  n1 -.-> n0\n"
        "  classDef service fill:#e3f2fd,stroke:#1565c0,color:#0d2a4a\n"
        "  classDef ci fill:#f5f5f5,stroke:#616161,color:#212121\n"
        "  classDef tier1 stroke:#c62828,stroke-width:3px\n"
        "  classDef retired fill:#fafafa,stroke:#9e9e9e,color:#9e9e9e,stroke-dasharray:5 5\n"
        "  class n1 service\n"
        "  class n0 ci\n"
        "  class n1 tier1\n"
        "  class n0 retired\n"
    )
    assert graphviz.dot(list(reversed(nodes)), edges) == (
        "digraph catalog {\n"
        "  rankdir=LR;\n"
        '  node [shape=box, fontname="Helvetica", fontsize=11];\n'
        '  edge [color="#616161"];\n'
        '  "ConfigurationItem/vm-1" [label="VM 1 (vm-1)", style="filled,dashed", '
        'color="#9e9e9e", fontcolor="#9e9e9e", fillcolor="#fafafa"];\n'
        '  "Service/shop" [label="Shop (shop)", style="filled,rounded,bold", '
        'color="#c62828", penwidth=2, fillcolor="#e3f2fd"];\n'
        '  "Service/shop" -> "ConfigurationItem/vm-1" [style=dashed];\n'
        "}\n"
    )
    assert json.loads(graphviz.as_json(nodes, edges)) == {
        "version": 1,
        "nodes": [
            {
                "id": "ConfigurationItem/vm-1",
                "kind": "ConfigurationItem",
                "name": "VM 1",
                "status": "retired",
            },
            {
                "id": "Service/shop",
                "kind": "Service",
                "name": "Shop",
                "tier": 1,
                "lifecycle": "live",
            },
        ],
        "edges": [{"from": "Service/shop", "to": "ConfigurationItem/vm-1", "field": "spec.cis[0]"}],
    }


def test_graph_json_has_every_service_and_ci_and_only_dependency_edges(catalog: Path) -> None:
    document = graph_json(catalog)
    assert node_ids(document) == {
        "Service/web", "Service/api", "Service/auth", "Service/legacy",
        "ConfigurationItem/esx-01", "ConfigurationItem/vm-api", "ConfigurationItem/vm-auth",
        "ConfigurationItem/db-01",
    }  # fmt: skip
    assert document["edges"] == [
        {"from": "ConfigurationItem/vm-api", "to": "ConfigurationItem/esx-01",
         "field": "spec.relations[0].target"},
        {"from": "ConfigurationItem/vm-auth", "to": "ConfigurationItem/esx-01",
         "field": "spec.relations[0].target"},
        {"from": "Service/api", "to": "ConfigurationItem/vm-api", "field": "spec.cis[0]"},
        {"from": "Service/api", "to": "Service/auth", "field": "spec.dependsOn[0]"},
        {"from": "Service/auth", "to": "ConfigurationItem/vm-auth", "field": "spec.cis[0]"},
        {"from": "Service/legacy", "to": "Service/auth", "field": "spec.dependsOn[0]"},
        {"from": "Service/web", "to": "Service/api", "field": "spec.dependsOn[0]"},
    ]  # fmt: skip
    web = next(n for n in document["nodes"] if n["id"] == "Service/web")
    assert web == {"id": "Service/web", "kind": "Service", "name": "Web shop", "tier": 1,
                   "lifecycle": "live"}  # fmt: skip
    esx = next(n for n in document["nodes"] if n["id"] == "ConfigurationItem/esx-01")
    assert esx == {"id": "ConfigurationItem/esx-01", "kind": "ConfigurationItem",
                   "name": "ESX host 01", "status": "in-service"}  # fmt: skip


def test_graph_output_is_deterministic(catalog: Path) -> None:
    first = {fmt: ok(catalog, "graph", "--format", fmt) for fmt in GOLDEN}
    # Rewrite the files in a different order: the output must not change.
    for path in reversed(list(FIXTURE)):
        (catalog / path).unlink()
        write_document(catalog, path, FIXTURE[path])
    assert {fmt: ok(catalog, "graph", "--format", fmt) for fmt in GOLDEN} == first


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("service/web", "--depth", "1"), {"Service/web", "Service/api"}),
        (
            ("service/web",),  # default depth 2
            {"Service/web", "Service/api", "Service/auth", "ConfigurationItem/vm-api"},
        ),
        (
            ("service/web", "--depth", "0"),  # unlimited: all it depends on, not siblings
            {
                "Service/web", "Service/api", "Service/auth", "ConfigurationItem/vm-api",
                "ConfigurationItem/vm-auth", "ConfigurationItem/esx-01",
            },
        ),
        (
            ("ci/vm-auth", "--depth", "1"),
            {"ConfigurationItem/vm-auth", "ConfigurationItem/esx-01", "Service/auth"},
        ),
        (
            ("ci/vm-auth", "--depth", "2"),  # vm-api shares esx-01 but is a sibling: out
            {
                "ConfigurationItem/vm-auth", "ConfigurationItem/esx-01", "Service/auth",
                "Service/api", "Service/legacy",
            },
        ),
        (
            ("ci/esx-01", "--depth", "0"),  # db-01 only connects to vm-api: out
            {
                "ConfigurationItem/esx-01", "ConfigurationItem/vm-api",
                "ConfigurationItem/vm-auth", "Service/api", "Service/auth", "Service/web",
                "Service/legacy",
            },
        ),
        (("ci/db-01",), {"ConfigurationItem/db-01"}),
    ],
)  # fmt: skip
def test_graph_depth_limits_the_neighbourhood(
    catalog: Path, args: tuple[str, ...], expected: set[str]
) -> None:
    document = graph_json(catalog, *args)
    assert node_ids(document) == expected
    for edge in document["edges"]:
        assert {edge["from"], edge["to"]} <= expected


def test_graph_around_an_entity_keeps_the_edges_between_its_nodes(catalog: Path) -> None:
    document = graph_json(catalog, "service/web", "--depth", "2")
    assert [(e["from"], e["to"]) for e in document["edges"]] == [
        ("Service/api", "ConfigurationItem/vm-api"),
        ("Service/api", "Service/auth"),
        ("Service/web", "Service/api"),
    ]
    mermaid = ok(catalog, "graph", "service/web", "--depth", "1")
    assert mermaid.splitlines()[:4] == [
        "flowchart LR",
        '  n0("API (api)")',
        '  n1("Web shop (web)")',
        "  n1 --> n0",
    ]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("service/nope",), "no Service with id 'nope'"),
        (("ci/nope", "--format", "dot"), "no ConfigurationItem with id 'nope'"),
        (("nonsense",), "is not KIND/ID"),
        (("sla/web-sla",), "the graph holds services and CIs, not SLA"),
        (("team/ops",), "not Team"),
        (("--depth", "1"), "--depth limits the graph around an entity"),
    ],
)
def test_graph_usage_errors_exit_2(catalog: Path, args: tuple[str, ...], needle: str) -> None:
    assert_usage_error(run(catalog, "graph", *args), needle)


def test_graph_negative_depth_is_refused(catalog: Path) -> None:
    result = run(catalog, "graph", "service/web", "--depth", "-1")
    assert result.exit_code == 2
    assert "-1" in result.stderr


# --------------------------------------------------------------------------- hostile text


@pytest.fixture
def hostile(catalog: Path) -> Path:
    evil = service("evil", HOSTILE, tier=1, depends_on=["web"], cis=['odd"id\\'])
    write_document(catalog, "catalog/services/evil.yaml", evil)
    odd = ci('odd"id\\', 'CI "]; <b>&amp;')
    write_document(catalog, "catalog/cis/odd.yaml", odd)
    return catalog


def mermaid_label(line: str) -> str:
    """The text of a node line's one quoted label; fails unless the line is exactly
    `  nK("...")` or `  nK["..."]` with no quote inside the label."""
    match = re.fullmatch(r'  n\d+(?:\("([^"]*)"\)|\["([^"]*)"\])', line)
    assert match, f"not a single well-formed node: {line!r}"
    return match.group(1) if match.group(1) is not None else match.group(2)


def test_hostile_names_stay_inside_mermaid_labels(hostile: Path) -> None:
    text = ok(hostile, "graph", "--format", "mermaid")
    lines = text.splitlines()
    node_lines = [line for line in lines if re.match(r"  n\d+[\[(]", line)]
    assert len(node_lines) == 10
    labels = [mermaid_label(line) for line in node_lines]
    evil = next(label for label in labels if label.startswith("Evil"))
    assert evil == (
        "Evil#quot;#93;; click x call alert#40;#41; #lt;script#gt;alert#40;1#41;#lt;/script#gt; "
        "#91;x#93; #123;y#125; #35;quot; #37;#37;#123;init#125;#37;#37; #96;md#96; #92;N "
        "(evil)"
    )
    odd = next(label for label in labels if label.startswith("CI"))
    assert odd == "CI #quot;#93;; #lt;b#gt;#amp;amp; (odd#quot;id#92;)"
    # Nothing hostile outside labels: every other line is structure we wrote.
    for line in lines:
        if line in node_lines:
            continue
        assert re.fullmatch(
            r"flowchart LR|  n\d+ -(?:->|\.->) n\d+|  classDef \w+ [\w:#,. -]+|"
            r"  class n\d+(?:,n\d+)* \w+",
            line,
        ), line
    assert "<" not in text and ">" not in text.replace("-->", "").replace("-.->", "")
    assert '"]' not in text.replace('("', "").replace('["', "").replace('"]\n', "\n")
    assert "\nclick" not in text and "  click" not in text


def dot_strings(line: str) -> list[str]:
    """The quoted strings of one DOT line, decoded as Graphviz's scanner does;
    fails when a quote is left open."""
    strings = []
    position = 0
    while (start := line.find('"', position)) != -1:
        index = start + 1
        chunk = []
        while True:
            assert index < len(line), f"unterminated string in {line!r}"
            char = line[index]
            if char == "\\" and index + 1 < len(line) and line[index + 1] in '"\\':
                chunk.append(line[index + 1] if line[index + 1] == '"' else "\\\\")
                index += 2
            elif char == '"':
                break
            else:
                chunk.append(char)
                index += 1
        strings.append("".join(chunk))
        position = index + 1
    return strings


def test_hostile_names_stay_inside_dot_strings(hostile: Path) -> None:
    text = ok(hostile, "graph", "--format", "dot")
    assert (
        '  "Service/evil" [label="Evil\\"]; click x call alert() <script>alert(1)</script> '
        '[x] {y} #quot; %%{init}%% `md` \\\\N (evil)"'
    ) in text
    assert '"ConfigurationItem/odd\\"id\\\\" [label="CI \\"]; <b>&amp;amp; (odd\\"id\\\\)"' in text
    assert '  "Service/evil" -> "ConfigurationItem/odd\\"id\\\\";' in text
    for line in text.splitlines():
        strings = dot_strings(line)
        # Outside the quoted strings only our own syntax is left.
        rest = re.sub(r'"(?:[^"\\]|\\.)*"', "S", line)
        assert re.fullmatch(
            r"digraph catalog \{|\}|  rankdir=LR;|  (?:node|edge) \[[^\]]*\];|"
            r"  S \[label=S, style=S(?:, \w+=(?:S|\d+))*\];|  S -> S(?: \[style=dashed\])?;",
            rest,
        ), line
        assert all("\n" not in s for s in strings)


DOT = shutil.which("dot")


def test_dot_output_parses_with_graphviz(hostile: Path) -> None:
    require(DOT is not None, "Graphviz `dot` is not installed; syntax checked above")
    assert DOT is not None
    for args in ((), ("service/evil", "--depth", "1")):
        text = ok(hostile, "graph", "--format", "dot", *args)
        result = subprocess.run(
            [DOT, "-Tsvg"], input=text.encode(), capture_output=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr.decode()
        assert b"<script>" not in result.stdout
        assert b"&lt;script&gt;" in result.stdout or not args


def test_hostile_names_round_trip_through_json(hostile: Path) -> None:
    document = graph_json(hostile)
    names = {node["id"]: node["name"] for node in document["nodes"]}
    assert names["Service/evil"] == HOSTILE
    assert names['ConfigurationItem/odd"id\\'] == 'CI "]; <b>&amp;'
