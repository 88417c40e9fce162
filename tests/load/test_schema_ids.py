"""Absolute `$id`s: the schemas work from any folder, in any tool.

Other tools resolve `$ref`s against a schema's `$id`; these tests run the real
check-jsonschema from a folder that is not schemas/, with every proxy pointed
at a closed port, so a schema that needed a download (or a relative `$id`
resolved against the working directory) fails here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from schema_bundle import DEFS, EMBEDDED, NAMESPACE, bundle, current

from catalogctl.cli import main
from conftest import require
from paths import REPO

SERVICE = REPO / "catalog" / "services" / "infrastructure" / "corporate-network.yaml"


def test_schemas_are_bundled_and_current() -> None:
    """Run `python tests/load/schema_bundle.py` when this fails."""
    texts = current()
    assert bundle(texts) == texts
    for name, text in texts.items():
        document = json.loads(text)
        assert document["$id"] == NAMESPACE + name
        if name != DEFS:
            assert document["$defs"][EMBEDDED]["$id"] == NAMESPACE + DEFS


def _check_jsonschema() -> str | None:
    here = Path(sys.executable).parent
    return shutil.which("check-jsonschema", path=os.pathsep.join([str(here), os.environ["PATH"]]))


def _run_check_jsonschema(
    cwd: Path, schema: Path, instance: Path
) -> subprocess.CompletedProcess[str]:
    tool = _check_jsonschema()
    require(tool is not None, "check-jsonschema is not installed (pip install -e '.[test]')")
    assert tool is not None
    offline = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    return subprocess.run(
        [tool, "--no-cache", "--schemafile", str(schema), str(instance)],
        cwd=cwd,
        env=offline,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_check_jsonschema_validates_from_any_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run_check_jsonschema(elsewhere, REPO / "schemas" / "service.schema.json", SERVICE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok" in result.stdout


@pytest.mark.slow
def test_check_jsonschema_applies_the_shared_definitions(tmp_path: Path) -> None:
    """The embedded defs are really used: a bad id fails their pattern."""
    bad = tmp_path / "bad.yaml"
    text = SERVICE.read_text(encoding="utf-8")
    bad.write_text(text.replace("id: corporate-network", "id: Corporate_Network", 1), "utf-8")
    assert bad.read_text(encoding="utf-8") != text
    result = _run_check_jsonschema(tmp_path, REPO / "schemas" / "service.schema.json", bad)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Corporate_Network" in result.stdout + result.stderr


def test_lint_prefers_the_catalogs_own_defs_over_the_embedded_copy(tmp_path: Path) -> None:
    """An organisation that tightens schemas/defs.schema.json gets its rule in
    lint, although every schema still embeds the stock copy."""
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path / "org")]).exit_code == 0
    root = tmp_path / "org"
    defs_file = root / "schemas" / DEFS
    defs = json.loads(defs_file.read_text(encoding="utf-8"))
    defs["$defs"]["email"]["pattern"] = "^[^@\\s]+@example\\.org$"
    defs_file.write_text(json.dumps(defs, indent=2) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["-C", str(root), "lint"])
    assert result.exit_code == 1, result.output
    assert "cab.yaml" in result.output and "email" in result.output
