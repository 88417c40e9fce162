"""A tree's reference index made from the last one written, re-encoding only
what the files that differ can have changed.

`lint` keeps the index of every tree it checks (model/refstore.py), and after
a small edit most of the new index is the old one: encoding ten thousand
entries as JSON cost more than the rest of a warm ten-file lint. An entry is
taken over as text only when it cannot differ from what a fresh encoding
writes, so the result is byte for byte `TreeIndex.of(catalog, oids)`
encoded (a test compares them):

- an entity entry, when the entity `get` returns is still made by the same
  file with the same object id and was the one the old entry holds (same
  path): the entry is a function of that file's path and bytes alone;
- a referrers entry, when neither the new nor the old list holds a reference
  from an entity whose file differs (old or new identity). Both lists are
  then the references of the same unchanged entities, in the same catalog
  order. A match found in the old text is only ever a reason to re-encode.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from catalogctl.model.entities import Catalog
from catalogctl.model.refindex import TreeIndex, kept_spec, key


def made_from(catalog: Catalog, oids: Mapping[str, str], prior: TreeIndex, dump: Any) -> TreeIndex:
    """`TreeIndex.of(catalog, oids)`, taking entries of `prior` over as text
    where they are certain to be the same. `dump` is the encoder of the
    index's entries. Raises ValueError (DamagedIndex) when `prior`'s file
    list is damaged."""
    old_files = prior.files()
    files: dict[str, Any] = {path: [oid] for path, oid in oids.items()}
    for entity in catalog.entities:
        files[entity.file] = [oids[entity.file], entity.kind, entity.id]
    differ = {path for path, row in files.items() if old_files.get(path) != row}
    differ.update(path for path in old_files if path not in files)
    touched = {
        (row[1], row[2])
        for path in differ
        for row in (files.get(path), old_files.get(path))
        if isinstance(row, list) and len(row) == 3
    }
    entities: dict[str, Any] = {}
    for kind, by_id in catalog.index.items():
        for id_key, entity in by_id.items():
            name = key(kind, id_key)
            old = prior.entities.get(name)
            if (
                entity.file not in differ
                and isinstance(old, str)
                and old.startswith(_opening(entity.file, dump))
            ):
                entities[name] = old
            else:
                entities[name] = [entity.file, entity.id, entity.name, kept_spec(kind, entity.spec)]
    # targets of references from touched sources, as the new catalog has them
    hit = {
        (kind, target)
        for entity in catalog.entities
        if tuple(entity.ref) in touched
        for _, kind, target in entity.references()
    }
    # ... and as the old index has them: a Reference is written [[source
    # kind, source id], path, target], so a source opens a reference
    probe = re.compile("|".join(re.escape("[" + dump(list(s)) + ",") for s in sorted(touched)))
    referrers: dict[str, Any] = {}
    for target, refs in catalog.referrers.items():
        name = key(*target)
        old = prior.referrers.get(name)
        if isinstance(old, str) and target not in hit and not (touched and probe.search(old)):
            referrers[name] = old
        else:
            referrers[name] = refs
    return TreeIndex(files, entities, referrers)


def _opening(path: str, dump: Any) -> str:
    """How an entity entry of `path` starts: `["<path>",`. Without the
    encoder for the usual path, which JSON writes as it is."""
    if path.isascii() and path.isprintable() and '"' not in path and "\\" not in path:
        return '["' + path + '",'
    return str(dump([path]))[:-1] + ","
