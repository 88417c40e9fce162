"""A lint whose files are valid never imports jsonschema (nor `referencing`):
the compiled validity check answers. A file with a schema error still gets
jsonschema's finding, word for word; a catalog's own schemas are still
checked with `check_schema`. Each run is a real `catalogctl` process whose
loaded modules are listed when it exits."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from gitrepo import git
from paths import CASES

TODAY = "2026-11-28"
# Runs the CLI, then names every jsonschema/referencing module it loaded.
PROBE = """\
import atexit, sys
def report():
    names = sorted(m for m in sys.modules if m.split(".")[0] in ("jsonschema", "referencing"))
    print("LOADED:" + ",".join(names), file=sys.stderr)
atexit.register(report)
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
    """(exit code, stdout, the jsonschema/referencing modules it imported);
    the other lines of stderr go to `errors`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    loaded = [line for line in done.stderr.splitlines() if line.startswith("LOADED:")]
    assert len(loaded) == 1, done.stderr
    if errors is not None:
        errors.extend(line for line in done.stderr.splitlines() if line not in loaded)
    names = loaded[0].removeprefix("LOADED:")
    return done.returncode, done.stdout, names.split(",") if names else []


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
    shutil.copytree(Path(__file__).resolve().parents[2] / "schemas", schemas)
    service = json.loads((schemas / "service.schema.json").read_text())
    service["properties"]["spec"]["minProperties"] = "three"  # not a valid schema
    (schemas / "service.schema.json").write_text(json.dumps(service))
    errors: list[str] = []
    code, out, loaded = run(root, "--no-cache", "lint", "--today", TODAY, errors=errors)
    assert (code, out) == (2, "")
    assert errors == [
        "catalogctl: error: schemas/service.schema.json: 'three' is not of type 'integer'"
    ]
    assert "jsonschema" in loaded
    service["properties"]["spec"]["minProperties"] = 30  # valid, and fails every service
    (schemas / "service.schema.json").write_text(json.dumps(service))
    code, out, _ = run(root, "--no-cache", "lint", "--today", TODAY)
    assert code == 1
    assert "spec: {" in out and "does not have enough properties [schema]" in out
