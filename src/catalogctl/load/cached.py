"""The per-file stage through the result cache: only new content is parsed.

A file's per-file results (its data, what loading found, its suppressions,
and what each set of schemas found) are a pure function of its path, its
bytes, the schemas and the tool's code. So they are stored under a key made
of the path and git's object id of the bytes (listed for a git ref, whose
files need not even be read when known; computed for the working tree, or
taken from the stat record when the file's stat is the one recorded with
it, under git's rules for racy files: `statrecord`), inside a folder per
tool build, with the schemas' fingerprint inside each entry. A file edited
between two runs has other bytes, hence another key.

The entry stores the document's data, not a built entity: the model is built
from it as from a freshly parsed file, so every kind `model.entities` knows,
today's and future ones, is cached without this module knowing them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from catalogctl import __version__
from catalogctl.load import cache, loader, statrecord, workers
from catalogctl.load.diagnostics import Diagnostic, Severity
from catalogctl.load.interning import TRIM_AFTER, release_freed_heap
from catalogctl.load.loader import LoadedFile, Suppression
from catalogctl.load.schemaref import SchemaRef
from catalogctl.load.sources import GitTree, Source, SourceFile, WorkTree

KEEP_FINGERPRINTS = 4  # schema sets whose findings one entry keeps
DECODE_SLICE = 2000  # cached entries decoded per json.loads call
_BUILD: list[str] = []


def tool_build() -> str:
    """The cache folder of this build of the tool: the version, and the size and
    time of every module of it and of the libraries that shape a result (an
    edited checkout is another build), and the Python version."""
    if _BUILD:
        return _BUILD[0]
    digest = hashlib.blake2b(digest_size=10)
    digest.update(f"{cache.FORMAT}|{__version__}|{platform.python_version()}".encode())
    package = Path(__file__).resolve().parent.parent
    for folder, dirs, names in sorted(os.walk(package)):
        dirs.sort()
        for name in sorted(n for n in names if n.endswith((".py", ".json"))):
            stat = os.stat(os.path.join(folder, name))
            digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}|".encode())
    for library in ("yaml", "jsonschema", "referencing"):
        spec = importlib.util.find_spec(library)
        origin = spec.origin if spec else None
        if origin:
            stat = os.stat(origin)
            digest.update(f"{origin}:{stat.st_size}:{stat.st_mtime_ns}|".encode())
    _BUILD.append(f"v1-{digest.hexdigest()}")
    return _BUILD[0]


def open_store(root: Path, enabled: bool = True) -> cache.Store:
    """The result cache of the catalog at `root`; a store that keeps nothing
    when `enabled` is false (`--no-cache`)."""
    return cache.Store(cache.locate(root) if enabled else None, tool_build())


def object_id(raw: bytes) -> str:
    """git's object id of a blob with these bytes (git hash-object)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def entry_key(path: str, oid: str, kind: str | None) -> str:
    text = f"{kind or ''}\0{path}\0{oid}"
    return hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def encode_diag(d: Diagnostic) -> list[Any]:
    severity = d.severity.value if d.severity else None
    return [d.file, d.line, d.column, d.rule, d.message, severity, d.entity, d.path]


def decode_diag(v: Any) -> Diagnostic:
    file, line, column, rule, message, severity, entity, path = v
    if not (isinstance(file, str) and isinstance(rule, str) and isinstance(message, str)):
        raise ValueError("diagnostic")
    if type(line) is not int or type(column) is not int:
        raise ValueError("diagnostic place")
    for optional in (entity, path):
        if optional is not None and not isinstance(optional, str):
            raise ValueError("diagnostic")
    return Diagnostic(
        file, line, column, rule, message, Severity(severity) if severity else None, entity, path
    )


def _decode_suppression(v: Any) -> Suppression:
    rules, reason, line = v
    if not (isinstance(rules, list) and all(isinstance(r, str) for r in rules)):
        raise ValueError("suppression")
    if not isinstance(reason, str) or type(line) is not int:
        raise ValueError("suppression")
    return Suppression(tuple(rules), reason, line)


def _meta(checked: workers.Checked, fingerprint: str | None, old: Any) -> str:
    found = dict(old) if isinstance(old, dict) else {}
    if fingerprint is not None:
        found.pop(fingerprint, None)
        found[fingerprint] = [encode_diag(d) for d in checked.schema]
    while len(found) > KEEP_FINGERPRINTS:
        found.pop(next(iter(found)))
    loaded = checked.loaded
    return json.dumps(
        [
            [encode_diag(d) for d in loaded.diagnostics],
            [[list(s.rules), s.reason, s.line] for s in loaded.suppressions],
            found,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _clean(fingerprint: str) -> str:
    """The meta text of a file with no finding and no suppression."""
    return f'[[],[],{{"{fingerprint}":[]}}]'


_BAD = object()  # an entry's data that is not JSON


def decode_all(texts: Sequence[str]) -> list[Any]:
    """JSON texts decoded in one call: faster, and the decoder then shares one
    copy of each key among all documents (a tenth of the memory of the keys).
    An undecodable text makes only its own item _BAD."""
    try:
        found = json.loads("[" + ",".join(texts) + "]")
        if isinstance(found, list) and len(found) == len(texts):
            return found
    except ValueError:
        pass
    out: list[Any] = []
    for text in texts:
        try:
            out.append(json.loads(text))
        except ValueError:
            out.append(_BAD)
    return out


def _decode(
    path: str, stored: tuple[str, str], fingerprint: str | None, data: Any = _BAD
) -> tuple[LoadedFile | None, Any]:
    """The cached result (None: not usable for these schemas) and the entry's
    schema findings, to keep when the entry is written again. Anything that
    does not decode as we wrote it is a miss: never a wrong answer. `data`:
    the entry's data when decoded already (decode_all)."""
    try:
        if data is _BAD:
            data = json.loads(stored[0])
        clean = (
            stored[1].startswith("[[],[],")  # loading found nothing, no suppression
            if fingerprint is None
            else stored[1] == _clean(fingerprint)  # nor did these schemas
        )
        if clean:  # most files: nothing else to decode
            return (LoadedFile(path, data, (), ()) if isinstance(data, dict) else None), None
        diagnostics, sups, found = json.loads(stored[1])
        if data is not None and not isinstance(data, dict):
            return None, None
        if not isinstance(found, dict):
            return None, None
        if fingerprint is not None and fingerprint not in found:
            return None, found
        every = [decode_diag(d) for d in diagnostics]
        if fingerprint is not None:
            every.extend(decode_diag(d) for d in found[fingerprint])
        suppressions = tuple(_decode_suppression(s) for s in sups)
    except (ValueError, TypeError, KeyError):
        return None, None
    if any(d.file != path for d in every):
        return None, None
    return LoadedFile(path, data, tuple(every), suppressions), found


def _store(
    store: cache.Store, key: str, checked: workers.Checked, fingerprint: str | None, old: Any
) -> None:
    data = checked.data_json
    if data is None:
        data = json.dumps(checked.loaded.data, ensure_ascii=False, separators=(",", ":"))
    store.put(key, data, _meta(checked, fingerprint, old))


Identified = list[tuple[SourceFile, str | None]]
Miss = tuple[int, SourceFile, str, Any]  # index in Identified, file, entry key, kept findings


def identify(source: Source, store: cache.Store) -> Identified:
    """Every catalog file of `source` with git's object id of its bytes (None
    for a file refused unread). When the cache is on, a git ref's files are
    listed, not read, and a working tree's files whose stat the stat record
    knows are not read either (load/statrecord.py)."""
    record = None
    if not store.enabled:
        files: Sequence[SourceFile] = source.files()
    elif isinstance(source, GitTree):
        files = source.listing()
    elif isinstance(source, WorkTree):
        record = statrecord.StatRecord(store, source.root)
        files = source.listing(record.vouch)
    else:
        files = source.files()
    found = [(f, f.oid or (object_id(f.raw) if f.raw is not None else None)) for f in files]
    if record is not None:
        record.save(found)
    return found


def _reread(
    source: WorkTree, misses: list[Miss], identified: Identified, results: dict[str, LoadedFile]
) -> list[Miss]:
    """The misses among files listed unread (the stat record vouched for
    them), read now. A file whose bytes are no longer the ones vouched for
    changed during this run: it is judged as it is now, under its new id,
    and `identified` says so (lint then does not keep the run)."""
    out: list[Miss] = []
    for index, f, key, found in misses:
        if f.raw is not None:
            out.append((index, f, key, found))
            continue
        now = source.reread(f.path)
        if now.raw is None:
            message = f"{f.path.rsplit('/', 1)[-1]} {now.refusal}"
            results[f.path] = loader.refused(f.path, message, now.rule)
            identified[index] = (now, None)
            continue
        oid = object_id(now.raw)
        if oid != identified[index][1]:
            identified[index] = (now, oid)
            key, found = entry_key(f.path, oid, None), None
        out.append((index, now, key, found))
    return out


def check_source(
    source: Source,
    schemas: SchemaRef | None,
    jobs: int,
    store: cache.Store,
    progress: workers.Progress | None = None,
    identified: Identified | None = None,
) -> tuple[list[LoadedFile], dict[str, bytes]]:
    """The per-file results of every catalog file of `source`, in path order,
    and the bytes of the files that had to be read (to locate findings).
    `identified`: what `identify` returned for it, when the caller has it."""
    if identified is None:
        identified = identify(source, store)
    paths = [f.path for f, _ in identified]
    fingerprint = schemas.fingerprint if schemas is not None else None
    results: dict[str, LoadedFile] = {}
    misses: list[Miss] = []
    known: list[tuple[int, str, tuple[str, str]]] = []
    for index, (f, oid) in enumerate(identified):
        if oid is None:
            message = f"{f.path.rsplit('/', 1)[-1]} {f.refusal}"
            results[f.path] = loader.refused(f.path, message, f.rule)
            continue
        key = entry_key(f.path, oid, None)
        stored = store.get(key)
        if stored is None:
            misses.append((index, f, key, None))
        else:
            known.append((index, key, stored))
    # In slices: the joined text of every entry at once would be a second copy
    # of the whole cache in memory.
    for start in range(0, len(known), DECODE_SLICE):
        chunk = known[start : start + DECODE_SLICE]
        datas = decode_all([stored[0] for _, _, stored in chunk])
        for (index, key, stored), data in zip(chunk, datas, strict=True):
            f, oid = identified[index]
            hit, found = _decode(f.path, stored, fingerprint, data)
            if hit is None:
                misses.append((index, f, key, found))
                continue
            results[f.path] = hit
            # Its bytes are not needed any more: a finding in it is located
            # by reading it again (and checking it is still these bytes).
            identified[index] = (SourceFile(f.path, None, f.refusal, f.rule, oid), oid)
        del chunk, datas
    known.clear()
    raw: dict[str, bytes] = {}
    if misses and isinstance(source, WorkTree):
        misses = _reread(source, misses, identified, results)
    if misses:
        _check_misses(source, schemas, jobs, store, progress, identified, misses, results, raw)
    return [results[path] for path in paths], raw


def _check_misses(
    source: Source,
    schemas: SchemaRef | None,
    jobs: int,
    store: cache.Store,
    progress: workers.Progress | None,
    identified: Identified,
    misses: list[Miss],
    results: dict[str, LoadedFile],
    raw: dict[str, bytes],
) -> None:
    """Parse and check the files the cache did not know, into `results`; the
    bytes a caller must keep to locate findings into `raw`.

    Memory is the point of the order: the files go by cache shard, so each
    shard is written as soon as its last file is back and its documents'
    JSON texts are let go of, rather than all of them waiting for the end;
    and each file's bytes are dropped once it is checked, unless it had a
    finding or is a git blob (reading one blob again starts a git process;
    a working-tree file is read again to locate a cross-file finding, as a
    cached file is, checked against the object id it was judged by)."""
    unread = [f for _, f, _, _ in misses if f.raw is None]
    blobs: dict[str, bytes] = {}
    if unread and isinstance(source, GitTree):
        read = source.blobs([f.oid for f in unread if f.oid is not None])
        blobs.update(zip((f.path for f in unread), read, strict=True))
    misses.sort(key=lambda miss: (cache.shard_of(miss[2]), miss[1].path))
    readable = [(f.path, f.raw if f.raw is not None else blobs[f.path]) for _, f, _, _ in misses]
    keep_all = isinstance(source, GitTree)
    if keep_all:
        raw.update(readable)
    del blobs
    if schemas is not None:
        schemas.checks()  # unusable schemas stop the run here (SchemaLoadError)
    fingerprint = schemas.fingerprint if schemas is not None else None
    checked = workers.check_parts_each(
        readable, schemas, jobs, progress, len(results), len(identified), store.enabled
    )
    shard = None
    for number, one in enumerate(checked):
        index, f, key, found = misses[number]
        if store.enabled:
            if shard is not None and shard != cache.shard_of(key):
                store.flush(shard)  # every file of that shard is back
            shard = cache.shard_of(key)
            _store(store, key, one, fingerprint, found)
        whole = one.whole()
        results[f.path] = whole
        oid = identified[index][1]
        if whole.diagnostics and not keep_all and f.raw is not None:
            raw[f.path] = f.raw
        rest = SourceFile(f.path, None, f.refusal, f.rule, oid)
        identified[index] = (rest, oid)
        misses[number] = (index, rest, key, None)  # the bytes are held nowhere now
    many = len(misses) >= TRIM_AFTER
    misses.clear()
    store.flush()
    if many:
        release_freed_heap()


def check_one(
    path: str, raw: bytes, schemas: SchemaRef | None, store: cache.Store, kind: str | None
) -> LoadedFile:
    """One file (the policy, whose schema `kind` names) through the cache."""
    fingerprint = schemas.fingerprint if schemas is not None else None
    key = entry_key(path, object_id(raw), kind)
    stored = store.get(key)
    hit, found = _decode(path, stored, fingerprint) if stored else (None, None)
    if hit is not None:
        return hit
    from catalogctl.load.filecheck import check_parts

    if schemas is not None:
        schemas.checks()  # unusable schemas stop the run, even for an empty file
    checked = workers.Checked(*check_parts(path, raw, schemas, kind))
    _store(store, key, checked, fingerprint, found)
    store.flush()
    return checked.whole()
