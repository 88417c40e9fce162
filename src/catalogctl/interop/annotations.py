"""The `catalogctl.io/...` annotations: our fields that Backstage has no place for.

Export writes every catalog field Backstage cannot express as an annotation
(one-word values as they are, structured ones as compact JSON, since
annotation values are strings); import reads them back, so export -> import
gives the same catalog. A descriptor written by hand has none of them, and
then the import's defaults apply.
"""

from __future__ import annotations

import json
from typing import Any

from catalogctl.interop.backstage_read import Descriptor
from catalogctl.load import kinds

PREFIX = "catalogctl.io/"
ID = PREFIX + "id"
ONCALL = PREFIX + "oncall"
# Annotations Backstage's GitHub integrations use for the GitHub user and team.
GITHUB_LOGIN = "github.com/user-login"
GITHUB_TEAM = "github.com/team-slug"

# Per kind: spec fields carried as plain text, as an integer, and as JSON.
TEXT = {
    kinds.SERVICE.name: ("type", "visibility", "category"),
    kinds.CI.name: ("type", "environment", "status", "vendor", "location", "expires"),
    kinds.TEAM.name: (),
}
INTEGER = {kinds.SERVICE.name: ("tier",), kinds.CI.name: (), kinds.TEAM.name: ()}
JSON = {
    kinds.SERVICE.name: ("support", "offerings", "cost", "continuity", "security"),
    kinds.CI.name: ("relations", "attributes"),
    kinds.TEAM.name: (),
}


LISTS = frozenset({"offerings", "relations"})


def has(descriptor: Descriptor, key: str) -> bool:
    return descriptor.annotation(PREFIX + key) is not None


def json_value(descriptor: Descriptor, key: str, kind: type) -> Any:
    """The JSON value of annotation catalogctl.io/<key>, if it is a `kind`."""
    text = descriptor.annotation(PREFIX + key)
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, kind) else None


def spec_fields(descriptor: Descriptor, kind: kinds.Kind) -> dict[str, Any]:
    """The spec fields the descriptor's catalogctl.io annotations carry."""
    out: dict[str, Any] = {}
    for key in TEXT[kind.name]:
        value = descriptor.annotation(PREFIX + key)
        if value is not None:
            out[key] = value
    for key in INTEGER[kind.name]:
        value = descriptor.annotation(PREFIX + key)
        if value is not None and value.strip().isdigit():
            out[key] = int(value)
    for key in JSON[kind.name]:
        value = json_value(descriptor, key, list if key in LISTS else dict)
        if value is not None:
            out[key] = value
    return out


def encode(value: Any) -> str:
    """An annotation value: text as it is, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
