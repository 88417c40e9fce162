"""Edit one scalar of a YAML file in place, leaving every other byte alone.

Tools that load YAML and dump it again lose comments, quoting, key order,
indentation and line endings. Here the file is composed once to find where
the scalar's source text starts and ends (libyaml marks count characters,
like Python's string indices), and only that slice is replaced, in the
quoting style it was written in. Pure functions of text; the caller reads
and writes the file.
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode

from catalogctl.load import yamlsafe

# Plain scalars that read back as the same string (no indicator, no special word).
_PLAIN_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


class EditError(ValueError):
    """The edit cannot be made without touching more than the scalar."""


def _child(node: Node, key: str, where: str) -> Node:
    if not isinstance(node, MappingNode):
        raise EditError(f"{where or '(document)'} is not a mapping")
    found = [
        value
        for key_node, value in node.value
        if isinstance(key_node, ScalarNode) and key_node.value == key
    ]
    if not found:
        raise EditError(f"{(where + '.' if where else '') + key} is missing")
    if len(found) > 1:
        raise EditError(f"{(where + '.' if where else '') + key} is defined more than once")
    child: Node = found[0]
    return child


def _render(value: str, style: str | None) -> str:
    """`value` as a scalar in the given libyaml style ('' plain, '"' or "'")."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"' or not (_PLAIN_SAFE.match(value) and isinstance(_plain(value), str)):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'
    return value


def _plain(value: str) -> object:
    try:
        return yamlsafe.resolve_plain(value)
    except ValueError:
        return None


def replace_scalar(text: str, path: tuple[str, ...], value: str) -> str:
    """`text` with the string scalar at mapping `path` set to `value`.

    The original quoting style is kept (a plain value that would not read back
    as the same string is double-quoted). Comments, other keys, flow or block
    style and line endings are untouched. Raises EditError when the path does
    not lead to a single-line scalar, and yaml.YAMLError when `text` is not YAML.
    """
    root = yamlsafe.compose(text)
    if root is None:
        raise EditError("the file is empty")
    node: Node = root
    where = ""
    for key in path:
        node = _child(node, key, where)
        where = f"{where}.{key}" if where else key
    if not isinstance(node, ScalarNode):
        raise EditError(f"{where} is not a single value")
    style = node.style or ""
    start, end = node.start_mark.index, node.end_mark.index
    source = text[start:end]
    if not source:
        raise EditError(f"{where} has no value")
    if style not in ("", '"', "'") or "\n" in source or "\r" in source:
        raise EditError(f"{where} is not written on one line; write it as `{path[-1]}: value`")
    edited = text[:start] + _render(value, style) + text[end:]
    check = _child_value(yamlsafe.compose(edited), path)
    if check != value:  # pragma: no cover - guards the splice itself
        raise EditError(f"{where}: the edit would read back as {check!r}")
    return edited


def _child_value(root: Node | None, path: tuple[str, ...]) -> str | None:
    node = root
    for key in path:
        if node is None:
            return None
        node = _child(node, key, "")
    if not isinstance(node, ScalarNode):
        return None
    if node.style:
        return str(node.value)
    typed = _plain(node.value)
    return typed if isinstance(typed, str) else None


def set_state(text: str, state: str) -> str:
    """The change request `text` with `spec.state` set to `state`."""
    return replace_scalar(text, ("spec", "state"), state)


def insert_after(text: str, path: tuple[str, ...], key: str, value: str) -> str:
    """`text` with a new line `key: value` after the block-mapping entry at
    `path` (whose value is a one-line scalar), at the entry's indentation and
    with the file's line ending. Raises EditError when `key` exists already."""
    root = yamlsafe.compose(text)
    if root is None:
        raise EditError("the file is empty")
    parent: Node = root
    where = ""
    for part in path[:-1]:
        parent = _child(parent, part, where)
        where = f"{where}.{part}" if where else part
    if not isinstance(parent, MappingNode) or parent.flow_style:
        raise EditError(f"{where or '(document)'} is not a block mapping")
    entries = [(k, v) for k, v in parent.value if isinstance(k, ScalarNode) and k.value == path[-1]]
    if len(entries) != 1:
        raise EditError(f"{'.'.join(path)} is missing or defined more than once")
    if any(isinstance(k, ScalarNode) and k.value == key for k, _ in parent.value):
        raise EditError(f"{where}.{key} exists already")
    key_node, value_node = entries[0]
    if (
        not isinstance(value_node, ScalarNode)
        or value_node.start_mark.line != key_node.start_mark.line
    ):
        raise EditError(f"{'.'.join(path)} is not a one-line value")
    line_end = text.find("\n", value_node.end_mark.index)
    newline = "\r\n" if line_end > 0 and text[line_end - 1] == "\r" else "\n"
    entry = " " * key_node.start_mark.column + f"{key}: {_render(value, '')}"
    if line_end < 0:
        return text + newline + entry
    return text[: line_end + 1] + entry + newline + text[line_end + 1 :]
