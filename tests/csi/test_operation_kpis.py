"""`catalogctl report`, service operation: change failure rate, time to restore,
incidents per service and CI, problems, repeat incidents.

A real repository: two changes deployed in March 2026 (commits entering
implement), one of them named as an incident's cause; incidents and problems
with hand-picked times. Expectations are worked out in the comments.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalogctl.cli import main
from gitrepo import change_yaml, commit_at, git, incident_yaml, isolated_git
from paths import CASES

pytestmark = pytest.mark.usefixtures("isolated_git")
_ = isolated_git

PROBLEM = """\
apiVersion: catalogctl/v1
kind: Problem
metadata:
  id: prb-2026-0001
  name: Payroll disk fills up
spec:
  opened: 2026-03-12T09:00:00Z
  state: resolved
  incidents: [inc-2026-0002, inc-2026-0003]
  rootCause: Logs are never rotated.
  workaround: Delete old logs.
  fix: chg-2026-0002
  resolved: 2026-03-20T09:00:00Z
"""


def test_operation_kpis(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(CASES / "_base", root)
    shutil.rmtree(root / "changes")
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-02-01T09:00:00+00:00", "base")
    window = ("2026-03-05T20:00:00Z", "2026-03-05T22:00:00Z")
    for change_id in ("chg-2026-0001", "chg-2026-0002"):
        path = root / "changes" / "2026" / f"{change_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(change_yaml(change_id, "new"), encoding="utf-8")
        commit_at(root, "2026-03-01T09:00:00+00:00", f"{change_id} raised")
        for state in ("implement", "closed"):
            path.write_text(
                change_yaml(
                    change_id,
                    state,
                    window=window,
                    code="successful" if state == "closed" else None,
                )
                + ("  outage: true\n" if change_id == "chg-2026-0002" else ""),
                encoding="utf-8",
            )
            commit_at(root, "2026-03-05T20:30:00+00:00", f"{change_id} {state}")
    records = {
        # P1, 1 hour to restore; caused by chg-2026-0001
        "inc-2026-0001": incident_yaml(
            "inc-2026-0001",
            reported="2026-03-06T10:00:00Z",
            responded="2026-03-06T10:05:00Z",
            resolved="2026-03-06T11:00:00Z",
            cause={"change": "chg-2026-0001", "ci": "vm-payroll"},
        ),
        # P1, 3 hours; the first incident of the problem
        "inc-2026-0002": incident_yaml(
            "inc-2026-0002",
            reported="2026-03-10T10:00:00Z",
            responded="2026-03-10T10:05:00Z",
            resolved="2026-03-10T13:00:00Z",
            cause={"problem": "prb-2026-0001", "ci": "vm-payroll"},
        ),
        # P2 on two services, 30 minutes; the problem again: a repeat
        "inc-2026-0003": incident_yaml(
            "inc-2026-0003",
            priority="P2",
            services=("payroll", "identity"),
            reported="2026-03-15T10:00:00+01:00",
            responded="2026-03-15T09:10:00Z",
            resolved="2026-03-15T09:30:00Z",
            cause={"problem": "prb-2026-0001"},
        ),
        # chg-2026-0002's announced outage (its window is 20:00-22:00Z): no failure
        "inc-2026-0005": incident_yaml(
            "inc-2026-0005",
            priority="P4",
            services=("identity",),
            reported="2026-03-05T20:40:00Z",
            responded="2026-03-05T20:45:00Z",
            resolved="2026-03-05T21:40:00Z",
            outage=("2026-03-05T20:30:00Z", "2026-03-05T21:30:00Z"),
            cause={"change": "chg-2026-0002"},
        ),
        # reported in February: outside the period
        "inc-2026-0004": incident_yaml(
            "inc-2026-0004",
            services=("identity",),
            reported="2026-02-10T10:00:00Z",
            responded="2026-02-10T10:05:00Z",
            resolved="2026-02-10T11:00:00Z",
        ),
    }
    for incident_id, text in records.items():
        (root / "incidents" / "2026").mkdir(parents=True, exist_ok=True)
        (root / "incidents" / "2026" / f"{incident_id}.yaml").write_text(text, encoding="utf-8")
    (root / "problems").mkdir()
    (root / "problems" / "prb-2026-0001.yaml").write_text(PROBLEM, encoding="utf-8")
    commit_at(root, "2026-03-21T09:00:00+00:00", "the record of March")
    lint = CliRunner().invoke(main, ["-C", str(root), "lint", "--today", "2026-03-31"])
    assert lint.exit_code == 0, lint.output
    result = CliRunner().invoke(
        main,
        ["-C", str(root), "report", "--since", "2026-03-01", "--until", "2026-03-31",
         "--today", "2026-03-31", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    operation: dict[str, Any] = json.loads(result.stdout)["operation"]
    assert operation == {
        "incidents": 4,
        "deployedChanges": 2,
        "failedChanges": ["chg-2026-0001"],
        "changeFailureRate": 0.5,  # 1 of 2 deployed
        "meanTimeToRestoreHours": {
            "P1": {"count": 2, "mean": 2.0},  # (1 + 3) / 2
            "P2": {"count": 1, "mean": 0.5},  # 10:00+01:00 is 09:00Z; 30 minutes
            "P3": {"count": 0, "mean": None},
            "P4": {"count": 1, "mean": 1.0},
        },
        "perService": [{"id": "payroll", "incidents": 3}, {"id": "identity", "incidents": 2}],
        "perCi": [{"id": "vm-payroll", "incidents": 2}],
        "problemsOpened": ["prb-2026-0001"],
        "problemsResolved": ["prb-2026-0001"],
        "repeatIncidents": [{"problem": "prb-2026-0001", "incidents": ["inc-2026-0003"]}],
    }
    text = CliRunner().invoke(
        main, ["-C", str(root), "report", "--since", "2026-03-01", "--until", "2026-03-31",
               "--today", "2026-03-31"],
    ).stdout  # fmt: skip
    assert "change failure rate                      50.0%  1 of 2 deployed: chg-2026-0001" in text
    assert "P1 2.0 h (2), P2 0.5 h (1)" in text
