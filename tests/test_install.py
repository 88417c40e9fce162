"""The tool as users get it: the console script, and a wheel in a fresh venv.

The wheel test builds the project's wheel, installs it into a new virtual
environment without the editable source tree, and runs it where the repo's
schemas/ folder is out of reach: the wheel must carry its schemas and templates.
Runtime dependencies come from the current environment through a .pth file that
points at a folder of links to every installed distribution *except* catalogctl,
so the test needs no network and the editable install cannot shadow the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from conftest import require
from paths import REPO

REPO = REPO
TODAY = "2026-11-28"
TIMEOUT = 600


def clean_env() -> dict[str, str]:
    """The environment without anything that could point Python at the source tree."""
    drop = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "NO_COLOR", "GITHUB_STEP_SUMMARY"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def execute(
    args: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def console_script() -> Path:
    beside = Path(sys.executable).parent / "catalogctl"
    if beside.is_file():
        return beside
    found = shutil.which("catalogctl")
    require(found is not None, "the catalogctl console script is not installed")
    assert found is not None
    return Path(found)


def copy_reference_catalog(target: Path) -> Path:
    """catalog/, changes/ and catalogctl.yaml, but not schemas/."""
    target.mkdir(parents=True)
    shutil.copytree(REPO / "catalog", target / "catalog")
    shutil.copytree(REPO / "changes", target / "changes")
    shutil.copy2(REPO / "catalogctl.yaml", target / "catalogctl.yaml")
    return target


def test_console_script_lints_the_reference_catalog() -> None:
    result = execute([console_script(), "lint", "--format", "json", "--today", TODAY], cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["errors"] == 0
    assert document["summary"]["files"] > 0
    assert "Traceback" not in result.stderr


def test_console_script_exit_2_is_a_message(tmp_path: Path) -> None:
    result = execute([console_script(), "lint"], cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("catalogctl: error: not a catalog")
    assert "Traceback" not in result.stderr


def dependency_links(folder: Path) -> Path:
    """A folder of symlinks to this environment's site-packages, less catalogctl."""
    purelib = Path(sysconfig.get_paths()["purelib"])
    folder.mkdir()
    for entry in purelib.iterdir():
        name = entry.name.lower()
        if name.endswith(".pth") or "catalogctl" in name or name == "__pycache__":
            continue
        (folder / entry.name).symlink_to(entry)
    return folder


def venv_bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


@pytest.mark.slow
def test_wheel_works_without_the_source_tree(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = execute(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, REPO],
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("catalogctl-*.whl")
    with zipfile.ZipFile(wheel) as archive:  # the site template ships for catalogs without one
        names = set(archive.namelist())
    for source in (REPO / "site").rglob("*"):
        if source.is_file():
            assert (
                f"catalogctl/site_template/{source.relative_to(REPO / 'site').as_posix()}" in names
            )

    venv = tmp_path / "venv"
    created = execute([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    python = venv_bin(venv, "python")
    installed = execute(
        [python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel], cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = execute(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=tmp_path,
    )
    links = dependency_links(tmp_path / "deps")
    (Path(site.stdout.strip()) / "catalogctl-test-deps.pth").write_text(f"{links}\n")

    empty = tmp_path / "empty"
    empty.mkdir()
    where = execute([python, "-c", "import catalogctl; print(catalogctl.__file__)"], cwd=empty)
    assert where.returncode == 0, where.stderr
    module = Path(where.stdout.strip()).resolve()
    assert module.is_relative_to(venv.resolve()), f"catalogctl imported from {module}"
    assert not module.is_relative_to(REPO / "src")

    script = venv_bin(venv, "catalogctl")
    assert script.is_file()

    # lint a copy of the reference catalog without schemas/, from elsewhere via -C
    catalog = copy_reference_catalog(tmp_path / "reference")
    assert not (catalog / "schemas").exists()
    linted = execute([script, "-C", catalog, "lint", "--today", TODAY], cwd=empty)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout.startswith("0 errors, ")
    assert "Traceback" not in linted.stderr

    # the site, from the bundled template: its MkDocs plugin is found through
    # the installed wheel's entry point
    assert not (catalog / "site").exists()
    out = tmp_path / "site-out"
    built_site = execute(
        [script, "-C", catalog, "site", "build", "--out", out, "--now", "2027-01-01T00:00:00Z"],
        cwd=empty,
    )
    assert built_site.returncode == 0, built_site.stdout + built_site.stderr
    payroll = (out / "services/human-resources/payroll/index.html").read_text(encoding="utf-8")
    assert "<h1>Payroll</h1>" in payroll and "DATEV" in payroll

    # the bundled schema, from an empty folder outside any catalog
    schema = execute([script, "schema", "service"], cwd=empty)
    assert schema.returncode == 0, schema.stderr
    expected = json.loads((REPO / "schemas/service.schema.json").read_text(encoding="utf-8"))
    assert json.loads(schema.stdout) == expected

    # init's templates (dotfiles included) and the bundled schemas ship in the wheel
    fresh = tmp_path / "fresh"
    initialised = execute([script, "init", fresh, "--today", TODAY], cwd=empty)
    assert initialised.returncode == 0, initialised.stderr
    for name in (".pre-commit-config.yaml", ".vscode/settings.json", "catalogctl.yaml"):
        assert (fresh / name).is_file(), name
    for source in (REPO / "schemas").glob("*.schema.json"):
        assert (fresh / "schemas" / source.name).read_bytes() == source.read_bytes()
    # the skeletons' placeholders are warnings: lint passes, --strict does not
    assert execute([script, "lint", "--today", TODAY], cwd=fresh).returncode == 0
    assert execute([script, "lint", "--strict", "--today", TODAY], cwd=fresh).returncode == 1
    for kind, entity_id in (("team", "ops"), ("service", "billing")):
        made = execute([script, "new", kind, entity_id, "--today", TODAY], cwd=fresh)
        assert made.returncode == 0, made.stderr
    assert execute([script, "lint", "--today", TODAY], cwd=fresh).returncode == 0
    assert list(empty.iterdir()) == []
