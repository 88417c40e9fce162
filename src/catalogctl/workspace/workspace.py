"""Finding the catalog repository and choosing its source and schemas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from catalogctl.load import kinds
from catalogctl.load.errors import UsageError
from catalogctl.load.sources import GitTree, Source, SourceError, WorkTree

if TYPE_CHECKING:  # jsonschema is imported only by commands that validate
    from catalogctl.load.schemas import SchemaSet


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding catalogctl.yaml."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / kinds.POLICY_FILE).is_file():
            return folder
    raise UsageError(
        f"not a catalog: no {kinds.POLICY_FILE} in {here} or any parent folder; "
        "run `catalogctl init DIR` to create one"
    )


@dataclass(frozen=True)
class Workspace:
    root: Path
    source: Source
    schemas: SchemaSet


def open_workspace(start: Path, ref: str | None = None) -> Workspace:
    from catalogctl.load import schemas
    from catalogctl.load.schemas import SchemaLoadError, SchemaSet

    root = find_root(start)
    try:
        source: Source = GitTree(root, ref) if ref is not None else WorkTree(root)
        if ref is not None and source.read(kinds.POLICY_FILE) is None:
            raise UsageError(f"{kinds.POLICY_FILE} does not exist at {ref}")
        texts = source.schema_texts()
        schema_set = (
            SchemaSet.from_texts(texts) if texts else SchemaSet.from_dir(schemas.bundled_dir())
        )
    except (SourceError, SchemaLoadError) as error:
        raise UsageError(str(error)) from None
    return Workspace(root, source, schema_set)
