"""Where the schema files are, without compiling them (no jsonschema import)."""

from __future__ import annotations

from pathlib import Path

SCHEMA_SUFFIX = ".schema.json"


class SchemaLoadError(Exception):
    """The schema files themselves are unusable: the command cannot run (exit 2)."""


def bundled_dir() -> Path:
    """The schemas shipped with the tool: inside the wheel, or the source checkout's."""
    packaged = Path(__file__).resolve().parent.parent / "schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "schemas"


def bundled_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in bundled_dir().glob("*" + SCHEMA_SUFFIX)}
