"""Which files of a working tree need no reading: the stat record (docs/cache.md).

A warm run used to read and hash every catalog file to learn its object id.
Like git's index, the result cache now keeps, per working tree, each file's
stat (size, modification and change time, inode, device, mode) with the
object id its bytes had; a file whose stat is the same on the next run is
not read. Anything the record cannot vouch for is read as before: a new
file, another stat, a file of another device, a damaged record, another
build of the tool (the record lives in the build's folder), `--no-cache`.

Racy files, as git calls them: a file changed again within the same tick of
the file system's clock as the stat that was recorded keeps that stat. So a
run first takes the file system's "now" (the time stamp of a marker file it
creates in the cache folder, on the catalog's device) before it looks at
any file, and records only files whose modification and change times are
both strictly older than that moment: any later write to such a file gives
it a newer time, hence another stat. A file too recent to tell is left out
and read again by the next run, which records it then. Where a time stamp
has whole seconds only, the comparison is by whole seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from catalogctl.load import cache
from catalogctl.load.sources import SourceFile

STATS = "stats"  # the records' folder in a build's folder of the cache
SECOND = 1_000_000_000


StatKey = tuple[int, int, int, int, int, int]
Entries = dict[str, tuple[StatKey, str]]  # path -> (its stat key, object id)
FIELDS = 8  # per entry in the record: path, object id, the six numbers


def stat_key(st: os.stat_result) -> StatKey:
    """What must be the same for the recorded object id to still hold."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)


def older(stamp: int, moment: int) -> bool:
    """`stamp` is strictly before `moment` at the coarser of their
    resolutions: a whole-second stamp cannot tell the half-seconds apart."""
    if stamp % SECOND == 0 or moment % SECOND == 0:
        return stamp // SECOND < moment // SECOND
    return stamp < moment


def record_name(root: Path) -> str:
    """The record's key: the working tree's folder (worktrees share a cache)."""
    text = str(root.resolve())
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def encode(root: Path, entries: Entries) -> str:
    """One flat JSON list (decoded in C, numbers and all): the folder, then
    FIELDS items per file."""
    flat: list[str | int] = [str(root.resolve())]
    for path, (key, oid) in sorted(entries.items()):
        flat += (path, oid, *key)
    return json.dumps(flat, ensure_ascii=True, separators=(",", ":"))


def decode(text: str, root: Path) -> Entries:
    """The entries of a record of `root`; empty for anything else."""
    try:
        flat: Any = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(flat, list) or len(flat) % FIELDS != 1 or flat[0] != str(root.resolve()):
        return {}
    paths, oids = flat[1::FIELDS], flat[2::FIELDS]
    if not all(type(p) is str for p in paths) or not all(type(o) is str for o in oids):
        return {}
    # A number that is not an int can never equal a stat's: such an entry
    # vouches for nothing, no check needed.
    keys = zip(*(flat[n::FIELDS] for n in range(3, FIELDS + 1)), strict=True)
    return dict(zip(paths, zip(keys, oids, strict=True), strict=True))


def read(store: cache.Store, root: Path) -> Entries:
    """path -> (stat key, object id) as last recorded for the tree at `root`."""
    stored = store.get_run(record_name(root), STATS)
    return decode(stored[0], root) if stored else {}


def write(store: cache.Store, root: Path, entries: Entries) -> None:
    store.put_run(record_name(root), encode(root, entries), "", STATS)


class StatRecord:
    """One run's use of the record of the working tree at `root`: `vouch`
    during the walk, `save` once every file has its object id."""

    def __init__(self, store: cache.Store, root: Path) -> None:
        self.store = store
        self.root = root
        self.old = read(store, root)
        self.seen: dict[str, tuple[os.stat_result, StatKey]] = {}  # path -> its stat, key
        self.vouched = 0  # files taken from the record unread (tests, benchmarks)
        self.moment = _now(store)

    def vouch(self, path: str, st: os.stat_result) -> str | None:
        """The object id of `path`'s bytes if the record vouches for this
        stat of it; None: read it."""
        key = stat_key(st)
        self.seen[path] = st, key
        entry = self.old.get(path)
        if entry is None or entry[0] != key:
            return None
        self.vouched += 1
        return entry[1]

    def _trustworthy(self, st: os.stat_result) -> bool:
        if self.moment is None:
            return False
        moment, device = self.moment
        changed = max(st.st_mtime_ns, st.st_ctime_ns)
        return st.st_dev == device and older(changed, moment)

    def save(self, identified: Sequence[tuple[SourceFile, str | None]]) -> None:
        """Record every file read this run that is old enough to be vouched
        for next time (vouched files stay as they were); written only when
        that changes the record."""
        if self.vouched == len(self.seen) == len(self.old):
            return  # every file vouched for, none gone: the record stands
        entries: Entries = {}
        for f, oid in identified:
            seen = self.seen.get(f.path)
            if oid is None or seen is None:
                continue
            st, key = seen
            entry = self.old.get(f.path)
            if entry is not None and entry == (key, oid):
                entries[f.path] = entry
            elif self._trustworthy(st):
                entries[f.path] = (key, oid)
        if entries != self.old and self.moment is not None:
            write(self.store, self.root, entries)
            self.old = entries


def _now(store: cache.Store) -> tuple[int, int] | None:
    """The file system's time now and its device, from a marker file created
    (and removed) in the cache folder; None when there is nowhere to create
    one: then nothing new is recorded."""
    if store.folder is None:
        return None
    folder = store.folder / STATS
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".now.", dir=folder)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
        Path(name).unlink(missing_ok=True)
    return max(st.st_mtime_ns, st.st_ctime_ns), st.st_dev
