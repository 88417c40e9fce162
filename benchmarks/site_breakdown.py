"""Where a site build's time goes: the build rerun with timers around its steps."""

from __future__ import annotations

import json
import shutil
from typing import Any

from benchcli import BenchError
from measure import run_child
from site_catalogs import NOW, Site, check_site

# Run by a fresh interpreter: argv = root, out, now. The same build as
# `catalogctl -C ROOT site build --out OUT --now NOW --strict` (site.command.build),
# with timers around the steps it calls. Prints JSON as its last line.
BREAKDOWN_SCRIPT = """\
import contextlib, json, sys, time
started = time.perf_counter()
from pathlib import Path
from catalogctl.lint import engine
from catalogctl.load.workers import default_jobs
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
site_cmd._run_mkdocs = timed("mkdocs", site_cmd._run_mkdocs)
imports = time.perf_counter() - started
start = time.perf_counter()
with contextlib.redirect_stdout(sys.stderr):
    code = site_cmd.build(
        start=Path(sys.argv[1]), out=Path(sys.argv[2]), internal=False, strict=True,
        now=parse_instant(sys.argv[3]), jobs=default_jobs(),
    )
build = time.perf_counter() - start
pages = made["files"].pages if "files" in made else {}
print(json.dumps({"code": code, "imports_s": imports, "build_s": build, **spent,
                  "markdown_pages": len(pages),
                  "markdown_bytes": sum(len(p.encode("utf-8")) for p in pages.values())}))
"""


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
