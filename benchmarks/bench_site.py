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

The floor (``site_trivial.py``): right after each timed build, a plain MkDocs
Material site with the same number of pages, every page a heading and a
paragraph of Markdown, built by ``python -m mkdocs build --strict`` with the
same ``site/`` template (theme, features, plugins, extensions); its pages are
outside the navigation, as the catalog's service pages are. Its ms/page is
taken the same way, above the trivial site of the empty site's page count,
and the catalog site's ms/page is shown as a ratio of it ("x floor"): what a
catalog page costs at the margin against the least a Material page costs,
both measured in the same run.

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
2. linear growth: the largest build (1,000) takes at most 6x the smallest (200);
3. at the margin, at most 1.5x a trivial Material page (every size).

Missing a target is reported, not fatal, unless --check is given (exit 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import benchcli
from benchcli import BenchError
from generate import split_counts
from measure import (
    Measure,
    bytecode_cache,
    find_catalogctl,
    python_for,
    run_child,
    usable_cpus,
)
from site_breakdown import breakdown
from site_catalogs import NOW, SEED, TEMPLATE, check_site, prepare_sites
from site_table import render
from site_trivial import build_trivial, prepare_trivial

DEFAULT_ENTITIES = 7_000  # about 1,200 live services: enough for 1,000 public ones
DEFAULT_SIZES = (200, 1_000)
TARGET_MS_PER_PAGE = 8.0  # build ms per page above the empty site, every size
TARGET_SCALE_RATIO = 6.0  # largest build / smallest build (1,000 / 200 public services)
TARGET_MARGIN_RATIO = 1.5  # ms/page above the empty site / a trivial page's, every size

VERSIONS_SCRIPT = """\
import json
from importlib.metadata import version
print(json.dumps({n: version(n) for n in ("mkdocs", "mkdocs-material", "markdown", "nh3")}))
"""


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
    python = python_for(catalogctl)
    jobs = usable_cpus()
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-site-") as tmp:
        work = keep if keep is not None else Path(tmp)
        if keep is not None:
            if keep.exists() and any(keep.iterdir()):
                raise FileExistsError(f"{keep} exists and is not empty")
            keep.mkdir(parents=True, exist_ok=True)
        sites, live, natural, generate_s = prepare_sites(work, entities, sizes)
        trivial: dict[int, tuple[Path, Measure]] = {}  # public services -> its floor
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
                    # The floor of the same page count, right after, on the same machine state.
                    if site.public not in trivial:
                        trivial[site.public] = (
                            prepare_trivial(work, pages),
                            Measure(f"trivial-{pages}"),
                        )
                    trivial_root, floor = trivial[site.public]
                    floor.runs.append(build_trivial(python, trivial_root, pages).seconds)
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
            "trivial_seconds": round(trivial[site.public][1].seconds, 3),
            "trivial_ms_per_page": None,
            "margin_ratio": None,
        }
        if site.public:
            row["ms_per_page"] = round(
                _per_page_ms(site.build.seconds, site.pages, empty.build.seconds, empty.pages), 2
            )
            floor_ms = _per_page_ms(
                trivial[site.public][1].seconds,
                site.pages,
                trivial[0][1].seconds,
                empty.pages,
            )
            row["trivial_ms_per_page"] = round(floor_ms, 2)
            row["margin_ratio"] = round(
                _per_page_ms(site.build.seconds, site.pages, empty.build.seconds, empty.pages)
                / floor_ms,
                2,
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
    worst_margin = max(r["margin_ratio"] for r in measured)
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
            "margin_ratio_max": TARGET_MARGIN_RATIO,
            "margin_ratio": worst_margin,
            "margin_ratio_ok": worst_margin <= TARGET_MARGIN_RATIO,
            "scale_ratio_max": TARGET_SCALE_RATIO,
            "scale_ratio": round(scale, 2) if scale is not None else None,
            "scale_ratio_ok": scale <= TARGET_SCALE_RATIO if scale is not None else None,
        },
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


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
        return result, (
            targets["ms_per_page_ok"] is False
            or targets["scale_ratio_ok"] is False
            or targets["margin_ratio_ok"] is False
        )

    return benchcli.run("bench_site.py", parser, argv, measure, render)


if __name__ == "__main__":
    sys.exit(main())
