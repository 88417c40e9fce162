"""A lint whose files are valid never imports jsonschema (nor `referencing`),
in the process or in its forked workers: the compiled validity check
answers. A file with a schema error still gets jsonschema's finding, word
for word; a catalog's own schemas are still checked with `check_schema`.
Each run is a real `catalogctl` process with an audit hook, inherited by
its workers, that logs every import of those libraries."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from gitrepo import git
from paths import CASES, REPO

TODAY = "2026-11-28"
# Runs the CLI; any process of the run (forked workers included) that
# imports jsonschema or referencing appends "<pid> <module>" to IMPORT_LOG.
PROBE = """\
import os, sys
LOG = os.environ["IMPORT_LOG"]
with open(LOG, "a", encoding="utf-8") as log:
    log.write(f"{os.getpid()} (main)\\n")
def hook(event, args):
    if event == "import" and str(args[0]).split(".")[0] in ("jsonschema", "referencing"):
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {args[0]}\\n")
sys.addaudithook(hook)
from catalogctl.cli import main
sys.argv = ["catalogctl", *sys.argv[1:]]
main()
"""


def catalog(tmp_path: Path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(CASES / "_base", root)
    git(root, "init", "-q")
    return root


def run(root: Path, *args: str, errors: list[str] | None = None) -> tuple[int, str, list[str]]:
    """(exit code, stdout, the jsonschema/referencing modules its processes
    imported); stderr goes to `errors`."""
    log = root.parent / "imports.log"
    log.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=root,
        env={**os.environ, "IMPORT_LOG": str(log)},
        capture_output=True,
        text=True,
        check=False,
    )
    if errors is not None:
        errors.extend(done.stderr.splitlines())
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    imported = {line.split()[1] for line in lines} - {"(main)"}
    return done.returncode, done.stdout, sorted(imported)


def pids_importing(root: Path) -> tuple[str, set[str]]:
    """The pid of the run's main process, and of those that imported jsonschema."""
    lines = [line.split() for line in (root.parent / "imports.log").read_text().splitlines()]
    main = next(pid for pid, what in lines if what == "(main)")
    return main, {pid for pid, what in lines if what == "jsonschema"}


def test_valid_files_are_linted_without_jsonschema(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    assert run(root, "--no-cache", "lint", "--today", TODAY) == (
        0,
        "0 errors, 0 warnings in 10 files\n",
        [],
    )
    assert run(root, "lint", "--today", TODAY)[2] == []  # cold cache
    payroll = root / "catalog/services/payroll.yaml"
    payroll.write_text(payroll.read_text().replace("name: Payroll", "name: Payroll Hub"))
    code, out, loaded = run(root, "lint", "--today", TODAY)  # warm, one file changed
    assert (code, out, loaded) == (0, "0 errors, 0 warnings in 10 files\n", [])


def test_a_schema_error_gets_jsonschemas_finding(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    payroll = root / "catalog/services/payroll.yaml"
    payroll.write_text(payroll.read_text().replace("tier: 2", "tier: 7"))
    expected = (
        "catalog/services/payroll.yaml:10:9: error: spec.tier: 7 is above the maximum 4 "
        "[schema]\n1 error, 0 warnings in 10 files\n"
    )
    for args in (("--no-cache",), ()):
        code, out, loaded = run(root, *args, "lint", "--today", TODAY)
        assert (code, out) == (1, expected)
        assert "jsonschema" in loaded  # the finding is jsonschema's own


def test_a_catalogs_own_schemas_are_still_checked(tmp_path: Path) -> None:
    root = catalog(tmp_path)
    schemas = root / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    service = json.loads((schemas / "service.schema.json").read_text())
    service["properties"]["spec"]["minProperties"] = "three"  # not a valid schema
    (schemas / "service.schema.json").write_text(json.dumps(service))
    errors: list[str] = []
    code, out, loaded = run(root, "--no-cache", "lint", "--today", TODAY, errors=errors)
    assert (code, out) == (2, "")
    assert [e for e in errors if "error" in e] == [
        "catalogctl: error: schemas/service.schema.json: 'three' is not of type 'integer'"
    ]
    assert "jsonschema" in loaded
    service["properties"]["spec"]["minProperties"] = 30  # valid, and fails every service
    (schemas / "service.schema.json").write_text(json.dumps(service))
    code, out, _ = run(root, "--no-cache", "lint", "--today", TODAY)
    assert code == 1
    assert "spec: {" in out and "does not have enough properties [schema]" in out


def test_forked_workers_do_not_import_it_either(tmp_path: Path) -> None:
    """Above PARALLEL_THRESHOLD files a lint runs in two forked workers."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    root = tmp_path / "big"
    generate(root, entities=450, seed=3)
    git(root, "init", "-q")
    lint = ("--no-cache", "lint", "--jobs", "2", "--today", TODAY)
    code, out, loaded = run(root, *lint)
    assert (code, out, loaded) == (0, "0 errors, 0 warnings in 451 files\n", [])
    service = sorted((root / "catalog/services").rglob("*.yaml"))[0]
    text = re.sub(r"\n  visibility: \w+\n", "\n  visibility: secret\n", service.read_text())
    service.write_text(text)
    code, out, loaded = run(root, *lint)
    assert code == 1 and "jsonschema" in loaded
    main, importing = pids_importing(root)
    assert len(importing) == 1 and main not in importing  # the worker that met the file
    wrong = [line for line in out.splitlines() if "[schema]" in line]
    assert len(wrong) == 1
    assert wrong[0].startswith(str(service.relative_to(root)) + ":")
    assert wrong[0].endswith(
        ": error: spec.visibility: 'secret' is not one of: public, internal [schema]"
    )
