"""The authoring and inspection commands: init, new, show, schema, rules, --help."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import referencing
import yaml
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from catalogctl.cli import main
from catalogctl.lint.rules import REGISTRY
from catalogctl.load import kinds
from catalogctl.load.loader import load
from gitrepo import assert_usage_error
from paths import REPO

REPO = REPO
TODAY = "2026-11-28"


def invoke(args: Sequence[str], env: Mapping[str, str | None] | None = None) -> Result:
    environment: dict[str, str | None] = {"GITHUB_STEP_SUMMARY": None, "NO_COLOR": None}
    environment.update(env or {})
    result = CliRunner().invoke(main, list(args), env=environment)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run(root: Path, *args: str) -> Result:
    return invoke(["-C", str(root), *args])


def lint_json(root: Path) -> dict[str, Any]:
    result = run(root, "lint", "--today", TODAY, "--format", "json", "--strict")
    document: dict[str, Any] = json.loads(result.stdout)
    document["exit_code"] = result.exit_code
    return document


def assert_lints_clean(root: Path, *also: str) -> None:
    """No finding but the placeholders a skeleton leaves for a person to edit
    (warnings: only `--strict` fails on them), and the warnings in `also`."""
    document = lint_json(root)
    allowed = {"placeholder-text", *also}
    assert [d for d in document["diagnostics"] if d["rule"] not in allowed] == []
    assert document["exit_code"] == (1 if document["diagnostics"] else 0)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path below `folder` with its bytes (None for folders)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def init_repo(tmp_path: Path, name: str = "acme") -> Path:
    target = tmp_path / name
    result = invoke(["init", str(target), "--today", TODAY])
    assert result.exit_code == 0, result.output
    return target


def glob_regex(pattern: str) -> re.Pattern[str]:
    """VS Code's glob (`**` any folders, `*` within one name) as a regex."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def schema_validator(schema_dir: Path, schema_file: str) -> Draft202012Validator:
    documents = {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in schema_dir.glob("*.schema.json")
    }
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (doc.get("$id", name), referencing.Resource.from_contents(doc))
        for name, doc in documents.items()
    )
    return Draft202012Validator(
        documents[schema_file],
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def schema_errors(root: Path, kind: kinds.Kind, file: Path) -> list[str]:
    # the catalog's YAML dialect: dates stay strings (yaml.safe_load would make them dates)
    loaded, _ = load(file.name, file.read_bytes())
    assert loaded.diagnostics == ()
    data = loaded.data
    validator = schema_validator(root / "schemas", kind.schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


# --------------------------------------------------------------------------- init


def test_init_creates_the_layout(tmp_path: Path) -> None:
    root = init_repo(tmp_path)
    for folder in (
        "catalog/teams",
        "catalog/services",
        "catalog/slas",
        "catalog/cis",
        "catalog/templates",
        "changes/2026",
        "schemas",
    ):
        assert (root / folder).is_dir(), folder
    assert (root / "catalogctl.yaml").is_file()
    bundled = sorted(p.name for p in (REPO / "schemas").glob("*.schema.json"))
    assert sorted(p.name for p in (root / "schemas").glob("*.schema.json")) == bundled
    for name in bundled:
        assert (root / "schemas" / name).read_bytes() == (REPO / "schemas" / name).read_bytes()
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [hook["entry"] for repo in hooks["repos"] for hook in repo["hooks"]]
    assert any(entry.startswith("catalogctl lint") for entry in entries)


def test_init_vscode_settings_map_every_kind_to_its_schema(tmp_path: Path) -> None:
    root = init_repo(tmp_path)
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping: dict[str, list[str]] = settings["yaml.schemas"]
    for schema, globs in mapping.items():
        assert (root / schema).resolve().is_file(), schema
        assert (root / schema).resolve().is_relative_to(root.resolve() / "schemas")
        assert isinstance(globs, list) and globs
    samples = {kind: kinds.entity_file(kind, "x") for kind in kinds.ENTITY_KINDS}
    samples[kinds.SERVICE] = "catalog/services/hr/payroll.yaml"  # sub-folders too
    samples[kinds.CHANGE] = "changes/2026/chg-2026-0042.yaml"
    samples[kinds.POLICY] = kinds.POLICY_FILE
    for kind, sample in samples.items():
        chosen = [
            Path(schema).name
            for schema, globs in mapping.items()
            if any(glob_regex(g).match(sample) for g in globs)
        ]
        assert chosen == [kind.schema], (kind.name, sample, chosen)


def test_init_repo_lints_clean(tmp_path: Path) -> None:
    root = init_repo(tmp_path)
    assert_lints_clean(root)
    result = run(root, "lint", "--today", TODAY)
    assert result.exit_code == 0
    # the CAB team's github, member and mailbox are the placeholders to edit
    assert result.stdout.splitlines()[-1].startswith("0 errors, 3 warnings"), result.stdout


def test_init_into_an_existing_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert_lints_clean(init_repo(tmp_path, "empty"))


def test_init_is_relative_to_the_directory_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`catalogctl -C base init new` runs "as if started in base" (like git -C)."""
    (tmp_path / "base").mkdir()
    monkeypatch.chdir(tmp_path)
    result = invoke(["-C", "base", "init", "newcat", "--today", TODAY])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "base/newcat/catalogctl.yaml").is_file()
    assert not (tmp_path / "newcat").exists()


def test_init_uses_the_name(tmp_path: Path) -> None:
    target = tmp_path / "x"
    assert invoke(["init", str(target), "--name", "Acme Corp", "--today", TODAY]).exit_code == 0
    assert "Acme Corp" in (target / "catalogctl.yaml").read_text(encoding="utf-8")
    assert "Acme Corp" in (target / "README.md").read_text(encoding="utf-8")


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert_usage_error(invoke(["init", str(target), "--today", TODAY]), "not empty")
    assert snapshot(tmp_path) == before


def test_init_refuses_a_folder_with_only_hidden_files(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    (target / ".git").mkdir(parents=True)
    before = snapshot(tmp_path)
    assert_usage_error(invoke(["init", str(target), "--today", TODAY]))
    assert snapshot(tmp_path) == before


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    before = snapshot(tmp_path)
    assert_usage_error(invoke(["init", str(target), "--today", TODAY]))
    assert snapshot(tmp_path) == before


# --------------------------------------------------------------------------- new

# In an order where every reference resolves: team, service, sla, ci, template, change.
NEW_SEQUENCE = (
    ("Team", "ops", kinds.TEAM),
    ("service", "billing", kinds.SERVICE),
    ("SLA", "standard", kinds.SLA),
    ("ci", "srv-01", kinds.CI),
    ("ConfigurationItem", "db-01", kinds.CI),
    ("template", "patching", kinds.TEMPLATE),
    ("change", "chg-2026-0001", kinds.CHANGE),
)


def new(root: Path, *args: str) -> Result:
    return run(root, "new", *args, "--today", TODAY)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return init_repo(tmp_path)


@pytest.fixture
def populated(repo: Path) -> Path:
    for name, entity_id, _ in NEW_SEQUENCE:
        assert new(repo, name, entity_id).exit_code == 0
    return repo


def test_new_every_kind_validates_and_lints_clean(repo: Path) -> None:
    for name, entity_id, kind in NEW_SEQUENCE:
        result = new(repo, name, entity_id)
        assert result.exit_code == 0, (name, result.output)
        rel = kinds.entity_file(kind, entity_id)
        assert result.stdout == rel + "\n"
        file = repo / rel
        assert file.is_file()
        assert file.parent.as_posix().endswith(kind.folder) or kind is kinds.CHANGE
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert data["kind"] == kind.name
        assert data["metadata"]["id"] == entity_id
        assert schema_errors(repo, kind, file) == []
        assert_lints_clean(repo)
    assert (repo / "changes/2026/chg-2026-0001.yaml").is_file()


def test_new_uses_the_owner_option(repo: Path) -> None:
    assert new(repo, "team", "ops").exit_code == 0
    assert new(repo, "service", "billing", "--owner", "ops").exit_code == 0
    data = yaml.safe_load((repo / "catalog/services/billing.yaml").read_text(encoding="utf-8"))
    assert data["spec"]["owner"] == "ops"
    assert_lints_clean(repo)


def test_new_rejects_an_unknown_owner(repo: Path) -> None:
    before = snapshot(repo)
    assert_usage_error(new(repo, "service", "billing", "--owner", "nobody"), "nobody")
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    "kind", [k for k in kinds.ENTITY_KINDS], ids=[k.name for k in kinds.ENTITY_KINDS]
)
def test_new_every_alias_chooses_the_right_folder(repo: Path, kind: kinds.Kind) -> None:
    assert new(repo, "team", "ops").exit_code == 0  # the owner of what follows
    assert new(repo, "service", "billing").exit_code == 0
    assert new(repo, "template", "patching").exit_code == 0
    if kind is kinds.PROBLEM:  # a problem names an incident
        assert new(repo, "incident", "inc-2026-0099").exit_code == 0
    prefix = {kinds.CHANGE: "chg", kinds.INCIDENT: "inc", kinds.PROBLEM: "prb"}.get(kind)
    for number, alias in enumerate(
        (kind.name, kind.name.lower(), kind.name.upper(), *kind.aliases), start=1
    ):
        entity_id = f"{prefix}-2026-{number:04d}" if prefix else f"x{number}"
        result = new(repo, alias, entity_id)
        assert result.exit_code == 0, (alias, result.output)
        assert result.stdout == kinds.entity_file(kind, entity_id) + "\n", alias
    # five problems name the one incident, which can name only one of them back
    assert_lints_clean(repo, *(["problem-incidents"] if kind is kinds.PROBLEM else []))


def test_new_refuses_an_existing_id(populated: Path) -> None:
    for name, entity_id, kind in NEW_SEQUENCE:
        file = populated / kinds.entity_file(kind, entity_id)
        file.write_bytes(file.read_bytes() + b"# edited by hand\n")
        before = snapshot(populated)
        assert_usage_error(new(populated, name, entity_id), "already exists")
        assert snapshot(populated) == before


def test_new_refuses_an_id_that_lives_in_a_sub_folder(repo: Path) -> None:
    assert new(repo, "service", "payroll").exit_code == 0
    folder = repo / "catalog/services/hr"
    folder.mkdir()
    (repo / "catalog/services/payroll.yaml").rename(folder / "payroll.yaml")
    before = snapshot(repo)
    assert_usage_error(new(repo, "service", "payroll"), "catalog/services/hr/payroll.yaml")
    assert snapshot(repo) == before


def test_new_never_overwrites_a_file_that_is_not_an_entity(repo: Path) -> None:
    """A file that does not parse is no entity, but it is still somebody's work."""
    broken = repo / "catalog/services/billing.yaml"
    broken.write_bytes(b"apiVersion: [half-written\n")
    before = snapshot(repo)
    assert_usage_error(new(repo, "service", "billing"), "not overwritten")
    assert snapshot(repo) == before


@pytest.mark.parametrize(
    ("kind", "entity_id"),
    [
        ("service", "Bad_ID"),
        ("service", "../../etc/passwd"),
        ("ci", "../../etc/passwd"),
        ("team", "/etc/passwd"),
        ("template", "-leading-dash"),
        ("service", "a" * 64),
        ("change", "Bad_ID"),
        ("change", "../../etc/passwd"),
        ("change", "chg-2026-42"),
        ("change", "chg-2026-0042/../../../x"),
    ],
)
def test_new_rejects_invalid_ids(tmp_path: Path, kind: str, entity_id: str) -> None:
    root = init_repo(tmp_path)
    before = snapshot(tmp_path)
    result = run(root, "new", "--today", TODAY, "--", kind, entity_id)
    assert_usage_error(result, "not a valid")
    assert snapshot(tmp_path) == before


def test_new_rejects_unknown_kinds_and_missing_ids(repo: Path) -> None:
    before = snapshot(repo)
    assert_usage_error(new(repo, "widget", "x"), "unknown kind 'widget'")
    assert_usage_error(new(repo, "policy", "x"), "unknown kind")
    assert_usage_error(new(repo, "service"), "give an id")
    assert snapshot(repo) == before


def test_new_change_without_id_picks_the_next_free_id(repo: Path) -> None:
    assert new(repo, "team", "ops").exit_code == 0
    assert new(repo, "service", "billing").exit_code == 0
    assert new(repo, "change").stdout == "changes/2026/chg-2026-0001.yaml\n"
    assert new(repo, "change").stdout == "changes/2026/chg-2026-0002.yaml\n"
    assert new(repo, "change", "chg-2026-0041").exit_code == 0
    assert new(repo, "change").stdout == "changes/2026/chg-2026-0042.yaml\n"
    # other years do not count, and a new year starts at 0001
    assert new(repo, "change", "chg-2025-0099").exit_code == 0
    assert new(repo, "change").stdout == "changes/2026/chg-2026-0043.yaml\n"
    result = run(repo, "new", "change", "--today", "2027-01-04")
    assert result.stdout == "changes/2027/chg-2027-0001.yaml\n"
    assert_lints_clean(repo)


def test_new_outside_a_catalog(tmp_path: Path) -> None:
    assert_usage_error(new(tmp_path, "service", "x"), "not a catalog")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- show


def load_yaml(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def reference_entity(kind: kinds.Kind, entity_id: str) -> tuple[Path, dict[str, Any]]:
    for path in sorted((REPO / kind.folder).rglob(f"{entity_id}.yaml")):
        return path, load_yaml(path)
    raise AssertionError(f"{kind.name} {entity_id} is not in the reference catalog")


def test_show_service_with_its_relations() -> None:
    path, data = reference_entity(kinds.SERVICE, "payroll")
    result = run(REPO, "show", "service/payroll", "--today", TODAY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Service/payroll: {data['metadata']['name']}"
    assert f"  file: {path.relative_to(REPO).as_posix()}" in lines
    spec = data["spec"]
    assert f"  owner: {spec['owner']}" in lines
    owner_line = lines.index("  spec.owner:")
    assert lines[owner_line + 1].startswith(f"    - Team/{spec['owner']} (")
    assert spec["dependsOn"], "payroll should depend on something"
    for dependency in spec["dependsOn"]:
        assert any(line.startswith(f"    - Service/{dependency} (") for line in lines)
    slas = sorted(
        load_yaml(p)["metadata"]["id"]
        for p in (REPO / "catalog/slas").rglob("*.yaml")
        if "payroll" in load_yaml(p)["spec"]["services"]
    )
    assert slas, "payroll should be covered by an SLA"
    start = lines.index("  referenced by SLA (spec.services):")
    covering = [line for line in lines[start + 1 :] if line.startswith("    - ")]
    for sla in slas:
        assert any(line.startswith(f"    - SLA/{sla} (") for line in covering)
    assert "missing!" not in result.stdout


def test_show_json() -> None:
    result = run(REPO, "show", "svc/payroll", "--format", "json", "--today", TODAY)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["kind"], document["id"]) == ("Service", "payroll")
    assert any(key.startswith("referenced by SLA") for key in document["relations"])


def test_show_unknown_entity_exits_2() -> None:
    assert_usage_error(run(REPO, "show", "service/no-such-service"), "no-such-service")
    assert_usage_error(run(REPO, "show", "payroll"), "KIND/ID")
    assert_usage_error(run(REPO, "show", "widget/payroll"), "KIND/ID")
    assert_usage_error(run(REPO, "show", "policy/x"))


# --------------------------------------------------------------------------- schema


@pytest.mark.parametrize("kind", [*kinds.ENTITY_KINDS, kinds.POLICY], ids=lambda k: k.name)
def test_schema_prints_the_catalog_schema(kind: kinds.Kind) -> None:
    result = run(REPO, "schema", kind.aliases[0])
    assert result.exit_code == 0
    expected = json.loads((REPO / "schemas" / kind.schema).read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == expected


def test_schema_service_outside_a_catalog(tmp_path: Path) -> None:
    result = run(tmp_path, "schema", "service")
    assert result.exit_code == 0
    expected = json.loads((REPO / "schemas/service.schema.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == expected


def test_schema_unknown_kind() -> None:
    assert_usage_error(run(REPO, "schema", "widget"), "unknown kind 'widget'")


# --------------------------------------------------------------------------- rules


def test_rules_lists_every_rule() -> None:
    result = run(REPO, "rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert sorted(REGISTRY) == [rule for rule in listed if rule in REGISTRY]
    for rule in REGISTRY.values():
        assert rule.summary in result.stdout


def test_rules_json() -> None:
    result = run(REPO, "rules", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert [r["id"] for r in document["rules"]] == sorted(REGISTRY)
    for row in document["rules"]:
        rule = REGISTRY[row["id"]]
        assert row["default"] == rule.severity.value
        assert row["summary"] == rule.summary


def test_rules_show_the_configured_severity(repo: Path) -> None:
    policy = repo / "catalogctl.yaml"
    text = policy.read_text(encoding="utf-8").replace(
        "rules: {}", "rules: {sla-review-overdue: error}"
    )
    policy.write_text(text, encoding="utf-8")
    rows = {r["id"]: r for r in json.loads(run(repo, "rules", "--format", "json").stdout)["rules"]}
    assert rows["sla-review-overdue"]["severity"] == "error"
    assert rows["sla-review-overdue"]["default"] == "warning"
    assert "* set in catalogctl.yaml" in run(repo, "rules").stdout


def test_rules_outside_a_catalog(tmp_path: Path) -> None:
    result = run(tmp_path, "rules", "--format", "json")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)["rules"]] == sorted(REGISTRY)


# --------------------------------------------------------------------------- help

COMMANDS = sorted(main.commands)


def test_every_command_is_covered_here() -> None:
    assert {"init", "lint", "new", "rules", "schema", "show"} <= set(COMMANDS)


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=["catalogctl", *COMMANDS])
def test_help_has_examples(command: list[str]) -> None:
    result = invoke([*command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "Example" in result.stdout, f"`catalogctl {' '.join(command)} --help` has no example"
