"""Benchmark `catalogctl diff` between two commits of a generated catalog.

    .venv/bin/python benchmarks/bench_diff.py [--sizes 1000,10000] [--repeat 5] [--json]

For each size, a catalog is generated (``generate.py``, seed 1) into a
temporary folder, committed to a fresh repository (``git init -b main``,
commit A), then ten files are edited the way a pull request would, and
committed again (commit B):

- an SLA's availability target is lowered (0.4 points),
- a service's tier goes from 2 to 1,
- a network device's status goes from in-service to maintenance,
- a service changes owner to another team,
- a service description gains a line of prose,
- a change request's risk impact goes from medium to high,
- a change template's maxDuration changes,
- a new service file is added,
- a configuration item that no other file mentions is deleted,
- a CI file gains a comment and its tags are reordered: formatting only,
  which the semantic diff must not report.

So nine entity changes are expected (one added, one removed, seven
modified); every diff run must report exactly those, or the benchmark stops.
The edited catalog need not lint clean.

Measured as real subprocesses, wall time from spawn to exit, best of
--repeat after one untimed warm-up round (peak memory is the largest
process's maximum RSS). The tools run with bytecode caching on, in a private
PYTHONPYCACHEPREFIX folder, as an installed tool would (pip compiles it): with
PYTHONDONTWRITEBYTECODE set, every module lacking a .pyc would otherwise be
compiled on every start. --no-bytecode-cache keeps the inherited environment.

python start-up
    ``python -c pass`` with catalogctl's interpreter.
catalogctl diff --help
    Interpreter plus CLI start-up.
git diff-tree -r A B
    The floor: git listing the changed paths, for information.
diff --no-impact
    ``catalogctl diff A B --no-impact --format json``: reads the changed files only.
diff (impact)
    ``catalogctl diff A B --format json``: also loads the whole head catalog.
lint
    ``catalogctl lint --today 2026-11-28`` on the same tree (default settings).

Targets, on the largest size (10,000 entities by default):

1. diff --no-impact takes at most 0.1x the time of lint on the same tree;
2. diff --no-impact takes at most 1.5x its time on the smallest size (1,000),
   i.e. its cost follows the changed files, not the catalog.

Missing a target is reported, not fatal, unless --check is given (exit 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import benchcli
from benchcli import BenchError
from diff_repo import FILES_EDITED, SEED, Edit, build_repo
from diff_table import render
from generate import TODAY
from measure import Measure, Run, find_catalogctl, python_for, run_child, usable_cpus
from measure import bytecode_cache as bytecode_cache

# bench_report.py imports bytecode_cache from here, hence the explicit
# re-export (`name as name`) above.

DEFAULT_SIZES = (1_000, 10_000)
TARGET_LINT_RATIO = 0.1  # diff --no-impact / lint, largest size
TARGET_SCALE_RATIO = 1.5  # diff --no-impact largest / smallest size

_SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?", re.M)


def _check_diff(run: Run, label: str, edits: list[Edit], impact: bool) -> None:
    if run.exit_code != 0:
        raise BenchError(f"{label}: exit {run.exit_code}\n{run.stderr.strip()}")
    report = json.loads(run.stdout)
    got = sorted((c["op"], c["kind"], c["id"]) for c in report["changes"])
    expected = sorted(e.change for e in edits if e.change is not None)
    if got != expected:
        raise BenchError(
            f"{label}: reported {len(got)} entity changes, expected {len(expected)}:\n"
            f"  reported: {got}\n  expected: {expected}"
        )
    if report["problems"]:
        raise BenchError(f"{label}: problems reported: {report['problems']}")
    if impact != (report["impact"] is not None):
        raise BenchError(f"{label}: impact is {'missing' if impact else 'present'}")


def measure_size(
    entities: int, repeat: int, catalogctl: Path, pack: bool, keep: Path | None
) -> dict[str, Any]:
    python = python_for(catalogctl)
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-diff-") as tmp:
        root = keep / str(entities) if keep else Path(tmp) / "catalog"
        base, head, edits, generate_s = build_repo(root, entities, pack)
        files = len(list((root / "catalog").rglob("*.yaml"))) + len(
            list((root / "changes").rglob("*.yaml"))
        )
        tool = str(catalogctl)
        diff = [tool, "diff", base, head, "--format", "json"]
        startup = Measure("python start-up")
        tool_startup = Measure("catalogctl diff --help")
        floor = Measure("git diff-tree -r A B")
        no_impact = Measure("diff --no-impact")
        with_impact = Measure("diff (impact)")
        lint = Measure("lint")
        lint_exit, lint_summary = 0, ""
        for round_ in range(repeat + 1):  # round 0: untimed warm-up
            for measure, argv in (
                (startup, [python, "-c", "pass"]),
                (tool_startup, [tool, "diff", "--help"]),
                (floor, ["git", "diff-tree", "-r", base, head]),
                (no_impact, [*diff, "--no-impact"]),
                (with_impact, diff),
                (lint, [tool, "lint", "--today", TODAY.isoformat()]),
            ):
                run = run_child(argv, root)
                if measure is floor:
                    changed = len(run.stdout.splitlines())
                    if run.exit_code != 0 or changed != FILES_EDITED:
                        raise BenchError(
                            f"git diff-tree: exit {run.exit_code}, {changed} paths, "
                            f"expected {FILES_EDITED}\n{run.stderr.strip()}"
                        )
                elif measure is no_impact or measure is with_impact:
                    _check_diff(run, measure.label, edits, impact=measure is with_impact)
                elif measure is lint:
                    summary = _SUMMARY.search(run.stdout)
                    if run.exit_code not in (0, 1) or summary is None:
                        raise BenchError(
                            f"lint: exit {run.exit_code}\n{run.stdout[-2000:]}{run.stderr.strip()}"
                        )
                    lint_exit, lint_summary = run.exit_code, summary[0]
                elif run.exit_code != 0:
                    raise BenchError(f"{measure.label}: exit {run.exit_code}\n{run.stderr}")
                if round_:
                    measure.runs.append(run.seconds)
                    measure.peaks.append(run.peak_mb)

    def row(measure: Measure) -> dict[str, Any]:
        return {
            "seconds": round(measure.seconds, 4),
            "peak_mb": round(measure.peak_mb, 1),
            "runs": [round(r, 4) for r in measure.runs],
        }

    return {
        "entities": entities,
        "files": files,
        "generate_s": round(generate_s, 3),
        "python_startup": row(startup),
        "catalogctl_startup": row(tool_startup),
        "git_diff_tree": row(floor),
        "diff_no_impact": row(no_impact),
        "diff_impact": row(with_impact),
        "lint": row(lint),
        "lint_exit": lint_exit,
        "lint_summary": lint_summary,
        "no_impact_over_lint": round(no_impact.seconds / lint.seconds, 4),
        "base": base,
        "head": head,
        "edits": [
            {"file": e.file, "what": e.what, "change": list(e.change) if e.change else None}
            for e in edits
        ],
    }


def benchmark(
    sizes: Sequence[int],
    repeat: int,
    catalogctl: Path,
    pack: bool,
    keep: Path | None,
    cache_bytecode: bool = True,
) -> dict[str, Any]:
    with bytecode_cache(cache_bytecode):
        results = [measure_size(n, repeat, catalogctl, pack, keep) for n in sizes]
    edits = results[0]["edits"]
    small, large = results[0], results[-1]
    lint_ratio = large["diff_no_impact"]["seconds"] / large["lint"]["seconds"]
    scale_ratio = (
        large["diff_no_impact"]["seconds"] / small["diff_no_impact"]["seconds"]
        if len(results) > 1
        else None
    )
    git_version = subprocess.run(
        ["git", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "seed": SEED,
        "repeat": repeat,
        "packed": pack,
        "bytecode_cache": cache_bytecode,
        "today": TODAY.isoformat(),
        "cpus": usable_cpus(),
        "python": platform.python_version(),
        "git": git_version.removeprefix("git version "),
        "platform": platform.platform(),
        "files_edited": len(edits),
        "expected_changes": sum(1 for e in edits if e["change"] is not None),
        "sizes": results,
        "targets": {
            "entities": large["entities"],
            "lint_ratio_max": TARGET_LINT_RATIO,
            "lint_ratio": round(lint_ratio, 4),
            "lint_ratio_ok": lint_ratio <= TARGET_LINT_RATIO,
            "scale_from": small["entities"] if scale_ratio is not None else None,
            "scale_ratio_max": TARGET_SCALE_RATIO,
            "scale_ratio": round(scale_ratio, 3) if scale_ratio is not None else None,
            "scale_ratio_ok": scale_ratio <= TARGET_SCALE_RATIO
            if scale_ratio is not None
            else None,
        },
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = benchcli.parser(
        "Benchmark `catalogctl diff` between two commits of generated catalogs.", repeat=5
    )
    parser.add_argument(
        "--sizes",
        type=benchcli.sizes(100, "entities"),
        default=list(DEFAULT_SIZES),
        help="comma-separated catalog sizes; targets compare largest and smallest (1000,10000)",
    )
    parser.add_argument(
        "--pack", action="store_true", help="`git gc` after commit B, as in a fresh clone"
    )
    parser.add_argument(
        "--keep", type=Path, help="build the repositories in DIR/<size> and keep them"
    )
    benchcli.add_bytecode_option(parser)

    def measure(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        result = benchmark(
            args.sizes,
            args.repeat,
            find_catalogctl(args.catalogctl),
            args.pack,
            args.keep,
            cache_bytecode=not args.no_bytecode_cache,
        )
        targets = result["targets"]
        return result, targets["lint_ratio_ok"] is False or targets["scale_ratio_ok"] is False

    return benchcli.run("bench_diff.py", parser, argv, measure, render)


if __name__ == "__main__":
    sys.exit(main())
