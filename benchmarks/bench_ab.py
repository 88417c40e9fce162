"""Two builds of catalogctl on one repository, interleaved: did a change pay?

    python benchmarks/bench_ab.py --before OLD/catalogctl [--after NEW] \
        [--entities 10000] [--rounds 5] [--json]

On a shared machine one benchmark run after another measures the load of
the moment as much as the tool. Here each round runs the floor (the same
script as bench_warm.py), then every figure with the build `before` and
with `after`, alternating which goes first, so both see the same load.
Figures are bench_warm.py's lint figures: `lint --no-cache`, `lint` after
`cache clear` (cold) and `lint` with ten files changed since a linted
commit (changed). Each is a ratio over the floor of its round (median over
rounds), with its median wall and CPU seconds (user + system of the
process and its workers, which the load of others inflates less). Both
builds must print the same output, or the benchmark stops.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import benchcli
from bench_lint import FLOOR_SCRIPT
from benchcli import BenchError
from diff_repo import build_repo, run_git
from generate import TODAY
from measure import Run, bytecode_cache, find_catalogctl, python_for, run_child

FIGURES = ("lint", "cold", "changed")


def _figure(tool: Path, name: str, root: Path, base: str, head: str) -> Run:
    lint = [str(tool), "lint", "--today", TODAY.isoformat()]
    if name == "lint":
        return run_child([str(tool), "--no-cache", *lint[1:]], root)
    run_child([str(tool), "cache", "clear"], root)
    if name == "changed":
        run_git(root, "checkout", "-q", base)
        run_child(lint, root)
        run_git(root, "checkout", "-q", head)
    return run_child(lint, root)


def measure(before: Path, after: Path, entities: int, rounds: int) -> dict[str, Any]:
    python = python_for(after)
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-ab-") as tmp:
        root = Path(tmp) / "catalog"
        base, head, _edits, _seconds = build_repo(root, entities, pack=False)
        builds = {"before": before, "after": after}
        for tool in builds.values():  # untimed: fills each build's bytecode cache
            run_child([str(tool), "--no-cache", "lint", "--today", TODAY.isoformat()], root)
        floors: list[float] = []
        wall: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        ratios: dict[str, list[float]] = {}
        for number in range(rounds):
            floor = run_child([python, "-c", FLOOR_SCRIPT, str(root)], root)
            if floor.exit_code != 0:
                raise BenchError(f"floor run failed:\n{floor.stderr}")
            floors.append(float(json.loads(floor.stdout)["seconds"]))
            for figure in FIGURES:
                order = list(builds) if number % 2 == 0 else list(reversed(builds))
                outputs = {}
                for label in order:
                    run = _figure(builds[label], figure, root, base, head)
                    if run.exit_code not in (0, 1):
                        raise BenchError(f"{label} {figure}: exit {run.exit_code}\n{run.stderr}")
                    outputs[label] = (run.exit_code, run.stdout)
                    key = f"{label} {figure}"
                    wall.setdefault(key, []).append(run.seconds)
                    cpu.setdefault(key, []).append(run.cpu_seconds)
                    ratios.setdefault(key, []).append(run.seconds / floors[-1])
                if outputs["before"] != outputs["after"]:
                    raise BenchError(f"{figure}: the two builds print different output")
        run_git(root, "checkout", "-q", head)
    return {
        "entities": entities,
        "rounds": rounds,
        "floor_s": round(statistics.median(floors), 3),
        "figures": {
            key: {
                "per_floor": round(statistics.median(ratios[key]), 3),
                "seconds": round(statistics.median(wall[key]), 3),
                "cpu_s": round(statistics.median(cpu[key]), 3),
            }
            for key in wall
        },
    }


def render(result: dict[str, Any]) -> str:
    lines = [
        f"catalogctl A/B: {result['entities']:,} entities, median of {result['rounds']} "
        f"interleaved rounds, floor {result['floor_s']:.2f} s",
        "",
        "| figure | before | after |",
        "|---|---|---|",
    ]
    for figure in FIGURES:
        cells = []
        for label in ("before", "after"):
            f = result["figures"][f"{label} {figure}"]
            cells.append(f"{f['per_floor']:.2f}x ({f['seconds']:.2f} s, cpu {f['cpu_s']:.2f} s)")
        lines.append(f"| {figure} | {' | '.join(cells)} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = benchcli.parser("Compare two builds of catalogctl, interleaved.", repeat=1)
    parser.add_argument("--before", required=True, help="the catalogctl executable to compare")
    parser.add_argument("--after", help="the other one (default: --catalogctl or the venv's)")
    parser.add_argument("--entities", type=int, default=10000, help="catalog size (10000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (5)")
    benchcli.add_bytecode_option(parser)

    def run(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        after = Path(args.after) if args.after else find_catalogctl(args.catalogctl)
        with bytecode_cache(not args.no_bytecode_cache):
            return measure(Path(args.before), after, args.entities, max(1, args.rounds)), False

    return benchcli.run("bench_ab", parser, argv, run, render)


if __name__ == "__main__":
    raise SystemExit(main())
