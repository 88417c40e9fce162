"""The change history reader: timelines from real git repositories built here."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import pytest

from catalogctl.change import history
from catalogctl.change.history import History, fast_read, read_history, read_state
from catalogctl.load import yamlsafe
from catalogctl.model.entities import dig
from gitrepo import change_yaml, commit_at, git
from paths import CASES as CASES_DIR

CASES = CASES_DIR
PATH = "changes/2026/chg-2026-0001.yaml"


@pytest.fixture(autouse=True)
def no_user_git_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader runs git with the process environment: keep the user's out."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def write(root: Path, rel: str, text: str | bytes) -> None:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")


def states(found: History, change_id: str = "chg-2026-0001") -> list[str]:
    return [t.state for t in found.timelines[change_id].transitions]


# ---------------------------------------------------------------- no history


def test_a_folder_that_is_not_a_repository_has_no_history(tmp_path: Path) -> None:
    write(tmp_path, PATH, change_yaml("chg-2026-0001", "new"))
    found = read_history(tmp_path)
    assert found.timelines == {}
    assert found.note == "not a git repository"
    assert found.commits == 0 and found.head is None


def test_a_missing_folder_has_no_history_even_inside_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git never runs in the process's own folder instead of the one given."""
    root = repo(tmp_path / "r")
    write(root, PATH, change_yaml("chg-2026-0001", "new"))
    commit_at(root, "2026-01-05T09:00:00+00:00")
    monkeypatch.chdir(root)
    found = read_history(tmp_path / "gone")
    assert (found.timelines, found.commits, found.head) == ({}, 0, None)
    assert found.note is not None and "is not a folder git can work in" in found.note


def test_a_repository_without_commits_has_no_history(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, PATH, change_yaml("chg-2026-0001", "new"))
    found = read_history(root)
    assert (found.timelines, found.note) == ({}, "no commits yet")


def test_commits_that_never_touch_changes_give_no_history(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, "catalog/teams/ops.yaml", "kind: Team\n")
    sha = commit_at(root, "2026-01-01T10:00:00+00:00")
    found = read_history(root)
    assert found.timelines == {}
    assert (found.commits, found.head, found.note) == (0, sha, "no commit touches changes/")


# ---------------------------------------------------------------- timelines


def test_transitions_carry_commit_time_author_and_only_state_changes(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, PATH, change_yaml("chg-2026-0001", "new"))
    first = commit_at(root, "2026-01-05T09:00:00+01:00", author="Carol", email="carol@x.example")
    write(root, PATH, change_yaml("chg-2026-0001", "assess"))
    second = commit_at(root, "2026-01-06T10:30:00-05:00", author="Dave", email="dave@x.example")
    write(root, PATH, change_yaml("chg-2026-0001", "assess", services=("identity",)))
    commit_at(root, "2026-01-07T10:00:00+00:00", "an edit, same state")
    write(root, PATH, change_yaml("chg-2026-0001", "authorize"))
    third = commit_at(root, "2026-01-08T10:00:00+00:00")
    found = read_history(root)
    timeline = found.timelines["chg-2026-0001"]
    assert found.commits == 4 and found.note is None and not found.shallow
    assert [(t.state, t.commit.sha) for t in timeline.transitions] == [
        ("new", first),
        ("assess", second),
        ("authorize", third),
    ]
    assess = timeline.transitions[1].commit
    # the committer date, aware, in the committer's own offset
    assert assess.time == dt.datetime(2026, 1, 6, 15, 30, tzinfo=dt.UTC)
    assert assess.time.utcoffset() == dt.timedelta(hours=-5)
    assert (assess.author, assess.email) == ("Dave", "dave@x.example")
    assert timeline.path == PATH and timeline.edited_after_close == ()


def test_a_renamed_file_keeps_its_timeline(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, "changes/chg-2026-0001.yaml", change_yaml("chg-2026-0001", "new"))
    commit_at(root, "2026-01-05T09:00:00+00:00")
    # moved into its year folder and advanced in the same commit
    (root / "changes/chg-2026-0001.yaml").unlink()
    write(root, PATH, change_yaml("chg-2026-0001", "assess"))
    commit_at(root, "2026-01-06T09:00:00+00:00")
    # a pure move
    git(root, "mv", PATH, "changes/2026/renamed.yaml")
    commit_at(root, "2026-01-07T09:00:00+00:00")
    write(root, "changes/2026/renamed.yaml", change_yaml("chg-2026-0001", "authorize"))
    commit_at(root, "2026-01-08T09:00:00+00:00")
    found = read_history(root)
    assert list(found.timelines) == ["chg-2026-0001"]
    assert states(found) == ["new", "assess", "authorize"]
    assert found.timelines["chg-2026-0001"].path == "changes/2026/renamed.yaml"


def test_rename_detection_keeps_a_timeline_that_has_no_id(tmp_path: Path) -> None:
    """Without an id the key is the file stem: only following the rename keeps
    the old states with the new name."""
    root = repo(tmp_path / "r")

    def no_id(state: str) -> str:
        return change_yaml("x", state).replace("  id: x\n", "")

    write(root, "changes/2026/draft.yaml", no_id("new"))
    commit_at(root, "2026-01-05T09:00:00+00:00")
    git(root, "mv", "changes/2026/draft.yaml", "changes/2026/chg-2026-0001.yaml")
    commit_at(root, "2026-01-06T09:00:00+00:00")
    write(root, PATH, no_id("assess"))
    commit_at(root, "2026-01-07T09:00:00+00:00")
    found = read_history(root)
    assert list(found.timelines) == ["chg-2026-0001"]
    assert states(found) == ["new", "assess"]


def test_keyed_by_the_id_in_the_document_else_the_file_stem(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, "changes/2026/odd-name.yaml", change_yaml("chg-2026-0007", "new"))
    no_id = change_yaml("chg-2026-0008", "new").replace("  id: chg-2026-0008\n", "")
    write(root, "changes/2026/chg-2026-0008.yaml", no_id)
    commit_at(root, "2026-01-05T09:00:00+00:00")
    found = read_history(root)
    assert sorted(found.timelines) == ["chg-2026-0007", "chg-2026-0008"]
    assert found.timelines["chg-2026-0007"].path == "changes/2026/odd-name.yaml"


def test_unreadable_versions_are_skipped_for_their_commit(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, PATH, change_yaml("chg-2026-0001", "new"))
    commit_at(root, "2026-01-05T09:00:00+00:00")
    bad: list[str] = []
    for text in (
        "state: [this is not YAML\n  : {\n",  # a syntax error
        b"\x00\x01\xff binary \x1b[2J",  # not text at all
        change_yaml("chg-2026-0001", "closed").replace("kind: ChangeRequest", "kind: Service"),
        change_yaml("chg-2026-0001", "closed").replace("  state: closed\n", ""),
        "kind: ChangeRequest\nmetadata:\n  id: chg-2026-0001\nspec:\n  state: &a closed\n",
    ):
        write(root, PATH, text)
        bad.append(commit_at(root, f"2026-01-{6 + len(bad):02d}T09:00:00+00:00"))
    write(root, PATH, change_yaml("chg-2026-0001", "assess"))
    last = commit_at(root, "2026-01-20T09:00:00+00:00")
    found = read_history(root)
    timeline = found.timelines["chg-2026-0001"]
    assert states(found) == ["new", "assess"]
    assert timeline.transitions[-1].commit.sha == last
    assert not {t.commit.sha for t in timeline.transitions} & set(bad)


def test_an_oversized_version_is_skipped(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, PATH, change_yaml("chg-2026-0001", "new"))
    commit_at(root, "2026-01-05T09:00:00+00:00")
    big = change_yaml("chg-2026-0001", "closed") + "# padding\n" * 120_000
    assert len(big) > 1 << 20
    write(root, PATH, big)
    commit_at(root, "2026-01-06T09:00:00+00:00")
    write(root, PATH, change_yaml("chg-2026-0001", "assess"))
    commit_at(root, "2026-01-07T09:00:00+00:00")
    assert states(read_history(root)) == ["new", "assess"]


def test_edits_after_closing_are_recorded_but_a_pure_move_is_not(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, PATH, change_yaml("chg-2026-0001", "review", code="successful"))
    commit_at(root, "2026-01-05T09:00:00+00:00")
    write(root, PATH, change_yaml("chg-2026-0001", "closed", code="successful"))
    commit_at(root, "2026-01-06T09:00:00+00:00")
    git(root, "mv", PATH, "changes/2026/moved.yaml")
    commit_at(root, "2026-01-07T09:00:00+00:00", "a move only")
    write(
        root,
        "changes/2026/moved.yaml",
        change_yaml("chg-2026-0001", "closed", code="successful", notes="Rewritten."),
    )
    edit = commit_at(root, "2026-01-08T09:00:00+00:00", "edit after close")
    found = read_history(root)
    timeline = found.timelines["chg-2026-0001"]
    assert states(found) == ["review", "closed"]
    assert [c.sha for c in timeline.edited_after_close] == [edit]


def test_a_deleted_and_re_added_change_is_one_timeline(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, PATH, change_yaml("chg-2026-0001", "new"))
    commit_at(root, "2026-01-05T09:00:00+00:00")
    (root / PATH).unlink()
    commit_at(root, "2026-01-06T09:00:00+00:00")
    write(root, PATH, change_yaml("chg-2026-0001", "assess"))
    commit_at(root, "2026-01-07T09:00:00+00:00")
    assert states(read_history(root)) == ["new", "assess"]


def test_a_merge_dates_the_transitions_it_brings(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    write(root, PATH, change_yaml("chg-2026-0001", "new"))
    commit_at(root, "2026-01-05T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "feature")
    write(root, PATH, change_yaml("chg-2026-0001", "assess"))
    commit_at(root, "2026-01-06T09:00:00+00:00", "on the branch")
    git(root, "checkout", "-q", "main")
    write(root, "catalog/teams/ops.yaml", "kind: Team\n")
    commit_at(root, "2026-01-07T09:00:00+00:00", "main moves on")
    when = "2026-01-09T09:00:00+00:00"
    git(
        root,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "merge",
        "feature",
        env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when},
    )
    found = read_history(root)
    assess = found.timelines["chg-2026-0001"].transitions[1]
    assert assess.state == "assess"
    assert assess.commit.sha == git(root, "rev-parse", "HEAD")
    assert assess.commit.time == dt.datetime(2026, 1, 9, 9, tzinfo=dt.UTC)


def test_a_catalog_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    top = repo(tmp_path / "r")
    write(top, "changes/2026/chg-2026-0009.yaml", change_yaml("chg-2026-0009", "new"))
    write(top, "ops/catalog/" + PATH, change_yaml("chg-2026-0001", "new"))
    write(top, "ops/catalog/changes/2026/.hidden.yaml", change_yaml("chg-2026-0002", "new"))
    write(top, "ops/catalog/changes/2026/notes.txt", change_yaml("chg-2026-0003", "new"))
    commit_at(top, "2026-01-05T09:00:00+00:00")
    found = read_history(top / "ops" / "catalog")
    assert list(found.timelines) == ["chg-2026-0001"]
    assert found.timelines["chg-2026-0001"].path == PATH


def test_a_shallow_clone_says_so(tmp_path: Path) -> None:
    root = repo(tmp_path / "r")
    for day, state in enumerate(("new", "assess"), start=5):
        write(root, PATH, change_yaml("chg-2026-0001", state))
        commit_at(root, f"2026-01-0{day}T09:00:00+00:00")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", "shallow")
    found = read_history(tmp_path / "shallow")
    assert found.shallow
    assert states(found) == ["assess"]


def test_one_git_log_and_one_cat_file_whatever_the_number_of_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path / "r")
    for number in range(1, 6):
        change_id = f"chg-2026-000{number}"
        write(root, f"changes/2026/{change_id}.yaml", change_yaml(change_id, "new"))
        commit_at(root, f"2026-01-0{number}T09:00:00+00:00")
        write(root, f"changes/2026/{change_id}.yaml", change_yaml(change_id, "assess"))
        commit_at(root, f"2026-01-0{number}T10:00:00+00:00")
    # a `git` in front of the real one that records its arguments
    real_git = shutil.which("git")
    assert real_git is not None
    log = tmp_path / "calls.log"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real_git}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    found = read_history(root)
    assert len(found.timelines) == 5
    calls = log.read_text().splitlines()
    assert sum(" log " in f" {c} " for c in calls) == 1
    assert sum(c.startswith("cat-file") for c in calls) == 1


# ---------------------------------------------------------------- reading one blob


def _parsed(text: str) -> tuple[str | None, str | None]:
    data, problems, _ = yamlsafe.parse(text)
    assert not problems
    return dig(data, "spec", "state"), dig(data, "metadata", "id")


@pytest.mark.parametrize(
    "text",
    [
        change_yaml("chg-2026-0001", "scheduled"),
        change_yaml("chg-2026-0001", "scheduled").replace("\n", "\r\n"),
        "---\n" + change_yaml("chg-2026-0001", "review"),
        # a description that quotes a state line, indented deeper
        change_yaml("chg-2026-0001", "new").replace(
            "  name: Change", "  description: |\n    state: closed\n      id: x\n  name: Change"
        ),
        # another state key in the wrong section does not count
        change_yaml("chg-2026-0001", "implement").replace(
            "metadata:\n", "metadata:\n  state: closed\n"
        ),
    ],
)
def test_fast_path_agrees_with_the_parser(text: str) -> None:
    fast = fast_read(text.encode())
    assert fast is not None
    # the metadata.state case is a schema error, not a YAML one: the parser agrees
    assert (fast.state, fast.change_id) == _parsed(text)


@pytest.mark.parametrize(
    "text",
    [
        change_yaml("chg-2026-0001", "new").replace("  state: new", '  state: "assess"'),
        change_yaml("chg-2026-0001", "new").replace("  state: new", "  state: assess # moved"),
        change_yaml("chg-2026-0001", "new").replace(
            "  state: new", "  state: new\n  state: closed"
        ),
        "apiVersion: catalogctl/v1\nkind: ChangeRequest\nmetadata: {id: chg-2026-0001}\n"
        "spec: {state: authorize}\n",
        change_yaml("chg-2026-0001", "new").replace("kind: ChangeRequest", "kind:  ChangeRequest"),
    ],
)
def test_fast_path_declines_what_it_cannot_read_exactly(text: str) -> None:
    assert fast_read(text.encode()) is None
    reading = read_state(PATH, text.encode())
    _, problems, _ = yamlsafe.parse(text)
    if problems:
        assert reading is None
    else:
        assert reading is not None
        assert (reading.state, reading.change_id) == _parsed(text)


def test_fast_path_matches_the_parser_on_every_case_file() -> None:
    checked = 0
    for path in sorted(CASES.rglob("*.yaml")):
        raw = path.read_bytes()
        fast = history.fast_read(raw)
        if fast is None:
            continue
        text = raw.decode("utf-8", "replace")
        data, problems, _ = yamlsafe.parse(text)
        if problems or not isinstance(data, dict):
            continue  # the documented limit: invalid files read by their lines
        assert (fast.state, fast.change_id) == (
            dig(data, "spec", "state"),
            dig(data, "metadata", "id"),
        ), path
        checked += 1
    assert checked >= 5
