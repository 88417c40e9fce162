"""Unit tests for catalogctl.sources: the working tree and git trees at a ref.

Catalog files come from pull requests and are hostile: neither source may
follow a symbolic link, enter a submodule, or read a file over the size limit,
and a user-supplied ref must never be read as a git option.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from catalogctl.cli import main
from catalogctl.lint import engine
from catalogctl.load import schemas
from catalogctl.load.loader import MAX_FILE_BYTES
from catalogctl.load.schemas import SchemaSet
from catalogctl.load.sources import GitTree, SourceError, SourceFile, WorkTree, resolve_ref
from gitrepo import GIT_ENV, isolated_git  # noqa: F401  # isolated_git: a fixture
from lint.test_cases import BASE_DIR, CASES, build_catalog  # tests/lint/test_cases.py

pytestmark = pytest.mark.usefixtures("isolated_git")

TODAY = dt.date(2026, 11, 28)
SECRET = "TOP-SECRET-CONTENT-0451"
SYMLINK_REFUSAL = "is a symbolic link; catalog files must be real files (links are never followed)"


@pytest.fixture(scope="module")
def schema_set() -> SchemaSet:
    return SchemaSet.from_dir(schemas.bundled_dir())


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "core.autocrlf=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_ENV},
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def init_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q")
    return root


def commit_all(root: Path, message: str = "commit") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD")


def catalog_repo(tmp_path: Path, name: str = "repo") -> Path:
    root = init_repo(tmp_path / name)
    shutil.copytree(BASE_DIR, root, dirs_exist_ok=True)
    commit_all(root, "base catalog")
    return root


def by_path(files: list[SourceFile]) -> dict[str, SourceFile]:
    return {f.path: f for f in files}


def all_text(files: list[SourceFile]) -> str:
    return "\n".join((f.raw or b"").decode("utf-8", "replace") + (f.refusal or "") for f in files)


def lint_text(root: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["-C", str(root), "lint", "--today", "2026-11-28", "--color", "never", *extra]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# =========================================================================== WorkTree


def test_worktree_lists_catalog_files_sorted_with_bytes(tmp_path: Path) -> None:
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    files = WorkTree(root).files()
    paths = [f.path for f in files]
    assert paths == sorted(paths)
    assert paths == [
        "catalog/cis/esx-01.yaml",
        "catalog/cis/vm-payroll.yaml",
        "catalog/services/identity.yaml",
        "catalog/services/payroll.yaml",
        "catalog/slas/payroll.yaml",
        "catalog/teams/cab.yaml",
        "catalog/teams/ops.yaml",
        "catalog/templates/os-patch.yaml",
        "changes/2026/chg-2026-0001.yaml",
    ]
    for f in files:
        assert f.raw == (root / f.path).read_bytes()
        assert f.refusal is None


def test_worktree_lists_hidden_files_unread_skips_non_yaml_and_lists_yml(tmp_path: Path) -> None:
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    services = root / "catalog" / "services"
    (services / ".draft.yaml").write_text(f"x: {SECRET}\n")
    (services / ".hidden").mkdir()
    (services / ".hidden" / "svc.yaml").write_text(f"x: {SECRET}\n")
    (services / ".gitkeep").write_text("")  # the empty placeholder is not listed
    (services / "README.md").write_text("# services\n")
    (services / "old.yaml.bak").write_text("x: 1\n")
    (services / "search.yml").write_text("x: 1\n")
    (root / "docs").mkdir()
    (root / "docs" / "example.yaml").write_text("x: 1\n")
    files = WorkTree(root).files()
    paths = [f.path for f in files]
    assert "catalog/services/search.yml" in paths  # listed, so lint can tell the user to rename it
    hidden = [f for f in files if f.rule == "hidden-file"]
    assert [f.path for f in hidden] == [
        "catalog/services/.draft.yaml",
        "catalog/services/.hidden/svc.yaml",
    ]
    assert all(f.raw is None for f in hidden)  # listed, never read
    assert SECRET not in all_text(files)
    assert not any("README" in p or ".bak" in p or ".gitkeep" in p for p in paths)
    assert not any(p.startswith("docs/") for p in paths)


def test_worktree_refuses_a_symlinked_file_without_following_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "secret.yaml"
    target.write_text(
        f"apiVersion: catalogctl/v1\nkind: Team\nmetadata: {{id: x, name: {SECRET}}}\n"
    )
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    link = root / "catalog" / "teams" / "linked.yaml"
    link.symlink_to(target)
    files = WorkTree(root).files()
    refused = by_path(files)["catalog/teams/linked.yaml"]
    assert refused.raw is None
    assert refused.refusal == SYMLINK_REFUSAL
    assert SECRET not in all_text(files)

    code, out, _ = lint_text(root)
    assert code == 1
    assert (
        "catalog/teams/linked.yaml:1:1: error: linked.yaml is a symbolic link; catalog files "
        "must be real files (links are never followed) [file-invalid]\n"
    ) in out
    assert SECRET not in out


def test_worktree_refuses_a_symlink_inside_the_tree_and_a_dangling_one(tmp_path: Path) -> None:
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    services = root / "catalog" / "services"
    (services / "alias.yaml").symlink_to(services / "payroll.yaml")
    (services / "dangling.yaml").symlink_to(tmp_path / "does-not-exist.yaml")
    (services / "notyaml").symlink_to("/etc")  # any name: links are refused, not skipped
    found = by_path(WorkTree(root).files())
    for name in ("alias.yaml", "dangling.yaml", "notyaml"):
        entry = found[f"catalog/services/{name}"]
        assert entry.raw is None and entry.refusal == SYMLINK_REFUSAL


def test_worktree_refuses_a_symlinked_folder_without_entering_it(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "nested").mkdir(parents=True)
    (outside / "svc.yaml").write_text(f"name: {SECRET}\n")
    (outside / "nested" / "deep.yaml").write_text(f"name: {SECRET}\n")
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    (root / "catalog" / "services" / "linked").symlink_to(outside, target_is_directory=True)
    files = WorkTree(root).files()
    found = by_path(files)
    assert found["catalog/services/linked"].raw is None
    assert found["catalog/services/linked"].refusal == SYMLINK_REFUSAL
    assert not any(p.startswith("catalog/services/linked/") for p in found)
    assert SECRET not in all_text(files)
    code, out, _ = lint_text(root)
    assert code == 1 and SECRET not in out
    assert "catalog/services/linked:1:1: error: linked is a symbolic link" in out


@pytest.mark.parametrize("top", ["catalog", "changes"])
def test_worktree_refuses_a_symlinked_top_folder(tmp_path: Path, top: str) -> None:
    outside = tmp_path / "outside"
    (outside / "services").mkdir(parents=True)
    (outside / "services" / "svc.yaml").write_text(f"name: {SECRET}\n")
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    shutil.rmtree(root / top)
    (root / top).symlink_to(outside, target_is_directory=True)
    files = WorkTree(root).files()
    assert by_path(files)[top] == SourceFile(top, None, SYMLINK_REFUSAL)
    assert not any(f.path.startswith(top + "/") for f in files)
    assert SECRET not in all_text(files)


def test_worktree_read_refuses_symlinks_and_folders(tmp_path: Path) -> None:
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    (tmp_path / "secret.txt").write_text(SECRET)
    (root / "linked.yaml").symlink_to(tmp_path / "secret.txt")
    tree = WorkTree(root)
    assert tree.read("linked.yaml") is None
    assert tree.read("catalog") is None
    assert tree.read("missing.yaml") is None
    assert tree.read("catalogctl.yaml") == (root / "catalogctl.yaml").read_bytes()


def test_worktree_ignores_symlinked_schemas(tmp_path: Path) -> None:
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    real = tmp_path / "schemas"
    shutil.copytree(schemas.bundled_dir(), real)
    (root / "schemas").symlink_to(real, target_is_directory=True)
    assert WorkTree(root).schema_texts() == {}
    (root / "schemas").unlink()
    (root / "schemas").mkdir()
    (root / "schemas" / "team.schema.json").symlink_to(real / "team.schema.json")
    shutil.copy(real / "sla.schema.json", root / "schemas" / "sla.schema.json")
    assert sorted(WorkTree(root).schema_texts()) == ["sla.schema.json"]


def test_worktree_refuses_files_over_1_mib_without_reading(tmp_path: Path) -> None:
    """A 64 GiB sparse file: reading it would exhaust memory, so a quick,
    clean refusal shows the size was checked before any read."""
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    huge = root / "catalog" / "services" / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(64 << 30)
    over = root / "catalog" / "services" / "over.yaml"
    with over.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    exact = root / "catalog" / "services" / "exact.yaml"
    exact.write_bytes(b"#" * (MAX_FILE_BYTES - 1) + b"\n")
    found = by_path(WorkTree(root).files())
    assert found["catalog/services/huge.yaml"] == SourceFile(
        "catalog/services/huge.yaml",
        None,
        f"is {64 << 30:,} bytes, over the 1 MiB limit; split it or trim it",
    )
    assert found["catalog/services/over.yaml"] == SourceFile(
        "catalog/services/over.yaml",
        None,
        "is 1,048,577 bytes, over the 1 MiB limit; split it or trim it",
    )
    assert found["catalog/services/exact.yaml"].raw == exact.read_bytes()


def test_worktree_does_not_open_fifos(tmp_path: Path) -> None:
    """A named pipe called *.yaml would block a reader forever."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    os.mkfifo(root / "catalog" / "services" / "pipe.yaml")
    result: list[list[SourceFile]] = []
    worker = threading.Thread(target=lambda: result.append(WorkTree(root).files()), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert result, "WorkTree.files() blocked on a FIFO"
    assert not any(f.path == "catalog/services/pipe.yaml" and f.raw for f in result[0])


def test_worktree_without_catalog_folders(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    assert WorkTree(root).files() == []
    assert WorkTree(root).schema_texts() == {}


# =========================================================================== resolve_ref


@pytest.mark.parametrize(
    "ref",
    ["--output=OUT", "-h", "--help", "-", "--", "--all", "-p", "--end-of-options", "-HEAD"],
)
def test_option_like_refs_are_rejected(tmp_path: Path, ref: str) -> None:
    root = catalog_repo(tmp_path)
    out = tmp_path / "x"
    ref = ref.replace("OUT", str(out))
    with pytest.raises(SourceError) as raised:
        resolve_ref(root, ref)
    assert str(raised.value) == f"'{ref}' is not a valid git ref"
    with pytest.raises(SourceError):
        GitTree(root, ref)
    assert not out.exists()


@pytest.mark.parametrize("ref", ["", "HEAD\n", "HEAD\0", "main\rx"])
def test_refs_with_control_characters_are_rejected(tmp_path: Path, ref: str) -> None:
    root = catalog_repo(tmp_path)
    with pytest.raises(SourceError, match="is not a valid git ref"):
        resolve_ref(root, ref)


@pytest.mark.parametrize(
    "ref", ["no-such-branch", "v9.9", "HEAD~5", "0" * 40, "main..main", "HEAD^{tree}", ":/x"]
)
def test_unknown_refs_are_rejected(tmp_path: Path, ref: str) -> None:
    root = catalog_repo(tmp_path)
    with pytest.raises(SourceError) as raised:
        resolve_ref(root, ref)
    assert str(raised.value) == (
        f"unknown git ref '{ref}': no commit by that name (try a branch, tag or SHA)"
    )


def test_a_blob_or_tree_id_is_not_a_commit(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    tree = git(root, "rev-parse", "HEAD^{tree}")
    blob = git(root, "rev-parse", "HEAD:catalogctl.yaml")
    for oid in (tree, blob):
        with pytest.raises(SourceError, match="unknown git ref"):
            resolve_ref(root, oid)


def test_known_refs_resolve_to_the_full_commit_sha(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    first = git(root, "rev-parse", "HEAD")
    git(root, "tag", "v1")
    git(root, "tag", "-a", "v1-annotated", "-m", "annotated tag")
    (root / "README.md").write_text("x\n")
    second = commit_all(root, "second")
    git(root, "branch", "feature/x", first)
    assert resolve_ref(root, "HEAD") == second
    assert resolve_ref(root, "main") == second
    assert resolve_ref(root, "HEAD~1") == first
    assert resolve_ref(root, "v1") == first
    assert resolve_ref(root, "v1-annotated") == first  # peeled to the commit
    assert resolve_ref(root, "feature/x") == first
    assert resolve_ref(root, first[:10]) == first
    assert resolve_ref(root, "refs/heads/main") == second


def test_git_tree_outside_a_repository(tmp_path: Path) -> None:
    root = shutil.copytree(BASE_DIR, tmp_path / "cat")
    with pytest.raises(SourceError, match="is not inside a git repository"):
        GitTree(root, "HEAD")


def test_git_tree_of_a_missing_folder_never_reads_the_current_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitPython runs git in the process's own folder when the one it is
    given cannot be entered: from inside another repository, that would read
    the wrong catalog."""
    here = catalog_repo(tmp_path)
    monkeypatch.chdir(here)
    for missing in (tmp_path / "gone", here / "catalogctl.yaml"):
        with pytest.raises(SourceError, match="is not inside a git repository"):
            GitTree(missing, "HEAD")
        with pytest.raises(SourceError, match="is not a folder git can work in"):
            resolve_ref(missing, "HEAD")


def test_git_tree_in_a_folder_named_like_a_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`$HOME` in a folder name is a name, not the variable (GitPython would
    expand it in a path given as text)."""
    monkeypatch.setenv("CATALOG_DECOY", str(catalog_repo(tmp_path, "decoy")))
    root = catalog_repo(tmp_path / "$CATALOG_DECOY")
    (root / "catalog" / "teams" / "only-here.yaml").write_text("n: 1\n")
    sha = commit_all(root, "only here")
    tree = GitTree(root, "HEAD")
    assert (tree.top, tree.sha) == (root.resolve(), sha)
    assert "catalog/teams/only-here.yaml" in by_path(tree.files())


def test_version_does_not_import_gitpython() -> None:
    """GitPython costs tens of milliseconds to import: only commands that read
    git pay for it."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from catalogctl.cli import main\n"
        "result = CliRunner().invoke(main, ['--version'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('git' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_cli_rejects_option_like_and_unknown_refs_with_exit_2(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    out = tmp_path / "x"
    for ref, message in (
        (f"--output={out}", f"catalogctl: error: '--output={out}' is not a valid git ref"),
        ("-h", "catalogctl: error: '-h' is not a valid git ref"),
        (
            "nope",
            "catalogctl: error: unknown git ref 'nope': no commit by that name "
            "(try a branch, tag or SHA)",
        ),
    ):
        code, stdout, stderr = lint_text(root, f"--ref={ref}")
        assert code == 2, (ref, stdout, stderr)
        assert stderr.strip() == message
        assert stdout == ""
    assert not out.exists()


# =========================================================================== GitTree


def test_git_tree_reads_the_committed_files(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    work = WorkTree(root).files()
    head = GitTree(root, "HEAD").files()
    assert head == work
    assert all(f.raw is not None for f in head)


def test_git_tree_reads_each_ref_not_the_working_tree(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    first = git(root, "rev-parse", "HEAD")
    payroll = root / "catalog" / "services" / "payroll.yaml"
    original = payroll.read_bytes()
    payroll.write_bytes(original.replace(b"tier: 2", b"tier: 1"))
    (root / "catalog" / "services" / "added.yaml").write_text("committed: yes\n")
    second = commit_all(root, "second")
    payroll.write_bytes(b"uncommitted: edit\n")
    (root / "catalog" / "services" / "untracked.yaml").write_text("x: 1\n")

    old = by_path(GitTree(root, first).files())
    new = by_path(GitTree(root, second).files())
    assert old["catalog/services/payroll.yaml"].raw == original
    assert "catalog/services/added.yaml" not in old
    assert new["catalog/services/payroll.yaml"].raw == original.replace(b"tier: 2", b"tier: 1")
    assert new["catalog/services/added.yaml"].raw == b"committed: yes\n"
    assert "catalog/services/untracked.yaml" not in new
    assert GitTree(root, first).label == first
    assert GitTree(root, "HEAD").sha == second


def test_git_tree_reads_all_blobs_through_one_batch_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = catalog_repo(tmp_path)
    for i in range(50):
        (root / "catalog" / "teams" / f"team-{i:02}.yaml").write_text(f"n: {i}\n")
    commit_all(root, "many")
    spawned: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(args: list[str], *rest: Any, **kwargs: Any) -> Any:
        spawned.append(list(args))
        return real_popen(args, *rest, **kwargs)

    tree = GitTree(root, "HEAD")
    monkeypatch.setattr(subprocess, "Popen", popen)  # the module sources runs git with
    files = tree.files()
    assert len(files) == 59
    assert [args for args in spawned if "cat-file" in args] == [["git", "cat-file", "--batch"]]
    assert by_path(files)["catalog/teams/team-42.yaml"].raw == b"n: 42\n"


def test_git_tree_read_and_schema_texts(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    tree = GitTree(root, "HEAD")
    assert tree.read("catalogctl.yaml") == (BASE_DIR / "catalogctl.yaml").read_bytes()
    assert tree.read("catalog/teams/ops.yaml") == (BASE_DIR / "catalog/teams/ops.yaml").read_bytes()
    assert tree.read("nothing.yaml") is None
    assert tree.read("catalog") is None
    assert tree.schema_texts() == {}
    shutil.copytree(schemas.bundled_dir(), root / "schemas")
    commit_all(root, "schemas")
    texts = GitTree(root, "HEAD").schema_texts()
    assert texts == WorkTree(root).schema_texts()
    assert "service.schema.json" in texts


def test_git_tree_refuses_a_symlink_without_reading_it(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    (tmp_path / "secret.yaml").write_text(f"name: {SECRET}\n")
    (root / "catalog" / "teams" / "linked.yaml").symlink_to(tmp_path / "secret.yaml")
    (root / "catalog" / "services" / "alias.yaml").symlink_to("payroll.yaml")
    (root / "catalog" / "linked-dir").symlink_to(tmp_path, target_is_directory=True)
    commit_all(root, "symlinks")
    mode = git(root, "ls-tree", "HEAD", "catalog/teams/linked.yaml").split()[0]
    assert mode == "120000"
    files = GitTree(root, "HEAD").files()
    found = by_path(files)
    for path in ("catalog/teams/linked.yaml", "catalog/services/alias.yaml", "catalog/linked-dir"):
        assert found[path] == SourceFile(path, None, SYMLINK_REFUSAL)
    assert SECRET not in all_text(files)
    assert str(tmp_path) not in all_text(files)  # the link target (the blob) is not read either
    tree = GitTree(root, "HEAD")
    assert tree.read("catalog/teams/linked.yaml") is None


def test_git_tree_refuses_a_symlinked_policy(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    (root / "real-policy.yaml").write_bytes((root / "catalogctl.yaml").read_bytes())
    (root / "catalogctl.yaml").unlink()
    (root / "catalogctl.yaml").symlink_to("real-policy.yaml")
    commit_all(root, "policy link")
    assert GitTree(root, "HEAD").read("catalogctl.yaml") is None


def test_git_tree_refuses_a_submodule_entry(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    sha = git(root, "rev-parse", "HEAD")
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{sha},catalog/services/sub")
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{sha},catalog/cis/sub.yaml")
    git(root, "commit", "-q", "-m", "gitlinks")
    found = by_path(GitTree(root, "HEAD").files())
    refusal = "is a git submodule; submodules are never read"
    assert found["catalog/services/sub"] == SourceFile("catalog/services/sub", None, refusal)
    assert found["catalog/cis/sub.yaml"] == SourceFile("catalog/cis/sub.yaml", None, refusal)
    code, out, _ = lint_text(root, "--ref", "HEAD")
    assert code == 1
    assert (
        "catalog/services/sub:1:1: error: sub is a git submodule; submodules are never read "
        "[file-invalid]\n"
    ) in out


def test_git_tree_does_not_enter_a_real_submodule(tmp_path: Path) -> None:
    other = init_repo(tmp_path / "other")
    (other / "svc.yaml").write_text(f"name: {SECRET}\n")
    commit_all(other, "other")
    root = catalog_repo(tmp_path)
    git(
        root,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(other),
        "catalog/services/vendored",
    )
    git(root, "commit", "-q", "-m", "submodule")
    assert (root / "catalog/services/vendored/svc.yaml").is_file()  # checked out on disk
    mode = git(root, "ls-tree", "HEAD", "catalog/services/vendored").split()[0]
    assert mode == "160000"
    files = GitTree(root, "HEAD").files()
    found = by_path(files)
    assert found["catalog/services/vendored"].raw is None
    assert found["catalog/services/vendored"].refusal == (
        "is a git submodule; submodules are never read"
    )
    assert not any(p.startswith("catalog/services/vendored/") for p in found)
    assert SECRET not in all_text(files)


def test_git_tree_refuses_large_blobs_without_reading_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = catalog_repo(tmp_path)
    big = root / "catalog" / "services" / "huge.yaml"
    big.write_bytes(b"# " + b"x" * MAX_FILE_BYTES + b"\n")
    commit_all(root, "huge")
    asked: list[str] = []
    real_blobs = GitTree._blobs

    def blobs(self: GitTree, oids: list[str]) -> list[bytes]:
        asked.extend(oids)
        return real_blobs(self, oids)

    monkeypatch.setattr(GitTree, "_blobs", blobs)
    found = by_path(GitTree(root, "HEAD").files())
    assert found["catalog/services/huge.yaml"] == SourceFile(
        "catalog/services/huge.yaml",
        None,
        f"is {MAX_FILE_BYTES + 3:,} bytes, over the 1 MiB limit; split it or trim it",
    )
    huge_oid = git(root, "rev-parse", "HEAD:catalog/services/huge.yaml")
    assert huge_oid not in asked
    assert len(asked) == 9


def test_git_tree_of_a_catalog_in_a_subfolder(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "mono")
    root = repo / "it" / "catalog-repo"
    shutil.copytree(BASE_DIR, root)
    (repo / "catalog").mkdir()
    (repo / "catalog" / "outside.yaml").write_text(f"name: {SECRET}\n")
    commit_all(repo, "mono")
    tree = GitTree(root, "HEAD")
    files = tree.files()
    assert files == WorkTree(root).files()
    assert SECRET not in all_text(files)
    assert tree.read("catalogctl.yaml") == (root / "catalogctl.yaml").read_bytes()


def test_git_tree_handles_unusual_file_names(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    services = root / "catalog" / "services"
    names = [
        "caf\u00e9.yaml",
        "cafe\u0301.yaml",
        "with space.yaml",
        'quote".yaml',
        "tab\there.yaml",
    ]
    for name in names:
        (services / name).write_text(f"file: {name!r}\n")
    commit_all(root, "names")
    git_files = by_path(GitTree(root, "HEAD").files())
    work_files = by_path(WorkTree(root).files())
    assert git_files == work_files
    for name in names:
        assert git_files[f"catalog/services/{name}"].raw == f"file: {name!r}\n".encode()


# =========================================================================== same lint result


def assert_same_lint(root: Path, schema_set: SchemaSet, ref: str = "HEAD") -> engine.LintResult:
    work = engine.lint(WorkTree(root), schema_set, TODAY)
    head = engine.lint(GitTree(root, ref), schema_set, TODAY)
    assert head.diagnostics == work.diagnostics
    assert head.files == work.files
    assert head.entities == work.entities
    assert head.suppressed == work.suppressed
    return work


def test_same_lint_result_for_the_base_catalog(tmp_path: Path, schema_set: SchemaSet) -> None:
    result = assert_same_lint(catalog_repo(tmp_path), schema_set)
    assert result.diagnostics == ()
    assert result.entities == 9


def committed_case(case: Path, tmp_path: Path) -> Path:
    root = build_catalog(case, tmp_path / "repo")
    git(root, "init", "-q")
    commit_all(root, case.name)
    return root


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_same_lint_result_from_git_as_from_the_working_tree(
    case: Path, tmp_path: Path, schema_set: SchemaSet
) -> None:
    """Every golden case, committed: the ref gives exactly the working tree's result."""
    root = committed_case(case, tmp_path)
    assert_same_lint(root, schema_set)


def test_cli_lint_at_a_ref_matches_the_working_tree(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == "unknown-reference")
    root = committed_case(case, tmp_path)
    code, out, _ = lint_text(root)
    assert (code, out) == lint_text(root, "--ref", "HEAD")[:2]
    assert out == (case / "expected.txt").read_text(encoding="utf-8")
    # edit the working tree: the ref still gives the committed result
    (root / "catalog" / "services" / "identity.yaml").unlink()
    assert lint_text(root, "--ref", "HEAD")[:2] == (code, out)
    assert lint_text(root)[1] != out


def test_cli_lint_at_a_ref_without_a_policy_file(tmp_path: Path) -> None:
    root = catalog_repo(tmp_path)
    git(root, "rm", "-q", "catalogctl.yaml")
    git(root, "commit", "-q", "-m", "no policy")
    (root / "catalogctl.yaml").write_bytes((BASE_DIR / "catalogctl.yaml").read_bytes())
    code, out, err = lint_text(root, "--ref", "HEAD")
    assert code == 2 and out == ""
    assert err.strip() == "catalogctl: error: catalogctl.yaml does not exist at HEAD"


def test_git_tree_of_a_catalog_in_a_folder_with_glob_characters(tmp_path: Path) -> None:
    """The folder name is a literal path, never a pattern that reaches a sibling."""
    repo = init_repo(tmp_path / "mono")
    root = repo / "x*"
    shutil.copytree(BASE_DIR, root)
    sibling = repo / "xy" / "catalog" / "teams"
    sibling.mkdir(parents=True)
    (sibling / "ops.yaml").write_text(f"name: {SECRET}\n")
    (sibling / "evil.yaml").write_text(f"name: {SECRET}\n")
    commit_all(repo, "glob")
    files = GitTree(root, "HEAD").files()
    assert files == WorkTree(root).files()
    assert SECRET not in all_text(files)
