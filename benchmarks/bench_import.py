"""Scale benchmark: `catalogctl import backstage` against the cost of just parsing the YAML.

    python benchmarks/bench_import.py [--descriptors 1000] [--repeat 3] [--json]

Generates Backstage descriptors in a temporary folder (seeded, so every run
imports the same ones): groups and their users in one org.yaml, then one
catalog-info.yaml per component or resource, as repositories hold them.
Components depend on earlier components and on resources, so the import
resolves real references. Then measures, best of --repeat runs each:

floor
    A fresh interpreter lists the *.yaml files, then times only the loop
    that reads each one and parses it with
    ``list(yaml.load_all(f.read(), Loader=yaml.CSafeLoader))``: the least
    any Python reader of the same files must do. Interpreter start-up is not
    in it (reported on its own line).
import
    ``catalogctl import backstage DIR`` as a real subprocess into a fresh,
    empty catalog (the policy and the CAB team), wall time from spawn to
    exit: reading, mapping, a schema-ordered file per entity, atomic writes.
    It must create every mapped entity and exit 0, or the benchmark stops.
re-import
    The same command again on the imported catalog: every file is read and
    compared, none is written (the import is idempotent).

No target is set; the ratios to the floor are reported.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import benchcli
from benchcli import BenchError
from measure import Measure, find_catalogctl, python_for, run_child

SEED = 1
FLOOR_SCRIPT = """\
import json, sys, time
from pathlib import Path
import yaml
paths = sorted(Path(sys.argv[1]).rglob("*.yaml"))
start = time.perf_counter()
documents = 0
for path in paths:
    with open(path, encoding="utf-8") as f:
        documents += len(list(yaml.load_all(f.read(), Loader=yaml.CSafeLoader)))
seconds = time.perf_counter() - start
print(json.dumps({"files": len(paths), "documents": documents, "seconds": seconds}))
"""
POLICY = "apiVersion: catalogctl/v1\nkind: Policy\n"
CAB = """\
apiVersion: catalogctl/v1
kind: Team
metadata:
  id: cab
  name: CAB
spec:
  github: example/cab
  members: [boss]
  email: cab@example.com
"""
RESOURCE_TYPES = ("database", "s3-bucket", "cluster", "queue", "redis", "cdn")


def _doc(kind: str, name: str, spec: list[str], meta: list[str] | None = None) -> str:
    lines = ["apiVersion: backstage.io/v1alpha1", f"kind: {kind}", "metadata:", f"  name: {name}"]
    return "\n".join([*lines, *(meta or []), "spec:", *spec]) + "\n"


def generate(folder: Path, descriptors: int, seed: int = SEED) -> dict[str, int]:
    """`descriptors` documents: 5% groups, 10% users, 55% components, 30% resources."""
    rng = random.Random(seed)
    groups = max(1, descriptors * 5 // 100)
    users = descriptors * 10 // 100
    resources = descriptors * 30 // 100
    components = descriptors - groups - users - resources
    org = [
        _doc(
            "Group",
            f"team-{g:03d}",
            ["  type: team", "  children: []"],
            [
                f"  description: Team {g}",
                "  annotations:",
                f"    github.com/team-slug: example/team-{g:03d}",
            ],
        )
        for g in range(groups)
    ]
    org += [
        _doc(
            "User",
            f"user-{u:04d}",
            [f"  memberOf: [team-{rng.randrange(groups):03d}]"],
            ["  annotations:", f"    github.com/user-login: user-{u:04d}"],
        )
        for u in range(users)
    ]
    folder.mkdir(parents=True)
    (folder / "org.yaml").write_text("---\n".join(org), encoding="utf-8")
    for r in range(resources):
        spec = [
            f"  type: {RESOURCE_TYPES[r % len(RESOURCE_TYPES)]}",
            f"  owner: team-{rng.randrange(groups):03d}",
        ]
        path = folder / "resources" / f"res-{r:04d}" / "catalog-info.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(_doc("Resource", f"res-{r:04d}", spec), encoding="utf-8")
    for c in range(components):
        depends = [f"component:svc-{d:04d}" for d in rng.sample(range(c), min(c, 2))]
        depends += [f"resource:res-{rng.randrange(resources):04d}"] if resources else []
        spec = [
            "  type: service",
            "  lifecycle: production",
            f"  owner: team-{rng.randrange(groups):03d}",
            f"  dependsOn: [{', '.join(depends)}]",
        ]
        meta = [f"  description: Service number {c}", "  tags: [generated, python]"]
        path = folder / "components" / f"svc-{c:04d}" / "catalog-info.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(_doc("Component", f"svc-{c:04d}", spec, meta), encoding="utf-8")
    return {"groups": groups, "users": users, "components": components, "resources": resources}


def _catalog(root: Path) -> None:
    (root / "catalog" / "teams").mkdir(parents=True)
    (root / "catalogctl.yaml").write_text(POLICY, encoding="utf-8")
    (root / "catalog" / "teams" / "cab.yaml").write_text(CAB, encoding="utf-8")


def _check(run: Any, label: str, created: int, unchanged: int) -> None:
    if run.exit_code != 0:
        raise BenchError(f"{label}: exit {run.exit_code}:\n{run.stdout[-2000:]}{run.stderr}")
    report = json.loads(run.stdout)
    if len(report["created"]) != created or len(report["unchanged"]) != unchanged:
        raise BenchError(
            f"{label}: created {len(report['created'])}, unchanged {len(report['unchanged'])}; "
            f"expected {created} and {unchanged}"
        )


def benchmark(descriptors: int, repeat: int, catalogctl: Path) -> dict[str, Any]:
    python = python_for(catalogctl)
    with tempfile.TemporaryDirectory(prefix="catalogctl-bench-import-") as tmp:
        source = Path(tmp) / "backstage"
        counts = generate(source, descriptors)
        entities = counts["groups"] + counts["components"] + counts["resources"]
        files = len(list(source.rglob("*.yaml")))
        startup, floor = Measure("python start-up"), Measure("floor")
        first, again = Measure("import"), Measure("re-import")
        for attempt in range(repeat):
            run = run_child([python, "-c", "pass"], Path(tmp))
            startup.runs.append(run.seconds)
            startup.peaks.append(run.peak_mb)
            run = run_child([python, "-c", FLOOR_SCRIPT, str(source)], Path(tmp))
            if run.exit_code != 0:
                raise BenchError(f"floor run failed:\n{run.stderr.strip()}")
            parsed = json.loads(run.stdout)
            if parsed["documents"] != descriptors:
                raise BenchError(f"floor parsed {parsed['documents']} documents")
            floor.runs.append(float(parsed["seconds"]))
            floor.peaks.append(run.peak_mb)
            root = Path(tmp) / f"catalog-{attempt}"
            _catalog(root)
            argv = [str(catalogctl), "import", "backstage", str(source), "--format", "json"]
            run = run_child(argv, root)
            _check(run, "import", entities, 0)
            first.runs.append(run.seconds)
            first.peaks.append(run.peak_mb)
            run = run_child(argv, root)
            _check(run, "re-import", 0, entities)
            again.runs.append(run.seconds)
            again.peaks.append(run.peak_mb)
            shutil.rmtree(root)

    def row(measure: Measure) -> dict[str, Any]:
        return {
            "seconds": round(measure.seconds, 4),
            "per_descriptor_ms": round(measure.seconds / descriptors * 1e3, 3),
            "ratio": round(measure.seconds / floor.seconds, 1),
            "peak_mb": round(measure.peak_mb, 1),
            "runs": [round(r, 4) for r in measure.runs],
        }

    return {
        "descriptors": descriptors,
        "files": files,
        "entities": entities,
        "counts": counts,
        "seed": SEED,
        "repeat": repeat,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "python_startup_s": round(startup.seconds, 4),
        "floor": {"seconds": round(floor.seconds, 4), "peak_mb": round(floor.peak_mb, 1)},
        "import": row(first),
        "reimport": row(again),
    }


def render(result: dict[str, Any]) -> str:
    counts = result["counts"]
    lines = [
        f"catalogctl import backstage benchmark: {result['descriptors']:,} descriptors in "
        f"{result['files']:,} files (seed {result['seed']}), best of {result['repeat']}, "
        f"Python {result['python']}",
        f"  {counts['groups']} groups, {counts['users']} users, {counts['components']} "
        f"components, {counts['resources']} resources -> {result['entities']} entities",
        "",
        f"{'':30}{'seconds':>9}{'ms/descr.':>11}{'x floor':>9}{'peak MB':>9}",
        f"{'floor: read + CSafeLoader':30}{result['floor']['seconds']:>9.3f}"
        f"{'':>11}{'1.0':>9}{result['floor']['peak_mb']:>9.1f}",
    ]
    for label, key in (("import (new catalog)", "import"), ("re-import (no change)", "reimport")):
        row = result[key]
        lines.append(
            f"{label:30}{row['seconds']:>9.3f}{row['per_descriptor_ms']:>11.3f}"
            f"{row['ratio']:>9.1f}{row['peak_mb']:>9.1f}"
        )
    lines.append(f"{'python start-up (-c pass)':30}{result['python_startup_s']:>9.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = benchcli.parser(
        "Benchmark `catalogctl import backstage` against a parse-only floor.", repeat=3
    )
    parser.add_argument("--descriptors", type=int, default=1000, help="how many (1000)")

    def measure(args: argparse.Namespace) -> tuple[dict[str, Any], bool]:
        if args.descriptors < 10:
            raise ValueError("--descriptors must be at least 10")
        return benchmark(args.descriptors, args.repeat, find_catalogctl(args.catalogctl)), False

    return benchcli.run("bench_import.py", parser, argv, measure, render)


if __name__ == "__main__":
    sys.exit(main())
