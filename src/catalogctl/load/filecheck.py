"""The per-file stage: load one file safely and validate it against its schema.

Pure function of (path, bytes, schemas), so it can run in a worker process.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from catalogctl.load import kinds, loader, textsafe, yamlsafe
from catalogctl.load.diagnostics import Diagnostic, format_path
from catalogctl.load.loader import LoadedFile

if TYPE_CHECKING:
    from catalogctl.load.schemaref import SchemaRef

_ENTITY_KIND_NAMES = tuple(k.name for k in kinds.ENTITY_KINDS)


def _entity_label(data: dict[str, Any]) -> str | None:
    metadata = data.get("metadata")
    kind, entity_id = data.get("kind"), metadata.get("id") if isinstance(metadata, dict) else None
    if isinstance(kind, str) and isinstance(entity_id, str):
        return f"{kind}/{entity_id}"
    return None


def check_file(
    path: str, raw: bytes, schemas: SchemaRef | None, kind: str | None = None
) -> LoadedFile:
    """Load one file and validate it against its kind's schema.

    `kind` forces the schema (the policy file); otherwise the document's own
    `kind` chooses it, which must be one of the entity kinds."""
    loaded, found = check_parts(path, raw, schemas, kind)
    if not found:
        return loaded
    return replace(loaded, diagnostics=(*loaded.diagnostics, *found))


def check_parts(
    path: str, raw: bytes, schemas: SchemaRef | None, kind: str | None = None
) -> tuple[LoadedFile, tuple[Diagnostic, ...]]:
    """check_file in two parts: what loading found, and what the schemas found
    (empty without schemas). The result cache keeps them apart, because
    loading does not depend on the schemas."""
    if not path.endswith(".yaml") and path != kinds.POLICY_FILE:
        return loader.refused(path, "catalog files use the .yaml extension; rename the file"), ()
    bad = textsafe.FORBIDDEN.search(path)
    if bad:  # reports quote the name: it must not act on a terminal either
        char = bad.group()
        message = f"the file name holds {textsafe.char_kind(char)} U+{ord(char):04X}; rename it"
        return loader.refused(path, message), ()
    loaded, root = loader.load(path, raw)
    data = loaded.data
    if data is None or schemas is None:  # no schemas: load only (diff, impact)
        return loaded, ()
    entity = _entity_label(data)
    chosen = kind or data.get("kind")
    if kind is None and chosen not in _ENTITY_KIND_NAMES:
        line, column = yamlsafe.locate(root, ("kind",))
        message = (
            f"kind: {chosen!r} is not a catalog kind; use one of {', '.join(_ENTITY_KIND_NAMES)}"
            if chosen is not None
            else "(document): missing required field 'kind'"
        )
        return loaded, (
            Diagnostic(path, line, column, "schema", message, entity=entity, path="kind"),
        )
    if schemas.valid(str(chosen), data):  # most files: no jsonschema at all
        return loaded, ()
    from catalogctl.load.schemas import explain_all

    found: list[Diagnostic] = []
    for finding in explain_all(schemas.compiled().errors(str(chosen), data)):
        line, column = yamlsafe.locate(root, finding.path, key=finding.at_key)
        found.append(
            Diagnostic(
                path,
                line,
                column,
                "schema",
                finding.message,
                entity=entity,
                path=format_path(finding.path) or None,
            )
        )
    return loaded, tuple(sorted(set(found)))
