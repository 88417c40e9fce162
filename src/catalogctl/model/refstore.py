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
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from catalogctl.load import cache, cached
from catalogctl.load.sources import GitTree, Source, SourceFile
from catalogctl.model.entities import Entity, build_entity, id_key
from catalogctl.model.impact import Lookup
from catalogctl.model.refindex import Guarded, TreeIndex, kept_spec, key

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


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def encode(tree_key: str, index: TreeIndex) -> str:
    parts = [HEADER, tree_key, _text(index.files())]
    parts += [f"E{k}{FIELD}{_text(v)}" for k, v in index.entities.items()]
    parts += [f"R{k}{FIELD}{_text(v)}" for k, v in index.referrers.items()]
    return RECORD.join(parts)


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


def save(store: cache.Store, identified: cached.Identified, entities: list[Entity]) -> None:
    """Keep the index of a tree whose every file was just loaded (lint and
    the full catalog load call this), unless it is kept already."""
    if not store.enabled:
        return
    tree_key = listing_key(_pairs(identified))
    if not store.has_run(tree_key, cache.GRAPHS):
        oids = {f.path: oid for f, oid in identified if oid is not None}
        index = TreeIndex.of(entities, oids)
        store.put_run(tree_key, encode(tree_key, index), "", cache.GRAPHS)


def _kept(source: Source, store: cache.Store) -> tuple[TreeIndex | None, cached.Identified | None]:
    """The kept index of `source`; for a git tree, found from a listing
    without sizes first. Also the listing it read, when it read one."""
    if isinstance(source, GitTree):
        found = _load(store, listing_key(source.quick_pairs()))
        if found is not None:
            return found, None
    identified = cached.identify(source, store)
    return _load(store, listing_key(_pairs(identified))), identified


def _patched(base: TreeIndex, head: cached.Identified, loaded: list[Entity]) -> TreeIndex | None:
    """The head's index: the base's for the files the head kept, `loaded`
    (the entities of the others) for the rest. None when an entity of the
    head that was a hidden duplicate in the base becomes the one `get`
    returns: the base never kept its facts."""
    old = base.files()
    oids = {f.path: oid for f, oid in head if oid is not None}
    kept = {p: v for p, v in old.items() if oids.get(p) == v[0]}
    fresh = {e.file: e for e in loaded}
    rows: list[tuple[str, str, str, Any]] = []  # kind, file, id, references
    for path, value in kept.items():
        if len(value) == 4:
            rows.append((value[1], path, value[2], value[3]))
    for entity in loaded:
        refs = [[list(p), kind, target] for p, kind, target in entity.references()]
        rows.append((entity.kind, entity.file, entity.id, refs))
    rows.sort(key=lambda row: (row[0], row[1]))  # the catalog's order
    files: dict[str, Any] = {p: [oid] for p, oid in oids.items()}
    entities: dict[str, Any] = {}
    referrers: dict[str, list[Any]] = {}
    for kind, path, entity_id, refs in rows:
        files[path] = [oids[path], kind, entity_id, refs]
        first = key(kind, id_key(entity_id))
        if first not in entities:
            if path in fresh:
                entity = fresh[path]
                entities[first] = [path, entity.id, entity.name, kept_spec(entity.spec)]
            else:
                was = base.entities.get(first)
                decoded = json.loads(was) if isinstance(was, str) else was
                if not (isinstance(decoded, list) and decoded and decoded[0] == path):
                    return None
                entities[first] = was
        for ref_path, target_kind, target in refs:
            referrers.setdefault(key(target_kind, target), []).append([kind, entity_id, ref_path])
    return TreeIndex(files, entities, referrers)


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
    index: TreeIndex | None = None
    for base in bases:
        kept, _ = _kept(base, store)
        if kept is None:
            continue
        try:
            old = kept.files()
            missing = [
                (f, oid) for f, oid in head if oid is not None and old.get(f.path, [""])[0] != oid
            ]
            index = _patched(kept, head, _entities(source, store, jobs, missing))
        except ValueError:  # DamagedIndex, or an entity entry that is not JSON
            index = None
        break
    if index is None:
        everything = [(f, oid) for f, oid in head if oid is not None]
        oids = {f.path: oid for f, oid in everything}
        index = TreeIndex.of(_entities(source, store, jobs, everything), oids)
    store.put_run(tree_key, encode(tree_key, index), "", cache.GRAPHS)
    return Guarded(index, rebuild)


def _entities(
    source: Source, store: cache.Store, jobs: int, files: Sequence[tuple[SourceFile, str | None]]
) -> list[Entity]:
    if not files:
        return []
    loaded, _ = cached.check_source(source, None, jobs, store, identified=list(files))
    return [e for r in loaded if r.data and (e := build_entity(r.path, r.data))]
