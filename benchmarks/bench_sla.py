"""Benchmark `catalogctl sla report` on 10,000 incidents against lint of the same catalog.

    .venv/bin/python benchmarks/bench_sla.py [--entities 2000] [--incidents 10000]
                                             [--repeat 3] [--json] [--check]

A synthetic catalog (`generate.py --entities N --incidents M`: incidents
over the two years before the generator's today, about one problem for
every twenty of them) is written to a temporary folder. Measured as real
subprocesses, wall time from spawn to exit, best of --repeat after one
untimed warm-up round, bytecode cached in a private folder (see
bench_diff.py), both with the default worker count:

catalogctl lint (the floor)
    ``catalogctl lint --today 2026-11-28 --format json``: every file read,
    schema-validated and checked by every rule. It must find nothing, or the
    benchmark stops.
catalogctl sla report
    ``catalogctl sla report --period 2026-10 --format json``: the same files
    read, every SLA of the catalog measured for October 2026. Its JSON must
    name every SLA in force and the month's outage minutes must add up to a
    positive figure, or the benchmark stops.

Both are measured twice, like for like (the result cache came after the
target was set):

cold (``--no-cache``)
    both read, parse and check every file: the comparison the target was
    written for. Target (issue 17): the report takes less time than the lint,
    ratio < 1. Missing it is reported, not fatal, unless --check (exit 1).
warm (the cache filled by the warm-up round)
    lint answers an unchanged catalog from its last whole run and builds no
    model; the report must build the model from cached documents. Shown, not
    judged: the gap is the model build (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import benchcli
from benchcli import BenchError
from generate import TODAY, generate, split_counts
from measure import Measure, bytecode_cache, find_catalogctl, run_child, usable_cpus

TARGET_RATIO = 1.0  # sla report wall time / lint wall time, strictly below
PERIOD = "2026-10"
DEFAULT_ENTITIES = 2_000
DEFAULT_INCIDENTS = 10_000


def _check_lint(run_stdout: str) -> None:
    summary = json.loads(run_stdout).get("summary") or {}
    if summary.get("errors") or summary.get("warnings"):
        raise BenchError(f"lint found something in the generated catalog: {summary}")


def _check_sla(run_stdout: str, slas: int) -> float:
    """The report's total unplanned downtime in minutes, after checking its shape."""
    report = json.loads(run_stdout)
    if len(report["slas"]) != slas:
        raise BenchError(f"sla report: {len(report['slas'])} SLAs, expected {slas}")
    down = sum(s["downtimeMinutes"] for sla in report["slas"] for s in sla["services"].values())
    if down <= 0:
        raise BenchError("sla report: no downtime at all in a month of generated outages")
    return float(down)


def benchmark(
    entities: int, incidents: int, repeat: int, catalogctl: Path, keep: Path | None
) -> dict[str, Any]:
    counts = split_counts(entities)
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-sla-") as tmp:
        root = keep if keep else Path(tmp) / "catalog"
        started = time.perf_counter()
        generate(root, entities, incidents=incidents)
        generate_s = time.perf_counter() - started
        files = sum(1 for p in root.rglob("*.yaml"))
        lint = Measure("catalogctl lint")
        sla = Measure("catalogctl sla report")
        warm_lint = Measure("catalogctl lint, warm")
        warm_sla = Measure("catalogctl sla report, warm")
        down = 0.0
        lint_argv = ["lint", "--today", TODAY.isoformat(), "--format", "json"]
        sla_argv = ["sla", "report", "--period", PERIOD, "--format", "json"]
        commands = (
            (lint, [str(catalogctl), "--no-cache", *lint_argv]),
            (sla, [str(catalogctl), "--no-cache", *sla_argv]),
            (warm_lint, [str(catalogctl), *lint_argv]),
            (warm_sla, [str(catalogctl), *sla_argv]),
        )
        with bytecode_cache(True):
            for round_ in range(repeat + 1):  # round 0: untimed warm-up (fills the cache)
                for measure, argv in commands:
                    run = run_child(argv, root)
                    if measure in (lint, warm_lint):
                        if run.exit_code != 0:
                            raise BenchError(f"lint: exit {run.exit_code}\n{run.stderr}")
                        _check_lint(run.stdout)
                    else:
                        if run.exit_code not in (0, 1):  # 1: an SLA was breached
                            raise BenchError(f"sla report: exit {run.exit_code}\n{run.stderr}")
                        down = _check_sla(run.stdout, counts.slas)
                    if round_:
                        measure.runs.append(run.seconds)
                        measure.peaks.append(run.peak_mb)
    ratio = sla.seconds / lint.seconds
    return {
        "entities": entities,
        "incidents": incidents,
        "files": files,
        "slas": counts.slas,
        "period": PERIOD,
        "downtime_minutes": round(down, 1),
        "repeat": repeat,
        "generate_s": round(generate_s, 2),
        "lint_s": round(lint.seconds, 4),
        "sla_s": round(sla.seconds, 4),
        "lint_runs": [round(r, 4) for r in lint.runs],
        "sla_runs": [round(r, 4) for r in sla.runs],
        "lint_peak_mb": round(lint.peak_mb, 1),
        "sla_peak_mb": round(sla.peak_mb, 1),
        "ratio": round(ratio, 3),
        "warm_lint_s": round(warm_lint.seconds, 4),
        "warm_sla_s": round(warm_sla.seconds, 4),
        "warm_ratio": round(warm_sla.seconds / warm_lint.seconds, 3),
        "target": TARGET_RATIO,
        "ok": ratio < TARGET_RATIO,
        "cpus": usable_cpus(),
        "python": platform.python_version(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def render(result: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"catalogctl sla report benchmark: best of {result['repeat']}, {result['cpus']} CPUs, "
            f"Python {result['python']}",
            f"  {result['entities']:,} entities and {result['incidents']:,} incidents in "
            f"{result['files']:,} files (generated in {result['generate_s']:.1f} s); "
            f"{result['slas']} SLAs, {result['downtime_minutes']:,.0f} minutes of downtime "
            f"in {result['period']}",
            "",
            f"{'cold: catalogctl --no-cache lint (floor)':46}{result['lint_s']:>9.3f} s"
            f"   (peak {result['lint_peak_mb']:.0f} MB)",
            f"{'cold: catalogctl --no-cache sla report':46}{result['sla_s']:>9.3f} s"
            f"   (peak {result['sla_peak_mb']:.0f} MB)",
            f"{'warm: catalogctl lint':46}{result['warm_lint_s']:>9.3f} s",
            f"{'warm: catalogctl sla report':46}{result['warm_sla_s']:>9.3f} s"
            f"   ({result['warm_ratio']:.2f}x warm lint, not judged)",
            "",
            f"target: cold sla report < cold lint: {'PASS' if result['ok'] else 'FAIL'} "
            f"({result['ratio']:.2f}x)",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = benchcli.parser(
        "Benchmark `catalogctl sla report` against lint of the same catalog.", repeat=3
    )
    parser.add_argument(
        "--entities", type=int, default=DEFAULT_ENTITIES, help="catalog entities (2000)"
    )
    parser.add_argument(
        "--incidents", type=int, default=DEFAULT_INCIDENTS, help="incidents on top (10000)"
    )
    parser.add_argument("--keep", type=Path, help="generate into this empty folder and keep it")

    def measure(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        if args.incidents < 20:
            raise ValueError("--incidents must be at least 20")
        result = benchmark(
            args.entities, args.incidents, args.repeat, find_catalogctl(args.catalogctl), args.keep
        )
        return result, not result["ok"]

    return benchcli.run("bench_sla.py", parser, argv, measure, render)


if __name__ == "__main__":
    sys.exit(main())
