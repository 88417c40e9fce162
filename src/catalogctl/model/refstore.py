"""Reference indexes of whole trees in the result cache (docs/cache.md).

An index is kept under the key of its tree's listing: every catalog file's
path and git object id. Each record carries the object id it was read from,
so an index is trusted file by file, never as a whole: any index (the base's,
a stale one, one stored under the wrong key) is turned into the right one by
loading exactly the files whose (path, object id) it does not hold. A damaged
or foreign index therefore costs time, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from catalogctl.load import cache, cached
from catalogctl.load.loader import LoadedFile
from catalogctl.load.sources import Source
from catalogctl.model.entities import build_entity
from catalogctl.model.refindex import IndexedCatalog, Record, record_of, valid_record

FORMAT = 1
# path -> (object id, record or None for a file that makes no entity)
Files = dict[str, tuple[str, Record | None]]


def listing_key(identified: cached.Identified) -> str:
    """The tree's key: every catalog file's path and object id, in path order."""
    digest = hashlib.blake2b(digest_size=16)
    for f, oid in sorted(identified, key=lambda item: item[0].path):
        digest.update(f"{f.path}\t{oid or '-'}\n".encode())
    return digest.hexdigest()


def files_of(identified: cached.Identified, loaded: Sequence[LoadedFile]) -> Files:
    """The records of a loaded tree (results in `identified`'s order), as
    `load_catalog` makes entities of them. Refused files are left out."""
    out: Files = {}
    for (f, oid), result in zip(identified, loaded, strict=True):
        if oid is None:
            continue
        entity = build_entity(result.path, result.data) if result.data else None
        out[f.path] = (oid, record_of(entity) if entity is not None else None)
    return out


def encode(files: Files) -> str:
    rows = [[path, oid, record] for path, (oid, record) in sorted(files.items())]
    return json.dumps({"format": FORMAT, "files": rows}, separators=(",", ":"))


def decode(text: str) -> Files | None:
    """The records an index holds; None when it is not one this code wrote."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None
    rows = value.get("files")
    if not isinstance(rows, list):
        return None
    out: Files = {}
    for row in rows:
        if not (isinstance(row, list) and len(row) == 3):
            return None
        path, oid, record = row
        if not (isinstance(path, str) and isinstance(oid, str)):
            return None
        if record is not None and not valid_record(record):
            return None
        out[path] = (oid, tuple(record) if record is not None else None)
    return out


def load(store: cache.Store, key: str) -> Files | None:
    stored = store.get_run(key, cache.GRAPHS)
    return decode(stored[0]) if stored else None


def save(store: cache.Store, identified: cached.Identified, loaded: Sequence[LoadedFile]) -> None:
    """Keep the index of a tree whose every file was just loaded (lint and
    the full catalog load call this), unless it is kept already."""
    if not store.enabled:
        return
    key = listing_key(identified)
    if not store.has_run(key, cache.GRAPHS):
        store.put_run(key, encode(files_of(identified, loaded)), "", cache.GRAPHS)


def lookup(
    source: Source, store: cache.Store, jobs: int, bases: Iterable[Source] = ()
) -> IndexedCatalog:
    """The index of `source`: its own when kept, else the first kept index of
    `bases` (or, failing both, none) with the files it lacks loaded."""
    identified = cached.identify(source, store)
    key = listing_key(identified)
    start = load(store, key)
    exact = start is not None
    if start is None:
        for base in bases:
            start = load(store, listing_key(cached.identify(base, store)))
            if start is not None:
                break
    held = start or {}
    files: Files = {}
    missing: cached.Identified = []
    for f, oid in identified:
        if oid is None:
            continue
        kept = held.get(f.path)
        if kept is not None and kept[0] == oid:
            files[f.path] = kept
        else:
            missing.append((f, oid))
    if missing:
        loaded, _ = cached.check_source(source, None, jobs, store, identified=list(missing))
        files.update(files_of(missing, loaded))
    if not exact or missing:
        store.put_run(key, encode(files), "", cache.GRAPHS)
    return IndexedCatalog({p: r for p, (_, r) in files.items() if r is not None})
