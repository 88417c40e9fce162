"""Warm runs of the working tree, measured for one or two builds of the tool
in alternation: what the stat record (docs/cache.md) changes.

    python benchmarks/bench_identity.py [--entities 10000] [--repeat 5]
        [--compare OTHER_CATALOGCTL] [--json]

diff_repo.py builds the catalog (commit A, ten files edited in commit B).
Each repeat measures, as real subprocesses and for each tool in turn:

floor      a fresh interpreter parses every catalog file (bench_lint.FLOOR_SCRIPT)
lint       `lint --no-cache`
warm       `lint` again after a `lint`, nothing changed
changed    `cache clear`, `lint` at A (untimed), checkout B, `lint`: ten files
           new to the cache (the bench_warm.py sequence)
report     `report` and `scorecard` with the cache warm
scorecard

On a machine shared with other work the fastest of the repeats is the least
disturbed: each figure is reported as its fastest run over the fastest floor
(and over the fastest `lint`). Every cached run must print what the same
command prints with `--no-cache`, or the benchmark stops.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import benchcli
from bench_lint import FLOOR_SCRIPT
from bench_warm import _ok, _same
from diff_repo import build_repo, run_git
from generate import TODAY
from measure import bytecode_cache, find_catalogctl, python_for, run_child

FIGURES = ("lint", "warm", "changed", "report", "scorecard")


def _round(tool: Path, root: Path, base: str, head: str, seconds: dict[str, list[float]]) -> None:
    today = TODAY.isoformat()
    lint = [str(tool), "lint", "--today", today]
    expected = _ok(run_child([str(tool), "--no-cache", *lint[1:]], root), "lint")
    seconds["lint"].append(expected.seconds)
    _ok(run_child([str(tool), "cache", "clear"], root), "cache clear", (0,))
    run_git(root, "checkout", "-q", base)
    _ok(run_child(lint, root), "lint at A")
    run_git(root, "checkout", "-q", head)
    changed = run_child(lint, root)
    _same(changed, expected, "lint, 10 files changed")
    seconds["changed"].append(changed.seconds)
    warm = run_child(lint, root)
    _same(warm, expected, "lint, warm")
    seconds["warm"].append(warm.seconds)
    for name in ("report", "scorecard"):
        argv = [str(tool), name, "--today", today]
        run = _ok(run_child(argv, root), name)
        _same(run, run_child([str(tool), "--no-cache", *argv[1:]], root), name)
        seconds[name].append(run.seconds)


def benchmark(entities: int, repeat: int, tools: Sequence[Path]) -> dict[str, Any]:
    python = python_for(tools[0])
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-identity-") as tmp:
        root = Path(tmp) / "catalog"
        base, head, _edits, _ = build_repo(root, entities, pack=False)
        floors: list[float] = []
        seconds: list[dict[str, list[float]]] = [{name: [] for name in FIGURES} for _ in tools]
        for _ in range(repeat):
            floor = run_child([python, "-c", FLOOR_SCRIPT, str(root)], root)
            _ok(floor, "floor", (0,))
            floors.append(float(json.loads(floor.stdout)["seconds"]))
            for tool, found in zip(tools, seconds, strict=True):
                _round(tool, root, base, head, found)
    floor_s = min(floors)
    results = []
    for tool, found in zip(tools, seconds, strict=True):
        best = {name: min(runs) for name, runs in found.items()}
        results.append(
            {
                "catalogctl": str(tool),
                "seconds": {k: round(v, 3) for k, v in best.items()},
                "per_floor": {k: round(v / floor_s, 3) for k, v in best.items()},
                "per_lint": {k: round(v / best["lint"], 3) for k, v in best.items()},
            }
        )
    return {"entities": entities, "repeat": repeat, "floor_s": round(floor_s, 3), "tools": results}


def render(result: dict[str, Any]) -> str:
    names = " | ".join(Path(t["catalogctl"]).parent.name for t in result["tools"])
    lines = [
        f"warm runs at {result['entities']:,} entities, fastest of {result['repeat']} "
        f"alternating repeats; floor {result['floor_s']:.2f} s",
        "",
        f"| figure | {names} |",
        "|---|" + "---|" * len(result["tools"]),
    ]
    for name in FIGURES:
        cells = [
            f"{t['seconds'][name]:.2f} s, {t['per_floor'][name]:.2f}x floor, "
            f"{t['per_lint'][name]:.2f}x lint"
            for t in result["tools"]
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = benchcli.parser("Benchmark warm runs of the working tree.", repeat=5)
    parser.add_argument("--entities", type=int, default=10000)
    parser.add_argument("--compare", type=Path, help="another catalogctl, measured in turn")
    benchcli.add_bytecode_option(parser)

    def measure(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        tools = [find_catalogctl(args.catalogctl)]
        if args.compare:
            tools.insert(0, args.compare)
        with bytecode_cache(not args.no_bytecode_cache):
            return benchmark(args.entities, args.repeat, tools), False

    return benchcli.run("bench_identity", parser, argv, measure, render)


if __name__ == "__main__":
    raise SystemExit(main())
