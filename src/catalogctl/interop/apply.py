"""Planned entities -> catalog files: new files, or the imported fields of
existing ones edited in place.

An existing entity keeps everything the import does not own (tier, SLA
links, support, comments, key order); only fields whose value differs are
touched, so a second run of the same import changes no byte. Every text is
computed before anything is written, and each file is replaced atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from catalogctl.change import editing
from catalogctl.interop.backstage_read import Skipped
from catalogctl.interop.plan import Planned, empty
from catalogctl.load import kinds, loader
from catalogctl.load.output import replace_file
from catalogctl.model.entities import Catalog, Entity


@dataclass(frozen=True)
class Applied:
    created: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    skipped: tuple[Skipped, ...]


def _same(current: Any, wanted: Any) -> bool:
    if empty(current) and empty(wanted):
        return True
    return bool(current == wanted)


def new_text(plan: Planned, origin: str) -> str:
    source = "".join(c if c.isprintable() else "?" for c in plan.source)
    header = (
        f"# Imported from {origin}: {source}\n"
        "# A re-import updates only the imported fields (docs/interop.md).\n"
    )
    return header + editing.render_block(plan.document(), 0) + "\n"


def edited_text(text: str, plan: Planned) -> str:
    """`text` with the plan's imported fields set (EditError when it cannot be)."""
    loaded, _ = loader.load("-", text.encode("utf-8"))
    data = loaded.data or {}
    for (section, key), wanted in plan.fields.items():
        block = data.get(section)
        current = block.get(key) if isinstance(block, dict) else None
        if _same(current, wanted):
            continue
        if empty(wanted):
            text = editing.remove_field(text, (section, key))
        else:
            text = editing.set_field(text, (section, key), wanted)
    return text


def _unchanged(entity: Entity, plan: Planned) -> bool:
    """Whether the loaded entity already has every imported value, so the
    file need not even be read again (the common case of a re-run)."""
    metadata = {
        "name": entity.name,
        "description": entity.description,
        "tags": list(entity.tags),
        "links": [dict(link) for link in entity.links],
    }
    for (section, key), wanted in plan.fields.items():
        current = metadata.get(key) if section == "metadata" else entity.spec.get(key)
        if not _same(current, wanted):
            return False
    return True


def _check(path: str, text: str, plan: Planned) -> None:
    loaded, _ = loader.load(path, text.encode("utf-8"))
    if loaded.data is None:
        raise editing.EditError(
            loaded.diagnostics[0].message if loaded.diagnostics else "unreadable"
        )
    for (section, key), wanted in plan.fields.items():
        block = loaded.data.get(section)
        current = block.get(key) if isinstance(block, dict) else None
        if not _same(current, wanted):  # pragma: no cover - guards the edit functions
            raise editing.EditError(f"{section}.{key} would read back as {current!r}")


def apply(
    root: Path, catalog: Catalog, planned: list[Planned], origin: str, write: bool = True
) -> Applied:
    created, updated, unchanged, skipped = [], [], [], []
    texts: list[tuple[Path, str]] = []
    for plan in planned:
        existing = catalog.get(plan.kind.name, plan.id)
        relative = existing.file if existing is not None else kinds.entity_file(plan.kind, plan.id)
        path = root / relative
        try:
            if existing is None:
                if path.exists():
                    raise editing.EditError(
                        f"{relative} exists but is not a valid {plan.kind.name}"
                    )
                text = new_text(plan, origin)
                _check(relative, text, plan)
                texts.append((path, text))
                created.append(plan.ref)
                continue
            if _unchanged(existing, plan):
                unchanged.append(plan.ref)
                continue
            old = path.read_bytes().decode("utf-8")
            text = edited_text(old, plan)
            if text == old:
                unchanged.append(plan.ref)
                continue
            _check(relative, text, plan)
            texts.append((path, text))
            updated.append(plan.ref)
        except (editing.EditError, yaml.YAMLError, UnicodeDecodeError, ValueError) as error:
            skipped.append(Skipped(f"{plan.ref} ({plan.source})", f"{relative}: {error}"))
    if write:
        for path, text in texts:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, text.encode("utf-8"))
    return Applied(tuple(created), tuple(updated), tuple(unchanged), tuple(skipped))
