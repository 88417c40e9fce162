"""The stat record: a working-tree file whose stat is the one recorded is not
read, and nothing that could have changed since is ever vouched for.

The honest observable of "not read" is a record that names other bytes than
the file holds, with a forged result for those bytes: seeing the forged
finding proves the record answered and the file was not read. Every answer
is also compared with a run without the cache.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import pytest

from catalogctl.lint import engine
from catalogctl.load import cache, cached, statrecord
from catalogctl.load.schemaref import SchemaRef
from catalogctl.load.sources import SourceFile, WorkTree
from load.test_cache import (  # noqa: F401  # repo, cache_dir: fixtures
    FORGED,
    SERVICE,
    TODAY,
    cache_dir,
    concurrent_lints,
    forge,
    forget_runs,
    invoke,
    lint,
    messages,
    repo,
)

OTHER_BYTES = b"apiVersion: catalogctl/v1\nkind: Service\n"


def settle(root: Path) -> None:
    """Wait until the file system's clock has passed every catalog file's
    times, so that a run now may record them (a file as new as the run's
    moment is racy and never recorded)."""
    # The change time: it moves with every write (and with a modification
    # time set into the future, which stays racy on purpose).
    newest = max(p.lstat().st_ctime_ns for p in root.rglob("*.yaml") if p.is_file())
    for _ in range(500):
        with tempfile.NamedTemporaryFile(dir=root.parent) as marker:
            if statrecord.older(newest, os.fstat(marker.fileno()).st_mtime_ns):
                return
        time.sleep(0.01)
    raise AssertionError("the file system's clock did not move")


def store() -> cache.Store:
    return cached.open_store(Path("."))  # CATALOGCTL_CACHE_DIR names the test's own


def catalog_files(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root))
        for top in ("catalog", "changes")
        for p in (root / top).rglob("*.yaml")
        if p.is_file()
    )


def vouch_for_other_bytes(root: Path, cache_dir: Path) -> None:  # noqa: F811
    """Make the record say SERVICE holds OTHER_BYTES (its stat unchanged), and
    plant a FORGED result for those bytes."""
    entries = statrecord.read(store(), root)
    assert SERVICE in entries
    # forge() stores a FORGED result for a path's current bytes: for SERVICE
    # holding OTHER_BYTES, put them there for a moment, then put back the file.
    file = root / SERVICE
    real, before = file.read_bytes(), file.stat()
    file.write_bytes(OTHER_BYTES)
    forge(cache_dir, root, SERVICE)
    file.write_bytes(real)
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    # The put-back changed the file's ctime: record that stat, with the other id.
    entries[SERVICE] = (statrecord.stat_key(file.lstat()), cached.object_id(OTHER_BYTES))
    statrecord.write(store(), root, entries)


def test_files_whose_stat_is_recorded_are_not_read(repo: Path, cache_dir: Path) -> None:  # noqa: F811
    expected = lint(repo, "--no-cache")
    settle(repo)
    assert lint(repo) == expected
    recorded = statrecord.read(store(), repo)
    assert sorted(recorded) == catalog_files(repo)
    record = statrecord.StatRecord(store(), repo)
    listed = WorkTree(repo).listing(record.vouch)
    assert [f.path for f in listed] == [f.path for f in WorkTree(repo).files()]
    assert all(f.raw is None for f in listed)  # none was read
    for f in listed:  # and each has the id of its bytes
        assert f.oid == cached.object_id((repo / f.path).read_bytes())
    assert record.vouched == len(listed)
    assert lint(repo) == expected


def test_the_record_answers_for_an_unread_file_until_its_stat_changes(
    repo: Path,  # noqa: F811
    cache_dir: Path,  # noqa: F811
) -> None:
    expected = lint(repo, "--no-cache")
    settle(repo)
    lint(repo)
    vouch_for_other_bytes(repo, cache_dir)
    assert FORGED in messages(lint(repo)[1], SERVICE)  # answered without reading it
    assert FORGED not in messages(lint(repo, "--no-cache")[1], SERVICE)
    file = repo / SERVICE
    os.chmod(file, file.stat().st_mode)  # the same mode; only the change time moves
    forget_runs(cache_dir)
    assert lint(repo) == expected


def test_a_racy_file_is_never_recorded_and_every_edit_is_seen(
    repo: Path,  # noqa: F811
    cache_dir: Path,  # noqa: F811
) -> None:
    """A modification time not older than the run's moment (here: in the
    future, as after a clock step) could hide a second edit of the same size
    within the same tick: such a file is read on every run."""
    file = repo / SERVICE
    future = time.time_ns() + 3600 * 10**9
    os.utime(file, ns=(future, future))
    settle(repo)  # every other file becomes old enough
    assert lint(repo) == lint(repo, "--no-cache")
    recorded = statrecord.read(store(), repo)
    assert SERVICE not in recorded
    assert sorted([*recorded, SERVICE]) == catalog_files(repo)
    text = file.read_text(encoding="utf-8")
    seen = []
    for tier in ("7", "8"):  # two edits, same size, same (future) time
        file.write_text(text.replace("tier: 1", f"tier: {tier}"), encoding="utf-8")
        os.utime(file, ns=(future, future))
        _, found = lint(repo)
        assert any("spec.tier" in m for m in messages(found, SERVICE))
        assert found == lint(repo, "--no-cache")[1]
        assert SERVICE not in statrecord.read(store(), repo)
        seen.append(messages(found, SERVICE))
    assert seen[0] != seen[1]  # the second edit was read, not taken from the first


def test_a_record_entry_stops_vouching_when_same_size_bytes_keep_the_mtime(
    repo: Path,  # noqa: F811
    cache_dir: Path,  # noqa: F811
) -> None:
    """The edit git calls racy, seen through the record itself: same size,
    same modification time to the nanosecond; the change time still moves."""
    settle(repo)
    lint(repo)
    file = repo / SERVICE
    before = file.lstat()
    assert statrecord.read(store(), repo)[SERVICE] == (
        statrecord.stat_key(before),
        cached.object_id(file.read_bytes()),
    )
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("tier: 1", "tier: 7"), encoding="utf-8")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (file.stat().st_size, file.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    record = statrecord.StatRecord(store(), repo)
    assert record.vouch(SERVICE, file.lstat()) is None


@pytest.mark.parametrize(
    ("stamp", "moment", "older"),
    [
        (1_500_000_000, 1_500_000_001, True),  # nanoseconds: strictly before
        (1_500_000_001, 1_500_000_001, False),  # the same tick: racy
        (2_000_000_000, 2_999_999_999, False),  # whole seconds: the same second
        (1_999_999_999, 2_000_000_000, True),  # an earlier second
        (2_000_000_000, 3_000_000_000, True),
        (3_000_000_000, 3_000_000_000, False),
        (2_500_000_000, 2_000_000_000, False),  # after the moment
    ],
)
def test_older_compares_at_the_coarser_resolution(stamp: int, moment: int, older: bool) -> None:
    assert statrecord.older(stamp, moment) is older


def _damage(folder: Path, how: str, root: Path) -> None:
    [record] = folder.glob("v*/" + statrecord.STATS + "/*" + cache.SUFFIX)
    raw = record.read_bytes()
    if how == "truncated":
        record.write_bytes(raw[: len(raw) // 2])
    elif how == "flipped":
        at = len(raw) - 50
        record.write_bytes(raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1 :])
    elif how == "garbage":
        record.write_bytes(b"\x00\xff" * 100)
    elif how == "not a list":  # intact checksum, content not ours
        store().put_run(statrecord.record_name(root), '{"a":1}', "", statrecord.STATS)
    elif how == "another tree":  # intact, but it names another folder
        text = statrecord.encode(root.parent / "elsewhere", statrecord.read(store(), root))
        store().put_run(statrecord.record_name(root), text, "", statrecord.STATS)


@pytest.mark.parametrize("how", ["truncated", "flipped", "garbage", "not a list", "another tree"])
def test_a_damaged_record_is_ignored(repo: Path, cache_dir: Path, how: str) -> None:  # noqa: F811
    expected = lint(repo, "--no-cache")
    settle(repo)
    lint(repo)
    vouch_for_other_bytes(repo, cache_dir)
    _damage(cache_dir, how, repo)
    forget_runs(cache_dir)
    assert lint(repo) == expected  # every file read: no FORGED finding
    assert sorted(statrecord.read(store(), repo)) == catalog_files(repo)  # written anew


def test_no_cache_neither_reads_nor_keeps_the_record(repo: Path, cache_dir: Path) -> None:  # noqa: F811
    settle(repo)
    lint(repo)
    vouch_for_other_bytes(repo, cache_dir)
    assert FORGED not in messages(lint(repo, "--no-cache")[1], SERVICE)
    assert FORGED not in invoke(repo, "--no-cache", "lint", "--today", TODAY).stdout
    before = {p: p.read_bytes() for p in cache_dir.rglob("*") if p.is_file()}
    lint(repo, "--no-cache")
    assert {p: p.read_bytes() for p in cache_dir.rglob("*") if p.is_file()} == before


def test_a_file_changed_during_the_run_is_judged_as_it_is_now(
    repo: Path,  # noqa: F811
    cache_dir: Path,  # noqa: F811
) -> None:
    """A vouched file whose results are not cached is read when they are
    computed; if its bytes are no longer the vouched ones, the new bytes are
    judged, under their own id."""
    settle(repo)
    lint(repo)
    for shard in cache_dir.glob("v*/*" + cache.SUFFIX):
        shard.unlink()  # per-file results gone, the stat record kept
    source, own = WorkTree(repo), store()
    identified = cached.identify(source, own)
    at = next(i for i, (f, _) in enumerate(identified) if f.path == SERVICE)
    assert identified[at][0].raw is None  # vouched for, not read
    file = repo / SERVICE
    file.write_text(file.read_text("utf-8").replace("name: ", "name: Edited ", 1), "utf-8")
    loaded, _ = cached.check_source(source, None, 1, own, identified=identified)
    assert identified[at][1] == cached.object_id(file.read_bytes())
    [result] = [r for r in loaded if r.path == SERVICE]
    assert result.data is not None
    assert str(result.data["metadata"]["name"]).startswith("Edited")


def test_refusals_are_the_same_with_the_record(repo: Path, cache_dir: Path) -> None:  # noqa: F811
    services = repo / "catalog" / "services"
    (services / ".draft.yaml").write_text("kind: Service\n", encoding="utf-8")
    (services / "big.yaml").write_bytes(b"#" * (1024 * 1024 + 1))
    (services / "link.yaml").symlink_to(repo / SERVICE)
    settle(repo)
    expected = lint(repo, "--no-cache")
    assert lint(repo) == expected
    assert lint(repo) == expected
    record = statrecord.StatRecord(store(), repo)
    listed = [(f.path, f.refusal, f.rule) for f in WorkTree(repo).listing(record.vouch)]
    assert listed == [(f.path, f.refusal, f.rule) for f in WorkTree(repo).files()]
    # A recorded file replaced by a link to a file of the same bytes: refused.
    target = repo / SERVICE
    copy = repo.parent / "copy.yaml"
    copy.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(copy)
    forget_runs(cache_dir)
    found = lint(repo)
    assert any("symbolic link" in m for m in messages(found[1], SERVICE))
    assert found == lint(repo, "--no-cache")


def test_concurrent_runs_keep_one_whole_record(repo: Path, cache_dir: Path) -> None:  # noqa: F811
    expected = lint(repo, "--no-cache")
    settle(repo)
    assert concurrent_lints(repo, cache_dir) == [expected] * 4
    assert sorted(statrecord.read(store(), repo)) == catalog_files(repo)
    leftovers = [p for p in cache_dir.rglob("*") if p.name.startswith(".")]
    assert leftovers == []  # no temporary file, no marker left behind
    assert lint(repo) == expected


def test_a_run_that_saw_a_file_change_is_not_kept(repo: Path, cache_dir: Path) -> None:  # noqa: F811
    """A file edited between the listing and its reading: the run judges the
    new bytes, so its findings must not be kept under the listing's ids (a
    later run with the first bytes back would be answered with them)."""
    settle(repo)
    lint(repo)
    forget_runs(cache_dir)
    for shard in cache_dir.glob("v*/*" + cache.SUFFIX):
        shard.unlink()  # every file's result must be computed, from its bytes
    file = repo / SERVICE
    original = file.read_bytes()

    class EditedMeanwhile(WorkTree):  # a real tree; an editor saves while the run reads
        def reread(self, path: str) -> SourceFile:
            if path == SERVICE:
                file.write_bytes(original.replace(b"tier: 1", b"tier: 9"))
            return super().reread(path)

    schemas = SchemaRef.of(WorkTree(repo).schema_texts())
    today = dt.date.fromisoformat(TODAY)
    seen = engine.summary(EditedMeanwhile(repo), schemas, today, 1, None, store())
    assert any(d.file == SERVICE and "spec.tier" in d.message for d in seen.diagnostics)
    file.write_bytes(original)
    assert lint(repo) == lint(repo, "--no-cache")
