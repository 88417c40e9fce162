"""The two sides of a diff, read from git at the cost of the changed files only.

`git diff-tree` (two commits) or `git diff-index` plus the untracked files
(commit against the working tree) name the paths whose blobs differ; only
those are read (one `git cat-file --batch`, or the disk) and parsed, none
over the size limit: a blob's size comes from its object header, before its
content. Nothing is ever checked out, and every user-supplied ref is resolved
to a SHA first. git runs through GitPython (`gitrepo`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalogctl.load import kinds, loader
from catalogctl.load.gitrepo import SourceError, git, resolve_ref, stream_blobs, top_and_prefix
from catalogctl.load.loader import MAX_FILE_BYTES

DEFAULT_BRANCHES = ("main", "origin/main", "master")
_DATA_DIRS = tuple(folder + "/" for folder in kinds.DATA_DIRS)
_ZERO = "0" * 40
_NULL = _ZERO.encode()
_REGULAR = ("100644", "100755")
_OVER_LIMIT = "over the 1 MiB limit; not read"


@dataclass(frozen=True)
class Problem:
    """A file that could not be read on one side; reported, never fatal."""

    file: str
    side: str  # "base" | "head"
    message: str


@dataclass(frozen=True)
class Side:
    """The documents of one side that matter for the diff, by file."""

    documents: Mapping[str, Mapping[str, Any]]  # file -> parsed document
    unreadable: frozenset[str] = frozenset()  # files that exist but did not parse
    # file -> its suppression comments, 'rule-a,rule-b -- reason'
    suppressions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class DiffInput:
    base: str  # commit SHA
    head: str | None  # commit SHA, or None for the working tree
    top: Path  # the git work tree's top folder
    prefix: str  # the catalog's folder inside it ('' or 'sub/dir/')
    base_side: Side
    head_side: Side
    problems: tuple[Problem, ...]
    # every other changed path (schemas, site, workflows, hidden files, code):
    # not catalog data, but owned all the same (the policy's `paths:`)
    other_files: tuple[str, ...]


@dataclass(frozen=True)
class _Entry:
    path: str
    old_mode: str
    old_oid: str
    new_mode: str
    new_oid: str
    status: str


def default_base(root: Path, head: str) -> str:
    """The merge-base of `head` with the default branch (main, origin/main, master)."""
    for branch in DEFAULT_BRANCHES:
        try:
            branch_sha = resolve_ref(root, branch)
        except SourceError:
            continue
        try:
            return git(root, "merge-base", branch_sha, head).decode().strip()
        except SourceError:
            raise SourceError(
                f"{branch} and the head have no common history; name BASE explicitly"
            ) from None
    raise SourceError(
        "no default branch to compare with (tried main, origin/main, master); name BASE"
    )


def _records(output: bytes, prefix: str) -> list[_Entry]:
    """Parse `-z` raw diff output: ':om nm oo no S\\0path\\0' records.

    Paths inside the catalog's folder are relative to it; a path outside it
    (the catalog lives in a sub-folder) keeps its place from the top of the
    repository behind a leading '/', so nothing a pull request touches is lost."""
    parts = output.split(b"\0")
    entries = []
    for meta, name in zip(parts[0::2], parts[1::2], strict=False):
        if not meta.startswith(b":"):
            continue
        old_mode, new_mode, old_oid, new_oid, status = meta[1:].decode().split()
        path = name.decode("utf-8", "replace")
        path = path[len(prefix) :] if path.startswith(prefix) else "/" + path
        entries.append(_Entry(path, old_mode, old_oid, new_mode, new_oid, status[:1]))
    return entries


def _document(path: str) -> bool:
    """Whether a changed path is read as catalog data (or the policy)."""
    if path == kinds.POLICY_FILE:
        return True
    return (
        path.endswith(".yaml")
        and path.startswith(_DATA_DIRS)
        and not any(part.startswith(".") for part in path.split("/"))
    )


def _disk(root: Path, path: str) -> tuple[bytes | None, str | None]:
    """A working-tree file, refused as the loader would (links, size)."""
    target = root / path
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None, None
    if stat.S_ISLNK(info.st_mode):
        return None, "is a symbolic link; links are never followed"
    if not stat.S_ISREG(info.st_mode):
        return None, "is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return None, f"is {info.st_size:,} bytes, over the 1 MiB limit"
    return target.read_bytes(), None


def _parse(
    path: str, raw: bytes, side: str, problems: list[Problem]
) -> tuple[Any, tuple[str, ...]]:
    """The document's data and its suppression comments ('rule,rule -- reason')."""
    loaded, _ = loader.load(path, raw)
    for diagnostic in loaded.diagnostics:
        if diagnostic.rule != "invalid-suppression":
            problems.append(
                Problem(
                    path,
                    side,
                    f"{diagnostic.line}:{diagnostic.column}: "
                    f"{diagnostic.message} [{diagnostic.rule}]",
                )
            )
            break
    suppressed = tuple(f"{','.join(s.rules)} -- {s.reason}" for s in loaded.suppressions)
    return loaded.data, suppressed


def read_sides(root: Path, base: str | None, head: str | None) -> DiffInput:
    """Resolve refs, list changed paths, read and parse the changed files only."""
    top, prefix = top_and_prefix(root)
    head_sha = resolve_ref(root, head) if head is not None else None
    base_sha = (
        resolve_ref(root, base)
        if base is not None
        else default_base(root, head_sha or resolve_ref(root, "HEAD"))
    )
    # Every changed path of the repository: a pull request owns every byte it
    # touches, so files outside the catalog's data are listed too.
    if head_sha is not None:
        out = git(top, "diff-tree", "-r", "-z", "--no-renames", base_sha, head_sha)
        entries = _records(out, prefix)
    else:
        out = git(top, "diff-index", "-z", "--no-renames", base_sha)
        entries = _records(out, prefix)
        untracked = git(top, "ls-files", "-z", "--others", "--exclude-standard")
        added = b"".join(
            b":000000 100644 %s %s A\0%s\0" % (_NULL, _NULL, name)
            for name in untracked.split(b"\0")
            if name
        )
        entries += _records(added, prefix)
    other = [e.path for e in entries if not _document(e.path)]
    entries = [e for e in entries if _document(e.path)]
    problems: list[Problem] = []
    oids = sorted(
        {e.old_oid for e in entries if e.old_mode in _REGULAR}
        | {e.new_oid for e in entries if e.new_mode in _REGULAR and e.new_oid != _ZERO}
    )
    wanted: dict[str, bytes | None] = {}  # None: over the size limit, not read
    for oid, size, blob in stream_blobs(top, oids, MAX_FILE_BYTES):
        if size is None:
            raise SourceError(f"git object {oid} is missing from the repository")
        wanted[oid] = blob
    base_docs: dict[str, Any] = {}
    head_docs: dict[str, Any] = {}
    unreadable: dict[str, set[str]] = {"base": set(), "head": set()}
    suppressions: dict[str, dict[str, tuple[str, ...]]] = {"base": {}, "head": {}}
    for entry in sorted(entries, key=lambda e: e.path):
        for side, mode, oid, docs in (
            ("base", entry.old_mode, entry.old_oid, base_docs),
            ("head", entry.new_mode, entry.new_oid, head_docs),
        ):
            if mode == "000000" and not (side == "head" and head_sha is None):
                continue  # absent on this side
            if side == "head" and head_sha is None and oid == _ZERO:
                raw, refusal = _disk(root, entry.path)
            elif mode in _REGULAR:
                raw = wanted[oid]
                refusal = None if raw is not None else _OVER_LIMIT
            else:
                raw, refusal = (
                    None,
                    (
                        "is a symbolic link or submodule; never read"
                        if mode in ("120000", "160000")
                        else None
                    ),
                )
            if refusal:
                problems.append(Problem(entry.path, side, refusal))
                unreadable[side].add(entry.path)
            if raw is None:
                continue
            if len(raw) > MAX_FILE_BYTES:
                problems.append(Problem(entry.path, side, _OVER_LIMIT))
                unreadable[side].add(entry.path)
                continue
            data, suppressed = _parse(entry.path, raw, side, problems)
            if isinstance(data, dict):
                docs[entry.path] = data
                suppressions[side][entry.path] = suppressed
            else:
                unreadable[side].add(entry.path)
    base_side = Side(base_docs, frozenset(unreadable["base"]), suppressions["base"])
    head_side = Side(head_docs, frozenset(unreadable["head"]), suppressions["head"])
    return DiffInput(
        base_sha, head_sha, top, prefix, base_side, head_side, tuple(problems), tuple(sorted(other))
    )
