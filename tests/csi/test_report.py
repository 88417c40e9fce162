"""`catalogctl report`: exact KPIs of a known history, formats, period, CLI.

One repository is built per module (dated commits, see `HISTORY`) and only
read by the tests. The expected values are worked out by hand in the
comments next to them, from the dates in `HISTORY`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.csi.kpis import Period, durations, months
from gitrepo import change_yaml, commit_at, git
from paths import REPO

REPO = REPO
BASE = REPO / "tests" / "cases" / "_base"
GOLDEN = REPO / "tests" / "golden" / "report"
TODAY = "2026-03-31"
PERIOD = ("--since", "2026-01-01", "--until", "2026-03-31", "--today", TODAY)

CATALOG = {
    "catalog/teams/net.yaml": (
        "apiVersion: catalogctl/v1\nkind: Team\nmetadata:\n  id: net\n  name: Network\n"
        "spec:\n  github: example/net\n  members: [erin]\n  email: net@example.com\n"
    ),
    "catalog/services/payroll.yaml": (
        "apiVersion: catalogctl/v1\nkind: Service\nmetadata:\n  id: payroll\n  name: Payroll\n"
        "  links:\n    - {title: Runbook, url: 'https://wiki.example.com/payroll', type: runbook}\n"
        "spec:\n  owner: ops\n  type: business\n  lifecycle: live\n  tier: 2\n"
        "  visibility: public\n  category: HR\n  dependsOn: [identity]\n  cis: [vm-payroll]\n"
    ),
    "catalog/services/portal.yaml": (
        "apiVersion: catalogctl/v1\nkind: Service\nmetadata:\n  id: portal\n  name: HR portal\n"
        "  links:\n    - {title: Docs, url: 'https://docs.example.com/portal', type: docs}\n"
        "spec:\n  owner: net\n  type: business\n  lifecycle: live\n  tier: 3\n"
        "  visibility: internal\n  category: HR\n  dependsOn: [legacy-hr]\n"
    ),
    "catalog/services/legacy-hr.yaml": (
        "apiVersion: catalogctl/v1\nkind: Service\nmetadata:\n  id: legacy-hr\n  name: Old HR\n"
        "spec:\n  owner: ops\n  type: business\n  lifecycle: retired\n  tier: 3\n"
        "  visibility: internal\n  category: HR\n"
    ),
    "catalog/services/old-portal.yaml": (
        "apiVersion: catalogctl/v1\nkind: Service\nmetadata:\n  id: old-portal\n"
        "  name: Old portal\n"
        "spec:\n  owner: ops\n  type: business\n  lifecycle: retired\n  tier: 4\n"
        "  visibility: internal\n  category: HR\n  dependsOn: [legacy-hr]\n"
    ),
    "catalog/slas/hr-legacy.yaml": (
        "apiVersion: catalogctl/v1\nkind: SLA\nmetadata:\n  id: hr-legacy\n  name: Old HR SLA\n"
        "spec:\n  services: [legacy-hr]\n  customer: HR\n  hours: 24x7\n"
        "  availability: {target: 99.0, period: monthly}\n  review: 2027-01-01\n"
    ),
    "catalog/cis/cert-old.yaml": (
        "apiVersion: catalogctl/v1\nkind: ConfigurationItem\nmetadata:\n  id: cert-old\n"
        "  name: Old certificate\nspec:\n  type: certificate\n  environment: production\n"
        "  owner: net\n  status: in-service\n  expires: 2026-03-01\n"
    ),
    "catalog/cis/vm-old.yaml": (
        "apiVersion: catalogctl/v1\nkind: ConfigurationItem\nmetadata:\n  id: vm-old\n"
        "  name: Old VM\nspec:\n  type: virtual-machine\n  environment: production\n"
        "  owner: nobody\n  status: retired\n  expires: 2025-01-01\n"
    ),
}
# Replaced in the base: the SLA's review is due before TODAY, CIs expire soon.
EDITS = {
    "catalog/slas/payroll.yaml": ("review: 2027-06-01", "review: 2026-02-01"),
    "catalog/cis/esx-01.yaml": ("expires: 2027-12-31", "expires: 2026-05-30"),
    "catalog/cis/vm-payroll.yaml": (
        "status: in-service",
        "status: in-service\n  expires: 2026-04-20",
    ),
}


def _walk(
    change_id: str,
    steps: list[tuple[str, str]],
    author: str,
    path: str | None = None,
    **fields: Any,
) -> list[tuple[str, str, str | None, str]]:
    """(when, path, text, author) per state; review and closed carry the closure."""
    path = path or f"changes/{change_id[4:8]}/{change_id}.yaml"
    code = fields.pop("code", None)
    backed_out = fields.pop("backed_out", False)
    return [
        (
            when,
            path,
            change_yaml(
                change_id,
                state,
                code=code if state in ("review", "closed") else None,
                backed_out=backed_out,
                **fields,
            ),
            author,
        )
        for when, state in steps
    ]


W = "2026-{}T{}:00+00:00".format  # W("01-05", "09:00"): an instant in 2026, UTC

HISTORY: list[tuple[str, str, str | None, str]] = [
    # chg-2025-0042: raised in December (before the period), closed 4 January.
    # lead 2025-12-20T09 -> 2026-01-04T09 = 360 h; assess -> scheduled in December.
    *_walk(
        "chg-2025-0042",
        [
            ("2025-12-20T09:00:00+00:00", "new"),
            ("2025-12-21T09:00:00+00:00", "assess"),
            ("2025-12-21T15:00:00+00:00", "authorize"),
            ("2025-12-22T09:00:00+00:00", "scheduled"),
            (W("01-03", "09:00"), "implement"),
            (W("01-03", "13:00"), "review"),
            (W("01-04", "09:00"), "closed"),
        ],
        "Carol",
        window=(W("01-03", "08:00"), W("01-03", "12:00")),
        code="successful",
    ),
    # chg-2026-0001 normal: lead 168 h, assess -> scheduled 42 h, inside its window.
    *_walk(
        "chg-2026-0001",
        [
            (W("01-05", "09:00"), "new"),
            (W("01-05", "15:00"), "assess"),
            (W("01-06", "09:00"), "authorize"),
            (W("01-07", "09:00"), "scheduled"),
            (W("01-10", "22:00"), "implement"),
            (W("01-11", "09:00"), "review"),
            (W("01-12", "09:00"), "closed"),
        ],
        "Carol",
        window=(W("01-10", "21:00"), W("01-11", "01:00")),
        code="successful",
    ),
    # chg-2026-0002 standard, +01:00 commits: lead 07:00Z 20 Jan -> 09:00Z 22 Jan = 50 h;
    # implement at 23:30+01:00 after its window ended at 23:00+01:00: outside.
    *_walk(
        "chg-2026-0002",
        [
            ("2026-01-20T08:00:00+01:00", "new"),
            ("2026-01-20T10:00:00+01:00", "scheduled"),
            ("2026-01-21T23:30:00+01:00", "implement"),
            ("2026-01-22T08:00:00+01:00", "review"),
            ("2026-01-22T10:00:00+01:00", "closed"),
        ],
        "Dave",
        change_type="standard",
        cis=("vm-payroll",),
        window=("2026-01-21T20:00:00+01:00", "2026-01-21T23:00:00+01:00"),
        code="successful-with-issues",
    ),
    # ... and edited after it was closed
    (
        W("02-02", "10:00"),
        "changes/2026/chg-2026-0002.yaml",
        change_yaml(
            "chg-2026-0002",
            "closed",
            change_type="standard",
            cis=("vm-payroll",),
            window=("2026-01-21T20:00:00+01:00", "2026-01-21T23:00:00+01:00"),
            code="successful-with-issues",
            notes="Rewritten afterwards.",
        ),
        "Mallory",
    ),
    # chg-2026-0003 emergency: lead 12 h, unsuccessful and backed out.
    *_walk(
        "chg-2026-0003",
        [
            (W("02-10", "02:00"), "new"),
            (W("02-10", "02:30"), "authorize"),
            (W("02-10", "03:00"), "implement"),
            (W("02-10", "06:00"), "review"),
            (W("02-10", "14:00"), "closed"),
        ],
        "Erin",
        change_type="emergency",
        services=("identity",),
        owner="net",
        window=(W("02-10", "02:45"), W("02-10", "04:00")),
        code="unsuccessful",
        backed_out=True,
    ),
    # chg-2026-0004 normal, filed in the wrong folder, moved in its assess commit:
    # assess -> scheduled 16 Feb 09 -> 18 Feb 21 = 60 h; lead 15 Feb -> 2 Mar = 360 h.
    *_walk(
        "chg-2026-0004",
        [(W("02-15", "09:00"), "new")],
        "Carol",
        path="changes/chg-2026-0004.yaml",
        services=("payroll", "identity"),
        window=(W("03-01", "08:00"), W("03-01", "12:00")),
    ),
    (W("02-16", "09:00"), "changes/chg-2026-0004.yaml", None, "Carol"),
    *_walk(
        "chg-2026-0004",
        [
            (W("02-16", "09:00"), "assess"),
            (W("02-17", "09:00"), "authorize"),
            (W("02-18", "21:00"), "scheduled"),
            (W("03-01", "09:00"), "implement"),
            (W("03-01", "13:00"), "review"),
            (W("03-02", "09:00"), "closed"),
        ],
        "Carol",
        services=("payroll", "identity"),
        window=(W("03-01", "08:00"), W("03-01", "12:00")),
        code="successful",
    ),
    # chg-2026-0007: raised, then its file deleted (not in the working tree)
    (W("02-20", "09:00"), "changes/2026/chg-2026-0007.yaml",
     change_yaml("chg-2026-0007", "new", services=("identity",)), "Erin"),
    (W("02-21", "09:00"), "changes/2026/chg-2026-0007.yaml", None, "Erin"),
    # chg-2026-0005 normal, canceled; targets a retired service (not open: not "in use")
    *_walk(
        "chg-2026-0005",
        [(W("03-03", "09:00"), "new"), (W("03-04", "09:00"), "assess"),
         (W("03-05", "09:00"), "canceled")],
        "Erin",
        services=("portal", "legacy-hr"),
        owner="net",
    ),
    # chg-2026-0006 standard, CIs only; one commit holds a file that is not YAML.
    # lead 10 Mar 09 -> 21 Mar 09 = 264 h.
    *_walk(
        "chg-2026-0006",
        [(W("03-10", "09:00"), "new")],
        "Dave",
        change_type="standard",
        services=(),
        cis=("esx-01",),
    ),
    (W("03-11", "09:00"), "changes/2026/chg-2026-0006.yaml",
     "spec: [this is: not YAML\n  state: closed\n", "Dave"),
    *_walk(
        "chg-2026-0006",
        [
            (W("03-12", "09:00"), "scheduled"),
            (W("03-20", "09:00"), "implement"),
            (W("03-20", "12:00"), "review"),
            (W("03-21", "09:00"), "closed"),
        ],
        "Dave",
        change_type="standard",
        services=(),
        cis=("esx-01",),
        window=(W("03-20", "08:00"), W("03-20", "10:00")),
        code="successful",
    ),
    # chg-2026-0008: open, on the retired legacy-hr; raised on 1 April in its
    # committer's zone but on 31 March UTC, so inside a period ending 31 March
    *_walk(
        "chg-2026-0008",
        [("2026-04-01T00:30:00+02:00", "new")],
        "Carol",
        services=("legacy-hr",),
    ),
]  # fmt: skip


def build(root: Path) -> dict[str, str]:
    """The catalog and its change history; returns the SHA of each commit by (when, path)."""
    shutil.copytree(BASE, root)
    (root / "changes/2026/chg-2026-0001.yaml").unlink()
    for rel, text in CATALOG.items():
        (root / rel).write_text(text, encoding="utf-8")
    for rel, (old, new) in EDITS.items():
        target = root / rel
        text = target.read_text(encoding="utf-8")
        assert old in text, rel
        target.write_text(text.replace(old, new), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    shas = {"catalog": commit_at(root, "2025-12-01T09:00:00+00:00", "catalog")}
    for when, group in _by_instant(HISTORY):
        for _, rel, text, _ in group:
            target = root / rel
            if text is None:
                target.unlink()
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
        author = group[0][3]
        sha = commit_at(root, when, f"{group[0][1]} at {when}", author=author,
                        email=f"{author.lower()}@example.com")  # fmt: skip
        for _, rel, _, _ in group:
            shas[f"{when} {rel}"] = sha
    # in the working tree only: never committed
    (root / "changes/2026/chg-2026-0009.yaml").write_text(
        change_yaml("chg-2026-0009", "new"), encoding="utf-8"
    )
    return shas


def _by_instant(
    events: list[tuple[str, str, str | None, str]],
) -> Iterator[tuple[str, list[tuple[str, str, str | None, str]]]]:
    """Events grouped into one commit per instant, in time order."""
    ordered = sorted(events, key=lambda e: dt.datetime.fromisoformat(e[0]))
    group: list[tuple[str, str, str | None, str]] = []
    for event in ordered:
        if group and event[0] != group[0][0]:
            yield group[0][0], group
            group = []
        group.append(event)
    if group:
        yield group[0][0], group


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("CATALOGCTL_DEBUG", raising=False)


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("report") / "catalog"
    return root, build(root)


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), "report", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def report_json(root: Path, *args: str) -> dict[str, Any]:
    result = run(root, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr + result.stdout
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def dur(count: int, median: float | None, p90: float | None) -> dict[str, Any]:
    return {"count": count, "median": median, "p90": p90}


NONE = dur(0, None, None)


# ---------------------------------------------------------------- exact KPIs


def test_change_kpis_of_the_known_history(known: tuple[Path, dict[str, str]]) -> None:
    changes = report_json(known[0], *PERIOD)["changes"]
    assert changes == {
        # raised Jan-Mar: 0001, 0002, 0003, 0004, 0005, 0006, 0008 (0042 was raised in
        # December; 0007 is no longer in the working tree)
        "raised": 7,
        "raisedByType": {"normal": 4, "standard": 2, "emergency": 1},
        "emergencyRatio": 0.1429,  # 1/7
        "standardRatio": 0.2857,  # 2/7
        # closed Jan-Mar: 0042, 0001, 0002, 0003, 0004, 0006
        "closed": 6,
        "outcomes": {
            "successful": 4,
            "successful-with-issues": 1,
            "unsuccessful": 1,
            "none": 0,
        },
        "successRate": 0.8333,  # 5/6
        "failed": 1,
        "backedOut": 1,
        "canceled": 1,
        "leadTimeHours": {
            # [12, 50, 168, 264, 360, 360]: median (168 + 264) / 2, p90 rank ceil(5.4) = 6
            "all": dur(6, 216.0, 360.0),
            "normal": dur(3, 360.0, 360.0),  # [168, 360, 360]
            "standard": dur(2, 157.0, 264.0),  # [50, 264]
            "emergency": dur(1, 12.0, 12.0),
        },
        # scheduled in the period: 0001 (42 h), 0004 (60 h); standard ones have no assess
        "timeToAuthoriseHours": {
            "all": dur(2, 51.0, 60.0),
            "normal": dur(2, 51.0, 60.0),
            "standard": NONE,
            "emergency": NONE,
        },
        # work started in the period: 0042, 0001, 0002, 0003, 0004, 0006; 0002 late
        "implemented": 6,
        "outsideWindow": 1,
        "outsideWindowRatio": 0.1667,
    }


def test_flagged_changes_volumes_and_history(known: tuple[Path, dict[str, str]]) -> None:
    root, shas = known
    document = report_json(root, *PERIOD)
    flagged = document["flagged"]
    assert flagged["failed"] == ["chg-2026-0003"]
    assert flagged["backedOut"] == ["chg-2026-0003"]
    assert flagged["outsideWindow"] == ["chg-2026-0002"]
    assert flagged["editedAfterClose"] == [
        {
            "id": "chg-2026-0002",
            "commits": [
                {
                    "sha": shas[f"{W('02-02', '10:00')} changes/2026/chg-2026-0002.yaml"],
                    "time": "2026-02-02T10:00:00+00:00",
                    "author": "Mallory",
                    "email": "mallory@example.com",
                }
            ],
        }
    ]
    # 0004 counts for both its services; 0005 for portal and legacy-hr; 0006 has CIs only
    assert document["perService"] == [
        {"id": "payroll", "changes": 3},
        {"id": "identity", "changes": 2},
        {"id": "legacy-hr", "changes": 2},
        {"id": "portal", "changes": 1},
    ]
    assert document["perTeam"] == [{"id": "ops", "changes": 5}, {"id": "net", "changes": 2}]
    history = document["history"]
    assert history["head"] == git(root, "rev-parse", "HEAD")
    assert history["commits"] == len(set(shas.values())) - 1  # all but the catalog's
    assert (history["changes"], history["shallow"], history["note"]) == (9, False, None)
    assert history["notInCatalog"] == ["chg-2026-0007"]
    assert history["withoutHistory"] == ["chg-2026-0009"]


def test_trend_per_calendar_month(known: tuple[Path, dict[str, str]]) -> None:
    trend = report_json(known[0], *PERIOD)["trend"]
    assert [(m["month"], m["since"], m["until"]) for m in trend] == [
        ("2026-01", "2026-01-01", "2026-01-31"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("2026-03", "2026-03-01", "2026-03-31"),
    ]
    picked = [
        (
            c["raised"],
            c["emergencyRatio"],
            c["standardRatio"],
            c["closed"],
            c["successRate"],
            c["failed"],
            c["backedOut"],
            c["canceled"],
            c["leadTimeHours"]["all"],
            c["timeToAuthoriseHours"]["all"],
            (c["outsideWindow"], c["implemented"]),
        )
        for c in (m["changes"] for m in trend)
    ]
    assert picked == [
        # Jan: raised 0001, 0002; closed 0042 (360), 0001 (168), 0002 (50); 0002 late
        (2, 0.0, 0.5, 3, 1.0, 0, 0, 0, dur(3, 168.0, 360.0), dur(1, 42.0, 42.0), (1, 3)),
        # Feb: raised 0003, 0004; closed 0003 (12, unsuccessful); 0004 scheduled (60)
        (2, 0.5, 0.0, 1, 0.0, 1, 1, 0, dur(1, 12.0, 12.0), dur(1, 60.0, 60.0), (0, 1)),
        # Mar: raised 0005, 0006, 0008; closed 0004 (360), 0006 (264); 0005 canceled
        (3, 0.0, 0.3333, 2, 1.0, 0, 0, 1, dur(2, 312.0, 360.0), NONE, (0, 2)),
    ]


def test_catalog_health(known: tuple[Path, dict[str, str]]) -> None:
    assert report_json(known[0], *PERIOD)["health"] == {
        "liveServices": 3,
        "withoutSla": ["identity", "portal"],
        "withoutRunbook": ["identity", "portal"],  # portal's link is docs, not runbook
        "slas": 2,
        "reviewOverdue": ["payroll"],
        "cis": 4,
        "expired": ["cert-old"],  # vm-old expired too, but is retired
        "expiring": {"30": ["vm-payroll"], "90": ["esx-01", "vm-payroll"]},
        # old-portal is retired itself; chg-2026-0005 is canceled
        "retiredInUse": [
            {
                "id": "legacy-hr",
                "by": ["ChangeRequest/chg-2026-0008", "SLA/hr-legacy", "Service/portal"],
            }
        ],
        # 5 services all owned; 4 CIs, vm-old's owner `nobody` is no team: 8/9
        "ownership": {
            "services": 5,
            "servicesOwned": 5,
            "cis": 4,
            "cisOwned": 3,
            "coverage": 0.8889,
        },
    }


def test_the_history_follows_renames_and_skips_the_non_yaml_commit(
    known: tuple[Path, dict[str, str]],
) -> None:
    from catalogctl.change.history import read_history

    root, shas = known
    timelines = read_history(root).timelines
    moved = timelines["chg-2026-0004"]
    assert moved.path == "changes/2026/chg-2026-0004.yaml"
    assert [t.state for t in moved.transitions][:2] == ["new", "assess"]
    hostile = timelines["chg-2026-0006"]
    assert [t.state for t in hostile.transitions] == [
        "new",
        "scheduled",
        "implement",
        "review",
        "closed",
    ]
    garbage = shas[f"{W('03-11', '09:00')} changes/2026/chg-2026-0006.yaml"]
    assert garbage not in {t.commit.sha for t in hostile.transitions}


# ---------------------------------------------------------------- period


def test_since_and_until_select_the_period(known: tuple[Path, dict[str, str]]) -> None:
    document = report_json(
        known[0], "--since", "2026-02-01", "--until", "2026-02-28", "--today", TODAY
    )
    changes = document["changes"]
    assert document["period"] == {"since": "2026-02-01", "until": "2026-02-28"}
    assert (changes["raised"], changes["closed"], changes["successRate"]) == (2, 1, 0.0)
    assert changes["timeToAuthoriseHours"]["all"] == dur(1, 60.0, 60.0)
    assert document["flagged"]["outsideWindow"] == []
    assert [e["id"] for e in document["flagged"]["editedAfterClose"]] == ["chg-2026-0002"]
    assert document["perTeam"] == [{"id": "net", "changes": 1}, {"id": "ops", "changes": 1}]
    assert [m["month"] for m in document["trend"]] == ["2026-02"]


def test_a_period_with_no_changes_has_nulls_not_zeros(known: tuple[Path, dict[str, str]]) -> None:
    changes = report_json(known[0], "--since", "2026-06-01", "--until", "2026-06-30")["changes"]
    assert (changes["raised"], changes["closed"]) == (0, 0)
    for key in ("emergencyRatio", "standardRatio", "successRate", "outsideWindowRatio"):
        assert changes[key] is None, key
    assert changes["leadTimeHours"]["all"] == NONE


def test_the_default_period_is_twelve_calendar_months(known: tuple[Path, dict[str, str]]) -> None:
    document = report_json(known[0], "--today", TODAY)
    assert document["period"] == {"since": "2025-04-01", "until": TODAY}
    assert len(document["trend"]) == 12
    # 0042 is in: raised in December 2025, inside these 12 months
    assert document["changes"]["raised"] == 8
    only_until = report_json(known[0], "--until", "2026-01-15", "--today", TODAY)
    assert only_until["period"] == {"since": "2025-02-01", "until": "2026-01-15"}
    only_since = report_json(known[0], "--since", "2026-03-01", "--today", TODAY)
    assert only_since["period"] == {"since": "2026-03-01", "until": TODAY}


def test_months_are_clipped_to_the_period() -> None:
    period = Period(dt.date(2025, 12, 15), dt.date(2026, 2, 3))
    assert [(m.since.isoformat(), m.until.isoformat()) for m in months(period)] == [
        ("2025-12-15", "2025-12-31"),
        ("2026-01-01", "2026-01-31"),
        ("2026-02-01", "2026-02-03"),
    ]


def test_median_and_nearest_rank_p90() -> None:
    values = [float(v) for v in range(1, 21)]
    # 20 values: median (10 + 11) / 2; p90 is the ceil(18)th value, not interpolated (18.1)
    assert durations(list(reversed(values))) == durations(values)
    assert (durations(values).median, durations(values).p90) == (10.5, 18.0)
    assert (durations([5.0]).median, durations([5.0]).p90) == (5.0, 5.0)
    assert durations([]).count == 0 and durations([]).p90 is None


# ---------------------------------------------------------------- formats


def test_json_shape_is_stable(known: tuple[Path, dict[str, str]]) -> None:
    document = report_json(known[0], *PERIOD)
    assert list(document) == [
        "version", "period", "today", "history", "changes", "flagged",
        "perService", "perTeam", "operation", "health", "trend",
    ]  # fmt: skip
    assert document["version"] == 1
    assert document["today"] == TODAY
    assert list(document["flagged"]) == ["failed", "backedOut", "outsideWindow", "editedAfterClose"]
    assert list(document["trend"][0]) == ["month", "since", "until", "changes"]
    assert list(document["trend"][0]["changes"]) == list(document["changes"])
    assert list(document["changes"]["leadTimeHours"]) == ["all", "normal", "standard", "emergency"]


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"UPDATE_GOLDEN=1 rewrites {path}"


def _stable(text: str, shas: dict[str, str]) -> str:
    """Commit SHAs shown as <the commit's date>: the goldens read like the history."""
    for key, sha in shas.items():
        text = text.replace(sha[:12], f"<{key.split()[0][:10]}>")
    return text


@pytest.mark.parametrize(("fmt", "name"), [("text", "report.txt"), ("markdown", "report.md")])
def test_text_and_markdown_golden(known: tuple[Path, dict[str, str]], fmt: str, name: str) -> None:
    root, shas = known
    result = run(root, *PERIOD, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    _golden(name, _stable(result.stdout, shas))


def test_output_file_is_written_whole(known: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    target = tmp_path / "out" / "review.md"
    target.parent.mkdir()
    target.write_text("previous report\n", encoding="utf-8")
    result = run(known[0], *PERIOD, "--format", "markdown", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8") == run(known[0], *PERIOD, "-f", "markdown").stdout
    assert [p.name for p in target.parent.iterdir()] == ["review.md"]  # no temporary left


# ---------------------------------------------------------------- hostile text


def test_catalog_and_commit_text_is_escaped(tmp_path: Path) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(BASE, root)
    path = root / "changes/2026/chg-2026-0001.yaml"
    evil_team = '"evil|<img src=x onerror=alert(1)>@admin"'
    git(root, "init", "-q", "-b", "main")
    path.write_text(change_yaml("chg-2026-0001", "closed", owner=evil_team, code="successful"))
    commit_at(root, "2026-03-01T09:00:00+00:00")
    path.write_text(
        change_yaml("chg-2026-0001", "closed", owner=evil_team, code="successful", notes="x")
    )
    commit_at(root, "2026-03-02T09:00:00+00:00", author="Mallory \x1b[2J|<b>", email="m@x")
    markdown = run(root, *PERIOD, "-f", "markdown")
    assert markdown.exit_code == 0
    assert "<img" not in markdown.stdout and "<b>" not in markdown.stdout
    assert "@admin" not in markdown.stdout
    assert "evil&#124;&lt;img src=x onerror=alert(1)&gt;&#64;admin" in markdown.stdout
    text = run(root, *PERIOD)
    assert text.exit_code == 0
    assert "\x1b" not in text.stdout and "Mallory \\x1b[2J" in text.stdout


# ---------------------------------------------------------------- exit codes


def test_since_after_until_is_a_usage_error(known: tuple[Path, dict[str, str]]) -> None:
    result = run(known[0], "--since", "2026-03-01", "--until", "2026-02-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "catalogctl: error: --since 2026-03-01 is after --until 2026-02-01; "
        "the period must start before it ends\n"
    )
    assert result.stdout == ""


def test_a_date_that_is_not_a_date_is_a_usage_error(known: tuple[Path, dict[str, str]]) -> None:
    result = run(known[0], "--since", "2026-13-01")
    assert result.exit_code == 2
    assert "--since: '2026-13-01' is not a date (YYYY-MM-DD)" in result.stderr
    assert "Traceback" not in result.output


def test_not_a_catalog_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("catalogctl: error: not a catalog: no catalogctl.yaml")


@pytest.mark.parametrize("init", [False, True])
def test_no_git_history_still_reports(tmp_path: Path, init: bool) -> None:
    root = tmp_path / "catalog"
    shutil.copytree(BASE, root)
    if init:
        git(root, "init", "-q", "-b", "main")
    note = "no commits yet" if init else "not a git repository"
    text = run(root, *PERIOD)
    assert text.exit_code == 0, text.stderr
    assert f"History: no history: {note}\n" in text.stdout
    assert "live services without an SLA            1 of 2  identity" in text.stdout
    document = report_json(root, *PERIOD)
    assert document["history"]["note"] == note
    assert document["history"]["withoutHistory"] == ["chg-2026-0001"]
    assert document["changes"]["raised"] == 0 and document["changes"]["successRate"] is None
