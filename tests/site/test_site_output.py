"""Where and how the tool writes its output: real builds and real files, no mocks.

`site build --out DIR` and `-o FILE`: a relative path is relative to the
working directory, or to `-C DIR` when given (as `git -C` and `make -C`
do); folders and files get the umask's modes (a web server must be able to
read the site); and `--out` is never a folder of the catalog itself, whatever
marker it holds, since a build replaces `--out` as a whole.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_site import NOW, copy_catalog

from catalogctl.cli import main
from gitrepo import commit_at, git, isolated_git, one_error_line  # noqa: F401  # isolated_git: a fixture

pytestmark = pytest.mark.usefixtures("isolated_git")

SERVICE_PAGE = "services/human-resources/payroll/index.html"


def run(cwd: Path, *args: str) -> Result:
    """The CLI as a user in `cwd` runs it (in-process; MkDocs is a real subprocess)."""
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(previous)


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for the test (MkDocs inherits it); restored after."""
    original = os.umask(0o022)
    os.umask(original)
    yield os.umask
    os.umask(original)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_modes(out: Path, folders: int, files: int) -> None:
    assert mode(out) == folders, f"{out}: {oct(mode(out))}"
    for path in out.rglob("*"):
        expected = folders if path.is_dir() else files
        assert mode(path) == expected, f"{path.relative_to(out)}: {oct(mode(path))}"


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# ---------------------------------------------------------------- where


def test_relative_out_is_built_in_the_working_directory(
    tmp_path: Path, umask: Callable[[int], None]
) -> None:
    """Exactly how .github/workflows/pages.yml builds the site; the folder used to
    hold only its marker (MkDocs put the pages under its temporary config folder)."""
    root = copy_catalog(tmp_path / "repo")
    umask(0o022)
    result = run(root, "site", "build", "--out", "site-build", "--now", NOW)
    assert result.exit_code == 0, result.output
    out = root / "site-build"
    assert (out / "index.html").is_file()
    assert (out / SERVICE_PAGE).is_file()
    assert (out / ".catalogctl-site").is_file()
    assert_modes(out, folders=0o755, files=0o644)
    assert [p.name for p in root.iterdir() if p.name.startswith(".site-build")] == []


def test_relative_out_with_C_is_relative_to_that_folder(
    tmp_path: Path, umask: Callable[[int], None]
) -> None:
    root = copy_catalog(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    umask(0o027)
    result = run(elsewhere, "-C", "../repo", "site", "build", "--out", "public", "--now", NOW)
    assert result.exit_code == 0, result.output
    out = root / "public"
    assert (out / "index.html").is_file()
    assert (out / SERVICE_PAGE).is_file()
    assert not (elsewhere / "public").exists()
    assert_modes(out, folders=0o750, files=0o640)


def test_report_output_is_relative_to_C(tmp_path: Path, umask: Callable[[int], None]) -> None:
    root = copy_catalog(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-06-01T09:00:00+00:00", "catalog")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    umask(0o022)
    result = run(
        elsewhere, "-C", "../repo", "report", "--format", "json", "-o", "kpis.json",
        "--today", "2027-01-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (root / "kpis.json").is_file()
    assert not (elsewhere / "kpis.json").exists()
    assert mode(root / "kpis.json") == 0o644


# ---------------------------------------------------------------- file modes


def test_output_files_get_the_umask_mode_and_an_existing_file_keeps_its_mode(
    tmp_path: Path, umask: Callable[[int], None]
) -> None:
    """`lint -o` and `codeowners -o` write through the same helper: a new file
    gets 0o666 less the umask (not mkstemp's 0o600), an existing one its mode."""
    root = copy_catalog(tmp_path / "repo")
    umask(0o022)
    commands = {
        "lint.json": ("lint", "--format", "json", "-o", "lint.json"),
        "owners.txt": ("codeowners", "-o", "owners.txt"),
    }
    for name, args in commands.items():
        result = run(root, *args)
        assert result.exit_code == 0, result.output
        assert mode(root / name) == 0o644, name
    for name, args in commands.items():
        (root / name).chmod(0o640)
        (root / name).write_text("stale\n")
        result = run(root, *args)
        assert result.exit_code == 0, result.output
        assert (root / name).read_text() != "stale\n"
        assert mode(root / name) == 0o640, name
    assert [p.name for p in root.iterdir() if p.name.endswith(".tmp")] == []


def test_output_into_a_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    line = one_error_line(run(root, "lint", "--format", "json", "-o", "no-such/lint.json"))
    assert "lint.json: the folder no-such does not exist; create it first" in line


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "folder",
    [
        "changes",
        "changes/2027",
        "catalog",
        "catalog/services",
        "schemas",
        "site",
        "site/docs",
        ".git",
        ".github",
        "incidents",
        "problems",
    ],
)
def test_out_into_the_catalogs_own_folders_is_refused_whatever_marker_it_holds(
    tmp_path: Path, folder: str
) -> None:
    root = copy_catalog(tmp_path / "repo")
    target = root / folder
    target.mkdir(parents=True, exist_ok=True)
    (target / "keep.txt").write_text("precious\n")
    (target / ".catalogctl-site").write_text("planted\n")
    before = snapshot(root)
    line = one_error_line(run(root, "site", "build", "--out", folder, "--now", NOW))
    assert f"--out {folder}:" in line
    assert f"the catalog's {folder.split('/')[0]}/ folder" in line
    assert "choose a folder of its own" in line
    assert snapshot(root) == before


def test_out_through_a_symlink_to_changes_is_refused(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    (root / "changes/.catalogctl-site").write_text("planted\n")
    changes = sorted(p.relative_to(root) for p in (root / "changes").rglob("*.yaml"))
    assert changes
    (root / "published").symlink_to("changes")  # relative, inside the catalog
    (tmp_path / "outside").symlink_to(root / "changes")  # absolute, outside it
    before = snapshot(root)
    line = one_error_line(run(root, "site", "build", "--out", "published", "--now", NOW))
    assert "--out published:" in line and "the catalog's changes/ folder" in line
    line = one_error_line(
        run(tmp_path, "-C", "repo", "site", "build", "--out", "../outside", "--now", NOW)
    )
    assert "--out repo/../outside:" in line and "the catalog's changes/ folder" in line
    assert snapshot(root) == before
    assert all((root / path).is_file() for path in changes)


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system [touch PWNED]",
        "!!python/object/new:os.system [touch PWNED]",
        "!!python/module:os",
        "!custom [x]",
    ],
)
def test_an_mkdocs_yml_with_a_code_running_tag_is_refused(tmp_path: Path, tag: str) -> None:
    """MkDocs reads mkdocs.yml with PyYAML's full loader: `!!python/object/apply`
    runs a command. The build refuses the file before MkDocs loads it."""
    root = copy_catalog(tmp_path / "repo")
    config = root / "site" / "mkdocs.yml"
    config.write_text(config.read_text() + f"extra_css_hook: {tag}\n", encoding="utf-8")
    result = run(root, "site", "build", "--out", "public", "--now", NOW)
    assert result.exit_code == 2, result.output
    line = one_error_line(result)
    assert "would run code when MkDocs reads the file" in line
    assert f"mkdocs.yml:{len(config.read_text().splitlines())}:" in line
    assert not (root / "PWNED").exists()
    assert not (root / "public").exists()
