"""What `new` fills in by itself (display names, the owner, the service) and
the placeholders it leaves, which `placeholder-text` reports until edited."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.lint.rules import placeholders
from catalogctl.load import kinds
from catalogctl.load.diagnostics import format_path

TODAY = "2026-11-28"
REVIEW = "2027-11-28"

# Every kind once, in an order where nothing can be known when it is written
# (no team but the CAB, no service): each template shows all its placeholders.
SKELETONS = (
    ("sla", "payroll-sla"),
    ("ci", "db-payroll-01"),
    ("template", "os-patch"),
    ("change", "chg-2026-0001"),
    ("problem", "prb-2026-0001"),
    ("incident", "inc-2026-0001"),
    ("service", "payroll"),
    ("team", "ops"),
)

# Free text in the templates that is a real default, not something to replace.
# A new string in a template must be added here or to `placeholders`.
DEFAULTS = frozenset(
    {
        *(kind.name for kind in kinds.ENTITY_KINDS),
        "catalogctl/v1",
        *("new", "normal", "low", "server", "production", "planned"),
        *("business", "pipeline", "internal", "General"),
        *("All employees", "24x7", "monthly"),
        "Reviews and authorises normal and emergency changes.",  # the CAB's, from init
        *("15m", "1h", "4h", "8h", "3d", "1d", "2w", "2h"),
        *("P2", "degraded", "open"),
    }
)


def invoke(args: Sequence[str]) -> Result:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def new(root: Path, *args: str) -> str:
    result = invoke(["-C", str(root), "new", *args, "--today", TODAY])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def lint(root: Path, *options: str) -> tuple[int, list[dict[str, Any]]]:
    result = invoke(["-C", str(root), "lint", "--today", TODAY, "--format", "json", *options])
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def placeholder_paths(root: Path) -> set[tuple[str, str]]:
    return {(d["file"], d["path"]) for d in lint(root)[1] if d["rule"] == "placeholder-text"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    assert invoke(["init", str(target), "--today", TODAY]).exit_code == 0
    return target


def read(root: Path, file: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / file).read_text(encoding="utf-8"))
    return data


def strings(value: Any, path: tuple[str | int, ...] = ()) -> Iterable[tuple[str, str]]:
    """(dotted path, text) of every string in a document."""
    if isinstance(value, str):
        yield format_path(path), value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, (*path, index))


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("kind", "entity_id", "name"),
    [
        ("sla", "payroll-sla", "Payroll SLA"),
        ("ci", "db-payroll-01", "DB Payroll 01"),
        ("service", "hr-api", "HR API"),
        ("service", "it-service-desk", "IT Service Desk"),
        ("ci", "vpn-gw-2", "VPN Gw 2"),
        ("team", "cab-deputies", "CAB Deputies"),
    ],
)
def test_new_names_acronyms_in_capitals(repo: Path, kind: str, entity_id: str, name: str) -> None:
    file = new(repo, kind, entity_id)
    assert read(repo, file)["metadata"]["name"] == name


# --------------------------------------------------------------------------- owner


def test_new_owner_is_the_only_team_that_is_not_the_cab(repo: Path) -> None:
    new(repo, "team", "ops")
    file = new(repo, "service", "payroll")
    assert read(repo, file)["spec"]["owner"] == "ops"
    assert placeholder_paths(repo) >= {(file, "metadata.description")}
    assert (file, "spec.owner") not in placeholder_paths(repo)


def test_new_owner_follows_the_policy_s_cab_team(repo: Path) -> None:
    policy = repo / "catalogctl.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("team: cab", "team: board"), encoding="utf-8")
    (repo / "catalog/teams/cab.yaml").rename(repo / "catalog/teams/board.yaml")
    board = repo / "catalog/teams/board.yaml"
    board.write_text(board.read_text(encoding="utf-8").replace("id: cab", "id: board"))
    new(repo, "team", "ops")
    # emergencyTeam is still `cab`, which is no team now: `ops` is the only candidate
    assert read(repo, new(repo, "ci", "srv-01"))["spec"]["owner"] == "ops"


@pytest.mark.parametrize("teams", [(), ("ops", "dba")], ids=["only-the-cab", "two-teams"])
def test_new_owner_is_a_placeholder_when_it_cannot_be_known(
    repo: Path, teams: tuple[str, ...]
) -> None:
    for team in teams:
        new(repo, "team", team)
    file = new(repo, "template", "os-patch")
    assert read(repo, file)["spec"]["owner"] == placeholders.OWNER
    assert (file, "spec.owner") in placeholder_paths(repo)


def test_new_service_is_the_only_one_or_a_placeholder(repo: Path) -> None:
    new(repo, "team", "ops")
    new(repo, "service", "payroll")
    assert read(repo, new(repo, "sla", "payroll-sla"))["spec"]["services"] == ["payroll"]
    new(repo, "service", "identity")
    file = new(repo, "sla", "standard")
    assert read(repo, file)["spec"]["services"] == [placeholders.SERVICE]
    assert (file, "spec.services[0]") in placeholder_paths(repo)


def test_a_placeholder_id_that_names_a_real_entity_is_no_placeholder(repo: Path) -> None:
    new(repo, "team", "ops")
    new(repo, "service", placeholders.SERVICE)  # as the init message suggests
    file = new(repo, "change")
    found = {path for f, path in placeholder_paths(repo) if f == file}
    assert "spec.targets.services[0]" not in found
    assert {"metadata.name", "spec.requester", "spec.plan.backout"} <= found


# --------------------------------------------------------------------------- the rule


def test_every_string_a_template_writes_is_a_placeholder_or_a_default(repo: Path) -> None:
    """A placeholder added to a template without teaching the rule fails here."""
    files = ["catalog/teams/cab.yaml"]  # what init writes
    files += [new(repo, kind, entity_id) for kind, entity_id in SKELETONS]
    found = placeholder_paths(repo)
    for file in files:
        data = read(repo, file)
        facts = {data["metadata"]["id"], TODAY, REVIEW}
        if data["kind"] == kinds.INCIDENT.name:  # when it was filed, a fact
            facts.add(data["spec"]["reported"])
        if data["kind"] == kinds.PROBLEM.name:
            facts.add(data["spec"]["opened"])
        if data["kind"] in (
            kinds.SERVICE.name,
            kinds.TEAM.name,
            kinds.SLA.name,
            kinds.CI.name,
            kinds.TEMPLATE.name,
        ):
            facts.add(data["metadata"]["name"])
        for path, text in strings(data):
            flagged = (file, path) in found
            assert flagged or text in DEFAULTS | facts, (file, path, text)
            assert not (flagged and text in DEFAULTS), (file, path, text)


def test_every_placeholder_is_reported_until_it_is_edited(repo: Path) -> None:
    files = ["catalog/teams/cab.yaml"] + [new(repo, k, i) for k, i in SKELETONS]
    found = placeholder_paths(repo)
    values = {
        text for file in files for path, text in strings(read(repo, file)) if (file, path) in found
    }
    assert {"my-team", "my-service"} <= values
    assert {v.strip() for v in values} >= placeholders.TEXTS
    for fragment in placeholders.FRAGMENTS:
        assert any(fragment in v for v in values), fragment
    for file in files:
        path = repo / file
        text = path.read_text(encoding="utf-8")
        for value in sorted(values, key=len, reverse=True):
            if value in text and "\n" not in value:
                text = text.replace(value, "edited")
        for value in values:
            if "\n" in value:  # block scalars: the first line is the text
                text = text.replace(value.strip(), "Edited by hand.")
        path.write_text(text, encoding="utf-8")
    assert placeholder_paths(repo) == set()


def test_placeholders_are_warnings_that_fail_only_a_strict_run(repo: Path) -> None:
    exit_code, diagnostics = lint(repo)
    assert exit_code == 0
    assert {d["severity"] for d in diagnostics} == {"warning"}
    assert {d["rule"] for d in diagnostics} == {"placeholder-text"}
    assert lint(repo, "--strict")[0] == 1


def test_a_long_filled_in_value_keeps_the_comments_in_line(repo: Path) -> None:
    team = "payroll-and-benefits-operations"
    new(repo, "team", team)
    new(repo, "service", "payroll", "--owner", team)
    lines = (repo / "catalog/services/payroll.yaml").read_text(encoding="utf-8").splitlines()
    spec = lines[lines.index("spec:") + 1 : lines.index("spec:") + 5]
    assert spec[0] == f"  owner: {team}  # Team id"  # too long to align: two spaces
    assert spec[1].index("#") == spec[2].index("#") == spec[3].index("#") == 30
    assert read(repo, "catalog/services/payroll.yaml")["spec"]["owner"] == team
