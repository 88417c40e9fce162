"""`$ref`s inlined, with or without the `referencing` library.

`inline` replaces every `$ref` by its target before a schema is used;
`schemas` runs it with `referencing` before jsonschema compiles a
validator. The compiled validity check (`verdict`) needs the same inlined
schemas but neither library: importing
them costs more than checking the few files a warm run reads. This module
resolves what the bundled schemas and the conventional layout of a
catalog's own `schemas/` use, exactly as `referencing` does:

- a reference relative to the current base URI (`defs.schema.json#/...`,
  the file name when a schema has no `$id`), joined as `urljoin` joins it;
- an absolute reference to a schema's `$id`;
- JSON pointers (`#/$defs/id`) into the set's documents;
- the base URI switching to an embedded resource's own `$id`.

Anything else (anchors, a URI no document of the set declares, a pointer
that passes through or lands on another embedded resource, two documents
claiming one URI) raises `Unsupported`, and the caller takes the `referencing` path: the
answer is then computed as before, never guessed. A test compares the two
resolutions' results on the bundled schemas.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote, urldefrag, urljoin

_ANNOTATIONS = frozenset({"description", "title", "default", "examples", "$comment"})
Scope = TypeVar("Scope")


class Unsupported(Exception):
    """A reference this resolver does not follow; use `referencing`."""


def registry(documents: Mapping[str, Any]) -> dict[str, Any]:
    """The documents by the URI `SchemaSet` registers them under."""
    found: dict[str, Any] = {}
    for name, document in documents.items():
        if not isinstance(document, dict):
            raise Unsupported(name)
        uri = document.get("$id", name)
        if not isinstance(uri, str):
            raise Unsupported(name)
        uri = uri.rstrip("#")
        if uri in found:  # two documents claim one URI: referencing picks one
            raise Unsupported(uri)
        found[uri] = document
    return found


def _pointer(document: Any, fragment: str) -> Any:
    """The node at a JSON pointer, as `referencing.Resource.pointer` finds it;
    Unsupported where that would change the base URI on the way."""
    node = document
    if not fragment:
        return node
    for segment in unquote(fragment[1:]).split("/"):
        if isinstance(node, list):
            try:
                node = node[int(segment)]
            except (ValueError, IndexError):
                raise Unsupported(fragment) from None
        elif isinstance(node, dict):
            key = segment.replace("~1", "/").replace("~0", "~")
            if key not in node:
                raise Unsupported(fragment)
            node = node[key]
        else:
            raise Unsupported(fragment)
        if isinstance(node, dict) and "$id" in node:
            raise Unsupported(fragment)  # an embedded resource: its own base
    return node


def _lookup(found: Mapping[str, Any], base: str, ref: str) -> tuple[Any, str]:
    """The target of `ref` seen from `base`, and the base URI inside it."""
    if ref.startswith("#"):
        uri, fragment = base, ref[1:]
    else:
        uri, fragment = urldefrag(urljoin(base, ref))
    if uri not in found or (fragment and not fragment.startswith("/")):
        raise Unsupported(ref)
    return _pointer(found[uri], fragment), uri


class Resolver(Protocol[Scope]):
    """Where references are resolved: the scope is a base URI here, a
    `referencing` resolver in `schemas`."""

    def enter(self, scope: Scope, resource: dict[str, Any]) -> Scope:
        """The scope inside a node with its own `$id`."""
        ...

    def lookup(self, scope: Scope, ref: str) -> tuple[Any, Scope]:
        """The target of `ref` and the scope inside it."""
        ...


def inline(node: Any, resolver: Resolver[Scope], scope: Scope, stack: tuple[str, ...] = ()) -> Any:
    """Replace `$ref`s by their targets: validation then never resolves
    references, which is most of jsonschema's per-document cost. Recursive
    references stay references; a `$ref` with sibling assertions becomes an
    `allOf` of both, with only annotations beside it they merge."""
    if isinstance(node, list):
        return [inline(item, resolver, scope, stack) for item in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("$id"), str):
        # An embedded resource (the copy of defs.schema.json each schema
        # carries for other tools): references inside it are relative to its
        # own $id, not to the schema that holds it.
        scope = resolver.enter(scope, node)
    ref = node.get("$ref")
    if isinstance(ref, str) and ref not in stack:
        contents, inner = resolver.lookup(scope, ref)
        target = inline(contents, resolver, inner, (*stack, ref))
        siblings = {k: inline(v, resolver, scope, stack) for k, v in node.items() if k != "$ref"}
        if not isinstance(target, dict):
            return target
        if set(siblings) <= _ANNOTATIONS:
            return {**target, **siblings}
        return {**siblings, "allOf": [target]}
    return {key: inline(value, resolver, scope, stack) for key, value in node.items()}


@dataclass(frozen=True)
class _Own:
    """Resolution in the set's documents by URI (see `registry`)."""

    found: Mapping[str, Any]

    def enter(self, scope: str, resource: dict[str, Any]) -> str:
        return urljoin(scope, str(resource["$id"]))

    def lookup(self, scope: str, ref: str) -> tuple[Any, str]:
        return _lookup(self.found, scope, ref)


def inline_all(texts: Mapping[str, str], names: Mapping[str, str]) -> dict[str, Any]:
    """Each schema of `names` (kind name -> file name) from the set's texts,
    its references inlined; Unsupported for anything `SchemaSet` would treat
    otherwise than this (a missing file, text that is no JSON object)."""
    try:
        documents = {name: json.loads(text) for name, text in texts.items()}
    except ValueError:
        raise Unsupported("not JSON") from None
    own = _Own(registry(documents))
    inlined: dict[str, Any] = {}
    for kind, name in names.items():
        document = documents.get(name)
        if not isinstance(document, dict):
            raise Unsupported(name)
        inlined[kind] = inline(document, own, document.get("$id", name))
    return inlined
