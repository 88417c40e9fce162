"""Scale benchmark: `catalogctl lint` against the cost of just parsing the YAML.

    python benchmarks/bench_lint.py [--entities 10000] [--repeat 3] [--json]

Generates a synthetic catalog (benchmarks/generate.py, seed 1) in a temporary
folder, then measures, best of --repeat runs each:

floor
    A fresh interpreter lists catalog/**.yaml and changes/**.yaml, then times
    only the loop that reads every file and parses it with
    ``yaml.load(f.read(), Loader=yaml.CSafeLoader)``: the least any YAML
    linter in Python must do. Interpreter start-up is not in it; it is
    reported on its own line (``python -c pass``), next to the fixed cost of
    starting the tool (``catalogctl lint --help``: interpreter and imports).
lint
    ``catalogctl lint --today 2026-11-28`` as a real subprocess, wall time
    from spawn to exit (start-up, imports and output included), once with the
    default settings (one worker per CPU) and once with ``--jobs 1``. Every run
    must report 0 errors and 0 warnings, or the benchmark stops.
peak MB
    The maximum resident set size of the process, from ``wait4()`` (the
    per-child form of ``getrusage(RUSAGE_CHILDREN)``): the largest single
    process, the lint process or one of its workers. On Linux, one more
    default-settings run samples /proc to report the whole process tree's
    peak (proportional set size, so pages that forked workers share with
    their parent are not counted twice).

Targets: lint/floor <= 2.0 with the default settings, peak < 500 MB. Missing
a target is reported, not fatal, unless --check is given (exit 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import benchcli
from benchcli import BenchError as BenchError
from generate import TODAY, generate, split_counts
from measure import Measure as Measure
from measure import Run, TreeSampler, python_for, usable_cpus
from measure import find_catalogctl as find_catalogctl
from measure import run_child as run_child

# bench_report.py imports BenchError, Measure, find_catalogctl and run_child
# from here, hence the explicit re-exports (`name as name`) above.

SEED = 1
TARGET_RATIO = 2.0  # lint wall time / floor loop time, default settings
TARGET_PEAK_MB = 500.0

# Run by a fresh interpreter: argv[1] is the catalog root. Prints JSON.
FLOOR_SCRIPT = """\
import json, sys, time
from pathlib import Path
import yaml
root = Path(sys.argv[1])
paths = sorted([*root.glob("catalog/**/*.yaml"), *root.glob("changes/**/*.yaml")])
start = time.perf_counter()
for path in paths:
    with open(path, encoding="utf-8") as f:
        yaml.load(f.read(), Loader=yaml.CSafeLoader)
seconds = time.perf_counter() - start
print(json.dumps({"files": len(paths), "seconds": seconds}))
"""


def catalog_files(root: Path) -> list[Path]:
    return sorted([*root.glob("catalog/**/*.yaml"), *root.glob("changes/**/*.yaml")])


def _check_clean(run: Run, label: str) -> None:
    lines = run.stdout.strip().splitlines()
    summary = lines[-1] if lines else ""
    if run.exit_code != 0 or not summary.startswith("0 errors, 0 warnings"):
        shown = "\n".join(lines[:40])
        raise BenchError(
            f"{label}: the generated catalog does not lint clean (exit {run.exit_code}):\n"
            f"{shown}\n{run.stderr.strip()}"
        )


def benchmark(
    entities: int, repeat: int, catalogctl: Path, out: Path | None, tree: bool
) -> dict[str, Any]:
    python = python_for(catalogctl)
    jobs = usable_cpus()
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-") as tmp:
        root = out or Path(tmp) / "catalog"
        started = time.perf_counter()
        generate(root, entities, seed=SEED)
        generate_s = time.perf_counter() - started
        files = len(catalog_files(root))

        lint = [str(catalogctl), "lint", "--today", TODAY.isoformat()]
        startup = Measure("python start-up")
        tool_startup = Measure("catalogctl start-up")
        floor = Measure("floor (parse only)")
        default = Measure(f"lint (default, {jobs} jobs)")
        single = Measure("lint --jobs 1")
        for _ in range(repeat):
            run = run_child([python, "-c", "pass"], root)
            startup.runs.append(run.seconds)
            startup.peaks.append(run.peak_mb)

            run = run_child([str(catalogctl), "lint", "--help"], root)
            tool_startup.runs.append(run.seconds)
            tool_startup.peaks.append(run.peak_mb)

            run = run_child([python, "-c", FLOOR_SCRIPT, str(root)], root)
            if run.exit_code != 0:
                raise BenchError(f"floor run failed:\n{run.stderr.strip()}")
            result = json.loads(run.stdout)
            if result["files"] != files:
                raise BenchError(f"floor parsed {result['files']} files, expected {files}")
            floor.runs.append(float(result["seconds"]))
            floor.peaks.append(run.peak_mb)

            for measure, argv in ((default, lint), (single, [*lint, "--jobs", "1"])):
                run = run_child(argv, root)
                _check_clean(run, measure.label)
                measure.runs.append(run.seconds)
                measure.peaks.append(run.peak_mb)

        tree_peak_mb = None
        if tree and os.path.exists("/proc/self/task"):
            samplers: list[TreeSampler] = []

            def start_sampler(pid: int) -> TreeSampler:
                sampler = TreeSampler(pid)
                sampler.start()
                samplers.append(sampler)
                return sampler

            run = run_child(lint, root, on_start=start_sampler)
            _check_clean(run, "lint (sampled)")
            tree_peak_mb = samplers[0].peak_kb / 1024 if samplers[0].peak_kb else None

    def row(measure: Measure, ratio: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "seconds": round(measure.seconds, 4),
            "per_file_us": round(measure.seconds / files * 1e6, 1),
            "peak_mb": round(measure.peak_mb, 1),
            "runs": [round(r, 4) for r in measure.runs],
        }
        if ratio:
            data["ratio"] = round(measure.seconds / floor.seconds, 2)
        return data

    ratio = default.seconds / floor.seconds
    peak = max(default.peak_mb, single.peak_mb)
    return {
        "entities": entities,
        "files": files,
        "seed": SEED,
        "repeat": repeat,
        "today": TODAY.isoformat(),
        "counts": asdict(split_counts(entities)),
        "cpus": jobs,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "generate_s": round(generate_s, 3),
        "python_startup_s": round(startup.seconds, 4),
        "catalogctl_startup_s": round(tool_startup.seconds, 4),
        "floor": row(floor, ratio=False),
        "lint_default": row(default),
        "lint_jobs1": row(single),
        "lint_default_tree_peak_mb": round(tree_peak_mb, 1) if tree_peak_mb else None,
        "targets": {
            "ratio_max": TARGET_RATIO,
            "ratio": round(ratio, 2),
            "ratio_ok": ratio <= TARGET_RATIO,
            "peak_mb_max": TARGET_PEAK_MB,
            "peak_mb": round(peak, 1),
            "peak_ok": peak < TARGET_PEAK_MB,
        },
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def render(result: dict[str, Any]) -> str:
    counts = result["counts"]
    lines = [
        f"catalogctl lint benchmark: {result['entities']:,} entities in {result['files']:,} "
        f"files (seed {result['seed']}), best of {result['repeat']}, {result['cpus']} CPUs, "
        f"Python {result['python']}",
        f"  {counts['teams']} teams, {counts['services']} services, {counts['slas']} SLAs, "
        f"{counts['cis']} CIs, {counts['templates']} templates, {counts['changes']} changes; "
        f"generated in {result['generate_s']:.2f} s",
        "",
        f"{'':28}{'seconds':>9}{'us/file':>10}{'lint/floor':>12}{'peak MB':>10}",
    ]
    rows = (
        ("floor: read + CSafeLoader", result["floor"]),
        (f"lint, default ({result['cpus']} jobs)", result["lint_default"]),
        ("lint --jobs 1", result["lint_jobs1"]),
    )
    for label, row in rows:
        ratio = f"{row['ratio']:.2f}" if "ratio" in row else "-"
        lines.append(
            f"{label:28}{row['seconds']:>9.3f}{row['per_file_us']:>10.1f}{ratio:>12}"
            f"{row['peak_mb']:>10.1f}"
        )
    lines.append(f"{'python start-up (-c pass)':28}{result['python_startup_s']:>9.3f}")
    lines.append(f"{'catalogctl lint --help':28}{result['catalogctl_startup_s']:>9.3f}")
    tree = result["lint_default_tree_peak_mb"]
    if tree is not None:
        lines.append(f"lint default, whole process tree peak (PSS, sampled): {tree:.1f} MB")
    targets = result["targets"]
    verdict = {True: "PASS", False: "FAIL"}
    lines += [
        "",
        f"target: lint/floor <= {targets['ratio_max']:.1f} with default settings: "
        f"{verdict[targets['ratio_ok']]} ({targets['ratio']:.2f})",
        f"target: peak < {targets['peak_mb_max']:.0f} MB: "
        f"{verdict[targets['peak_ok']]} ({targets['peak_mb']:.1f} MB, largest process)",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = benchcli.parser(
        "Benchmark `catalogctl lint` on a generated catalog against a parse-only floor.", repeat=3
    )
    parser.add_argument("--entities", type=int, default=10_000, help="catalog size (10000)")
    parser.add_argument("--out", type=Path, help="generate into this empty folder and keep it")
    parser.add_argument(
        "--no-tree", action="store_true", help="skip the sampled whole-process-tree memory run"
    )

    def measure(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        result = benchmark(
            args.entities,
            args.repeat,
            find_catalogctl(args.catalogctl),
            args.out,
            tree=not args.no_tree,
        )
        targets = result["targets"]
        return result, not (targets["ratio_ok"] and targets["peak_ok"])

    return benchcli.run("bench_lint.py", parser, argv, measure, render)


if __name__ == "__main__":
    sys.exit(main())
