"""Benchmark `catalogctl report` on a long change history.

    .venv/bin/python benchmarks/bench_report.py [--changes 2000] [--repeat 5] [--json] [--check]

A repository is built with `git fast-import` (a stream with explicit commit
dates, seconds for 10,000 commits): one commit with a small catalog (two
teams, two services, an SLA, a CI, a template), then --changes change
requests, each walked through 5 states in 5 commits of its own, interleaved
in time as a real change record would be:

- standard: new, scheduled, implement, review, closed;
- emergency: new, authorize, implement, review, closed;
- normal: new, assess, authorize, scheduled, then implement or canceled.

So 2,000 changes make 10,000 commits touching changes/. The work tree is
checked out (2,000 change files), since the report reads each change's type,
closure and window from it. Objects are packed, as fast-import leaves them.

Measured as real subprocesses, wall time from spawn to exit, best of
--repeat after one untimed warm-up round, with bytecode cached in a private
folder (see bench_diff.py):

git log --name-only -- changes/
    The floor: git listing every commit and path of the same history.
catalogctl report
    ``catalogctl report --today 2026-11-28 --format json``; its numbers are
    checked against the generated history (changes raised and closed, failed,
    lead-time sample size), or the benchmark stops.

Target: the report takes at most 3x the floor. Missing it is reported, not
fatal, unless --check is given (exit 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import benchcli
from bench_diff import bytecode_cache
from bench_lint import BenchError, Measure, find_catalogctl, run_child
from generate import TODAY

TARGET_RATIO = 3.0  # report wall time / git log --name-only
JSON = ("--format", "json")
DEFAULT_CHANGES = 2_000
START = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
AUTHORS = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov")
PATHS = {
    "standard": ("new", "scheduled", "implement", "review", "closed"),
    "emergency": ("new", "authorize", "implement", "review", "closed"),
}

CATALOG = {
    "catalogctl.yaml": "apiVersion: catalogctl/v1\nkind: Policy\ncab:\n  team: cab\n",
    "catalog/teams/cab.yaml": (
        "apiVersion: catalogctl/v1\nkind: Team\nmetadata:\n  id: cab\n  name: CAB\n"
        "spec:\n  github: fabrikam/cab\n  members: [alice, bob]\n  email: cab@fabrikam.example\n"
    ),
    "catalog/teams/ops.yaml": (
        "apiVersion: catalogctl/v1\nkind: Team\nmetadata:\n  id: ops\n  name: Operations\n"
        "spec:\n  github: fabrikam/ops\n  members: [carol]\n  email: ops@fabrikam.example\n"
    ),
    "catalog/services/payroll.yaml": (
        "apiVersion: catalogctl/v1\nkind: Service\nmetadata:\n  id: payroll\n  name: Payroll\n"
        "  links:\n    - title: Runbook\n      url: https://wiki.fabrikam.example/payroll\n"
        "      type: runbook\n"
        "spec:\n  owner: ops\n  type: business\n  lifecycle: live\n  tier: 2\n"
        "  visibility: public\n  category: HR\n  cis: [vm-payroll]\n"
    ),
    "catalog/services/identity.yaml": (
        "apiVersion: catalogctl/v1\nkind: Service\nmetadata:\n  id: identity\n  name: Identity\n"
        "spec:\n  owner: ops\n  type: technical\n  lifecycle: live\n  tier: 1\n"
        "  visibility: internal\n  category: Platform\n"
    ),
    "catalog/slas/payroll.yaml": (
        "apiVersion: catalogctl/v1\nkind: SLA\nmetadata:\n  id: payroll\n  name: Payroll SLA\n"
        "spec:\n  services: [payroll]\n  customer: Employees\n  hours: 24x7\n"
        "  availability: {target: 99.5, period: monthly}\n  review: 2027-01-31\n"
    ),
    "catalog/cis/vm-payroll.yaml": (
        "apiVersion: catalogctl/v1\nkind: ConfigurationItem\nmetadata:\n  id: vm-payroll\n"
        "  name: Payroll VM\nspec:\n  type: virtual-machine\n  environment: production\n"
        "  owner: ops\n  status: in-service\n  expires: 2026-12-20\n"
    ),
    "catalog/templates/os-patch.yaml": (
        "apiVersion: catalogctl/v1\nkind: ChangeTemplate\nmetadata:\n  id: os-patch\n"
        "  name: OS patching\nspec:\n  owner: ops\n  ciTypes: [virtual-machine]\n"
        "  maxDuration: 4h\n  plan:\n    implementation: Patch.\n    backout: Restore.\n"
        "    validation: Check.\n"
    ),
}


@dataclass(frozen=True)
class Change:
    index: int
    type: str
    states: tuple[str, ...]
    step_hours: int

    @property
    def id(self) -> str:
        return f"chg-2026-{self.index + 1:04d}"

    @property
    def created(self) -> dt.datetime:
        return START + dt.timedelta(hours=2 * self.index)

    def at(self, step: int) -> dt.datetime:
        return self.created + dt.timedelta(hours=step * self.step_hours)

    @property
    def code(self) -> str:
        return {0: "unsuccessful", 1: "successful-with-issues"}.get(self.index % 10, "successful")

    def document(self, state: str) -> str:
        lines = [
            "apiVersion: catalogctl/v1",
            "kind: ChangeRequest",
            "metadata:",
            f"  id: {self.id}",
            f"  name: Payroll maintenance {self.index + 1}",
            "  description: |",
            "    Routine work on the payroll platform, generated for the report benchmark.",
            "spec:",
            f"  type: {self.type}",
            *(["  template: os-patch"] if self.type == "standard" else []),
            f"  state: {state}",
            "  requester: carol",
            "  owner: ops",
            "  targets:",
            "    services: [payroll]",
            "    cis: [vm-payroll]",
            "  risk:",
            "    impact: low",
            "    likelihood: medium",
        ]
        if state not in ("new", "assess", "authorize", "canceled"):
            # the window closes 30 minutes after the implement commit; every
            # seventh change starts 30 minutes after its window has closed
            work = self.states.index("implement") if "implement" in self.states else 4
            end = self.at(work) + dt.timedelta(minutes=30 if self.index % 7 else -30)
            lines += [
                "  window:",
                f"    start: {self.at(work - 1).isoformat()}",
                f"    end: {end.isoformat()}",
            ]
        lines += [
            "  plan:",
            "    implementation: Apply the change on the standby node, then fail over.",
            "    backout: Fail back to the untouched node.",
            "    validation: Payroll test run is green.",
        ]
        if state in ("review", "closed"):
            lines += ["  closure:", f"    code: {self.code}"]
            if self.code == "unsuccessful":
                lines.append("    backedOut: true")
        return "\n".join(lines) + "\n"


def changes(count: int) -> list[Change]:
    out = []
    for index in range(count):
        kind = ("standard", "emergency", "normal")[index % 3]
        if kind == "normal":
            last = "implement" if (index // 3) % 2 == 0 else "canceled"
            states = ("new", "assess", "authorize", "scheduled", last)
        else:
            states = PATHS[kind]
        out.append(Change(index, kind, states, 1 + index % 12))
    return out


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def _stamp(when: dt.datetime) -> str:
    offset = when.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{int(when.timestamp())} {sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def stream(record: list[Change]) -> bytes:
    """The fast-import stream: the catalog, then one commit per state change."""
    events = sorted((c.at(step), c.index, step) for c in record for step in range(len(c.states)))
    out: list[bytes] = []
    first = START - dt.timedelta(days=1)
    who = f"{AUTHORS[0]} <ada@fabrikam.example> {_stamp(first)}"
    out.append(f"commit refs/heads/main\nmark :1\nauthor {who}\ncommitter {who}\n".encode())
    out.append(_data("Catalog"))
    for path, text in sorted(CATALOG.items()):
        out.append(f"M 100644 inline {path}\n".encode() + _data(text))
    for mark, (when, index, step) in enumerate(events, start=2):
        change = record[index]
        state = change.states[step]
        name = AUTHORS[index % len(AUTHORS)]
        who = f"{name} <{name.split()[0].lower()}@fabrikam.example> {_stamp(when)}"
        out.append(
            f"commit refs/heads/main\nmark :{mark}\nauthor {who}\ncommitter {who}\n".encode()
            + _data(f"{change.id}: {state}")
            + f"from :{mark - 1}\nM 100644 inline changes/2026/{change.id}.yaml\n".encode()
            + _data(change.document(state))
        )
    return b"".join(out)


def _git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    result = subprocess.run(
        ["git", "-c", "gc.auto=0", *args], cwd=root, input=stdin, env=env, capture_output=True
    )
    if result.returncode != 0:
        raise BenchError(f"git {args[0]} failed: {result.stderr.decode(errors='replace')}")
    return result.stdout.decode()


def build_repo(root: Path, record: list[Change]) -> float:
    """Returns the seconds it took."""
    started = time.perf_counter()
    root.mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "fast-import", "--quiet", stdin=stream(record))
    _git(root, "reset", "-q", "--hard", "main")
    return time.perf_counter() - started


def expected(record: list[Change]) -> dict[str, int]:
    closed = [c for c in record if c.states[-1] == "closed"]
    return {
        "raised": len(record),
        "closed": len(closed),
        "failed": sum(1 for c in closed if c.code == "unsuccessful"),
        "canceled": sum(1 for c in record if c.states[-1] == "canceled"),
        "outsideWindow": sum(1 for c in record if "implement" in c.states and c.index % 7 == 0),
    }


def _check_report(stdout: str, want: dict[str, int]) -> None:
    report = json.loads(stdout)
    kpis = report["changes"]
    got = {key: kpis[key] for key in want}
    if got != want or kpis["leadTimeHours"]["all"]["count"] != want["closed"]:
        raise BenchError(f"report: got {got}, expected {want}")


def benchmark(count: int, repeat: int, catalogctl: Path, keep: Path | None) -> dict[str, Any]:
    record = changes(count)
    want = expected(record)
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-report-") as tmp:
        root = keep if keep else Path(tmp) / "repo"
        build_s = build_repo(root, record)
        commits = int(_git(root, "rev-list", "--count", "HEAD", "--", "changes").strip())
        floor = Measure("git log --name-only -- changes/")
        report = Measure("catalogctl report")
        with bytecode_cache(True):
            for round_ in range(repeat + 1):  # round 0: untimed warm-up
                for measure, argv in (
                    (floor, ["git", "log", "--name-only", "--", "changes/"]),
                    (report, [str(catalogctl), "report", "--today", TODAY.isoformat(), *JSON]),
                ):
                    run = run_child(argv, root)
                    if run.exit_code != 0:
                        raise BenchError(f"{measure.label}: exit {run.exit_code}\n{run.stderr}")
                    if measure is report:
                        _check_report(run.stdout, want)
                    if round_:
                        measure.runs.append(run.seconds)
                        measure.peaks.append(run.peak_mb)
    ratio = report.seconds / floor.seconds
    git_version = _git(Path.cwd(), "--version").strip().removeprefix("git version ")
    return {
        "changes": count,
        "commits": commits,
        "repeat": repeat,
        "build_s": round(build_s, 2),
        "floor_s": round(floor.seconds, 4),
        "report_s": round(report.seconds, 4),
        "report_peak_mb": round(report.peak_mb, 1),
        "floor_runs": [round(r, 4) for r in floor.runs],
        "report_runs": [round(r, 4) for r in report.runs],
        "ratio": round(ratio, 3),
        "target": TARGET_RATIO,
        "ok": ratio <= TARGET_RATIO,
        "expected": want,
        "cpus": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "python": platform.python_version(),
        "git": git_version,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def render(result: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"catalogctl report benchmark: best of {result['repeat']}, {result['cpus']} CPUs, "
            f"Python {result['python']}, git {result['git']}",
            f"  {result['changes']:,} change requests, {result['commits']:,} commits touching "
            f"changes/ (built in {result['build_s']:.1f} s with git fast-import)",
            "",
            f"{'git log --name-only -- changes/ (floor)':44}{result['floor_s']:>9.3f} s",
            f"{'catalogctl report --format json':44}{result['report_s']:>9.3f} s"
            f"   (peak {result['report_peak_mb']:.0f} MB)",
            "",
            f"target: report <= {result['target']}x the floor: "
            f"{'PASS' if result['ok'] else 'FAIL'} ({result['ratio']:.2f}x)",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = benchcli.parser("Benchmark `catalogctl report` on a long history.", repeat=5)
    parser.add_argument(
        "--changes", type=int, default=DEFAULT_CHANGES, help="change requests, 5 commits each"
    )
    parser.add_argument("--keep", type=Path, help="build the repository in DIR and keep it")

    def measure(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        if not 1 <= args.changes <= 9999:
            raise ValueError("--changes must be between 1 and 9999")
        result = benchmark(args.changes, args.repeat, find_catalogctl(args.catalogctl), args.keep)
        return result, not result["ok"]

    return benchcli.run("bench_report.py", parser, argv, measure, render)


if __name__ == "__main__":
    sys.exit(main())
