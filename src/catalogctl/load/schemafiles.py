"""Where the schema files are, without compiling them (no jsonschema import)."""

from __future__ import annotations

import functools
from pathlib import Path

from catalogctl.load.bundled import schemas_dir

SCHEMA_SUFFIX = ".schema.json"


class SchemaLoadError(Exception):
    """The schema files themselves are unusable: the command cannot run (exit 2)."""


def bundled_dir() -> Path:
    """The schemas shipped with the tool: inside the wheel, or the source checkout's."""
    return schemas_dir()


def bundled_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in bundled_dir().glob("*" + SCHEMA_SUFFIX)}


@functools.cache
def shipped_texts() -> dict[str, str]:
    """bundled_texts, read once per process: what a set's texts are compared
    with to know whether they are the tool's own (checked by its tests)."""
    return bundled_texts()
