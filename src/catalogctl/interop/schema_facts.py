"""What the catalog's schemas allow, read from them: the one source.

An import checks a foreign value against the pattern or list the schema
uses before writing it, so what it writes validates; reading them here
keeps a second copy out of the code.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any


@functools.cache
def _schema(name: str) -> dict[str, Any]:
    from catalogctl.load import schemas

    data: dict[str, Any] = json.loads((schemas.bundled_dir() / name).read_text(encoding="utf-8"))
    return data


def _pattern(text: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262; `$` there is the end of the text
    return re.compile(text.removesuffix("$") + r"\Z")


def definition(name: str) -> dict[str, Any]:
    found: dict[str, Any] = _schema("defs.schema.json")["$defs"][name]
    return found


@functools.cache
def pattern(name: str) -> re.Pattern[str]:
    """The pattern of a shared definition (githubLogin, email, url, ...)."""
    return _pattern(definition(name)["pattern"])


@functools.cache
def team_github() -> re.Pattern[str]:
    """The org/team-slug pattern of a team's `github` field."""
    spec = _schema("team.schema.json")["properties"]["spec"]
    return _pattern(spec["properties"]["github"]["pattern"])


def ci_types() -> tuple[str, ...]:
    """The CI types the schema allows."""
    return tuple(definition("ciType")["enum"])


def link_types() -> frozenset[str]:
    return frozenset(definition("linkType")["enum"])


def spec_enum(schema: str, field: str) -> tuple[str, ...]:
    """The values a kind's `spec.<field>` may take (`service.schema.json`, `lifecycle`)."""
    spec = _schema(schema)["properties"]["spec"]["properties"]
    return tuple(spec[field]["enum"])


def relation_types() -> tuple[str, ...]:
    spec = _schema("configuration-item.schema.json")["properties"]["spec"]["properties"]
    return tuple(spec["relations"]["items"]["properties"]["type"]["enum"])
