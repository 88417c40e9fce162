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
from typing import Any

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
        escaped = escaped.replace("\r", "\\r")
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
    parent, key_node, value_node = _entry(text, path)
    if key_node is None or value_node is None:
        raise EditError(f"{'.'.join(path)} is missing")
    if any(isinstance(k, ScalarNode) and k.value == key for k, _ in parent.value):
        where = ".".join(path[:-1])
        raise EditError(f"{where}.{key} exists already" if where else f"{key} exists already")
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


# Whole-field edits for importers: a field the import owns may be a list or a
# small mapping, and may be new or gone. The rest of the file stays as written.
Value = str | int | float | bool | list[Any] | dict[str, Any]


# Text that reads back as itself when written plain in block context: words,
# spaces between them and a few punctuation marks, starting with a letter.
_PLAIN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9_./@+()&,' -]*(?<! )\Z")


def _literal(value: str, indent: int) -> str | None:
    """Text of several lines as a literal block (`|`, or `|-` without a final
    line break) indented to `indent`; None when a literal block could not
    say it exactly (a first line that starts with a blank, CRs, more than one
    final line break)."""
    body = value.removesuffix("\n")
    if "\n" not in body or "\r" in value or value[:1] in (" ", "\t") or body.endswith("\n"):
        return None
    pad = " " * indent
    lines = "\n".join(pad + line if line else "" for line in body.split("\n"))
    return ("|" if value.endswith("\n") else "|-") + "\n" + lines


def _scalar_text(value: object, block: bool = False, indent: int = 0) -> str:
    if block and isinstance(value, str):
        if _PLAIN_TEXT.match(value) and _plain(value) == value:
            return value
        literal = _literal(value, indent)
        if literal is not None:
            return literal
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return _render(str(value), "")


def render_block(value: Value, indent: int) -> str:
    """`value` in block style, its first line starting where the caller is and
    the others at `indent` columns; empty collections and scalars are flow."""
    pad = " " * indent
    if isinstance(value, list) and value:
        items = [render_block(item, indent + 2) for item in value]
        return ("\n" + pad).join("- " + item for item in items)
    if isinstance(value, dict) and value:
        lines = []
        for key, item in value.items():
            nested = isinstance(item, (list, dict)) and item
            rendered = render_block(item, indent + 2)
            lines.append(f"{key}:\n{pad}  {rendered}" if nested else f"{key}: {rendered}")
        return ("\n" + pad).join(lines)
    if isinstance(value, list):
        return "[]"
    if isinstance(value, dict):
        return "{}"
    return _scalar_text(value, block=True, indent=indent)


def _last_index(node: Node, text: str) -> int:
    """Where the node's own text ends: a block collection's end mark lies past
    the line break and the next key's indentation, its last scalar does not."""
    if isinstance(node, ScalarNode):
        end = int(node.end_mark.index)
        if node.style in ("|", ">"):  # its end mark is past the trailing line breaks
            start = int(node.start_mark.index)
            while end > start and text[end - 1] in " \r\n":
                end -= 1
        return end
    if node.flow_style:  # type: ignore[attr-defined]
        return int(node.end_mark.index)
    children = node.value
    if not children:
        return int(node.end_mark.index)
    last = children[-1]
    return _last_index(last[1] if isinstance(last, tuple) else last, text)


def _entry(text: str, path: tuple[str, ...]) -> tuple[MappingNode, Node | None, Node | None]:
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
    found = [(k, v) for k, v in parent.value if isinstance(k, ScalarNode) and k.value == path[-1]]
    if len(found) > 1:
        raise EditError(f"{'.'.join(path)} is defined more than once")
    return (parent, *found[0]) if found else (parent, None, None)


def set_field(text: str, path: tuple[str, ...], value: Value) -> str:
    """`text` with the field at `path` set to `value` (a scalar, a list or a
    mapping of them), added at the end of its mapping when missing.

    A one-line string keeps its quoting (`replace_scalar`); any other value
    replaces the old one's text only, in block style at the old indentation
    (flow style when the old value was flow). Comments elsewhere, key order
    and the rest of the file are untouched; comments inside a replaced list
    go with it."""
    parent, key_node, node = _entry(text, path)
    if node is None or key_node is None:
        column = parent.value[0][0].start_mark.column if parent.value else 0
        end = _last_index(parent, text)
        line_end = text.find("\n", end)
        newline = "\r\n" if line_end > 0 and text[line_end - 1] == "\r" else "\n"
        nested = isinstance(value, (list, dict)) and value
        body = render_block(value, column + 2)
        entry = (
            " " * column
            + path[-1]
            + (f":{newline}{' ' * (column + 2)}{body}" if nested else f": {body}")
        )
        entry = entry.replace("\n", newline) if newline == "\r\n" else entry
        if line_end < 0:
            return text + newline + entry + newline
        return text[: line_end + 1] + entry + newline + text[line_end + 1 :]
    if isinstance(value, str) and isinstance(node, ScalarNode) and node.value:
        try:
            return replace_scalar(text, path, value)
        except EditError:
            pass  # a block scalar: replaced as a whole below
    start, end = node.start_mark.index, _last_index(node, text)
    flow = not isinstance(node, ScalarNode) and node.flow_style  # type: ignore[attr-defined]
    if flow or not value or not isinstance(value, (list, dict)):
        if isinstance(value, str) and not flow:  # a block scalar may become a literal block
            rendered = _scalar_text(value, block=True, indent=key_node.start_mark.column + 2)
        else:
            rendered = json_flow(value)
        if node.start_mark.line != key_node.start_mark.line or not text[start:end]:
            start = key_node.end_mark.index  # the value sat on later lines: pull it up
            rendered = ": " + rendered
        return text[:start] + rendered + text[end:]
    if node.start_mark.line == key_node.start_mark.line:
        # a scalar or flow value on the key's line becomes a block below it
        column = key_node.start_mark.column + 2
        return (
            text[: key_node.end_mark.index]
            + ":\n"
            + " " * column
            + render_block(value, column)
            + text[end:]
        )
    return text[:start] + render_block(value, node.start_mark.column) + text[end:]


def json_flow(value: object) -> str:
    """A value in YAML flow style (strings quoted only when they must be)."""
    if isinstance(value, list):
        return "[" + ", ".join(json_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {json_flow(v)}" for k, v in value.items()) + "}"
    return _scalar_text(value)


def remove_field(text: str, path: tuple[str, ...]) -> str:
    """`text` without the field at `path` (its key's line through its value's
    last line); unchanged when the field is missing."""
    _, key_node, node = _entry(text, path)
    if key_node is None or node is None:
        return text
    start = text.rfind("\n", 0, key_node.start_mark.index) + 1
    if text[start : key_node.start_mark.index].strip(" "):
        raise EditError(f"{'.'.join(path)} does not start its own line")
    end = text.find("\n", _last_index(node, text))
    return text[:start] + ("" if end < 0 else text[end + 1 :])
