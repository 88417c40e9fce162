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
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import benchcli
from bench_lint import BenchError, Measure, Run, find_catalogctl, run_child
from generate import TODAY, generate

SEED = 1
DEFAULT_SIZES = (1_000, 10_000)
TARGET_LINT_RATIO = 0.1  # diff --no-impact / lint, largest size
TARGET_SCALE_RATIO = 1.5  # diff --no-impact largest / smallest size
FILES_EDITED = 10

# Commits must not depend on the user's git configuration (hooks, signing,
# templates); the measured commands run with the ordinary environment (plus
# the bytecode cache, see bytecode_cache()).
_GIT_SETUP_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@fabrikam.example",
    "GIT_AUTHOR_DATE": "2026-11-27T10:00:00+01:00",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@fabrikam.example",
    "GIT_COMMITTER_DATE": "2026-11-27T10:00:00+01:00",
    "LC_ALL": "C",
}
_SUMMARY = re.compile(r"^\d+ errors?, \d+ warnings?", re.M)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_ID = re.compile(r"^  id: (\S+)$", re.M)


# --------------------------------------------------------------------------- #
# The repository: commit A, ten realistic edits, commit B
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Edit:
    file: str  # relative to the catalog root
    what: str
    change: tuple[str, str, str] | None  # expected (op, kind, id); None: no entity change


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(
        # No automatic gc: a detached `gc --auto` after committing 10,000
        # loose objects would pack them while the benchmark measures.
        ["git", "-c", "gc.auto=0", "-c", "maintenance.auto=false", *args],
        cwd=root,
        env=_GIT_SETUP_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def _commit(root: Path, message: str) -> str:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--no-verify", "-m", message)
    return _git(root, "rev-parse", "HEAD").strip()


class Editor:
    """Picks distinct files (sorted order, so the same seed gives the same
    edits) and rewrites exactly one match in each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.used: set[Path] = set()
        self.edits: list[Edit] = []

    def files(self, folder: str) -> list[Path]:
        return sorted((self.root / folder).rglob("*.yaml"))

    def pick(self, folder: str, pattern: str) -> tuple[Path, str, re.Match[str]]:
        regex = re.compile(pattern, re.M)
        for path in self.files(folder):
            if path in self.used:
                continue
            text = path.read_text(encoding="utf-8")
            found = regex.search(text)
            if found:
                self.used.add(path)
                return path, text, found
        raise BenchError(f"no file under {folder} matches {pattern!r}")

    def record(self, path: Path, what: str, change: tuple[str, str, str] | None) -> None:
        self.edits.append(Edit(path.relative_to(self.root).as_posix(), what, change))

    def replace(
        self,
        folder: str,
        kind: str,
        pattern: str,
        repl: Callable[[re.Match[str]], str],
        what: str,
    ) -> str:
        """Rewrite the first match of `pattern` in the first unused file that has one."""
        path, text, found = self.pick(folder, pattern)
        new = text[: found.start()] + repl(found) + text[found.end() :]
        if new == text:
            raise BenchError(f"{path}: the edit changed nothing")
        path.write_text(new, encoding="utf-8")
        entity = _ID.search(text)
        if entity is None:
            raise BenchError(f"{path}: no metadata id")
        self.record(path, what.format(id=entity[1]), ("modified", kind, entity[1]))
        return entity[1]


def edit_catalog(root: Path) -> list[Edit]:
    """The ten edits of commit B; returns what each should show in the diff."""
    ed = Editor(root)

    def lower_target(m: re.Match[str]) -> str:
        return f"{m[1]}{round(float(m[2]) - 0.4, 2)}"

    ed.replace(
        "catalog/slas",
        "SLA",
        r"^(  availability:\n    target: )([0-9.]+)$",
        lower_target,
        "SLA {id}: availability target lowered by 0.4",
    )
    ed.replace(
        "catalog/services", "Service", r"^  tier: 2$", lambda m: "  tier: 1", "{id}: tier 2 -> 1"
    )
    ed.replace(
        "catalog/cis/network",
        "ConfigurationItem",
        r"^  status: in-service$",
        lambda m: "  status: maintenance",
        "{id}: status in-service -> maintenance",
    )
    teams = [p.stem for p in ed.files("catalog/teams") if p.stem not in ("cab", "ecab")]

    def new_owner(m: re.Match[str]) -> str:
        return "  owner: " + next(t for t in teams if t != m[1])

    ed.replace("catalog/services", "Service", r"^  owner: (\S+)$", new_owner, "{id}: owner changed")
    ed.replace(
        "catalog/services",
        "Service",
        r"^  description: \|\n",
        lambda m: m[0] + "    Since the 2026 re-platforming it also serves the cross-dock hubs.\n",
        "{id}: a line added to the description",
    )
    ed.replace(
        "changes",
        "ChangeRequest",
        r"^(  risk:\n    impact: )medium$",
        lambda m: m[1] + "high",
        "{id}: risk impact medium -> high",
    )
    ed.replace(
        "catalog/templates",
        "ChangeTemplate",
        r"^  maxDuration: (\S+)$",
        lambda m: "  maxDuration: " + ("4h" if m[1] != "4h" else "2h"),
        "{id}: maxDuration changed",
    )

    # A new service, owned by an existing team, depending on an existing service.
    anchor = ed.files("catalog/services/logistics")[0]
    anchor_id = _ID.search(anchor.read_text(encoding="utf-8"))
    if anchor_id is None:
        raise BenchError(f"{anchor}: no metadata id")
    added = root / "catalog/services/logistics/cross-dock-scheduling.yaml"
    added.write_text(
        "apiVersion: catalogctl/v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  id: cross-dock-scheduling\n"
        "  name: Cross-Dock Scheduling\n"
        "  description: |\n"
        "    Slot booking for the cross-dock hubs, for carriers and dock staff.\n"
        "  tags: [logistics, business]\n"
        "spec:\n"
        f"  owner: {teams[0]}\n"
        "  type: business\n"
        "  lifecycle: pipeline\n"
        "  tier: 3\n"
        "  visibility: internal\n"
        "  category: Logistics\n"
        "  dependsOn:\n"
        f"    - {anchor_id[1]}\n"
        "  support:\n"
        "    hours: business-hours\n"
        f"    email: {teams[0]}@fabrikam.example\n",
        encoding="utf-8",
    )
    ed.used.add(added)
    ed.record(
        added, "new service cross-dock-scheduling", ("added", "Service", "cross-dock-scheduling")
    )

    # A CI whose id no other file mentions: deleting it breaks no reference.
    texts = {p: p.read_text(encoding="utf-8") for p in (*ed.files("catalog"), *ed.files("changes"))}
    mentions: Counter[str] = Counter()
    for text in texts.values():
        mentions.update(set(_TOKEN.findall(text)))
    for path in ed.files("catalog/cis"):
        found = _ID.search(texts[path])
        if path not in ed.used and found and mentions[found[1]] == 1:
            path.unlink()
            ed.used.add(path)
            ed.record(
                path,
                f"{found[1]}: unreferenced CI deleted",
                ("removed", "ConfigurationItem", found[1]),
            )
            break
    else:
        raise BenchError("no unreferenced configuration item to delete")

    # Formatting only: a comment and reordered tags are no change.
    def reorder(m: re.Match[str]) -> str:
        return f"  tags: [{', '.join(reversed(m[1].split(', ')))}]"

    path, text, found = ed.pick("catalog/cis", r"^  tags: \[([^\]]+, [^\]]+)\]$")
    path.write_text(
        "# Reviewed in the 2026 CMDB audit.\n"
        + text[: found.start()]
        + reorder(found)
        + text[found.end() :],
        encoding="utf-8",
    )
    ed.record(path, "comment added, tags reordered (no entity change)", None)

    if len(ed.edits) != FILES_EDITED:
        raise BenchError(f"made {len(ed.edits)} edits, expected {FILES_EDITED}")
    return ed.edits


def build_repo(root: Path, entities: int, pack: bool) -> tuple[str, str, list[Edit], float]:
    """Generate, commit A, edit, commit B; returns (A, B, edits, seconds to generate)."""
    started = time.perf_counter()
    generate(root, entities, seed=SEED)
    generate_s = time.perf_counter() - started
    _git(root, "init", "-q", "-b", "main")
    base = _commit(root, "Catalog as generated")
    edits = edit_catalog(root)
    head = _commit(root, "Ten edits, as a pull request would make them")
    if pack:
        _git(root, "gc", "-q", "--prune=now")
    return base, head, edits, generate_s


# --------------------------------------------------------------------------- #
# Measuring
# --------------------------------------------------------------------------- #


def _python_for(catalogctl: Path) -> str:
    for name in ("python", "python3"):
        candidate = catalogctl.parent / name
        if candidate.exists():
            return str(candidate)
    return sys.executable


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


@contextmanager
def bytecode_cache(enabled: bool) -> Iterator[None]:
    """Let the measured interpreters cache bytecode, in a private folder.

    An installed tool runs from cached bytecode (pip compiles it). When
    PYTHONDONTWRITEBYTECODE is set, modules without a .pyc next to them are
    compiled from source on every start, which would be measured as the tool's
    cost. PYTHONPYCACHEPREFIX sends the cache to a temporary folder, so nothing
    is written next to the sources; one untimed warm-up run fills it.
    """
    if not enabled:
        yield
        return
    saved = {k: os.environ.get(k) for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-pycache-") as cache:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = cache
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def measure_size(
    entities: int, repeat: int, catalogctl: Path, pack: bool, keep: Path | None
) -> dict[str, Any]:
    python = _python_for(catalogctl)
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
        "cpus": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
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


# --------------------------------------------------------------------------- #
# Output
# --------------------------------------------------------------------------- #


def render(result: dict[str, Any]) -> str:
    sizes = result["sizes"]
    counts = Counter(e["change"][0] for e in sizes[0]["edits"] if e["change"])
    lines = [
        f"catalogctl diff benchmark: best of {result['repeat']}, {result['cpus']} CPUs, "
        f"Python {result['python']}, git {result['git']}, seed {result['seed']}, "
        f"objects {'packed' if result['packed'] else 'loose (as committed)'}, "
        f"bytecode {'cached (private prefix)' if result['bytecode_cache'] else 'as inherited'}",
        f"  commit B edits {result['files_edited']} files: {result['expected_changes']} entity "
        f"changes expected ({', '.join(f'{n} {op}' for op, n in sorted(counts.items()))}), "
        "plus 1 formatting-only edit; every diff run reported exactly those",
        "",
    ]
    head = f"{'':34}" + "".join(f"{s['entities']:>12,}" for s in sizes)
    lines += [
        head + "   entities",
        f"{'catalog files':34}" + "".join(f"{s['files']:>12,}" for s in sizes),
    ]
    rows = (
        ("python start-up (-c pass)", "python_startup"),
        ("catalogctl diff --help", "catalogctl_startup"),
        ("git diff-tree -r A B (floor)", "git_diff_tree"),
        ("diff A B --no-impact --format json", "diff_no_impact"),
        ("diff A B --format json (impact)", "diff_impact"),
        (f"lint --today {result['today']}", "lint"),
    )
    for label, key in rows:
        lines.append(f"{label:34}" + "".join(f"{s[key]['seconds']:>11.3f}s" for s in sizes))
    lines.append(
        f"{'peak MB: diff --no-impact':34}"
        + "".join(f"{s['diff_no_impact']['peak_mb']:>12.1f}" for s in sizes)
    )
    lines.append(
        f"{'peak MB: diff (impact)':34}"
        + "".join(f"{s['diff_impact']['peak_mb']:>12.1f}" for s in sizes)
    )
    lines.append(
        f"{'diff --no-impact / lint':34}"
        + "".join(f"{s['no_impact_over_lint']:>12.3f}" for s in sizes)
    )
    lines.append(
        f"{'lint result (edited tree)':34}"
        + "".join(f"{s['lint_summary'].split(',')[0]:>12}" for s in sizes)
    )
    targets = result["targets"]
    verdict = {True: "PASS", False: "FAIL", None: "n/a (one size)"}
    lines += [
        "",
        f"target 1: diff --no-impact on {targets['entities']:,} <= {targets['lint_ratio_max']}x "
        f"lint on the same tree: {verdict[targets['lint_ratio_ok']]} "
        f"({targets['lint_ratio']:.3f}x)",
    ]
    if targets["scale_ratio"] is None:
        lines.append(f"target 2: {verdict[None]}")
    else:
        lines.append(
            f"target 2: diff --no-impact on {targets['entities']:,} within "
            f"{targets['scale_ratio_max']}x of {targets['scale_from']:,}: "
            f"{verdict[targets['scale_ratio_ok']]} ({targets['scale_ratio']:.2f}x)"
        )
    return "\n".join(lines)


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
