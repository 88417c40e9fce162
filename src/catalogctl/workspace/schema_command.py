"""`catalogctl schema KIND`: print the JSON Schema the catalog is validated with."""

from __future__ import annotations

import json
from pathlib import Path

from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.load.schemas import SchemaSet, bundled_dir
from catalogctl.workspace.workspace import open_workspace


def execute(*, start: Path, kind_name: str) -> int:
    kind = kinds.kind_from_user(kind_name)
    if kind is None:
        names = ", ".join(k.name for k in (*kinds.ENTITY_KINDS, kinds.POLICY))
        raise UsageError(f"unknown kind '{kind_name}'; use one of {names}")
    try:
        schema_set = open_workspace(start).schemas
    except UsageError:
        schema_set = SchemaSet.from_dir(bundled_dir())  # outside a catalog: the tool's own
    write_output(
        json.dumps(schema_set.documents[kind.schema], indent=2, ensure_ascii=False) + "\n", None
    )
    return EXIT_OK
