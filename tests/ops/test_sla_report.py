"""`catalogctl sla report`: availability, planned windows, service hours, priorities.

Each test builds a real git repository from tests/cases/_base with its own
SLAs and incidents and runs the real CLI. Every expected figure is worked
out by hand in the comment next to it; November 2026 has 30 days, so a
24x7 month is 30 x 1,440 = 43,200 minutes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from gitrepo import change_yaml, commit_at, git, incident_yaml, isolated_git
from paths import CASES

pytestmark = pytest.mark.usefixtures("isolated_git")
_ = isolated_git

GOLD = """\
apiVersion: catalogctl/v1
kind: SLA
metadata:
  id: gold
  name: Gold SLA
spec:
  services: [payroll]
  customer: Everyone
  hours: 24x7
  availability: {target: 99.9, period: monthly}
  priorities:
    P1: {response: 15m, resolution: 4h}
  credits:
    - {below: 99.9, credit: 10}
    - {below: 99.0, credit: 25}
  effective: {from: 2026-01-01}
  review: 2027-06-01
"""
OFFICE = """\
apiVersion: catalogctl/v1
kind: SLA
metadata:
  id: office
  name: Office SLA
spec:
  services: [identity]
  customer: Head office
  hours: business-hours
  availability: {target: 99.9, period: monthly}
  priorities:
    P2: {response: 1h, resolution: 4h}
  effective: {from: 2026-01-01}
  review: 2027-06-01
"""
# 10:00 to 11:00 UTC on Tuesday 2026-11-10: 60 minutes
OUTAGE = ("2026-11-10T10:00:00Z", "2026-11-10T11:00:00Z")


def build(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(CASES / "_base", root)
    (root / "catalog" / "slas" / "payroll.yaml").unlink()  # only the SLAs of the test
    for name, text in {
        "catalog/slas/gold.yaml": GOLD,
        "catalog/slas/office.yaml": OFFICE,
        **files,
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-12-01T09:00:00+00:00", "the record of November")
    return root


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), "sla", "report", *args])


def report(root: Path, *args: str) -> dict[str, Any]:
    result = run(root, "--period", "2026-11", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def sla(data: dict[str, Any], sla_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in data["slas"] if s["id"] == sla_id)
    return found


def p1(incident_id: str = "inc-2026-0001", **kwargs: Any) -> str:
    return incident_yaml(
        incident_id,
        reported="2026-11-10T10:05:00Z",
        responded="2026-11-10T10:15:00Z",  # 10 minutes: within 15m
        resolved="2026-11-10T11:00:00Z",  # 55 minutes: within 4h
        **{"outage": OUTAGE, **kwargs},
    )


def test_a_60_minute_outage_in_a_24x7_month_is_a_breach(tmp_path: Path) -> None:
    root = build(tmp_path, {"incidents/2026/inc-2026-0001.yaml": p1()})
    result = run(root, "--period", "2026-11", "--format", "json")
    assert result.exit_code == 1  # a breach is a finding
    data = json.loads(result.stdout)
    assert data["period"] == {
        "start": "2026-11-01T00:00:00+00:00",
        "end": "2026-12-01T00:00:00+00:00",
    }
    gold = sla(data, "gold")
    # 1 - 60 / 43,200 = 0.998611... -> 99.8611 %, under 99.9
    assert gold["services"]["payroll"] == {
        "target": 99.9,
        "achieved": 99.8611,
        "downtimeMinutes": 60.0,
        "plannedMinutes": 0.0,
        "serviceMinutes": 43200.0,
        "met": False,
        "incidents": ["inc-2026-0001"],
    }
    assert gold["met"] is False
    assert gold["priorities"]["P1"]["incidents"] == 1
    assert gold["priorities"]["P1"]["responseMet"] == 1
    assert gold["priorities"]["P1"]["resolutionMet"] == 1
    # 99.8611 is below 99.9 but not below 99.0: the 10 % step
    assert gold["credit"] == 10.0


def planned(state: str, change_type: str = "normal", outage: bool = True) -> str:
    # 09:30 to 11:30 UTC: the whole outage is inside the window
    text = change_yaml(
        "chg-2026-0001",
        state,
        change_type=change_type,
        window=("2026-11-10T09:30:00Z", "2026-11-10T11:30:00Z"),
        code="successful" if state in ("review", "closed") else None,
    )
    return text + ("  outage: true\n" if outage else "")


def test_the_same_outage_inside_a_planned_window_is_no_breach(tmp_path: Path) -> None:
    root = build(
        tmp_path,
        {
            "incidents/2026/inc-2026-0001.yaml": p1(),
            "changes/2026/chg-2026-0001.yaml": planned("scheduled"),
        },
    )
    result = run(root, "--period", "2026-11", "--format", "json")
    assert result.exit_code == 0, result.output
    gold = sla(json.loads(result.stdout), "gold")
    service = gold["services"]["payroll"]
    assert (service["achieved"], service["downtimeMinutes"], service["plannedMinutes"]) == (
        100.0,
        0.0,
        60.0,
    )
    assert service["met"] is True and service["incidents"] == []
    assert gold["met"] is True and gold["credit"] == 0.0


@pytest.mark.parametrize(
    ("state", "change_type", "outage"),
    [
        ("assess", "normal", True),  # not yet scheduled: nobody agreed to the window
        ("canceled", "normal", True),
        ("implement", "emergency", True),  # an emergency is no maintenance
        ("closed", "normal", False),  # no customer-visible outage was planned
    ],
)
def test_a_window_that_was_not_planned_outage_excuses_nothing(
    tmp_path: Path, state: str, change_type: str, outage: bool
) -> None:
    change = planned(state, change_type, outage)  # a canceled change keeps its window
    root = build(
        tmp_path,
        {"incidents/2026/inc-2026-0001.yaml": p1(), "changes/2026/chg-2026-0001.yaml": change},
    )
    service = sla(report(root), "gold")["services"]["payroll"]
    assert (service["achieved"], service["downtimeMinutes"]) == (99.8611, 60.0)


def test_a_window_covering_part_of_the_outage_excuses_that_part(tmp_path: Path) -> None:
    change = (
        change_yaml(
            "chg-2026-0001",
            "closed",
            window=("2026-11-10T10:45:00Z", "2026-11-10T12:00:00Z"),
            code="successful",
        )
        + "  outage: true\n"
    )
    root = build(
        tmp_path,
        {"incidents/2026/inc-2026-0001.yaml": p1(), "changes/2026/chg-2026-0001.yaml": change},
    )
    service = sla(report(root), "gold")["services"]["payroll"]
    # 10:00-10:45 unplanned (45 min), 10:45-11:00 planned (15 min); 1 - 45/43,200
    assert (service["downtimeMinutes"], service["plannedMinutes"]) == (45.0, 15.0)
    assert service["achieved"] == 99.8958


def test_overlapping_outages_on_one_service_count_once(tmp_path: Path) -> None:
    second = incident_yaml(
        "inc-2026-0002",
        reported="2026-11-10T10:35:00Z",
        responded="2026-11-10T10:40:00Z",
        resolved="2026-11-10T11:30:00Z",
        outage=("2026-11-10T10:30:00Z", "2026-11-10T11:30:00Z"),
    )
    root = build(
        tmp_path,
        {"incidents/2026/inc-2026-0001.yaml": p1(), "incidents/2026/inc-2026-0002.yaml": second},
    )
    service = sla(report(root), "gold")["services"]["payroll"]
    # 10:00-11:00 and 10:30-11:30 are 10:00-11:30: 90 minutes, not 120
    assert service["downtimeMinutes"] == 90.0
    assert service["achieved"] == round(100 * (1 - 90 / 43200), 4) == 99.7917
    assert service["incidents"] == ["inc-2026-0001", "inc-2026-0002"]


def test_outages_are_clipped_to_the_period(tmp_path: Path) -> None:
    # 23:30 on 31 October to 00:30 on 1 November UTC: 30 minutes fall in November
    late = incident_yaml(
        "inc-2026-0003",
        reported="2026-10-31T23:35:00Z",
        responded="2026-10-31T23:40:00Z",
        resolved="2026-11-01T00:30:00Z",
        outage=("2026-10-31T23:30:00Z", "2026-11-01T00:30:00Z"),
    )
    root = build(tmp_path, {"incidents/2026/inc-2026-0003.yaml": late})
    gold = sla(report(root), "gold")
    assert gold["services"]["payroll"]["downtimeMinutes"] == 30.0
    # reported in October: not one of November's incidents
    assert gold["priorities"]["P1"]["incidents"] == 0


def test_a_business_hours_sla_counts_only_its_hours(tmp_path: Path) -> None:
    # Europe/Berlin Mon-Fri 08:00-18:00 is 07:00-17:00 UTC in November (CET).
    # November 2026 has 21 weekdays (2-6, 9-13, 16-20, 23-27, 30): 21 x 600 = 12,600 minutes.
    evening = incident_yaml(
        "inc-2026-0004",
        priority="P2",
        services=("identity",),
        # Friday 6 November 17:30 Berlin; work starts Monday 08:15 Berlin:
        # 30 minutes on Friday + 15 on Monday = 45 minutes of service hours (1h target)
        reported="2026-11-06T16:30:00Z",
        responded="2026-11-09T07:15:00Z",
        # resolved Monday 11:00 Berlin: 30 + 180 = 210 minutes (4h target)
        resolved="2026-11-09T10:00:00Z",
        # Tuesday 3 November 16:00-18:00 UTC: only 16:00-17:00 is inside the hours
        outage=("2026-11-03T16:00:00Z", "2026-11-03T18:00:00Z"),
    )
    weekend = incident_yaml(
        "inc-2026-0005",
        priority="P2",
        services=("identity",),
        reported="2026-11-07T10:00:00Z",  # Saturday: the clock starts Monday 08:00
        responded="2026-11-09T07:30:00Z",  # 30 minutes into Monday
        resolved="2026-11-09T09:00:00Z",  # 120 minutes
        outage=("2026-11-07T09:00:00Z", "2026-11-07T15:00:00Z"),  # Saturday: no service hours
    )
    root = build(
        tmp_path,
        {
            "incidents/2026/inc-2026-0004.yaml": evening,
            "incidents/2026/inc-2026-0005.yaml": weekend,
        },
    )
    office = sla(report(root), "office")
    service = office["services"]["identity"]
    assert service["serviceMinutes"] == 12600.0
    assert service["downtimeMinutes"] == 60.0
    # 1 - 60 / 12,600 = 0.995238... -> 99.5238 %
    assert service["achieved"] == 99.5238 and service["met"] is False
    assert service["incidents"] == ["inc-2026-0004"]  # Saturday's outage took no service time
    assert office["priorities"]["P2"] == {
        "response": "1h",
        "resolution": "4h",
        "incidents": 2,
        "responseMet": 2,
        "resolutionMet": 2,
        "missed": [],
        "pending": [],
    }


def test_targets_missed_and_open_incidents_are_named(tmp_path: Path) -> None:
    slow = incident_yaml(
        "inc-2026-0006",
        reported="2026-11-12T10:00:00Z",
        responded="2026-11-12T10:20:00Z",  # 20 minutes: over 15m
        resolved="2026-11-12T13:00:00Z",  # 3 hours: within 4h
    )
    still_open = incident_yaml("inc-2026-0007", reported="2026-11-20T10:00:00Z", state="open")
    root = build(
        tmp_path,
        {
            "incidents/2026/inc-2026-0006.yaml": slow,
            "incidents/2026/inc-2026-0007.yaml": still_open,
        },
    )
    gold = sla(report(root), "gold")
    assert gold["priorities"]["P1"] == {
        "response": "15m",
        "resolution": "4h",
        "incidents": 2,
        "responseMet": 0,
        "resolutionMet": 1,
        "missed": ["inc-2026-0006", "inc-2026-0007"],
        "pending": [],
    }
    # no outage: availability is met, the SLA is not
    assert gold["services"]["payroll"]["achieved"] == 100.0
    assert gold["met"] is False


def test_text_and_markdown_name_the_breach(tmp_path: Path) -> None:
    root = build(tmp_path, {"incidents/2026/inc-2026-0001.yaml": p1()})
    text = run(root, "--period", "2026-11").stdout
    assert "gold: BREACHED" in text
    assert "payroll: 99.8611 % of 99.9 % BREACHED (60 min down)" in text
    assert "credit owed: 10 % of the monthly fee" in text
    markdown = run(root, "--period", "2026-11", "--format", "markdown").stdout
    assert "| payroll | 99.9 % | 99.8611 % | 60 | 0 | BREACHED |" in markdown


def test_since_until_and_the_default_period(tmp_path: Path) -> None:
    root = build(tmp_path, {"incidents/2026/inc-2026-0001.yaml": p1()})
    ranged = json.loads(
        run(root, "--since", "2026-11-10", "--until", "2026-11-10", "--format", "json").stdout
    )
    # one day, 1,440 minutes, 60 of them down: 1 - 60/1,440 = 95.8333 %
    assert sla(ranged, "gold")["services"]["payroll"]["achieved"] == 95.8333
    default = json.loads(run(root, "--today", "2026-12-15", "--format", "json").stdout)
    assert default["period"]["start"] == "2026-11-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "--period 2026-13: give a month as YYYY-MM"),
        (["--period", "2026-11", "--since", "2026-11-01"], "cannot be combined"),
        (["--since", "2026-11-01"], "--since and --until go together"),
        (["--since", "2026-11-02", "--until", "2026-11-01"], "is after --until"),
    ],
)
def test_bad_periods_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    root = build(tmp_path, {})
    result = run(root, *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_an_sla_not_in_force_is_left_out(tmp_path: Path) -> None:
    later = GOLD.replace("effective: {from: 2026-01-01}", "effective: {from: 2026-12-01}")
    root = build(tmp_path, {"catalog/slas/gold.yaml": later})
    assert [s["id"] for s in report(root)["slas"]] == ["office"]


def test_an_incident_open_at_the_end_of_the_period_within_its_target_is_pending(
    tmp_path: Path,
) -> None:
    late = incident_yaml(
        "inc-2026-0008",
        reported="2026-11-30T22:00:00Z",  # 2 hours before the month ends
        responded="2026-11-30T22:05:00Z",  # within 15m
        state="open",  # 2 of the 4 resolution hours gone at the end of November
    )
    root = build(tmp_path, {"incidents/2026/inc-2026-0008.yaml": late})
    gold = sla(report(root), "gold")
    p1 = gold["priorities"]["P1"]
    assert (p1["responseMet"], p1["resolutionMet"]) == (1, 0)
    assert (p1["missed"], p1["pending"]) == ([], ["inc-2026-0008"])
    assert gold["met"] is True  # nothing was missed


def test_hostile_times_and_schedules_never_hang_or_crash(tmp_path: Path) -> None:
    # resolved in the year 9999: service hours are laid out a year past the
    # period only, and the resolution counts as missed
    absurd = incident_yaml(
        "inc-2026-0009",
        priority="P2",
        services=("identity",),
        reported="2026-11-10T09:00:00Z",
        responded="2026-11-10T09:10:00Z",
        resolved="9999-12-31T23:59:00-01:00",
    )
    first = incident_yaml("inc-2026-0010", reported="0001-01-01T00:00:00+01:00", state="open")
    root = build(
        tmp_path,
        {"incidents/2026/inc-2026-0009.yaml": absurd, "incidents/2026/inc-2026-0010.yaml": first},
    )
    office = sla(report(root), "office")
    assert office["priorities"]["P2"]["missed"] == ["inc-2026-0009"]
    policy = root / "catalogctl.yaml"
    text = policy.read_text(encoding="utf-8")
    for bad, message in (
        ("timezone: Europe/Berlin", "timezone: Mars/Olympus"),
        ('start: "08:00"', 'start: "8am"'),
    ):
        policy.write_text(text.replace(bad, message), encoding="utf-8")
        result = run(root, "--period", "2026-11")
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert result.stderr.startswith("catalogctl: error: catalogctl.yaml: ")
    policy.write_text(text, encoding="utf-8")
    for args in (["--period", "0000-01"], ["--since", "9999-12-31", "--until", "9999-12-31"]):
        result = run(root, *args)
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output


def test_a_quarter_is_a_period_too(tmp_path: Path) -> None:
    root = build(tmp_path, {"incidents/2026/inc-2026-0001.yaml": p1()})
    result = run(root, "--period", "2026-Q4", "--format", "json")
    data = json.loads(result.stdout)
    assert data["period"] == {"start": "2026-10-01T00:00:00+00:00",
                              "end": "2027-01-01T00:00:00+00:00"}  # fmt: skip
    gold = sla(data, "gold")
    assert gold["availabilityPeriod"] == "monthly"
    # October, November, December: 92 days, 132,480 minutes; 1 - 60/132,480
    service = gold["services"]["payroll"]
    assert (service["serviceMinutes"], service["achieved"]) == (132480.0, 99.9547)
    assert "SLA report 2026-Q4" in run(root, "--period", "2026-q4").stdout


def test_markdown_escapes_what_the_catalog_says(tmp_path: Path) -> None:
    hostile = GOLD.replace("name: Gold SLA", 'name: "<img src=x onerror=alert(1)> | @org/cab"')
    root = build(tmp_path, {"catalog/slas/gold.yaml": hostile})
    markdown = run(root, "--period", "2026-11", "--format", "markdown").stdout
    heading = next(
        line for line in markdown.splitlines() if line.startswith("## ") and "gold" in line
    )
    assert "<img" not in heading and "@org" not in heading and " | " not in heading
