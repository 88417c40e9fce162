"""Semantic diff of catalog entities between two sides (base and head).

Pure functions of loaded documents: what changed at the entity level (added,
removed, modified, moved) and at the field level. Formatting, comments, key
order and quoting never show up, because documents are compared as data;
lists of objects are matched by `id` (else `name`), never by position, and
lists of scalars are compared as sets (every such list in the schemas is a
set of ids, tags or logins).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from catalogctl.load.diagnostics import format_path
from catalogctl.load.gitsides import Side

OPS = ("added", "removed", "modified", "moved")
# Strings at these field names are prose: shown as a unified line diff.
TEXT_FIELDS = frozenset({"description", "implementation", "backout", "validation", "notes"})


@dataclass(frozen=True)
class FieldChange:
    """One changed field. For sets, `added`/`removed` list the items; for long
    text, `text_diff` holds a unified diff of the lines."""

    path: str
    old: Any
    new: Any
    added: tuple[Any, ...] = ()
    removed: tuple[Any, ...] = ()
    text_diff: str | None = None


@dataclass(frozen=True)
class EntityChange:
    op: str  # one of OPS
    kind: str
    id: str
    name: str
    file: str  # where it is now (for removed: where it was)
    old_file: str | None  # set when the entity lives in another file than before
    fields: tuple[FieldChange, ...] = ()
    old: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)
    new: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.id}"


@dataclass(frozen=True)
class TextEdit:
    """What the data diff cannot see in a changed file: its comments.

    `text_only` files changed bytes but no data (comments, formatting): still
    an edit that the file's owners must approve. Added or removed suppression
    comments switch lint rules on or off for the file, so reviewers see them."""

    file: str
    ref: str  # Kind/id of the document in the file
    text_only: bool
    added: tuple[str, ...] = ()  # suppressions, 'rule -- reason'
    removed: tuple[str, ...] = ()
    old: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)
    new: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)


def _identity(document: Mapping[str, Any]) -> tuple[str, str] | None:
    metadata = document.get("metadata")
    kind = document.get("kind")
    if kind == "Policy":
        return kind, "catalogctl"  # the one policy file: reviewers must see its edits
    entity_id = metadata.get("id") if isinstance(metadata, dict) else None
    if isinstance(kind, str) and isinstance(entity_id, str):
        return kind, entity_id
    return None


def _name(document: Mapping[str, Any], fallback: str) -> str:
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) else fallback


def _list_key(old: list[Any], new: list[Any]) -> str | None:
    """The key identifying the items of two lists of objects: `id`, else `name`,
    when every item has one and it is unique on each side."""
    if not (old or new) or not all(isinstance(i, dict) for i in old + new):
        return None
    for key in ("id", "name"):
        if all(
            all(isinstance(i.get(key), str) for i in side)
            and len({i[key] for i in side}) == len(side)
            for side in (old, new)
        ):
            return key
    return None


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, dict | list) else value


def _text_diff(old: str, new: str, label: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), f"a/{label}", f"b/{label}", lineterm="", n=1
    )
    return "\n".join(lines)


def diff_values(old: Any, new: Any, path: tuple[str | int, ...] = ()) -> list[FieldChange]:
    """Field-level differences between two values of one document."""
    if old == new and type(old) is type(new):
        return []
    where = format_path(path)
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in [*old, *(k for k in new if k not in old)]:
            out += diff_values(old.get(key), new.get(key), (*path, key))
        return out
    if isinstance(old, list) and isinstance(new, list):
        key = _list_key(old, new)
        if key is not None:
            before = {item[key]: item for item in old}
            after = {item[key]: item for item in new}
            out = []
            for ident in [*before, *(i for i in after if i not in before)]:
                label = f"{where}[{key}={ident}]"
                if ident not in before or ident not in after:
                    out.append(FieldChange(label, before.get(ident), after.get(ident)))
                    continue
                for change in diff_values(before[ident], after[ident]):
                    inner = f"{label}.{change.path}"
                    text = change.text_diff and _text_diff(change.old, change.new, inner)
                    out.append(
                        FieldChange(
                            inner, change.old, change.new, change.added, change.removed, text
                        )
                    )
            return out
        if all(isinstance(i, dict) for i in old + new):
            # objects without an id or a name (CI relations): a multiset, never positions
            old_keys = [_canonical(i) for i in old]
            new_keys = [_canonical(i) for i in new]
            if sorted(old_keys) == sorted(new_keys):
                return []
            added = tuple(i for i, k in zip(new, new_keys, strict=True) if k not in old_keys)
            removed = tuple(i for i, k in zip(old, old_keys, strict=True) if k not in new_keys)
            return [FieldChange(where, old, new, added=added, removed=removed)]
        if all(not isinstance(i, dict | list) for i in old + new):
            old_set = {_hashable(i) for i in old}
            new_set = {_hashable(i) for i in new}
            if old_set == new_set:
                return []  # a reordering of a set is no change
            added = tuple(i for i in new if _hashable(i) not in old_set)
            removed = tuple(i for i in old if _hashable(i) not in new_set)
            return [FieldChange(where, old, new, added=added, removed=removed)]
    if (
        isinstance(old, str)
        and isinstance(new, str)
        and path
        and path[-1] in TEXT_FIELDS
        and ("\n" in old or "\n" in new)
    ):
        return [FieldChange(where, old, new, text_diff=_text_diff(old, new, where))]
    if old is None and new is None:
        return []
    return [FieldChange(where, old, new)]


def diff_sides(base: Side, head: Side) -> list[EntityChange]:
    """Entity changes between the documents of two sides (changed files only)."""
    before: dict[tuple[str, str], tuple[str, Mapping[str, Any]]] = {}
    after: dict[tuple[str, str], tuple[str, Mapping[str, Any]]] = {}
    for target, side in ((before, base), (after, head)):
        for file, document in sorted(side.documents.items()):
            identity = _identity(document)
            if identity is not None:
                target.setdefault(identity, (file, document))
    changes: list[EntityChange] = []
    for identity in sorted({*before, *after}):
        kind, entity_id = identity
        old = before.get(identity)
        new = after.get(identity)
        if old is None and new is not None:
            if new[0] in base.unreadable:
                continue  # it was there before, unreadable: not "added" (reported as a problem)
            changes.append(
                EntityChange(
                    "added",
                    kind,
                    entity_id,
                    _name(new[1], entity_id),
                    new[0],
                    None,
                    (),
                    None,
                    new[1],
                )
            )
        elif new is None and old is not None:
            if old[0] in head.unreadable:
                continue  # still there, unreadable: not "removed" (reported as a problem)
            changes.append(
                EntityChange(
                    "removed",
                    kind,
                    entity_id,
                    _name(old[1], entity_id),
                    old[0],
                    None,
                    (),
                    old[1],
                    None,
                )
            )
        elif old is not None and new is not None:
            fields = tuple(diff_values(old[1], new[1]))
            moved_from = old[0] if old[0] != new[0] else None
            if fields:
                changes.append(
                    EntityChange(
                        "modified",
                        kind,
                        entity_id,
                        _name(new[1], entity_id),
                        new[0],
                        moved_from,
                        fields,
                        old[1],
                        new[1],
                    )
                )
            elif moved_from:
                changes.append(
                    EntityChange(
                        "moved",
                        kind,
                        entity_id,
                        _name(new[1], entity_id),
                        new[0],
                        moved_from,
                        (),
                        old[1],
                        new[1],
                    )
                )
    return changes


def text_edits(base: Side, head: Side, changes: list[EntityChange]) -> tuple[TextEdit, ...]:
    """Changed files whose comments changed, or that changed nothing but text.

    Both sides hold changed files only, so a file on both sides that no
    entity change covers changed bytes, not data."""
    covered = {c.file for c in changes} | {c.old_file for c in changes if c.old_file}
    out = []
    for file in sorted({*base.documents, *head.documents}):
        old, new = base.documents.get(file), head.documents.get(file)
        document = new if new is not None else old
        identity = _identity(document) if document is not None else None
        if identity is None:
            continue
        was = base.suppressions.get(file, ())
        now = head.suppressions.get(file, ())
        added = tuple(s for s in now if s not in was)
        removed = tuple(s for s in was if s not in now)
        text_only = old is not None and new is not None and file not in covered
        if text_only or added or removed:
            ref = f"{identity[0]}/{identity[1]}"
            out.append(TextEdit(file, ref, text_only, added, removed, old, new))
    return tuple(out)


def unexplained(
    base: Side, head: Side, changes: list[EntityChange], edits: tuple[TextEdit, ...]
) -> tuple[str, ...]:
    """Changed document files that no entity change or text edit accounts for
    (unreadable on a side, a link, no kind or id): nobody's entity, so they
    are owned like any file that is not catalog data."""
    files = {*base.documents, *head.documents, *base.unreadable, *head.unreadable}
    covered = {c.file for c in changes} | {c.old_file for c in changes if c.old_file}
    covered |= {e.file for e in edits}
    return tuple(sorted(files - covered))
