"""Where catalog files come from: the working tree, or a git tree at a ref.

Both produce the same `SourceFile` values, so everything downstream has one
code path. Neither ever follows a symlink or enters a submodule, and neither
reads a file over the size limit. Neither reads hidden files (a name starting
with a dot, or anything in a hidden folder) either, but both list them, as
`hidden-file` warnings: a pull request cannot hide a file from the reviewers
in `catalog/.drafts/`. An empty `.gitkeep`, the usual placeholder that keeps
an empty folder in git (`catalogctl init` writes them), is not listed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from catalogctl.load import kinds

# Git access lives in gitrepo; `SourceError`, `git` and `resolve_ref` are
# importable from here too, as they were before it.
from catalogctl.load.gitrepo import SourceError as SourceError
from catalogctl.load.gitrepo import git as git
from catalogctl.load.gitrepo import read_blobs, top_and_prefix
from catalogctl.load.gitrepo import resolve_ref as resolve_ref
from catalogctl.load.loader import MAX_FILE_BYTES

ROOTS = kinds.DATA_DIRS
SCHEMAS_DIR = "schemas"


@dataclass(frozen=True, slots=True)  # one per file: 50,000 in a large catalog
class SourceFile:
    path: str  # relative to the catalog root, '/' separated
    raw: bytes | None  # None when refused without reading
    refusal: str | None = None  # why it was not read
    rule: str = "file-invalid"  # the rule the refusal is reported under
    oid: str | None = None  # git's object id, when listed but not yet read (`GitTree.listing`)


# (path, its lstat) -> the object id of its bytes when known without reading
Vouch = Callable[[str, os.stat_result], str | None]


class Source(Protocol):
    label: str  # "working tree" or a commit SHA

    def files(self) -> list[SourceFile]:
        """Every catalog file under catalog/ and changes/, sorted by path."""
        ...

    def read(self, path: str) -> bytes | None:
        """One file by repo-relative path (policy, schemas); None when absent."""
        ...

    def schema_texts(self) -> dict[str, str]:
        """`schemas/*.schema.json` by file name; empty when the folder is absent."""
        ...


def _candidate(name: str) -> bool:
    return not name.startswith(".") and name.endswith((".yaml", ".yml"))


_SYMLINK = "is a symbolic link; catalog files must be real files (links are never followed)"
_TOO_BIG = "is {size:,} bytes, over the 1 MiB limit; split it or trim it"
HIDDEN_RULE = "hidden-file"
EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # git's id of no bytes
_HIDDEN_FILE = (
    "is a hidden file: it is never read as catalog data and is easily missed in review; "
    "remove the leading dot or delete it"
)
_HIDDEN_FOLDER = (
    "is in the hidden folder {folder}/: it is never read as catalog data and is easily "
    "missed in review; move it out or delete it"
)


def _hidden(path: str, empty: bool) -> SourceFile | None:
    """The warning for a path with a hidden part (None: an empty .gitkeep)."""
    parts = path.split("/")
    if parts[-1] == ".gitkeep" and empty:
        return None
    folder = next((p for p in parts[:-1] if p.startswith(".")), None)
    message = _HIDDEN_FILE if folder is None else _HIDDEN_FOLDER.format(folder=folder)
    return SourceFile(path, None, message, HIDDEN_RULE)


class WorkTree:
    """The catalog as it is on disk, uncommitted edits included."""

    label = "working tree"

    def __init__(self, root: Path) -> None:
        self.root = root

    def _walk(
        self,
        directory: Path,
        rel: str,
        out: list[SourceFile],
        hidden: bool = False,
        vouch: Vouch | None = None,
    ) -> None:
        """Every file below `directory`; `hidden`: it is (inside) a hidden folder,
        whose files are listed as hidden, not read. `vouch`: see `listing`."""
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            out.append(SourceFile(rel, None, f"cannot read folder: {error.strerror}"))
            return
        for entry in entries:
            path = f"{rel}/{entry.name}"
            if hidden or entry.name.startswith("."):
                if entry.is_dir(follow_symlinks=False):
                    self._walk(Path(entry.path), path, out, hidden=True)
                    continue
                regular = entry.is_file(follow_symlinks=False)
                empty = regular and entry.stat(follow_symlinks=False).st_size == 0
                warning = _hidden(path, empty)
                if warning is not None:
                    out.append(warning)
                continue
            if entry.is_symlink():
                out.append(SourceFile(path, None, _SYMLINK))
            elif entry.is_dir(follow_symlinks=False):
                self._walk(Path(entry.path), path, out, vouch=vouch)
            elif _candidate(entry.name) and entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                if st.st_size > MAX_FILE_BYTES:
                    out.append(SourceFile(path, None, _TOO_BIG.format(size=st.st_size)))
                    continue
                oid = vouch(path, st) if vouch is not None else None
                if oid is not None:  # known by its stat: not read
                    out.append(SourceFile(path, None, oid=oid))
                    continue
                try:
                    with open(entry.path, "rb") as handle:
                        out.append(SourceFile(path, handle.read()))
                except OSError as error:
                    out.append(SourceFile(path, None, f"cannot read: {error.strerror}"))

    def files(self) -> list[SourceFile]:
        return self.listing(None)

    def listing(self, vouch: Vouch | None) -> list[SourceFile]:
        """files(), except that a file `vouch` knows by its stat (it returns
        the object id of its bytes) is listed with that id and not read. It
        is asked only about files the walk would read: every refusal stays."""
        out: list[SourceFile] = []
        for top in ROOTS:
            directory = self.root / top
            if directory.is_symlink():
                out.append(SourceFile(top, None, _SYMLINK))
            elif directory.is_dir():
                self._walk(directory, top, out, vouch=vouch)
        return out

    def reread(self, path: str) -> SourceFile:
        """A file `listing` did not read, read now (never through a link),
        or refused as the walk would refuse what is there now."""
        target = self.root / path
        try:
            st = target.lstat()
            if stat.S_ISLNK(st.st_mode):
                return SourceFile(path, None, _SYMLINK)
            if not stat.S_ISREG(st.st_mode):
                return SourceFile(path, None, "cannot read: not a regular file")
            if st.st_size > MAX_FILE_BYTES:
                return SourceFile(path, None, _TOO_BIG.format(size=st.st_size))
            fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            return SourceFile(path, None, f"cannot read: {error.strerror}")
        if len(raw) > MAX_FILE_BYTES:
            return SourceFile(path, None, _TOO_BIG.format(size=len(raw)))
        return SourceFile(path, raw)

    def read(self, path: str) -> bytes | None:
        target = self.root / path
        try:
            mode = target.lstat().st_mode
        except OSError:
            return None
        if not stat.S_ISREG(mode):
            return None
        return target.read_bytes()

    def schema_texts(self) -> dict[str, str]:
        directory = self.root / SCHEMAS_DIR
        if not directory.is_dir() or directory.is_symlink():
            return {}
        return {
            p.name: p.read_text(encoding="utf-8")
            for p in sorted(directory.glob("*.schema.json"))
            if p.is_file() and not p.is_symlink()
        }


class GitTree:
    """The catalog as committed at one commit, read from git objects (no checkout)."""

    def __init__(self, root: Path, ref: str, known: tuple[Path, str, str] | None = None) -> None:
        """`known`: (top, prefix, sha) when the caller has already resolved them."""
        self.root = root
        self._entries: dict[str, tuple[str, str, int]] | None = None
        if known is not None:
            self.top, self.prefix, self.sha = known
            self.label = self.sha
            return
        self.top, self.prefix = top_and_prefix(root)
        self.sha = resolve_ref(root, ref)
        self.label = self.sha

    def _list(self) -> dict[str, tuple[str, str, int]]:
        """path -> (mode, object id, size) for the catalog's paths at this commit."""
        if self._entries is None:
            specs = [self.prefix + p for p in (*ROOTS, kinds.POLICY_FILE, SCHEMAS_DIR)]
            out = git(self.top, "ls-tree", "-r", "-z", "-l", "--full-tree", self.sha, "--", *specs)
            entries: dict[str, tuple[str, str, int]] = {}
            for record in out.split(b"\0"):
                if not record:
                    continue
                meta, _, name = record.partition(b"\t")
                mode, _kind, oid, size = meta.split()
                path = name.decode("utf-8", "replace")[len(self.prefix) :]
                entries[path] = (mode.decode(), oid.decode(), int(size) if size != b"-" else 0)
            self._entries = entries
        return self._entries

    def _blobs(self, oids: list[str]) -> list[bytes]:
        return read_blobs(self.top, oids)

    def files(self) -> list[SourceFile]:
        listed = self.listing()
        blobs = iter(self.blobs([f.oid for f in listed if f.oid is not None]))
        return [SourceFile(f.path, next(blobs)) if f.oid is not None else f for f in listed]

    def blobs(self, oids: list[str]) -> list[bytes]:
        """The contents of objects `listing` named, in order."""
        return self._blobs(oids)

    def listing(self) -> list[SourceFile]:
        """files() without reading: the files to read carry their object id
        instead of their bytes, so a reader that knows an object already (the
        result cache) need not read it again."""
        out: list[SourceFile] = []
        for path, (mode, oid, size) in sorted(self._list().items()):
            if not path.startswith(tuple(r + "/" for r in ROOTS)):
                continue
            name = path.rsplit("/", 1)[-1]
            if any(part.startswith(".") for part in path.split("/")):
                warning = _hidden(path, mode in ("100644", "100755") and size == 0)
                if warning is not None:
                    out.append(warning)
                continue
            if mode == "160000":
                out.append(SourceFile(path, None, "is a git submodule; submodules are never read"))
            elif mode == "120000":
                out.append(SourceFile(path, None, _SYMLINK))
            elif _candidate(name):
                if size > MAX_FILE_BYTES:
                    out.append(SourceFile(path, None, _TOO_BIG.format(size=size)))
                else:
                    out.append(SourceFile(path, None, oid=oid))
        out.sort(key=lambda f: f.path)
        return out

    def quick_pairs(self) -> list[tuple[str, str | None]]:
        """(path, object id) of what `listing` lists (None for a file it
        refuses unread), without asking git for sizes, which costs a read of
        every object: a file refused only for its size is listed with its
        id, so a key made of these pairs may miss, never match wrongly."""
        specs = [self.prefix + p for p in ROOTS]
        out = git(self.top, "ls-tree", "-r", "-z", "--full-tree", self.sha, "--", *specs)
        pairs: list[tuple[str, str | None]] = []
        roots = tuple(r + "/" for r in ROOTS)
        for record in out.decode("utf-8", "replace").split("\0"):
            meta, _, name = record.partition("\t")
            if not name:
                continue
            mode, _kind, oid = meta.split()
            path = name[len(self.prefix) :]
            if not path.startswith(roots):
                continue
            if "/." in "/" + path:  # a hidden part
                if not (path.endswith("/.gitkeep") and oid == EMPTY_BLOB):
                    pairs.append((path, None))  # refused: hidden
            elif mode in ("160000", "120000"):
                pairs.append((path, None))  # refused: a submodule, a link
            elif _candidate(path.rsplit("/", 1)[-1]):
                pairs.append((path, oid))
        return sorted(pairs)

    def read(self, path: str) -> bytes | None:
        if self._entries is not None:
            entry = self._entries.get(path)
            mode, oid = (entry[0], entry[1]) if entry else ("", "")
        else:  # one path: do not list (and stat) the whole catalog for it
            out = git(self.top, "ls-tree", "-z", self.sha, "--", self.prefix + path)
            meta = out.split(b"\t", 1)[0].split()
            mode, oid = (meta[0].decode(), meta[2].decode()) if len(meta) == 3 else ("", "")
        if mode not in ("100644", "100755"):
            return None
        return self._blobs([oid])[0]

    def schema_texts(self) -> dict[str, str]:
        found = {
            path.rsplit("/", 1)[-1]: oid
            for path, (mode, oid, _) in self._list().items()
            if path.startswith(SCHEMAS_DIR + "/")
            and path.endswith(".schema.json")
            and path.count("/") == 1
            and mode in ("100644", "100755")
        }
        names = sorted(found)
        blobs = self._blobs([found[n] for n in names])
        return {n: b.decode("utf-8", "replace") for n, b in zip(names, blobs, strict=True)}
