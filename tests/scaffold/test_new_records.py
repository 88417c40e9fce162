"""`catalogctl new incident|problem`: numbered like changes, valid as written."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from catalogctl.cli import main

TODAY = "2026-11-28"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_new_incident_and_problem_take_the_next_free_ids(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    assert invoke("init", str(root), "--today", TODAY).exit_code == 0
    assert invoke("-C", str(root), "new", "team", "ops", "--today", TODAY).exit_code == 0
    assert invoke("-C", str(root), "new", "service", "payroll", "--today", TODAY).exit_code == 0
    first = invoke("-C", str(root), "new", "incident", "--today", TODAY)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == "incidents/2026/inc-2026-0001.yaml"
    second = invoke("-C", str(root), "new", "inc", "--today", TODAY)
    assert second.stdout.strip() == "incidents/2026/inc-2026-0002.yaml"
    problem = invoke("-C", str(root), "new", "problem", "--today", TODAY)
    assert problem.stdout.strip() == "problems/prb-2026-0001.yaml"
    text = (root / "incidents/2026/inc-2026-0001.yaml").read_text(encoding="utf-8")
    # the only service is filled in; --today is not the real day: its midnight
    assert "services: [payroll]" in text and 'reported: "2026-11-28T00:00:00Z"' in text
    assert "# yaml-language-server: $schema=../../schemas/incident.schema.json" in text
    lint = invoke("-C", str(root), "lint", "--today", TODAY, "--format", "json")
    found = {(d["file"], d["rule"], d["severity"]) for d in json.loads(lint.stdout)["diagnostics"]}
    # schema-valid as written: only placeholders to replace, and the problem's
    # placeholder incident (of two incidents, it cannot know which) names none
    assert {rule for _, rule, _ in found} == {"placeholder-text", "unknown-reference"}
    assert {f for f, rule, _ in found if rule == "unknown-reference"} == {
        "problems/prb-2026-0001.yaml"
    }
    assert ("problems/prb-2026-0001.yaml", "placeholder-text", "warning") in found


def test_a_record_id_must_have_its_form(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    assert invoke("init", str(root), "--today", TODAY).exit_code == 0
    result = invoke("-C", str(root), "new", "incident", "outage-1", "--today", TODAY)
    assert result.exit_code == 2
    assert "'outage-1' is not a valid Incident id (inc-YYYY-NNNN)" in result.stderr
