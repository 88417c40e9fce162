"""Reference indexes of whole trees in the result cache (docs/cache.md).

An index is kept under the key of its tree's listing (every catalog file's
path and git object id) and names that key inside, so an index stored under
another tree's name is never read as this tree's. `lint` and every full
catalog load keep the index of their tree; `diff` reads the head's, or makes
it from the base's by loading only the files whose object id differs.
A damaged index costs time, never a wrong answer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from catalogctl.load import cache, cached
from catalogctl.load.sources import GitTree, Source, SourceFile
from catalogctl.model import refreuse
from catalogctl.model.entities import Catalog, Entity, build_entity
from catalogctl.model.impact import Lookup
from catalogctl.model.refindex import (
    Guarded,
    TreeIndex,
    entity_rows,
    file_rows,
    referrer_rows,
)

HEADER = "catalogctl-index 2"
RECORD, FIELD = "\x1e", "\x1f"  # JSON escapes both: no entry can hold one
Pairs = list[tuple[str, str | None]]


def listing_key(pairs: Iterable[tuple[str, str | None]]) -> str:
    """The tree's key: every catalog file's path and object id, in path order."""
    digest = hashlib.blake2b(digest_size=16)
    for path, oid in sorted(pairs):
        digest.update(f"{path}\t{oid or '-'}\n".encode())
    return digest.hexdigest()


def _pairs(identified: cached.Identified) -> Pairs:
    return [(f.path, oid) for f, oid in identified]


_dump = json.JSONEncoder(separators=(",", ":")).encode  # one encoder: dumps() makes one a call
# what an entry's name may not hold: the separators, and a cache file's own
UNSAFE = re.compile("[\x1e\x1f\t\n\r]")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else _dump(value)


def encode(tree_key: str, index: TreeIndex) -> str | None:
    """The index as text; None when an id holds a character that would
    break it apart (the loader refuses control characters; this is the
    second line of defence): such a tree is loaded whole instead."""
    if not _safe(index.entities, index.referrers):
        return None
    entries = (index.entities.items(), index.referrers.items())
    return "".join(_pieces(tree_key, index.files().items(), *entries))


def _safe(*names: Iterable[str]) -> bool:
    return not any(UNSAFE.search("".join(part)) for part in names)


def _pieces(
    tree_key: str,
    files: Iterable[tuple[str, Any]],
    entities: Iterable[tuple[str, Any]],
    referrers: Iterable[tuple[str, Any]],
) -> Iterator[str]:
    """encode's text in pieces that concatenate to it, each entry's made as
    it is reached: what `save` writes, never held whole (at 50,000 entities
    the entries' texts were most of a cold lint's peak memory)."""
    yield f"{HEADER}{RECORD}{tree_key}{RECORD}{{"
    # the file list is one JSON object: written a slice of rows at a time,
    # each slice's object without its braces (JSON writes the whole alike)
    rows = iter(files)
    glue = ""
    while part := dict(islice(rows, 2000)):
        yield glue + _dump(part)[1:-1]
        glue = ","
    yield "}"
    for prefix, entries in (("E", entities), ("R", referrers)):
        for name, value in entries:
            yield f"{RECORD}{prefix}{name}{FIELD}{_text(value)}"


def decode(text: str, tree_key: str) -> TreeIndex | None:
    """The index `text` holds, entries left as text; None when it is not an
    index of the tree `tree_key` names, as this code writes them."""
    parts = text.split(RECORD)
    if len(parts) < 3 or parts[0] != HEADER or parts[1] != tree_key:
        return None
    entities: dict[str, str] = {}
    referrers: dict[str, str] = {}
    for part in parts[3:]:
        name, sep, value = part.partition(FIELD)
        if not sep or name[:1] not in ("E", "R"):
            return None
        (entities if name[0] == "E" else referrers)[name[1:]] = value
    return TreeIndex(parts[2], entities, referrers)


def _load(store: cache.Store, tree_key: str) -> TreeIndex | None:
    stored = store.get_run(tree_key, cache.GRAPHS)
    return decode(stored[0], tree_key) if stored else None


def save(store: cache.Store, identified: cached.Identified, catalog: Catalog) -> None:
    """Keep the index of a tree whose every file was just loaded into
    `catalog` (lint and the full catalog load call this), unless kept."""
    if not store.enabled:
        return
    tree_key = listing_key(_pairs(identified))
    if store.has_run(tree_key, cache.GRAPHS):
        return
    oids = {f.path: oid for f, oid in identified if oid is not None}
    index = _from_last(store, catalog, oids)
    if index is not None:
        _keep(store, tree_key, index)
        return
    # made from the catalog as it is written: no whole index is held
    names = chain.from_iterable(catalog.index.values())
    if _safe(names, (target.id for target in catalog.referrers)):
        pieces = _pieces(
            tree_key, file_rows(catalog, oids), entity_rows(catalog), referrer_rows(catalog)
        )
        store.put_run(tree_key, pieces, "", cache.GRAPHS)


def _keep(store: cache.Store, tree_key: str, index: TreeIndex) -> None:
    """Stream `index` into the cache as the index of `tree_key`, unless an
    entry's name would break it apart (see encode)."""
    if _safe(index.entities, index.referrers):
        entries = (index.entities.items(), index.referrers.items())
        pieces = _pieces(tree_key, index.files().items(), *entries)
        store.put_run(tree_key, pieces, "", cache.GRAPHS)


def _from_last(store: cache.Store, catalog: Catalog, oids: dict[str, str]) -> TreeIndex | None:
    """The index of `catalog` made from the index kept last (a lint after a
    small edit re-encodes only what the edit can change); None without one."""
    newest = store.newest_run(cache.GRAPHS)
    prior = decode(newest[1], newest[0]) if newest is not None else None
    del newest  # its text: the prior's entries are copies
    if prior is None:
        return None
    try:
        return refreuse.made_from(catalog, oids, prior, _dump)
    except ValueError:  # DamagedIndex: its file list does not decode
        return None


def _kept(source: Source, store: cache.Store) -> tuple[TreeIndex | None, cached.Identified | None]:
    """The kept index of `source`; for a git tree, found from a listing
    without sizes first. Also the listing it read, when it read one."""
    if isinstance(source, GitTree):
        found = _load(store, listing_key(source.quick_pairs()))
        if found is not None:
            return found, None
    identified = cached.identify(source, store)
    return _load(store, listing_key(_pairs(identified))), identified


def _patched(base: TreeIndex, old: dict[str, Any], head: Pairs) -> list[Entity] | None:
    """The entities of the head's files that the base holds with the same
    object id, built from the base's kept facts. None when one of them was
    a hidden duplicate in the base (its facts were never kept)."""
    out = []
    for path, oid in head:
        row = old.get(path)
        if oid is None or row is None or row[0] != oid or len(row) == 1:
            continue
        entity = base.entity(path, row[1], row[2])
        if entity is None:
            return None
        out.append(entity)
    return out


def lookup(
    source: Source,
    store: cache.Store,
    jobs: int,
    bases: Iterable[Source],
    rebuild: Callable[[], Lookup],
) -> Lookup:
    """What impact reads of `source`: its kept index; else the first kept
    index of `bases` with the files that differ loaded; else every file
    loaded (through the per-file cache). Kept for the next run."""
    found, identified = _kept(source, store)
    if found is not None:
        return Guarded(found, rebuild)
    head = identified if identified is not None else cached.identify(source, store)
    tree_key = listing_key(_pairs(head))
    oids = {f.path: oid for f, oid in head if oid is not None}
    entities: list[Entity] | None = None
    for base in bases:
        kept, _ = _kept(base, store)
        if kept is None:
            continue
        try:
            old = kept.files()
            entities = _patched(kept, old, _pairs(head))
        except ValueError:  # DamagedIndex, or an entity entry that is not JSON
            entities = None
        if entities is not None:
            missing = [
                (f, oid) for f, oid in head if oid is not None and old.get(f.path, [""])[0] != oid
            ]
            entities += _entities(source, store, jobs, missing)
        break
    if entities is None:
        everything = [(f, oid) for f, oid in head if oid is not None]
        entities = _entities(source, store, jobs, everything)
    index = TreeIndex.of(Catalog.build(entities), oids)
    _keep(store, tree_key, index)
    return Guarded(index, rebuild)


def _entities(
    source: Source, store: cache.Store, jobs: int, files: Sequence[tuple[SourceFile, str | None]]
) -> list[Entity]:
    if not files:
        return []
    loaded, _ = cached.check_source(source, None, jobs, store, identified=list(files))
    return [e for r in loaded if r.data and (e := build_entity(r.path, r.data))]
