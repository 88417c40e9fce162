"""Scale benchmark: `catalogctl site build` (the public site) by published services.

    .venv/bin/python benchmarks/bench_site.py [--sizes 200,1000] [--repeat 3] [--json]

One catalog is generated (``generate.py``, seed 1, 7,000 entities by default,
which gives about 1,200 live services) and copied once per site size. In each
copy, exactly N live services get ``visibility: public`` and every other
service ``visibility: internal`` (the same seeded shuffle of the live services
for every size, so the 200 are among the 1,000 and both have the same mix of
business and technical services). The "empty" copy has no public service: its
build is the fixed cost (start-up, loading and linting the catalog, the home,
maintenance, tags, about and 404 pages, ``catalog.json``, ``maintenance.ics``,
MkDocs and theme start-up). Only visibility differs between the copies, so
the catalog loaded and linted is the same size in all of them and the
difference between two builds is the cost of the pages. Visibility is not
checked by any lint rule; the builds run with ``--strict``, which refuses a
catalog with lint errors or warnings, so every measured catalog lints clean.

This repository's ``site/`` template (next to ``benchmarks/``) is copied into
every catalog, and each build is

    catalogctl -C ROOT site build --out OUT --now 2026-11-28T12:00:00Z --strict

as a real subprocess, wall time from spawn to exit (lint, page generation,
the ``python -m mkdocs build`` child and the swap into ``OUT`` included), best
of --repeat after one untimed warm-up build. ``OUT`` is removed before every
run, so no build replaces a previous one. After each build, the pages are
counted (``*.html`` files in ``OUT``), and ``catalog.json`` must list exactly
the N public services, all live, or the benchmark stops. Peak MB is the
largest process's maximum RSS (catalogctl or its MkDocs child, from
``wait4()``). Like bench_diff.py, the tools cache bytecode in a private
PYTHONPYCACHEPREFIX folder (--no-bytecode-cache keeps the inherited
environment).

ms/page is the build's cost per page above the empty site:
``(seconds - empty seconds) / (pages - empty pages)``.

Where the time goes (unless --no-breakdown): each site is built --repeat
more times by a fresh interpreter that runs the same code as the command
(``site_cmd.build``, same arguments) with timers around the steps it calls;
each part is shown as its best over those runs (so the parts need not add up
to the fastest wall time). start-up: interpreter, imports and exit
(the run's wall time minus ``build()``); lint: ``engine.lint``; generate:
``sitebuild.generate`` (the pages and files, in memory); write: the rest of
``site_cmd.prepare`` (open the workspace, copy ``site/``, write the pages and
the config); mkdocs: the ``python -m mkdocs build`` child; rest: the output
checks, the marker and the swap into ``OUT``.

Targets (on every size for the first, smallest and largest for the second):

1. at most 8 ms per page above the empty-site cost;
2. linear growth: the largest build (1,000) takes at most 6x the smallest (200).

Missing a target is reported, not fatal, unless --check is given (exit 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import benchcli
from bench_diff import bytecode_cache
from bench_lint import BenchError, Measure, _python_for, find_catalogctl, run_child
from generate import TODAY, generate, split_counts

SEED = 1
DEFAULT_ENTITIES = 7_000  # about 1,200 live services: enough for 1,000 public ones
DEFAULT_SIZES = (200, 1_000)
NOW = f"{TODAY.isoformat()}T12:00:00Z"
TARGET_MS_PER_PAGE = 8.0  # build ms per page above the empty site, every size
TARGET_SCALE_RATIO = 6.0  # largest build / smallest build (1,000 / 200 public services)
TEMPLATE = Path(__file__).resolve().parent.parent / "site"

_LIFECYCLE = re.compile(r"^  lifecycle: (\S+)$", re.M)
_VISIBILITY = re.compile(r"^  visibility: (\S+)$", re.M)
_ID = re.compile(r"^  id: (\S+)$", re.M)

# Run by a fresh interpreter: argv = root, out, now. The same build as
# `catalogctl -C ROOT site build --out OUT --now NOW --strict` (site.command.build),
# with timers around the steps it calls. Prints JSON as its last line.
BREAKDOWN_SCRIPT = """\
import contextlib, json, sys, time
started = time.perf_counter()
from pathlib import Path
from catalogctl.lint import engine
from catalogctl.site import build as sitebuild
from catalogctl.site import command as site_cmd
from catalogctl.model.entities import parse_instant

spent = {}
made = {}

def timed(name, function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            result = function(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start
        if name == "generate":
            made["files"] = result
        return result
    return wrapper

engine.lint = timed("lint", engine.lint)
sitebuild.generate = timed("generate", sitebuild.generate)
site_cmd.prepare = timed("prepare", site_cmd.prepare)
site_cmd.subprocess.run = timed("mkdocs", site_cmd.subprocess.run)
imports = time.perf_counter() - started
start = time.perf_counter()
with contextlib.redirect_stdout(sys.stderr):
    code = site_cmd.build(
        start=Path(sys.argv[1]), out=Path(sys.argv[2]), internal=False, strict=True,
        now=parse_instant(sys.argv[3]),
    )
build = time.perf_counter() - start
pages = made["files"].pages if "files" in made else {}
print(json.dumps({"code": code, "imports_s": imports, "build_s": build, **spent,
                  "markdown_pages": len(pages),
                  "markdown_bytes": sum(len(p.encode("utf-8")) for p in pages.values())}))
"""

VERSIONS_SCRIPT = """\
import json
from importlib.metadata import version
print(json.dumps({n: version(n) for n in ("mkdocs", "mkdocs-material", "markdown", "nh3")}))
"""


@dataclass
class Site:
    """One copy of the catalog with `public` public, live services."""

    public: int
    root: Path
    out: Path
    build: Measure
    pages: int = 0
    public_ids: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "empty" if self.public == 0 else f"{self.public:,} public"


def service_files(root: Path) -> list[Path]:
    return sorted((root / "catalog" / "services").rglob("*.yaml"))


def live_services(root: Path) -> list[tuple[Path, str]]:
    """(file, id) of every live service, in file order."""
    found: list[tuple[Path, str]] = []
    for path in service_files(root):
        text = path.read_text(encoding="utf-8")
        lifecycle = _LIFECYCLE.findall(text)
        ident = _ID.search(text)
        if len(lifecycle) != 1 or len(_VISIBILITY.findall(text)) != 1 or ident is None:
            raise BenchError(f"{path}: expected one spec.lifecycle, spec.visibility and id")
        if lifecycle[0] == "live":
            found.append((path, ident[1]))
    return found


def set_visibility(root: Path, public: set[str]) -> None:
    """Make exactly the services in `public` public, every other one internal."""
    for path in service_files(root):
        text = path.read_text(encoding="utf-8")
        ident = _ID.search(text)
        assert ident is not None  # checked by live_services on the base catalog
        wanted = "public" if ident[1] in public else "internal"
        new = _VISIBILITY.sub(f"  visibility: {wanted}", text, count=1)
        if new != text:
            path.write_text(new, encoding="utf-8")


def count_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def check_site(site: Site, stdout: str, stderr: str, exit_code: int) -> int:
    """The build succeeded and published exactly the chosen services; returns pages."""
    if exit_code != 0:
        raise BenchError(
            f"{site.label}: site build failed (exit {exit_code}):\n{stdout[-2000:]}{stderr[-4000:]}"
        )
    try:
        exported = json.loads((site.out / "catalog.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BenchError(f"{site.label}: no readable catalog.json in the site: {error}") from None
    services = exported.get("services", [])
    ids = sorted(s["id"] for s in services)
    if ids != sorted(site.public_ids) or any(s["lifecycle"] != "live" for s in services):
        raise BenchError(
            f"{site.label}: catalog.json lists {len(ids)} services, expected the "
            f"{len(site.public_ids)} chosen public live services"
        )
    return count_pages(site.out)


def prepare_sites(
    work: Path, entities: int, sizes: Sequence[int]
) -> tuple[list[Site], int, int, float]:
    """Generate the base catalog and one copy per size; (sites, live, natural public, s)."""
    base = work / "base"
    started = time.perf_counter()
    generate(base, entities, seed=SEED)
    generate_s = time.perf_counter() - started
    live = live_services(base)
    natural = sum(
        1 for path, _ in live if "  visibility: public\n" in path.read_text(encoding="utf-8")
    )
    if len(live) < max(sizes):
        raise BenchError(
            f"{entities:,} entities give {len(live):,} live services, fewer than "
            f"{max(sizes):,}; raise --entities (about 6 entities per live service)"
        )
    order = [ident for _, ident in live]
    random.Random(SEED).shuffle(order)
    sites: list[Site] = []
    for public in (0, *sizes):
        name = "empty" if public == 0 else f"public-{public}"
        root = work / name
        shutil.copytree(base, root)
        chosen = order[:public]
        set_visibility(root, set(chosen))
        shutil.copytree(TEMPLATE, root / "site")
        sites.append(Site(public, root, work / f"out-{name}", Measure(name), public_ids=chosen))
    shutil.rmtree(base)
    return sites, len(live), natural, generate_s


def breakdown(site: Site, python: str, repeat: int) -> dict[str, Any]:
    """One site's build with timers around its steps, `repeat` times; each part's best."""
    runs: list[dict[str, float]] = []
    for _ in range(repeat):
        if site.out.exists():
            shutil.rmtree(site.out)
        run = run_child(
            [python, "-c", BREAKDOWN_SCRIPT, str(site.root), str(site.out), NOW], site.root
        )
        lines = run.stdout.strip().splitlines()
        if run.exit_code != 0 or not lines:
            raise BenchError(f"{site.label}: instrumented build failed:\n{run.stderr[-4000:]}")
        data: dict[str, Any] = json.loads(lines[-1])
        if data["code"] != 0 or "mkdocs" not in data:
            raise BenchError(f"{site.label}: instrumented build failed:\n{run.stderr[-4000:]}")
        pages = check_site(site, run.stdout, run.stderr, run.exit_code)
        if pages != site.pages:
            raise BenchError(
                f"{site.label}: instrumented build made {pages} pages, not {site.pages}"
            )
        runs.append(
            {
                "wall_s": run.seconds,
                "startup_s": run.seconds - data["build_s"],  # interpreter, imports, exit
                "lint_s": data["lint"],  # engine.lint: read, parse, validate, rules
                "generate_s": data["generate"],  # sitebuild.generate: the pages, in memory
                # the rest of site_cmd.prepare: open the workspace, copy site/, write the files
                "write_s": data["prepare"] - data["lint"] - data["generate"],
                "mkdocs_s": data["mkdocs"],  # the python -m mkdocs build child
                "rest_s": data["build_s"] - data["prepare"] - data["mkdocs"],  # checks, swap
                "markdown_pages": data["markdown_pages"],
                "markdown_bytes": data["markdown_bytes"],
            }
        )
    shutil.rmtree(site.out, ignore_errors=True)
    result: dict[str, Any] = {
        key: round(min(r[key] for r in runs), 3)
        for key in ("wall_s", "startup_s", "lint_s", "generate_s", "write_s", "mkdocs_s", "rest_s")
    }
    result["runs"] = [{k: round(v, 3) for k, v in r.items()} for r in runs]
    result["markdown_pages"] = int(runs[0]["markdown_pages"])
    result["markdown_bytes"] = int(runs[0]["markdown_bytes"])
    return result


def _per_page_ms(seconds: float, pages: int, empty_seconds: float, empty_pages: int) -> float:
    if pages <= empty_pages:
        raise BenchError("a site with public services built no more pages than the empty one")
    return (seconds - empty_seconds) / (pages - empty_pages) * 1000


def benchmark(
    entities: int,
    sizes: Sequence[int],
    repeat: int,
    catalogctl: Path,
    keep: Path | None,
    with_breakdown: bool,
    cache_bytecode: bool,
) -> dict[str, Any]:
    if not (TEMPLATE / "mkdocs.yml").is_file():
        raise BenchError(f"{TEMPLATE}/mkdocs.yml not found: the site template is needed")
    python = _python_for(catalogctl)
    jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-site-") as tmp:
        work = keep if keep is not None else Path(tmp)
        if keep is not None:
            if keep.exists() and any(keep.iterdir()):
                raise FileExistsError(f"{keep} exists and is not empty")
            keep.mkdir(parents=True, exist_ok=True)
        sites, live, natural, generate_s = prepare_sites(work, entities, sizes)
        with bytecode_cache(cache_bytecode):
            versions_run = run_child([python, "-c", VERSIONS_SCRIPT], work)
            versions: dict[str, str] = (
                json.loads(versions_run.stdout) if versions_run.exit_code == 0 else {}
            )
            for round_ in range(repeat + 1):  # round 0: one untimed warm-up build
                for site in sites if round_ else sites[:1]:
                    if site.out.exists():
                        shutil.rmtree(site.out)
                    argv = [str(catalogctl), "-C", str(site.root), "site", "build"]
                    argv += ["--out", str(site.out), "--now", NOW, "--strict"]
                    run = run_child(argv, site.root)
                    pages = check_site(site, run.stdout, run.stderr, run.exit_code)
                    if round_ == 0:
                        continue
                    if site.pages and pages != site.pages:
                        raise BenchError(f"{site.label}: {pages} pages, {site.pages} before")
                    site.pages = pages
                    site.build.runs.append(run.seconds)
                    site.build.peaks.append(run.peak_mb)
            for site in sites:
                shutil.rmtree(site.out, ignore_errors=True)
            parts = (
                {s.public: breakdown(s, python, repeat) for s in sites} if with_breakdown else {}
            )

    empty = sites[0]
    rows: list[dict[str, Any]] = []
    for site in sites:
        row: dict[str, Any] = {
            "label": site.label,
            "public_services": site.public,
            "pages": site.pages,
            "seconds": round(site.build.seconds, 3),
            "runs": [round(r, 3) for r in site.build.runs],
            "peak_mb": round(site.build.peak_mb, 1),
            "ms_per_page": None,
        }
        if site.public:
            row["ms_per_page"] = round(
                _per_page_ms(site.build.seconds, site.pages, empty.build.seconds, empty.pages), 2
            )
        if parts:
            part = parts[site.public]
            if site.public:
                extra = site.pages - empty.pages
                base = parts[0]
                part["generate_ms_per_page"] = round(
                    (part["generate_s"] - base["generate_s"]) / extra * 1000, 2
                )
                part["mkdocs_ms_per_page"] = round(
                    (part["mkdocs_s"] - base["mkdocs_s"]) / extra * 1000, 2
                )
            row["breakdown"] = part
        rows.append(row)

    measured = [r for r in rows if r["public_services"]]
    small, large = measured[0], measured[-1]
    worst = max(r["ms_per_page"] for r in measured)
    scale: float | None = None
    above: float | None = None
    if len(measured) > 1:
        scale = large["seconds"] / small["seconds"]
        above = (large["seconds"] - rows[0]["seconds"]) / (small["seconds"] - rows[0]["seconds"])
    return {
        "entities": entities,
        "counts": {
            "services": split_counts(entities).services,
            "live_services": live,
            "public_live_as_generated": natural,
        },
        "seed": SEED,
        "repeat": repeat,
        "now": NOW,
        "cpus": jobs,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "bytecode_cache": cache_bytecode,
        "generate_s": round(generate_s, 3),
        "sites": rows,
        "growth": {
            "from": small["label"],
            "to": large["label"],
            "build_ratio": round(scale, 2) if scale is not None else None,
            "above_empty_ratio": round(above, 2) if above is not None else None,
            "pages_ratio": round(large["pages"] / small["pages"], 2),
            "pages_above_empty_ratio": round(
                (large["pages"] - rows[0]["pages"]) / max(1, small["pages"] - rows[0]["pages"]), 2
            ),
        },
        "targets": {
            "ms_per_page_max": TARGET_MS_PER_PAGE,
            "ms_per_page": worst,
            "ms_per_page_ok": worst <= TARGET_MS_PER_PAGE,
            "scale_ratio_max": TARGET_SCALE_RATIO,
            "scale_ratio": round(scale, 2) if scale is not None else None,
            "scale_ratio_ok": scale <= TARGET_SCALE_RATIO if scale is not None else None,
        },
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def render(result: dict[str, Any]) -> str:
    counts = result["counts"]
    versions = result["versions"]
    tools = ", ".join(f"{name} {v}" for name, v in versions.items())
    lines = [
        f"catalogctl site build benchmark: best of {result['repeat']}, {result['cpus']} CPUs, "
        f"Python {result['python']}, {tools}",
        f"  one {result['entities']:,}-entity catalog (seed {result['seed']}): "
        f"{counts['services']:,} services, {counts['live_services']:,} live "
        f"({counts['public_live_as_generated']:,} public as generated); generated in "
        f"{result['generate_s']:.2f} s",
        "  the sites differ only in which live services are public; "
        f"--now {result['now']} --strict; bytecode "
        f"{'cached (private prefix)' if result['bytecode_cache'] else 'as inherited'}",
        "",
        f"{'site':14}{'public':>8}{'pages':>8}{'seconds':>10}{'ms/page*':>10}{'peak MB':>9}",
    ]
    for row in result["sites"]:
        per_page = f"{row['ms_per_page']:.2f}" if row["ms_per_page"] is not None else "-"
        lines.append(
            f"{row['label']:14}{row['public_services']:>8,}{row['pages']:>8,}"
            f"{row['seconds']:>10.2f}{per_page:>10}{row['peak_mb']:>9.1f}"
        )
    lines.append("* build time per page above the empty site")
    growth = result["growth"]
    if growth["build_ratio"] is not None:
        lines.append(
            f"growth {growth['from']} -> {growth['to']}: build {growth['build_ratio']:.2f}x "
            f"for {growth['pages_ratio']:.2f}x the pages; above the empty site "
            f"{growth['above_empty_ratio']:.2f}x for {growth['pages_above_empty_ratio']:.2f}x "
            "the pages"
        )
    if all("breakdown" in row for row in result["sites"]):
        lines += [
            "",
            f"where the time goes: instrumented builds, each part best of {result['repeat']} "
            "(seconds; ms/page above the empty site):",
            f"{'site':14}{'start-up':>9}{'lint':>7}{'generate':>9}{'write':>7}{'mkdocs':>8}"
            f"{'rest':>6}{'wall':>8}{'gen ms/p':>10}{'mkdocs ms/p':>13}",
        ]
        for row in result["sites"]:
            part = row["breakdown"]
            gen = part.get("generate_ms_per_page")
            mk = part.get("mkdocs_ms_per_page")
            lines.append(
                f"{row['label']:14}{part['startup_s']:>9.2f}{part['lint_s']:>7.2f}"
                f"{part['generate_s']:>9.2f}{part['write_s']:>7.2f}{part['mkdocs_s']:>8.2f}"
                f"{part['rest_s']:>6.2f}{part['wall_s']:>8.2f}"
                f"{(f'{gen:.2f}' if gen is not None else '-'):>10}"
                f"{(f'{mk:.2f}' if mk is not None else '-'):>13}"
            )
    targets = result["targets"]
    verdict = {True: "PASS", False: "FAIL"}
    per_size = ", ".join(
        f"{row['label']}: {row['ms_per_page']:.2f} ms"
        for row in result["sites"]
        if row["ms_per_page"] is not None
    )
    lines += [
        "",
        f"target: <= {targets['ms_per_page_max']:.1f} ms per page above the empty site: "
        f"{verdict[targets['ms_per_page_ok']]} ({per_size})",
    ]
    if targets["scale_ratio"] is not None:
        lines.append(
            f"target: {growth['to']} build within {targets['scale_ratio_max']:.1f}x the "
            f"{growth['from']} build: {verdict[targets['scale_ratio_ok']]} "
            f"({targets['scale_ratio']:.2f}x)"
        )
    else:
        lines.append("target: scale ratio: not measured (one size only)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = benchcli.parser(
        "Benchmark `catalogctl site build` by the number of public live services.", repeat=3
    )
    parser.add_argument(
        "--sizes",
        type=benchcli.sizes(1, "public service"),
        default=list(DEFAULT_SIZES),
        help="comma-separated numbers of public live services; the scale target compares "
        "largest and smallest (200,1000)",
    )
    parser.add_argument(
        "--entities",
        type=int,
        default=DEFAULT_ENTITIES,
        help=f"size of the generated catalog; needs >= the largest size live services "
        f"({DEFAULT_ENTITIES})",
    )
    parser.add_argument(
        "--keep", type=Path, help="write the catalogs into this empty folder and keep them"
    )
    parser.add_argument(
        "--no-breakdown",
        action="store_true",
        help="skip timing lint, page generation and MkDocs on their own",
    )
    benchcli.add_bytecode_option(parser)

    def measure(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        result = benchmark(
            args.entities,
            args.sizes,
            args.repeat,
            find_catalogctl(args.catalogctl),
            args.keep,
            with_breakdown=not args.no_breakdown,
            cache_bytecode=not args.no_bytecode_cache,
        )
        targets = result["targets"]
        return result, targets["ms_per_page_ok"] is False or targets["scale_ratio_ok"] is False

    return benchcli.run("bench_site.py", parser, argv, measure, render)


if __name__ == "__main__":
    sys.exit(main())
