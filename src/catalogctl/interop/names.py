"""Backstage names and entity refs, and how they become catalog ids.

Backstage's own rules (catalog-model's KubernetesValidatorFunctions): a
name is 1-63 characters, letters, digits and `-_.`, starting and ending
with a letter or digit; a namespace is a DNS label; refs are
`[kind:][namespace/]name`, compared without regard to case, with the
namespace `default` when it is left out.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from catalogctl.load import kinds

DEFAULT_NAMESPACE = "default"
_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_NAMESPACE = re.compile(r"^[a-z0-9]+(?:-+[a-z0-9]+)*\Z")
_NOT_ID = re.compile(r"[_.]")
_NOT_TAG = re.compile(r"[^a-z0-9]+")
# Between a namespace and a name in an id: Backstage names never hold two
# separators in a row, namespaces never hold `_` or `.`, so `--` only
# collides with a default-namespace name that already spells it out.
NAMESPACE_SEPARATOR = "--"


class EntityRef(NamedTuple):
    """A Backstage entity ref, lower-cased (refs compare without case)."""

    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name}"


def valid_name(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 63 and bool(_NAME.match(value))


def valid_namespace(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 63 and bool(_NAMESPACE.match(value))


def parse_ref(text: str, default_kind: str, default_namespace: str) -> EntityRef | None:
    """`[kind:][namespace/]name` as Backstage reads it; None when malformed."""
    kind, colon, rest = text.partition(":")
    if not colon:
        kind, rest = default_kind, text
    namespace, slash, name = rest.partition("/")
    if not slash:
        namespace, name = default_namespace, rest
    if not kind or not namespace or not name:
        return None
    return EntityRef(kind.lower(), namespace.lower(), name.lower())


def to_id(namespace: str, name: str) -> str | None:
    """The catalog id of a Backstage entity, or None when it would not fit.

    The name is lower-cased and `_` and `.` become `-` (Backstage names
    compare without case already); an entity outside the default namespace
    is `<namespace>--<name>`, so that it stays distinct from one in it."""
    converted = _NOT_ID.sub("-", name.lower())
    if namespace.lower() != DEFAULT_NAMESPACE:
        converted = f"{namespace.lower()}{NAMESPACE_SEPARATOR}{converted}"
    return converted if kinds.ID_PATTERN.match(converted) else None


def to_tag(tag: str) -> str | None:
    """A Backstage tag as a catalog tag (lower-case slug, at most 41
    characters): runs of other characters become one `-`."""
    slug = _NOT_TAG.sub("-", tag.lower()).strip("-")[:41].strip("-")
    return slug or None


_BACKSTAGE_TAG = re.compile(r"^[a-z0-9+#]+(-[a-z0-9+#]+)*\Z")


def valid_backstage_tag(tag: str) -> bool:
    """Backstage's tag rule (catalog-model's CommonValidatorFunctions.isValidTag:
    1-63 characters of `a-z0-9+#`, words joined by single `-`)."""
    return len(tag) <= 63 and bool(_BACKSTAGE_TAG.match(tag))
