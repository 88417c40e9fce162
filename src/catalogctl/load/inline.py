"""`$ref`s inlined without the `referencing` library, for the layouts we know.

`schemas._inline` replaces every `$ref` by its target through `referencing`
before jsonschema compiles a validator. The compiled validity check
(`verdict`) needs the same inlined schemas but neither library: importing
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
inliners on every schema set the tests know.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

_ANNOTATIONS = frozenset({"description", "title", "default", "examples", "$comment"})


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


def inline(node: Any, found: Mapping[str, Any], base: str, stack: tuple[str, ...] = ()) -> Any:
    """`schemas._inline` of `node`, resolved in `found` (see `registry`)."""
    if isinstance(node, list):
        return [inline(item, found, base, stack) for item in node]
    if not isinstance(node, dict):
        return node
    own = node.get("$id")
    if isinstance(own, str):
        base = urljoin(base, own)
    ref = node.get("$ref")
    if isinstance(ref, str) and ref not in stack:
        contents, uri = _lookup(found, base, ref)
        target = inline(contents, found, uri, (*stack, ref))
        siblings = {k: inline(v, found, base, stack) for k, v in node.items() if k != "$ref"}
        if not isinstance(target, dict):
            return target
        if set(siblings) <= _ANNOTATIONS:
            return {**target, **siblings}
        return {**siblings, "allOf": [target]}
    return {key: inline(value, found, base, stack) for key, value in node.items()}


def inline_all(texts: Mapping[str, str], names: Mapping[str, str]) -> dict[str, Any]:
    """Each schema of `names` (kind name -> file name) from the set's texts,
    its references inlined; Unsupported for anything `SchemaSet` would treat
    otherwise than this (a missing file, text that is no JSON object)."""
    try:
        documents = {name: json.loads(text) for name, text in texts.items()}
    except ValueError:
        raise Unsupported("not JSON") from None
    found = registry(documents)
    inlined: dict[str, Any] = {}
    for kind, name in names.items():
        document = documents.get(name)
        if not isinstance(document, dict):
            raise Unsupported(name)
        inlined[kind] = inline(document, found, document.get("$id", name))
    return inlined
