"""The result cache: reused when nothing that decides a result changed, never
trusted when something did, and never the cause of a wrong answer.

Most tests plant a forged entry (a finding no check would ever produce) under
the key a file would have: seeing it proves the cache is read; not seeing it
after an edit proves the edit invalidated it. Every answer is also compared
with a run without the cache.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.lint import memo
from catalogctl.load import cache, cached
from catalogctl.load.diagnostics import Diagnostic, Severity
from catalogctl.load.schemaref import SchemaRef
from catalogctl.load.sources import GitTree, WorkTree
from gitrepo import commit_at, git
from paths import REPO

TODAY = "2026-11-28"
SERVICE = "catalog/services/infrastructure/database-platform.yaml"
FORGED = "forged by the test: only the cache can say this"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A committed copy of the reference catalog."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("catalog", "changes", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "catalogctl.yaml", root)
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-03-01T12:00:00+00:00", "catalog")
    return root


@pytest.fixture
def cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def invoke(root: Path, *args: str) -> Result:
    env = {"GITHUB_STEP_SUMMARY": None, "NO_COLOR": None}
    result = CliRunner().invoke(main, ["-C", str(root), *args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def lint(root: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = invoke(root, *extra, "lint", "--today", TODAY, "--format", "json")
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def messages(diagnostics: list[dict[str, Any]], file: str) -> list[str]:
    return [d["message"] for d in diagnostics if d["file"] == file]


def shards(folder: Path) -> list[Path]:
    return sorted(folder.glob("v*/*" + cache.SUFFIX))


def forge(folder: Path, root: Path, path: str, build: str | None = None) -> None:
    """Store a result for `path`'s current bytes that says FORGED, valid for
    the catalog's schemas, under `build` (this build of the tool by default)."""
    raw = (root / path).read_bytes()
    fingerprint = SchemaRef.of(WorkTree(root).schema_texts()).fingerprint
    finding = [path, 1, 1, "schema", FORGED, None, None, None]
    store = cache.Store(folder, build or cached.tool_build())
    key = cached.entry_key(path, cached.object_id(raw), None)
    store.put(key, '{"kind":"Service"}', json.dumps([[], [], {fingerprint: [finding]}]))
    store.flush()
    forget_runs(folder)


def forget_runs(folder: Path) -> None:
    """Drop the whole-run results, which would otherwise answer an unchanged
    catalog before any per-file entry is read (tested below)."""
    for runs in folder.glob("v*/" + cache.RUNS):
        shutil.rmtree(runs)


def test_a_second_run_reads_the_cache_and_answers_the_same(repo: Path, cache_dir: Path) -> None:
    uncached = lint(repo, "--no-cache")
    assert not cache_dir.exists()  # --no-cache writes nothing either
    first = lint(repo)
    assert shards(cache_dir)
    assert first == uncached
    forge(cache_dir, repo, SERVICE)
    assert FORGED in messages(lint(repo)[1], SERVICE)  # the entry is what answered
    assert FORGED not in messages(lint(repo, "--no-cache")[1], SERVICE)
    assert FORGED not in invoke(repo, "--no-cache", "lint", "--today", TODAY).stdout


def test_the_environment_turns_it_off(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge(cache_dir, repo, SERVICE)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    assert FORGED not in messages(lint(repo)[1], SERVICE)


def test_a_content_change_is_a_new_key(repo: Path, cache_dir: Path) -> None:
    forge(cache_dir, repo, SERVICE)
    file = repo / SERVICE
    file.write_text(file.read_text(encoding="utf-8").replace("tier: 1", "tier: 9"), "utf-8")
    _, found = lint(repo)
    assert FORGED not in messages(found, SERVICE)
    assert any("spec.tier" in m for m in messages(found, SERVICE))
    assert lint(repo) == lint(repo, "--no-cache")


def test_a_change_within_the_same_second_is_seen(repo: Path, cache_dir: Path) -> None:
    """Same size, same modification time to the nanosecond: only the bytes differ."""
    file = repo / SERVICE
    text = file.read_text(encoding="utf-8")
    assert "tier: 1" in text
    assert lint(repo)[1] == lint(repo, "--no-cache")[1]
    before = file.stat()
    forget_runs(cache_dir)
    file.write_text(text.replace("tier: 1", "tier: 7"), encoding="utf-8")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file.stat().st_size == before.st_size
    assert file.stat().st_mtime_ns == before.st_mtime_ns
    _, found = lint(repo)
    assert any("spec.tier" in m for m in messages(found, SERVICE))
    assert found == lint(repo, "--no-cache")[1]


def test_a_schema_change_invalidates_the_schema_findings(repo: Path, cache_dir: Path) -> None:
    forge(cache_dir, repo, SERVICE)
    schema_file = repo / "schemas/service.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["spec"]["properties"]["tier"]["maximum"] = 0
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    _, found = lint(repo)
    assert FORGED not in messages(found, SERVICE)
    assert any("spec.tier" in m for m in messages(found, SERVICE))
    assert lint(repo) == lint(repo, "--no-cache")


def test_a_policy_change_applies_to_cached_results(repo: Path, cache_dir: Path) -> None:
    """Severities and cross-file rules are never cached: a policy edit takes
    effect on a run whose every file comes from the cache."""
    service = repo / SERVICE
    text = service.read_text(encoding="utf-8")
    edited = text.replace("  name: Database Platform (SQL Server)", "  name: Describe the change")
    assert edited != text
    service.write_text(edited, encoding="utf-8")
    code, before = lint(repo)
    placeholder = [d for d in before if d["rule"] == "placeholder-text"]
    assert [d["severity"] for d in placeholder] == ["warning"]
    assert code == 0
    policy = repo / "catalogctl.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8") + "rules:\n  placeholder-text: error\n", "utf-8"
    )
    code, after = lint(repo)
    assert [d["severity"] for d in after if d["rule"] == "placeholder-text"] == ["error"]
    assert code == 1
    assert (code, after) == lint(repo, "--no-cache")


def test_another_build_of_the_tool_does_not_read_this_ones_results(
    repo: Path, cache_dir: Path
) -> None:
    other = "v1-" + "0" * 20
    forge(cache_dir, repo, SERVICE, build=other)
    assert FORGED not in messages(lint(repo)[1], SERVICE)
    probe = (
        "import catalogctl; catalogctl.__version__ = '999.0'; "
        "from catalogctl.load import cached; print(cached.tool_build())"
    )
    env = {**os.environ, cache.CACHE_ENV: str(cache_dir)}
    newer = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()
    assert cache.BUILD_NAME.match(newer)
    assert newer != cached.tool_build()
    forge(cache_dir, repo, SERVICE)  # this build's entry: a newer version must not see it
    script = (
        "import sys, catalogctl; catalogctl.__version__ = '999.0'; "
        "from catalogctl.cli import main; sys.argv[0] = 'catalogctl'; main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, "-C", str(repo), "lint", "--today", TODAY, "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert FORGED not in run.stdout
    assert json.loads(run.stdout)["diagnostics"] == lint(repo, "--no-cache")[1]


@pytest.mark.parametrize(
    "damage",
    ["truncate", "garble", "flip-byte", "bad-entry", "empty", "folder"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(repo: Path, cache_dir: Path, damage: str) -> None:
    expected = lint(repo, "--no-cache")
    assert lint(repo) == expected
    forget_runs(cache_dir)
    for shard in shards(cache_dir):
        raw = shard.read_bytes()
        if damage == "truncate":
            shard.write_bytes(raw[: len(raw) // 2])
        elif damage == "garble":
            shard.write_bytes(b"\x00\xff not a shard \n" + raw[::-1])
        elif damage == "flip-byte":
            middle = len(raw) // 2
            shard.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0x20]) + raw[middle + 1 :])
        elif damage == "bad-entry":  # a valid checksum over entries we never wrote
            lines = raw.split(b"\n", 1)[1].split(b"\n")
            body = b"".join(
                line.split(b"\t")[0] + b'\t1\t[1,2]\t{"x":null}\n' for line in lines if line
            )
            shard.write_bytes(f"{cache.FORMAT} {cache._checksum(body)}\n".encode() + body)
        elif damage == "empty":
            shard.write_bytes(b"")
        else:
            shard.unlink()
            shard.mkdir()
    assert lint(repo) == expected
    if damage != "folder":
        info = json.loads(invoke(repo, "cache", "info", "--format", "json").stdout)
        assert info["damaged_shards"] == 0  # rewritten whole by the run
        assert lint(repo) == expected


def _write_many(folder: str, build: str, worker: int) -> None:
    store = cache.Store(Path(folder), build)
    for round_ in range(5):
        for index in range(200):
            key = cached.entry_key(f"f{index}.yaml", f"{worker}-{round_}", None)
            store.put(key, json.dumps({"worker": worker, "index": index}), "[[],[],{}]")
        store.flush()


def test_concurrent_writers_never_leave_a_torn_shard(tmp_path: Path) -> None:
    folder, build = tmp_path / "cache", "v1-" + "a" * 20
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_many, args=(str(folder), build, w)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    assert cache.usage(folder).corrupt_shards == 0
    assert cache.usage(folder).entries > 0
    assert not list(folder.rglob("*.tmp"))  # no temporary file left behind
    store = cache.Store(folder, build)
    for worker in range(4):
        for index in range(200):
            found = store.get(cached.entry_key(f"f{index}.yaml", f"{worker}-4", None))
            if found is not None:  # a lost update is allowed, a wrong entry never
                assert json.loads(found[0]) == {"worker": worker, "index": index}


def concurrent_lints(repo: Path, cache_dir: Path, count: int = 4) -> list[tuple[int, Any]]:
    """(exit code, diagnostics) of `count` lint processes started at once."""
    script = "import sys; from catalogctl.cli import main; sys.argv[0] = 'catalogctl'; main()"
    argv = [sys.executable, "-c", script, "-C", str(repo), "lint", "--today", TODAY, "-f", "json"]
    env = {**os.environ, cache.CACHE_ENV: str(cache_dir)}
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, env=env) for _ in range(count)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    return [
        (run.returncode, json.loads(out)["diagnostics"])
        for run, out in zip(runs, outputs, strict=True)
    ]


def test_concurrent_lint_runs_agree(repo: Path, cache_dir: Path) -> None:
    expected = lint(repo, "--no-cache")
    assert concurrent_lints(repo, cache_dir) == [expected] * 4
    assert cache.usage(cache_dir).corrupt_shards == 0
    assert lint(repo) == expected


def test_the_size_is_bounded_and_this_runs_entries_are_kept(tmp_path: Path) -> None:
    build = "v1-" + "b" * 20
    old = cache.Store(tmp_path, build, max_bytes=cache.SHARDS * 4000)
    for index in range(2000):
        old.put(cached.entry_key(f"old{index}", "x", None), '"' + "o" * 100 + '"', "[]")
    old.flush()
    new = cache.Store(tmp_path, build, max_bytes=cache.SHARDS * 4000)
    keys = [cached.entry_key(f"new{index}", "x", None) for index in range(100)]
    for key in keys:
        new.put(key, '"' + "n" * 100 + '"', "[]")
    new.flush()
    for shard in shards(tmp_path):
        assert shard.stat().st_size <= 4000 + 200
    reader = cache.Store(tmp_path, build)
    kept = sum(reader.get(key) is not None for key in keys)
    assert kept >= 95  # a shard only drops what this run wrote when that alone overflows it
    assert cache.usage(tmp_path).entries < 2000


def test_old_builds_are_removed_and_nothing_else(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (tmp_path / "keep.txt").write_text("a user's file", encoding="utf-8")
    for number in range(5):
        store = cache.Store(tmp_path, f"v1-{number:020x}")
        store.put(cached.entry_key("a.yaml", "x", None), "{}", "[]")
        store.flush()
    builds = sorted(p.name for p in tmp_path.iterdir() if cache.BUILD_NAME.match(p.name))
    assert len(builds) == cache.KEEP_BUILDS
    assert f"v1-{4:020x}" in builds
    assert cache.clear(tmp_path) > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt", "notes"]


def test_git_refs_read_through_the_same_cache(repo: Path, cache_dir: Path) -> None:
    """After a working-tree run, every file of HEAD is known by its blob id:
    none is read from git again."""
    assert lint(repo)[0] in (0, 1)
    store = cached.open_store(repo)
    source = GitTree(repo, "HEAD")
    loaded, read = cached.check_source(source, None, 1, store)
    assert read == {}  # no blob was read
    assert store.hits == len(loaded) == len(WorkTree(repo).files())
    uncached, _ = cached.check_source(GitTree(repo, "HEAD"), None, 1, cache.Store(None, ""))
    assert loaded == uncached
    assert lint(repo, "--no-cache") == lint(repo)
    ref = invoke(repo, "lint", "--ref", "HEAD", "--today", TODAY, "--format", "json")
    assert json.loads(ref.stdout)["diagnostics"] == lint(repo)[1]


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.CACHE_ENV)
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.locate(plain) == tmp_path / "xdg" / "catalogctl"
    main_repo = tmp_path / "main"
    main_repo.mkdir()
    git(main_repo, "init", "-q", "-b", "main")
    commit_at(main_repo, "2026-03-01T12:00:00+00:00", "empty")
    nested = main_repo / "sub" / "catalog"
    nested.mkdir(parents=True)
    assert cache.locate(nested) == main_repo / ".git" / "catalogctl" / "cache"
    git(main_repo, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "side")
    assert cache.locate(tmp_path / "wt") == (main_repo / ".git" / "catalogctl" / "cache").resolve()


def test_cache_info_and_clear(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.CACHE_ENV)
    lint(repo)
    info = invoke(repo, "cache", "info")
    assert info.exit_code == 0
    assert str(repo / ".git" / "catalogctl" / "cache") in info.stdout
    document = json.loads(invoke(repo, "cache", "info", "--format", "json").stdout)
    assert document["entries"] == len(WorkTree(repo).files()) + 1  # and the policy
    assert document["build"] == cached.tool_build()
    cleared = invoke(repo, "cache", "clear")
    assert cleared.exit_code == 0
    assert cleared.stdout.startswith("cleared ")
    assert json.loads(invoke(repo, "cache", "info", "-f", "json").stdout)["entries"] == 0
    assert lint(repo) == lint(repo, "--no-cache")


def test_an_unwritable_cache_is_no_error(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert lint(repo) == lint(repo, "--no-cache")


def run_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"v*/{cache.RUNS}/*{cache.SUFFIX}"))


def forge_run(folder: Path) -> None:
    """Replace every kept whole-run result by one that says FORGED."""
    forged = memo.LintSummary(
        (Diagnostic(SERVICE, 1, 1, "schema", FORGED, Severity.ERROR),), (SERVICE,), 1, ()
    )
    for path in run_files(folder):
        store = cache.Store(folder, path.parent.parent.name)
        store.put_run(path.name.removesuffix(cache.SUFFIX), memo.encode(forged), "")


def test_an_unchanged_catalog_is_answered_by_the_last_run(repo: Path, cache_dir: Path) -> None:
    expected = lint(repo, "--no-cache")
    assert lint(repo) == expected
    assert len(run_files(cache_dir)) == 1
    forge_run(cache_dir)
    assert messages(lint(repo)[1], SERVICE) == [FORGED]  # the kept run answered
    assert lint(repo, "--no-cache") == expected


@pytest.mark.parametrize("change", ["content", "today", "policy", "schema", "new-file"])
def test_any_input_change_is_a_new_run(repo: Path, cache_dir: Path, change: str) -> None:
    lint(repo)
    forge_run(cache_dir)
    today = TODAY
    if change == "content":
        file = repo / SERVICE
        file.write_text(file.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    elif change == "today":
        today = "2026-11-29"
    elif change == "policy":
        policy = repo / "catalogctl.yaml"
        policy.write_text(policy.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    elif change == "schema":
        schema = repo / "schemas/team.schema.json"
        schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    else:
        (repo / "catalog/teams/.hidden.yaml").write_text("x: 1\n", encoding="utf-8")
    result = invoke(repo, "lint", "--today", today, "--format", "json")
    assert FORGED not in result.stdout
    uncached = invoke(repo, "--no-cache", "lint", "--today", today, "--format", "json")
    assert (result.exit_code, result.stdout) == (uncached.exit_code, uncached.stdout)


def test_a_damaged_run_result_is_ignored(repo: Path, cache_dir: Path) -> None:
    expected = lint(repo, "--no-cache")
    lint(repo)
    for path in run_files(cache_dir):
        raw = path.read_bytes()
        path.write_bytes(raw[:-5] + b"]]]]\n")
    assert lint(repo) == expected


def test_a_cross_file_finding_in_a_cached_file_is_located(repo: Path, cache_dir: Path) -> None:
    """The file's bytes are not kept with its cached result: a reference
    finding is located by reading it again, at the same line and column."""
    service = repo / SERVICE
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("  owner: ", "  owner: no-such-team-", 1), encoding="utf-8")
    expected = lint(repo, "--no-cache")
    assert lint(repo) == expected
    forget_runs(cache_dir)
    code, found = lint(repo)
    assert (code, found) == expected
    [finding] = [d for d in found if d["rule"] == "unknown-reference"]
    line = next(n for n, t in enumerate(service.read_text().splitlines(), 1) if "owner:" in t)
    assert (finding["file"], finding["line"]) == (SERVICE, line)
    assert run_files(cache_dir)  # an exact run is kept


def test_nowhere_to_keep_it_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a repository, with no XDG_CACHE_HOME and no home folder, runs
    work uncached; `cache info` says what to set."""
    root = tmp_path / "plain"
    root.mkdir()
    for name in ("catalog", "changes", "schemas"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "catalogctl.yaml", root)
    monkeypatch.delenv(cache.CACHE_ENV)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert cache.locate(root) is None
    assert lint(root) == lint(root, "--no-cache")
    info = invoke(root, "cache", "info")
    assert info.exit_code == 2
    assert info.stderr.count("\n") == 1 and "CATALOGCTL_CACHE_DIR" in info.stderr


def test_no_cache_lasts_one_invocation(repo: Path, cache_dir: Path) -> None:
    lint(repo, "--no-cache")
    assert cache.enabled()
    assert not cache_dir.exists()
    lint(repo)
    assert shards(cache_dir)
