"""`catalogctl change`: list, show, new, advance, calendar; in-place editing; iCalendar."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from click.testing import CliRunner, Result

from catalogctl.change import calendar, editing
from catalogctl.change import ics as icswriter
from catalogctl.change.files import load_changes
from catalogctl.cli import change as cli_change
from catalogctl.cli import main
from catalogctl.load import yamlsafe
from catalogctl.model import workflow
from catalogctl.site.view import make_view
from gitrepo import assert_usage_error
from paths import REPO

REPO = REPO
BASE = REPO / "tests" / "cases" / "_base"
TODAY = "2026-11-28"
UTC = dt.UTC
# The UID domain of the test catalog, which has a site title but no URL
# (calendar.uid_domain): the first 16 hex digits of sha256("acme it").
ACME = "3b0e3ab36eec5c6b.catalogctl"


# ---------------------------------------------------------------- helpers


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), *args], env={"NO_COLOR": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def change_yaml(
    change_id: str,
    *,
    state: str = "scheduled",
    change_type: str = "normal",
    services: Sequence[str] = (),
    cis: Sequence[str] = (),
    window: tuple[str, str] | None = ("2027-01-16T06:00:00+01:00", "2027-01-16T10:00:00+01:00"),
    outage: bool = False,
    name: str | None = None,
    risk: tuple[str, str] = ("low", "low"),
    description: str | None = None,
) -> str:
    spec: dict[str, Any] = {"type": change_type}
    if change_type == "standard":
        spec["template"] = "os-patch"
    spec.update(
        {
            "state": state,
            "requester": "carol",
            "owner": "ops",
            "targets": {k: list(v) for k, v in (("services", services), ("cis", cis)) if v},
            "risk": {"impact": risk[0], "likelihood": risk[1]},
        }
    )
    if window is not None:
        spec["window"] = {"start": window[0], "end": window[1]}
    spec["outage"] = outage
    spec["plan"] = {
        "implementation": "Secret step: log in as root on esx-01.",
        "backout": "Roll back.",
        "validation": "Check.",
    }
    if state in ("review", "closed"):
        spec["closure"] = {"code": "successful", "notes": "Done."}
    metadata: dict[str, Any] = {"id": change_id, "name": name or f"Change {change_id}"}
    if description is not None:
        metadata["description"] = description
    document = {
        "apiVersion": "catalogctl/v1",
        "kind": "ChangeRequest",
        "metadata": metadata,
        "spec": spec,
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def add_change(root: Path, change_id: str, **options: Any) -> Path:
    year = change_id.split("-")[1]
    path = root / "changes" / year / f"{change_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(change_yaml(change_id, **options), encoding="utf-8")
    return path


FREEZE = """
freezes:
  - id: year-end
    name: Year-end freeze
    start: 2026-12-19T00:00:00+01:00
    end: 2027-01-04T00:00:00+01:00
    allow: [emergency]
site:
  title: Acme IT
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The tiny test catalog (payroll depends on identity and runs on vm-payroll,
    which runs on esx-01) with a year-end freeze."""
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    policy = root / "catalogctl.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + FREEZE, encoding="utf-8")
    return root


@pytest.fixture
def busy(base: Path) -> Path:
    """Changes around one weekend in January 2027.

    0001 closed (the base), 0002 scheduled on esx-01, 0003 implementing on
    payroll (overlaps 0002 through the graph), 0004 scheduled on identity
    (overlaps 0003's window; identity is a dependency of payroll, so the two
    share it), 0005 in assess on esx-01 (not active: no conflict), 0006
    scheduled on vm-payroll in the year-end freeze, 0007 emergency in the
    freeze (allowed), 0008 scheduled on identity later (no overlap).
    """
    add_change(base, "chg-2027-0002", cis=["esx-01"], outage=True)
    add_change(
        base,
        "chg-2027-0003",
        state="implement",
        services=["payroll"],
        window=("2027-01-16T08:00:00+01:00", "2027-01-16T12:00:00+01:00"),
        outage=True,
    )
    add_change(
        base,
        "chg-2027-0004",
        services=["identity"],
        window=("2027-01-16T11:00:00+01:00", "2027-01-16T13:00:00+01:00"),
    )
    add_change(base, "chg-2027-0005", state="assess", cis=["esx-01"])
    add_change(
        base,
        "chg-2027-0006",
        cis=["vm-payroll"],
        window=("2026-12-28T22:00:00+01:00", "2026-12-28T23:00:00+01:00"),
    )
    add_change(
        base,
        "chg-2027-0007",
        state="implement",
        change_type="emergency",
        cis=["vm-payroll"],
        window=("2026-12-30T22:00:00+01:00", "2026-12-30T23:00:00+01:00"),
    )
    add_change(
        base,
        "chg-2027-0008",
        services=["identity"],
        window=("2027-02-01T10:00:00Z", "2027-02-01T11:00:00Z"),
    )
    return base


def lint_clean(root: Path) -> None:
    result = run(root, "lint", "--today", TODAY, "--strict")
    assert result.exit_code == 0, result.output


def lint_leaves_only_placeholders(root: Path) -> None:
    """What a skeleton cannot know (the plan, which of several services) is left
    to a person: placeholder-text warnings, and no service named `my-service`."""
    result = run(root, "lint", "--today", TODAY, "--format", "json")
    diagnostics = json.loads(result.stdout)["diagnostics"]
    assert diagnostics, "a fresh skeleton holds placeholders"
    for d in diagnostics:
        assert d["rule"] == "placeholder-text" or "'my-service'" in d["message"], d


# ---------------------------------------------------------------- cli


def test_cli_choices_match_the_workflow() -> None:
    assert cli_change.CHANGE_STATES == workflow.STATES
    assert set(cli_change.CHANGE_TYPES) == set(workflow.PATHS)


def test_fixture_catalog_is_clean(busy: Path) -> None:
    lint_clean(busy)


def test_help_lists_the_subcommands(base: Path) -> None:
    result = run(base, "change", "--help")
    assert result.exit_code == 0
    for name in ("list", "show", "new", "advance", "calendar"):
        assert name in result.output


# ---------------------------------------------------------------- list


def test_list_text(busy: Path) -> None:
    result = run(busy, "change", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "TYPE", "STATE", "RISK", "WINDOW", "TITLE"]
    assert [line.split()[0] for line in lines[1:]] == [
        "chg-2026-0001",
        *(f"chg-2027-000{n}" for n in range(2, 9)),
    ]
    row = next(line for line in lines if line.startswith("chg-2027-0003"))
    assert "normal" in row and "implement" in row and "low" in row
    assert "2027-01-16 08:00+01:00 to 2027-01-16 12:00+01:00" in row
    assert row.endswith("Change chg-2027-0003")


def test_list_shows_raised_risk(busy: Path) -> None:
    payroll = busy / "catalog" / "services" / "payroll.yaml"
    payroll.write_text(payroll.read_text().replace("tier: 2", "tier: 1"))
    add_change(busy, "chg-2027-0009", state="new", cis=["esx-01"], risk=("medium", "medium"))
    result = run(busy, "change", "list", "--state", "new")
    assert result.exit_code == 0
    assert "high (raised from medium: tier 1 payroll)" in result.output
    document = json.loads(run(busy, "change", "list", "--format", "json").output)
    by_id = {c["id"]: c for c in document}
    assert by_id["chg-2027-0009"]["risk"] == {
        "level": "high",
        "declared": "medium",
        "raisedBy": ["payroll"],
        "text": "high (raised from medium: tier 1 payroll)",
    }
    assert by_id["chg-2027-0002"]["risk"]["level"] == "medium"  # low, raised via vm -> payroll


def test_list_filters_and_json(busy: Path) -> None:
    document = json.loads(
        run(busy, "change", "list", "--state", "scheduled", "--format", "json").output
    )
    assert [c["id"] for c in document] == [
        "chg-2027-0002",
        "chg-2027-0004",
        "chg-2027-0006",
        "chg-2027-0008",
    ]
    first = document[0]
    assert first["type"] == "normal" and first["state"] == "scheduled"
    assert first["window"] == {
        "start": "2027-01-16T06:00:00+01:00",
        "end": "2027-01-16T10:00:00+01:00",
    }
    assert first["outage"] is True
    assert first["file"] == "changes/2027/chg-2027-0002.yaml"
    emergency = json.loads(
        run(busy, "change", "list", "--type", "emergency", "--format", "json").output
    )
    assert [c["id"] for c in emergency] == ["chg-2027-0007"]
    none = run(busy, "change", "list", "--type", "emergency", "--state", "new")
    assert none.exit_code == 0 and "no change requests match" in none.output
    assert run(busy, "change", "list", "--state", "bogus").exit_code == 2


def test_list_of_the_reference_catalog() -> None:
    result = run(REPO, "change", "list", "--format", "json")
    assert result.exit_code == 0
    ids = [c["id"] for c in json.loads(result.output)]
    assert ids == sorted(ids) and "chg-2027-0001" in ids


# ---------------------------------------------------------------- show


def test_show_text(busy: Path) -> None:
    result = run(busy, "change", "show", "chg-2027-0002")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("chg-2027-0002: Change chg-2027-0002\n")
    assert "  state:     scheduled\n" in out
    assert "  next:      implement, canceled, assess\n" in out
    assert "  risk:      medium (raised from low: tier 1" not in out  # payroll is tier 2
    assert "  window:    2027-01-16 06:00+01:00 to 2027-01-16 10:00+01:00\n" in out
    assert "    - ci/esx-01 (ESX host 01)\n" in out
    assert "    implementation:\n      Secret step" in out
    assert (
        "    ! chg-2027-0002 and chg-2027-0003 overlap: "
        "service/payroll (chg-2027-0003) depends on ci/esx-01\n" in out
    )
    assert "chg-2027-0005" not in out  # in assess: not a conflict
    assert "  freezes:   none" in out


def test_show_json_conflicts_and_freezes(busy: Path) -> None:
    document = json.loads(run(busy, "change", "show", "chg-2027-0003", "--format", "json").output)
    assert document["state"] == "implement"
    assert document["next"] == ["review", "canceled", "assess"]
    assert document["targets"] == [{"ref": "service/payroll", "name": "Payroll"}]
    assert document["risk"]["level"] == "low"
    conflicts = {c["other"]: c for c in document["conflicts"]}
    assert set(conflicts) == {"chg-2027-0002", "chg-2027-0004"}
    assert conflicts["chg-2027-0002"] == {
        "kind": "overlap",
        "change": "chg-2027-0003",
        "other": "chg-2027-0002",
        "direct": [],
        "through": [
            {"dependent": "service/payroll", "change": "chg-2027-0003", "dependsOn": "ci/esx-01"}
        ],
        "message": "chg-2027-0003 and chg-2027-0002 overlap: "
        "service/payroll (chg-2027-0003) depends on ci/esx-01",
    }
    assert conflicts["chg-2027-0004"]["through"] == [
        {"dependent": "service/payroll", "change": "chg-2027-0003", "dependsOn": "service/identity"}
    ]
    # a target both name
    add_change(
        busy,
        "chg-2027-0009",
        services=["payroll"],
        window=("2027-01-16T11:30:00+01:00", "2027-01-16T12:30:00+01:00"),
    )
    document = json.loads(run(busy, "change", "show", "chg-2027-0009", "--format", "json").output)
    by_other = {c["other"]: c for c in document["conflicts"]}
    assert by_other["chg-2027-0003"]["direct"] == ["service/payroll"]
    assert by_other["chg-2027-0003"]["message"] == (
        "chg-2027-0009 and chg-2027-0003 overlap: both target service/payroll"
    )
    frozen = json.loads(run(busy, "change", "show", "chg-2027-0006", "--format", "json").output)
    assert frozen["freezes"] == [
        {
            "id": "year-end",
            "name": "Year-end freeze",
            "start": "2026-12-19T00:00:00+01:00",
            "end": "2027-01-04T00:00:00+01:00",
            "allow": ["emergency"],
            "allowed": False,
        }
    ]
    text = run(busy, "change", "show", "chg-2027-0006").output
    assert "! year-end (Year-end freeze), allows emergency: NOT ALLOWED for a normal change" in text
    emergency = json.loads(run(busy, "change", "show", "chg-2027-0007", "--format", "json").output)
    assert emergency["freezes"][0]["allowed"] is True


def test_show_siblings_and_distant_windows_do_not_conflict(busy: Path) -> None:
    # vm-payroll and identity are both dependencies of payroll, but neither
    # depends on the other: overlapping changes to them do not collide.
    add_change(
        busy,
        "chg-2027-0009",
        cis=["vm-payroll"],
        window=("2027-02-01T10:30:00Z", "2027-02-01T12:00:00Z"),
    )
    document = json.loads(run(busy, "change", "show", "chg-2027-0009", "--format", "json").output)
    assert document["conflicts"] == []
    # windows that only touch (end == start) do not overlap
    add_change(
        busy,
        "chg-2027-0010",
        services=["identity"],
        window=("2027-02-01T11:00:00Z", "2027-02-01T12:00:00Z"),
    )
    document = json.loads(run(busy, "change", "show", "chg-2027-0010", "--format", "json").output)
    assert document["conflicts"] == []


def test_show_closed_and_unknown(busy: Path) -> None:
    closed = run(busy, "change", "show", "change/chg-2026-0001")
    assert closed.exit_code == 0
    assert "  next:      none (final)\n" in closed.output
    assert "  closure:   successful\n" in closed.output
    assert_usage_error(run(busy, "change", "show", "chg-2027-0999"), "chg-2027-0999", "change list")


# ---------------------------------------------------------------- new


def test_new_normal_change(base: Path) -> None:
    result = run(base, "change", "new", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.output == "changes/2026/chg-2026-0002.yaml\n"
    again = run(base, "change", "new", "--today", TODAY)
    assert again.output == "changes/2026/chg-2026-0003.yaml\n"
    text = (base / "changes/2026/chg-2026-0002.yaml").read_text(encoding="utf-8")
    # identical to `catalogctl new change` (which it reuses)
    assert run(base, "new", "change", "chg-2026-0009", "--today", TODAY).exit_code == 0
    same = (base / "changes/2026/chg-2026-0009.yaml").read_text(encoding="utf-8")
    assert text == same.replace("chg-2026-0009", "chg-2026-0002")
    lint_leaves_only_placeholders(base)


def test_new_year_and_explicit_id(base: Path) -> None:
    assert run(base, "change", "new", "--today", "2027-03-01").output == (
        "changes/2027/chg-2027-0001.yaml\n"
    )
    assert run(base, "change", "new", "chg-2027-0042", "--today", TODAY).exit_code == 0
    assert run(base, "change", "new", "--today", "2027-03-01").output == (
        "changes/2027/chg-2027-0043.yaml\n"
    )
    assert_usage_error(run(base, "change", "new", "chg-2027-0042"), "already exists")
    assert_usage_error(run(base, "change", "new", "CHG-1"), "not a valid ChangeRequest id")


def test_new_emergency_and_standard(base: Path) -> None:
    assert run(base, "change", "new", "--type", "emergency", "--today", TODAY).exit_code == 0
    emergency = (base / "changes/2026/chg-2026-0002.yaml").read_text(encoding="utf-8")
    assert "  type: emergency             # standard" in emergency
    assert "# new -> authorize -> implement -> review -> closed." in emergency
    assert "template" not in yaml.safe_load(emergency)["spec"]
    result = run(base, "change", "new", "--template", "os-patch", "--today", TODAY)
    assert result.exit_code == 0, result.output
    standard = (base / "changes/2026/chg-2026-0003.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(standard)["spec"]
    assert spec["type"] == "standard" and spec["template"] == "os-patch"
    assert "# new -> scheduled -> implement -> review -> closed." in standard
    assert "virtual-machine, server; window at most 4h" in standard
    explicit = run(base, "change", "new", "--type", "standard", "--template", "os-patch")
    assert explicit.exit_code == 0
    lint_leaves_only_placeholders(base)


def test_new_refuses_bad_template_use(base: Path) -> None:
    assert_usage_error(
        run(base, "change", "new", "--type", "standard"), "needs --template", "os-patch"
    )
    assert_usage_error(
        run(base, "change", "new", "--type", "normal", "--template", "os-patch"),
        "standard changes only",
    )
    assert_usage_error(run(base, "change", "new", "--template", "nope"), "no ChangeTemplate")
    assert_usage_error(run(base, "change", "new", "--owner", "nobody"), "no Team")
    assert not list((base / "changes").rglob("chg-2026-0002.yaml"))


# ---------------------------------------------------------------- editing (pure)


def assert_only_state_changed(before: bytes, after: bytes, old: str, new: str) -> None:
    """Every byte outside the state value is the same."""
    found = list(re.finditer(rb"""["']?state["']?:[ \t]*["']?(?=""" + old.encode() + rb")", before))
    assert len(found) == 1, before
    at = found[0].end()
    assert before[:at] == after[:at]
    assert after[at : at + len(new)] == new.encode()
    assert before[at + len(old) :] == after[at + len(new) :]


EDIT_CASES = {
    "block": "apiVersion: catalogctl/v1\nspec:\n  type: normal\n  state: new\n  owner: ops\n",
    "crlf": "# comment\r\nspec:\r\n  type: normal\r\n  state: new\r\n  owner: ops\r\n",
    "double-quoted": 'spec:\n  type: normal\n  state: "new"\n',
    "single-quoted": "spec:\n  type: normal\n  state: 'new'   # keep\n",
    "comment": "spec:\n  state: new   # moved by the CAB, 2026-11-02\n  type: normal\n",
    "flow": "spec: {type: normal, state: new, owner: ops}  # flow\n",
    "flow-multiline": "spec: {\n  type: normal,\n  state: new\n}\n",
    "nested-key-named-state": "metadata:\n  state: new\nspec:\n  state: new\n",
    "unicode-before": "metadata:\n  name: Größe 😀 ändern\nspec:\n  state: new\n",
    "no-final-newline": "spec:\n  state: new",
    "quoted-key": 'spec:\n  "state": new\n',
    "tabs-and-spaces": "spec:\n    state:    new\t# tab before comment\n",
}


@pytest.mark.parametrize("name", sorted(EDIT_CASES))
def test_set_state_changes_only_the_value(name: str) -> None:
    before = EDIT_CASES[name]
    after = editing.set_state(before, "assess")
    data, problems, _ = yamlsafe.parse(after)
    assert problems == [] and data["spec"]["state"] == "assess"
    if name == "nested-key-named-state":
        assert after == "metadata:\n  state: new\nspec:\n  state: assess\n"
        return
    assert_only_state_changed(before.encode(), after.encode(), "new", "assess")


def test_set_state_keeps_the_quoting_style() -> None:
    assert 'state: "assess"' in editing.set_state(EDIT_CASES["double-quoted"], "assess")
    assert "state: 'assess'   # keep" in editing.set_state(EDIT_CASES["single-quoted"], "assess")
    assert editing.set_state(EDIT_CASES["crlf"], "assess").count("\r\n") == 5


def test_replace_scalar_quotes_values_that_would_change_meaning() -> None:
    text = "spec:\n  note: hello  # c\n"
    assert editing.replace_scalar(text, ("spec", "note"), "true") == 'spec:\n  note: "true"  # c\n'
    assert editing.replace_scalar(text, ("spec", "note"), "a: b") == 'spec:\n  note: "a: b"  # c\n'
    single = "spec:\n  note: 'x'\n"
    assert editing.replace_scalar(single, ("spec", "note"), "it's") == "spec:\n  note: 'it''s'\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("spec:\n  state: |\n    new\n", "not written on one line"),
        ("spec:\n  state: [new]\n", "not a single value"),
        ("spec:\n  type: normal\n", "spec.state is missing"),
        ("spec:\n  state: new\n  state: assess\n", "defined more than once"),
        ("spec: [1]\n", "spec is not a mapping"),
        ("spec:\n  state:\n", "has no value"),
        ("", "empty"),
    ],
)
def test_set_state_refuses_what_it_cannot_splice(text: str, message: str) -> None:
    with pytest.raises(editing.EditError, match=message):
        editing.set_state(text, "assess")


def test_insert_after_keeps_indentation_and_line_ends() -> None:
    text = "spec:\r\n    type: standard  # t\r\n    state: new\r\n"
    out = editing.insert_after(text, ("spec", "type"), "template", "os-patch")
    assert out == "spec:\r\n    type: standard  # t\r\n    template: os-patch\r\n    state: new\r\n"
    with pytest.raises(editing.EditError, match="exists already"):
        editing.insert_after(out, ("spec", "type"), "template", "x")
    with pytest.raises(editing.EditError, match="block mapping"):
        editing.insert_after("spec: {type: standard}\n", ("spec", "type"), "template", "x")
    assert editing.insert_after("a: 1", ("a",), "b", "2") == 'a: 1\nb: "2"'


# ---------------------------------------------------------------- advance


def test_advance_legal_move_preserves_every_other_byte(busy: Path) -> None:
    path = busy / "changes/2027/chg-2027-0005.yaml"
    original = (
        "# Keep this comment.\n"
        + path.read_text(encoding="utf-8")
        .replace("  state: assess\n", "  state: assess    # after CAB prep\n")
        .replace("  owner: ops\n", "  owner: 'ops'\n")
    ).encode()
    path.write_bytes(original)
    os.chmod(path, 0o640)
    result = run(busy, "change", "advance", "chg-2027-0005", "authorize")
    assert result.exit_code == 0, result.output
    assert result.output == ("changes/2027/chg-2027-0005.yaml:9: spec.state assess -> authorize\n")
    after = path.read_bytes()
    assert_only_state_changed(original, after, "assess", "authorize")
    assert b"state: authorize    # after CAB prep\n" in after
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp left
    lint_clean(busy)


def test_advance_crlf_bom_and_quoted_file(busy: Path) -> None:
    path = busy / "changes/2027/chg-2027-0005.yaml"
    text = path.read_text(encoding="utf-8").replace("  state: assess\n", '  state: "assess"\n')
    original = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    path.write_bytes(original)
    result = run(busy, "change", "advance", "chg-2027-0005", "canceled")
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert_only_state_changed(original, after, "assess", "canceled")
    assert b'state: "canceled"\r\n' in after
    assert after.count(b"\r\n") == original.count(b"\r\n") and b"\n" not in after.replace(
        b"\r\n", b""
    )


def test_advance_flow_style_spec(base: Path) -> None:
    path = base / "changes/2026/chg-2026-0002.yaml"
    original = (
        b"apiVersion: catalogctl/v1\r\n"
        b"kind: ChangeRequest\r\n"
        b"metadata: {id: chg-2026-0002, name: Flow}\r\n"
        b"spec: {type: emergency, state: new, requester: carol, owner: ops,\r\n"
        b"  targets: {cis: [esx-01]}, risk: {impact: low, likelihood: low},\r\n"
        b"  plan: {implementation: a, backout: b, validation: c}}  # flow!\r\n"
    )
    path.write_bytes(original)
    assert run(base, "change", "advance", "chg-2026-0002", "authorize").exit_code == 0
    assert_only_state_changed(original, path.read_bytes(), "new", "authorize")
    lint_clean(base)


def test_advance_refuses_illegal_moves(busy: Path) -> None:
    path = busy / "changes/2027/chg-2027-0005.yaml"
    before = path.read_bytes()
    result = run(busy, "change", "advance", "chg-2027-0005", "scheduled")
    assert_usage_error(
        result,
        "chg-2027-0005 (normal change) cannot move from assess to scheduled",
        "legal next states: authorize, canceled",
    )
    assert_usage_error(run(busy, "change", "advance", "chg-2027-0005", "assess"), "already")
    # standard changes skip assess
    add_change(busy, "chg-2027-0009", state="new", change_type="standard", cis=["vm-payroll"])
    assert_usage_error(
        run(busy, "change", "advance", "chg-2027-0009", "assess"),
        "legal next states: scheduled, canceled",
    )
    assert path.read_bytes() == before
    assert run(busy, "change", "advance", "chg-2027-0005", "finished").exit_code == 2


def test_advance_refuses_closed_and_canceled(busy: Path) -> None:
    path = busy / "changes/2026/chg-2026-0001.yaml"
    before = path.read_bytes()
    assert_usage_error(run(busy, "change", "advance", "chg-2026-0001", "review"), "closed", "final")
    assert_usage_error(run(busy, "change", "advance", "chg-2026-0001", "canceled"), "final")
    assert path.read_bytes() == before
    assert run(busy, "change", "advance", "chg-2027-0005", "canceled").exit_code == 0
    assert_usage_error(run(busy, "change", "advance", "chg-2027-0005", "new"), "canceled")


def test_advance_needs_window_and_closure(busy: Path) -> None:
    add_change(busy, "chg-2027-0009", state="authorize", cis=["esx-01"], window=None)
    assert_usage_error(
        run(busy, "change", "advance", "chg-2027-0009", "scheduled"),
        "cannot enter scheduled without spec.window",
    )
    assert_usage_error(
        run(busy, "change", "advance", "chg-2027-0003", "review"),
        "cannot enter review without spec.closure",
    )
    # rejection back to new needs nothing
    assert run(busy, "change", "advance", "chg-2027-0009", "new").exit_code == 0


def test_advance_dry_run_writes_nothing(busy: Path) -> None:
    path = busy / "changes/2027/chg-2027-0002.yaml"
    before = path.read_bytes()
    result = run(busy, "change", "advance", "chg-2027-0002", "implement", "--dry-run")
    assert result.exit_code == 0
    assert "spec.state scheduled -> implement (dry run: nothing written)" in result.stdout
    assert "warning: chg-2027-0002 and chg-2027-0003 overlap: service/payroll" in result.stderr
    assert path.read_bytes() == before


def test_advance_unknown_change(busy: Path) -> None:
    assert_usage_error(run(busy, "change", "advance", "chg-2030-0001", "assess"), "no Change")


# ---------------------------------------------------------------- calendar (text, json)


def test_calendar_text(busy: Path) -> None:
    result = run(busy, "change", "calendar", "--from", "2026-12-01", "--to", "2027-01-31")
    assert result.exit_code == 0, result.output
    out = result.output
    lines = out.splitlines()
    assert lines[0].startswith("2026-12-19 00:00+01:00 to 2027-01-04 00:00+01:00  FREEZE year-end")
    assert (
        "2027-01-16 06:00+01:00 to 2027-01-16 10:00+01:00  chg-2027-0002  "
        "normal/scheduled OUTAGE CONFLICT  Change chg-2027-0002" in lines
    )
    assert "    targets: ci/esx-01" in lines
    assert "chg-2027-0005" not in out  # assess: not on the calendar
    assert "chg-2027-0008" not in out  # February: outside the range
    assert "chg-2026-0001" not in out  # closed in March 2026: outside the range
    assert "  ! chg-2027-0006 (normal) falls in freeze year-end, which allows emergency" in lines
    assert (
        "  ! chg-2027-0003 and chg-2027-0004 overlap: "
        "service/payroll (chg-2027-0003) depends on service/identity" in lines
    )
    assert lines[-1] == "5 change windows, 1 freeze, 3 conflicts"


def test_calendar_json(busy: Path) -> None:
    result = run(busy, "change", "calendar", "--format", "json")
    document = json.loads(result.output)
    assert document["from"] is None and document["name"] == "Acme IT change calendar"
    events = {e["id"]: e for e in document["events"]}
    assert list(events) == [
        "chg-2026-0001",
        "year-end",
        "chg-2027-0006",
        "chg-2027-0007",
        "chg-2027-0002",
        "chg-2027-0003",
        "chg-2027-0004",
        "chg-2027-0008",
    ]
    assert events["chg-2026-0001"]["state"] == "closed"
    assert events["chg-2027-0003"]["outage"] is True
    assert events["chg-2027-0003"]["targets"] == {"services": ["payroll"], "cis": []}
    assert events["chg-2027-0003"]["publicServices"] == ["payroll"]
    assert events["chg-2027-0003"]["conflict"] is True
    assert events["chg-2027-0008"]["conflict"] is False
    assert events["year-end"] == {
        "kind": "freeze",
        "id": "year-end",
        "title": "Year-end freeze",
        "start": "2026-12-19T00:00:00+01:00",
        "end": "2027-01-04T00:00:00+01:00",
        "allow": ["emergency"],
    }
    pairs = {(c["kind"], c["change"], c["other"]) for c in document["conflicts"]}
    assert pairs == {
        ("overlap", "chg-2027-0002", "chg-2027-0003"),
        ("overlap", "chg-2027-0003", "chg-2027-0004"),
        ("freeze", "chg-2027-0006", "year-end"),
    }
    assert ("freeze", "chg-2027-0007", "year-end") not in pairs  # emergency is allowed


def test_calendar_range_and_bad_dates(busy: Path) -> None:
    document = json.loads(
        run(busy, "change", "calendar", "--from", "2027-02-01", "--format", "json").output
    )
    assert [e["id"] for e in document["events"]] == ["chg-2027-0008"]
    assert document["from"] == "2027-02-01T00:00:00+00:00"
    # --to is inclusive: the whole last day
    document = json.loads(
        run(busy, "change", "calendar", "--to", "2026-03-14", "--format", "json").output
    )
    assert [e["id"] for e in document["events"]] == ["chg-2026-0001"]
    assert_usage_error(run(busy, "change", "calendar", "--from", "tomorrow"), "--from tomorrow")
    assert_usage_error(
        run(busy, "change", "calendar", "--from", "2027-02-01", "--to", "2027-01-01"), "before"
    )


def test_calendar_public_view_hides_internal_details(busy: Path) -> None:
    document = json.loads(run(busy, "change", "calendar", "--public", "--format", "json").output)
    # only outage changes hitting a public service (payroll is public; 0002's
    # target esx-01 feeds it); no freezes, no conflicts
    assert [e["id"] for e in document["events"]] == ["chg-2027-0002", "chg-2027-0003"]
    assert document["conflicts"] == []
    assert document["events"][0] == {
        "kind": "change",
        "id": "chg-2027-0002",
        "title": "Maintenance: Payroll",
        "start": "2027-01-16T06:00:00+01:00",
        "end": "2027-01-16T10:00:00+01:00",
        "services": [{"id": "payroll", "name": "Payroll"}],
    }
    for fmt in ("text", "json", "ics"):
        out = run(busy, "change", "calendar", "--public", "--format", fmt).output
        for secret in ("Secret step", "carol", "esx-01", "Year-end", "Change chg-2027"):
            assert secret not in out, (fmt, secret)


def test_calendar_of_the_reference_catalog() -> None:
    result = run(REPO, "change", "calendar", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert {"year-end-2026", "chg-2027-0001"} <= {e["id"] for e in document["events"]}


def maintenance_ahead(now: dt.datetime) -> tuple[list[str], list[str]]:
    """What the reference catalog's Maintenance page lists at `now`: the ids
    of its upcoming outage windows and of its upcoming freezes."""
    _, catalog, policy = load_changes(REPO)
    view = make_view(catalog, policy, internal=False, now=now)
    windows = [change.id for change, _, _ in view.upcoming]
    freezes = [
        f.id
        for f in policy.freezes
        if (window := calendar.freeze_window(f)) is not None and window[1] > now
    ]
    return windows, freezes


def test_reference_catalog_shows_what_the_maintenance_page_is_for() -> None:
    """At the tests' date the reference site announces downtime of public live
    services, in the page and in the feed, and the freezes ahead."""
    now = dt.datetime.fromisoformat(TODAY).replace(tzinfo=UTC)
    windows, freezes = maintenance_ahead(now)
    assert windows == ["chg-2027-0005", "chg-2027-0006"]
    assert freezes == ["year-end-2026", "peak-season-2027"]
    data = ics(REPO, "--public", "--from", TODAY)
    _, events = parse_ics(data)
    assert [str(e["SUMMARY"]) for e in events.values()] == [
        "Maintenance: Shipment Tracking Portal",
        "Maintenance: Logistics Reporting, Warehouse Management (WMS)",
    ]


def test_reference_catalog_maintenance_is_still_ahead() -> None:
    """The reminder: the reference data is a fixed record, so its maintenance
    picture ages. This fails on the day its last outage window or freeze has
    passed (docs/decisions.md, "Reference catalog")."""
    now = dt.datetime.now(UTC)
    windows, freezes = maintenance_ahead(now)
    how = (
        "Roll the reference catalog forward: add a scheduled change with "
        "`outage: true` on a public live service, a few months ahead (and move the "
        "changes whose windows have passed on to review or closed), or next year's "
        "freeze in catalogctl.yaml."
    )
    assert windows, f"the reference catalog has no outage window after {now:%Y-%m-%d}. {how}"
    assert freezes, f"the reference catalog has no change freeze after {now:%Y-%m-%d}. {how}"


# ---------------------------------------------------------------- calendar (iCalendar)


def ics(root: Path, *args: str) -> bytes:
    result = run(root, "change", "calendar", "--format", "ics", *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def parse_ics(data: bytes) -> tuple[icalendar.Calendar, dict[str, icalendar.Component]]:
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    return cal, events


def categories(event: icalendar.Component) -> list[str]:
    value: Any = event["CATEGORIES"]
    return [str(c) for c in value.cats]


def assert_rfc5545_lines(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    assert b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # never split inside a UTF-8 sequence


def test_ics_parses_with_icalendar(busy: Path) -> None:
    data = ics(busy)
    assert_rfc5545_lines(data)
    cal, events = parse_ics(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == icswriter.PRODID
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Acme IT change calendar"
    assert len(events) == 8
    assert set(events) == {
        f"chg-2026-0001@{ACME}",
        f"freeze-year-end@{ACME}",
        *(f"chg-2027-000{n}@{ACME}" for n in (2, 3, 4, 6, 7, 8)),
    }
    event = events[f"chg-2027-0002@{ACME}"]
    assert event.decoded("DTSTART") == dt.datetime(2027, 1, 16, 5, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == dt.datetime(2027, 1, 16, 9, 0, tzinfo=UTC)
    assert b"DTSTART:20270116T050000Z\r\n" in data
    assert b"DTEND:20270116T090000Z\r\n" in data
    assert event.decoded("DTSTAMP") == event.decoded("DTSTART")
    assert str(event["SUMMARY"]) == "chg-2027-0002: Change chg-2027-0002"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert categories(event) == [
        "Change",
        "Normal change",
        "Outage",
        "Conflict",
    ]
    description = str(event["DESCRIPTION"])
    assert "Outage: yes" in description and "requester: carol" in description
    assert "CONFLICT: chg-2027-0002 and chg-2027-0003 overlap" in description
    assert "Implementation:\nSecret step" in description
    freeze = events[f"freeze-year-end@{ACME}"]
    assert freeze.decoded("DTSTART") == dt.datetime(2026, 12, 18, 23, 0, tzinfo=UTC)
    assert str(freeze["SUMMARY"]) == "Change freeze: Year-end freeze"
    # reproducible: the same catalog gives the same bytes
    assert ics(busy) == data


def test_ics_escapes_and_folds(base: Path) -> None:
    title = 'Fix a;b,c\\d and "quotes"\nsecond line'
    long = "Übergang der Lohnabrechnung \u2013 schrittweise, ölig; 😀 " * 6
    add_change(
        base,
        "chg-2027-0002",
        cis=["esx-01"],
        name=title,
        description=long,
        window=("2027-01-16T06:00:00.5+01:00", "2027-01-16T10:00:00+01:00"),
    )
    lint_clean(base)
    data = ics(base, "--now", "2026-11-28T12:00:00+01:00")
    assert_rfc5545_lines(data)
    assert b'SUMMARY:chg-2027-0002: Fix a\\;b\\,c\\\\d and "quotes"\\nsecond line\r\n' in data
    assert b"DTSTAMP:20261128T110000Z\r\n" in data
    assert b"DTSTART:20270116T050000Z\r\n" in data  # fractions of a second dropped
    folded = [line for line in data.split(b"\r\n") if line.startswith(b" ")]
    assert len(folded) > 5
    assert any(len(line) in (73, 74, 75) for line in folded)
    _, events = parse_ics(data)
    event = events[f"chg-2027-0002@{ACME}"]
    assert str(event["SUMMARY"]) == f"chg-2027-0002: {title}"
    assert long.strip() in str(event["DESCRIPTION"])


def test_ics_public_feed(busy: Path) -> None:
    data = ics(busy, "--public")
    assert_rfc5545_lines(data)
    cal, events = parse_ics(data)
    assert str(cal["X-WR-CALNAME"]) == "Acme IT maintenance"
    assert set(events) == {f"chg-2027-0002.public@{ACME}", f"chg-2027-0003.public@{ACME}"}
    event = events[f"chg-2027-0003.public@{ACME}"]
    assert str(event["SUMMARY"]) == "Maintenance: Payroll"
    assert str(event["DESCRIPTION"]) == (
        "Planned maintenance with customer-visible downtime of: Payroll.\nReference: chg-2027-0003"
    )
    assert categories(event) == ["Maintenance"]


def test_ics_to_a_file(busy: Path) -> None:
    result = run(busy, "change", "calendar", "--format", "ics", "-o", "site/feed.ics")
    assert_usage_error(result, "does not exist")
    (busy / "site").mkdir()
    result = run(busy, "change", "calendar", "--format", "ics", "-o", "site/feed.ics")
    assert result.exit_code == 0 and result.output == ""
    assert (busy / "site" / "feed.ics").read_bytes() == ics(busy)


def test_empty_ics(base: Path) -> None:
    data = ics(base, "--from", "2030-01-01")
    assert data == (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//catalogctl//Change calendar//EN\r\n"
        b"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Acme IT change calendar\r\n"
        b"END:VCALENDAR\r\n"
    )


# ---------------------------------------------------------------- calendar (pure)


def freeze_feed(name: str) -> bytes:
    """The feed of one freeze called `name`, straight from the writer."""
    start = dt.datetime(2027, 1, 16, 5, tzinfo=UTC)
    end = start + dt.timedelta(hours=4)
    event = calendar.Event(kind="freeze", id="f", title=name, start=start, end=end)
    feed = calendar.Calendar(name="Feed", events=(event,), conflicts=(), public=False)
    return icswriter.to_ics(feed).encode("utf-8")


def test_text_escaped_and_control_characters_as_spaces() -> None:
    data = freeze_feed("a\\b;c,d\ne\r\nf\rg tab\tok\x01")
    assert b"SUMMARY:Change freeze: a\\\\b\\;c\\,d\\ne\\nf\\ng tab\tok \r\n" in data
    _, events = parse_ics(data)
    summary = "Change freeze: a\\b;c,d\ne\nf\ng tab\tok "
    assert str(events["freeze-f@catalogctl"]["SUMMARY"]) == summary


@pytest.mark.parametrize("text", ["x" * 200, "ä" * 100, "😀" * 50, "a" + "€" * 60, ""])
def test_fold_limits_octets_and_keeps_characters(text: str) -> None:
    data = freeze_feed(text)
    assert_rfc5545_lines(data)  # at most 75 octets, never inside a character
    lines = data.split(b"\r\n")
    first = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:"))
    parts = [lines[first]]
    parts += itertools.takewhile(lambda line: line.startswith(b" "), lines[first + 1 :])
    line = "SUMMARY:Change freeze: " + text
    assert parts[0] + b"".join(p[1:] for p in parts[1:]) == line.encode("utf-8")
    if len(line.encode()) > 75:
        assert len(parts[0]) > 70  # fills lines, does not fold early


def test_overlap_is_half_open() -> None:
    t = [dt.datetime(2027, 1, 1, h, tzinfo=UTC) for h in range(4)]
    assert calendar.overlaps((t[0], t[2]), (t[1], t[3]))
    assert not calendar.overlaps((t[0], t[1]), (t[1], t[2]))
    assert calendar.overlaps((t[0], t[3]), (t[1], t[2]))
