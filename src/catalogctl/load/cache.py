"""The result cache on disk: per-file results by content, in checksummed shards.

Entries are keyed by what decides a file's result (its path and content, see
`cached`), inside a folder per tool build (`tool_key`): results a different
version of the code produced are never read. An entry is an opaque pair of
JSON texts; this module only stores, finds, bounds and protects them.

On disk: `<dir>/<tool key>/<shard>.cache`, 64 shards chosen by the entry key.
Each shard starts with a header line holding a checksum of the rest, so a
torn, truncated or edited shard is recognised and read as empty (the run
then computes the results again and writes the shard anew): a corrupt cache
costs time, never a wrong answer. A shard is replaced in one rename: readers
see the old shard or the new one. Two runs writing the same shard each merge
what is on disk first; the later rename wins and at worst drops entries the
other added, which the next run computes again.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from catalogctl.load.errors import UsageError
from catalogctl.load.output import replace_file

FORMAT = "catalogctl-cache 1"
SHARDS = 64
SUFFIX = ".cache"
HEADER_BYTES = len(f"{FORMAT} {'0' * 32}\n")  # the format and a 16-byte checksum in hex
DEFAULT_MAX_BYTES = 512 << 20  # the whole cache; each shard gets its share
KEEP_BUILDS = 3  # tool builds whose folders survive a write by another build
KEEP_RUNS = 8  # whole-run results kept per build (`get_run`)
RUNS = "runs"
GRAPHS = "graphs"  # reference indexes of whole trees (model/refstore.py)
KEEP_GRAPHS = 4  # a base and a head, for two pull requests
CACHE_ENV = "CATALOGCTL_CACHE_DIR"
# Only folders named like a build are ever removed: the cache folder may be one
# a user named (CATALOGCTL_CACHE_DIR), holding other things.
BUILD_NAME = re.compile(r"v[0-9]+-[0-9a-f]{20}\Z")


# `catalogctl --no-cache` turns the cache off for one invocation (the cli sets
# this on every run, so one run's choice never outlives it); the environment
# variable turns it off for a whole CI job.
NO_CACHE_ENV = "CATALOGCTL_NO_CACHE"
_switch = {"enabled": True}


def configure(enabled: bool) -> None:
    _switch["enabled"] = enabled


def enabled() -> bool:
    return _switch["enabled"] and os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def _checksum(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


@dataclass
class _Entry:
    stamp: int  # last run that wrote or refreshed it (seconds), for eviction
    data: str  # JSON text
    meta: str  # JSON text
    size: int


def _parse(raw: bytes) -> dict[str, _Entry] | None:
    """A shard's entries, or None when it is not one intact shard of ours."""
    header, sep, body = raw.partition(b"\n")
    if not sep or header.decode("ascii", "replace") != f"{FORMAT} {_checksum(body)}":
        return None
    entries: dict[str, _Entry] = {}
    try:
        for line in body.decode("utf-8").split("\n"):
            if not line:
                continue
            key, stamp, data, meta = line.split("\t")
            entries[key] = _Entry(int(stamp), data, meta, len(line) + 1)
    except ValueError:  # a wrong field count, a bad stamp, bad UTF-8
        return None
    return entries


def _serialise(entries: Iterable[tuple[str, _Entry]]) -> bytes:
    body = "".join(f"{k}\t{e.stamp}\t{e.data}\t{e.meta}\n" for k, e in entries).encode()
    return f"{FORMAT} {_checksum(body)}\n".encode() + body


def _encoded(pieces: Iterable[str], size: int = 1 << 20) -> Iterable[bytes]:
    """The UTF-8 bytes of the pieces' concatenation, about a megabyte at a
    time: small pieces are joined first (an index has hundreds of thousands,
    and a call per piece cost more than the encoding), long ones are cut."""
    batch: list[str] = []
    held = 0
    for piece in pieces:
        if len(piece) >= size:
            if batch:
                yield "".join(batch).encode()
                batch, held = [], 0
            for start in range(0, len(piece), size):
                yield piece[start : start + size].encode()
            continue
        batch.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(batch).encode()
            batch, held = [], 0
    if batch:
        yield "".join(batch).encode()


def shard_of(key: str) -> str:
    return f"{int(key[:2], 16) % SHARDS:02x}"


class Store:
    """The entries of one tool build under `directory`; None: caching is off."""

    def __init__(self, directory: Path | None, build: str, max_bytes: int = DEFAULT_MAX_BYTES):
        self.root = directory
        self.folder = directory / build if directory is not None else None
        self.shard_bytes = max(1, max_bytes // SHARDS)
        self._shards: dict[str, dict[str, _Entry]] = {}
        self._new: dict[str, dict[str, _Entry]] = {}
        self._used: set[str] = set()
        self.hits = 0
        self.corrupt: list[str] = []  # shards read as empty because they were damaged

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _shard(self, name: str) -> dict[str, _Entry]:
        if name not in self._shards:
            self._shards[name] = self._read(name)
        return self._shards[name]

    def _read(self, name: str) -> dict[str, _Entry]:
        if self.folder is None:
            return {}
        try:
            raw = (self.folder / (name + SUFFIX)).read_bytes()
        except OSError:  # absent, or unreadable: either way nothing cached
            return {}
        entries = _parse(raw)
        if entries is None:
            self.corrupt.append(name)
            self._new.setdefault(name, {})  # rewrite it even if nothing new comes
            return {}
        return entries

    def get(self, key: str) -> tuple[str, str] | None:
        """(data, meta) stored under `key`. Handed over, not kept: a run reads
        each entry once, and keeping every text beside its decoded data
        would double the memory (flush re-reads shards from disk anyway)."""
        if self.folder is None:
            return None
        name = shard_of(key)
        entry = self._new.get(name, {}).get(key) or self._shard(name).pop(key, None)
        if entry is None:
            return None
        self._used.add(key)
        self.hits += 1
        return entry.data, entry.meta

    def put(self, key: str, data: str, meta: str) -> None:
        if self.folder is None:
            return
        size = len(key) + len(data) + len(meta) + 16
        self._new.setdefault(shard_of(key), {})[key] = _Entry(int(time.time()), data, meta, size)
        self._used.add(key)

    def get_run(self, key: str, kind: str = RUNS) -> tuple[str, str] | None:
        """A whole run's result (or a whole tree's index: `kind` GRAPHS),
        stored under `key` by `put_run`."""
        if self.folder is None:
            return None
        entries = _parse(_read_bytes(self.folder / kind / (key + SUFFIX)))
        entry = entries.get(key) if entries else None
        return (entry.data, entry.meta) if entry else None

    def newest_run(self, kind: str = RUNS) -> tuple[str, str] | None:
        """(key, data) of the result `put_run` wrote last under `kind`."""
        if self.folder is None:
            return None
        try:
            runs = [(p.stat().st_mtime_ns, p) for p in (self.folder / kind).glob("*" + SUFFIX)]
        except OSError:
            return None
        for _, path in sorted(runs, reverse=True)[:1]:
            key = path.name.removesuffix(SUFFIX)
            found = self.get_run(key, kind)
            if found is not None:
                return key, found[0]
        return None

    def has_run(self, key: str, kind: str = RUNS) -> bool:
        return self.folder is not None and (self.folder / kind / (key + SUFFIX)).is_file()

    def put_run(self, key: str, data: str | Iterable[str], meta: str, kind: str = RUNS) -> None:
        """Keep a whole run's result (the newest KEEP_RUNS of them; of tree
        indexes, `kind` GRAPHS, the newest KEEP_GRAPHS). `data` may come in
        pieces, even made as they are written, stored as their
        concatenation: a tree's index is tens of megabytes, and neither it
        nor the file is ever held whole. The checksum is made as the pieces
        stream and written into the head last."""
        if self.folder is None:
            return
        folder = self.folder / kind
        pieces = [data] if isinstance(data, str) else data
        line = chain((f"{key}\t{int(time.time())}\t",), pieces, (f"\t{meta}\n",))
        digest = hashlib.blake2b(digest_size=16)

        def body() -> Iterator[bytes]:
            for chunk in _encoded(line):
                digest.update(chunk)
                yield chunk

        def header() -> bytes:
            return f"{FORMAT} {digest.hexdigest()}\n".encode()

        try:
            folder.mkdir(parents=True, exist_ok=True)
            replace_file(
                folder / (key + SUFFIX), body(), durable=False, head=(HEADER_BYTES, header)
            )
            runs = sorted(folder.glob("*" + SUFFIX), key=lambda p: p.stat().st_mtime)
            for stale in runs[: -(KEEP_GRAPHS if kind == GRAPHS else KEEP_RUNS)]:
                stale.unlink(missing_ok=True)
        except (OSError, UsageError):
            pass

    def flush(self, shard: str | None = None) -> None:
        """Write the shards that gained entries (merged with what other runs
        wrote meanwhile); only `shard` when named (a run that has all of a
        shard's new entries writes it at once, not holding them to the end).
        A cache that cannot be written is no error: the results are right
        without it, the next run is only slower."""
        if self.folder is None or not self._new:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, added in sorted(self._new.items()):
                if shard is not None and name != shard:
                    continue
                current = _parse(_read_bytes(self.folder / (name + SUFFIX))) or {}
                current.update(added)
                replace_file(self.folder / (name + SUFFIX), self._bounded(current), durable=False)
                del self._new[name]
            if shard is None:
                self._drop_old_builds()
        except (OSError, UsageError):  # UsageError: a folder where a shard belongs
            pass

    def _bounded(self, entries: dict[str, _Entry]) -> bytes:
        """The shard, trimmed to its share of the size limit: entries this run
        used first, then the most recently written."""
        order = sorted(entries.items(), key=lambda kv: (kv[0] in self._used, kv[1].stamp))
        total = sum(e.size for e in entries.values())
        while order and total > self.shard_bytes:
            total -= order.pop(0)[1].size
        return _serialise(sorted(order))

    def _drop_old_builds(self) -> None:
        """Builds of the tool that are no longer run would fill the disk."""
        assert self.root is not None and self.folder is not None
        others = [p for p in _builds(self.root) if p != self.folder]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[KEEP_BUILDS - 1 :]:
            shutil.rmtree(stale, ignore_errors=True)


def _builds(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if BUILD_NAME.match(p.name) and p.is_dir())


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


@dataclass(frozen=True)
class Usage:
    """What `catalogctl cache info` reports."""

    directory: Path
    builds: int
    entries: int
    bytes: int
    corrupt_shards: int


def usage(directory: Path) -> Usage:
    builds = entries = size = corrupt = 0
    for build in _builds(directory):
        builds += 1
        for shard in build.glob("*" + SUFFIX):
            raw = _read_bytes(shard)
            size += len(raw)
            parsed = _parse(raw)
            if parsed is None:
                corrupt += 1
            else:
                entries += len(parsed)
    return Usage(directory, builds, entries, size, corrupt)


def clear(directory: Path) -> int:
    """Remove every cached result under `directory`; the bytes freed."""
    freed = usage(directory).bytes
    for build in _builds(directory):
        shutil.rmtree(build, ignore_errors=True)
    return freed


def locate(root: Path) -> Path | None:
    """Where the cache of the catalog at `root` lives: `.git/catalogctl/cache`
    of its repository (shared by its worktrees), else the user's cache folder
    (None when there is none: then nothing is cached)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    git_dir = _git_dir(root)
    if git_dir is not None:
        return git_dir / "catalogctl" / "cache"
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no HOME and no user entry: nowhere to keep it
            return None
    return Path(base) / "catalogctl"


def _git_dir(root: Path) -> Path | None:
    """The repository's (common) git folder, found without running git."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                return None
            if not text.startswith("gitdir:"):
                return None
            git_dir = (folder / text.removeprefix("gitdir:").strip()).resolve()
            common = git_dir / "commondir"
            if common.is_file():
                try:
                    return (git_dir / common.read_text(encoding="utf-8").strip()).resolve()
                except (OSError, UnicodeDecodeError):
                    return git_dir
            return git_dir
    return None
