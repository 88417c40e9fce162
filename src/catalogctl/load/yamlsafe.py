"""A strict, safe YAML reader on top of libyaml's C parser.

PyYAML's loaders follow YAML 1.1, where `NO` is false, `0755` is octal and
`12:30` is a base-60 number, and they happily expand aliases (billion laughs)
and construct tagged objects. We let libyaml compose the node tree (fast, in C)
but give every node a sentinel tag instead of running PyYAML's resolver, then
build plain Python data ourselves with YAML 1.2-core-like rules: only
`true`/`false` are booleans and only canonical decimal numbers are numbers.
Everything we refuse is reported as a Problem with a line and a column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml._yaml import CParser  # the C extension; PyYAML built without libyaml fails here
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from catalogctl.load import textsafe

MAX_DEPTH = 64
_PLAIN = "?"  # sentinel: "no explicit tag"; libyaml keeps explicit tags verbatim

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_MAYBE_SPECIAL = frozenset("0123456789-+.~nNtTfF")
# Lines' leading block indicators: each indentation column holds at most a mapping
# and a compact sequence, which bounds block nesting without parsing.
_LEAD = re.compile(r"^[ \-?:]*", re.M)


_TYPE_WORDS = {type(None): "null", bool: "a boolean", int: "a number", float: "a number"}


@dataclass(frozen=True)
class Problem:
    """Something the reader refused. `rule` is a rule id of the rule registry."""

    rule: str
    message: str
    line: int  # 1-based
    column: int  # 1-based
    path: tuple[str | int, ...] = ()


class _Composer(CParser):
    """libyaml composer that tags every implicitly typed node with the sentinel."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _PLAIN

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def resolve_plain(value: str) -> Any:
    """Type of a plain (unquoted) scalar. Raises ValueError for NaN and infinity."""
    if value and value[0] not in _MAYBE_SPECIAL:
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value) and any(c in value for c in ".eE"):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        return number
    if _NON_FINITE.match(value):
        raise ValueError(value)
    return value


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars, collecting Problems."""

    def __init__(self, escapes: bool = False) -> None:
        self.problems: list[Problem] = []
        # The text has a backslash, so a double-quoted scalar may spell any
        # character as an escape (raw characters are checked before parsing).
        self.escapes = escapes

    def check_decoded(self, node: Node, path: tuple[str | int, ...], key: bool = False) -> None:
        why = textsafe.refused_char(node.value, key)
        if why is not None:
            self.problem("file-invalid", why, node, path)

    def problem(self, rule: str, message: str, node: Node, path: tuple[str | int, ...]) -> None:
        line, column = _mark(node)
        self.problems.append(Problem(rule, message, line, column, path))

    def build(self, node: Node, path: tuple[str | int, ...], depth: int) -> Any:
        if node.tag != _PLAIN:
            self.problem(
                "yaml-unsafe",
                f"tag {_short_tag(node.tag)} is not allowed; remove it "
                "(quote the value if it must be a string)",
                node,
                path,
            )
            return None
        cls = node.__class__
        if cls is ScalarNode:
            if node.style:  # type: ignore[attr-defined]  # quoted or block scalar; libyaml gives plain ones style ''
                if self.escapes and node.style == '"':  # type: ignore[attr-defined]
                    self.check_decoded(node, path)
                return node.value
            try:
                return resolve_plain(node.value)
            except ValueError:
                self.problem(
                    "yaml-unsafe",
                    f"{node.value} (NaN or infinity) is not allowed; use a finite number",
                    node,
                    path,
                )
                return None
        if depth >= MAX_DEPTH:
            self.problem(
                "file-invalid",
                f"nesting deeper than {MAX_DEPTH} levels; flatten the document",
                node,
                path,
            )
            return None
        if cls is SequenceNode:
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.mapping(node, path, depth)

    def mapping(self, node: Node, path: tuple[str | int, ...], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                self.problem(
                    "yaml-unsafe",
                    "a mapping or list used as a key is not allowed; keys must be plain strings",
                    key_node,
                    path,
                )
                continue
            key = key_node.value
            if key_node.tag != _PLAIN:
                self.build(key_node, path, depth)  # reports the tag
                continue
            if self.escapes and key_node.style == '"':
                self.check_decoded(key_node, path, key=True)
            if not key_node.style:
                if key == "<<":
                    self.problem(
                        "yaml-unsafe",
                        "merge keys (<<) are not allowed; write the fields out",
                        key_node,
                        path,
                    )
                    continue
                try:
                    typed = resolve_plain(key)
                except ValueError:
                    typed = math.nan
                if not isinstance(typed, str):
                    self.problem(
                        "yaml-unsafe",
                        f"key {key!r} is read as {_TYPE_WORDS.get(type(typed), 'a number')}, "
                        "not text; keys must be strings (quote it)",
                        key_node,
                        path,
                    )
                    continue
            if key in out or key in first_seen:
                line, _ = _mark(first_seen[key])
                self.problem(
                    "yaml-duplicate-key",
                    f"duplicate key {key!r} (first defined on line {line}); remove one of them",
                    key_node,
                    (*path, key),
                )
                continue
            first_seen[key] = key_node
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out


def _needs_event_scan(text: str) -> bool:
    if "&" in text or "*" in text or "!" in text:
        # anchors, aliases and the bare `!` tag leave no trace in composed nodes
        return True
    bound = 2 * (max(map(len, _LEAD.findall(text)), default=0) + 1)
    bound += text.count("[") + text.count("{")
    return bound > MAX_DEPTH


def _scan_events(text: str) -> list[Problem]:
    """Anchors, aliases and nesting depth, from libyaml's (non-recursive) event stream.

    Runs before composing when the cheap text test cannot rule these out, so a
    deeply nested or alias-bomb document is never composed at all.
    """
    problems: list[Problem] = []
    parser = _Composer(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            assert event is not None and event.start_mark is not None
            anchor = getattr(event, "anchor", None)
            line, column = event.start_mark.line + 1, event.start_mark.column + 1
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        "yaml-unsafe",
                        f"alias *{anchor} is not allowed; write the value out in full",
                        line,
                        column,
                    )
                )
            elif getattr(event, "tag", None) == "!":
                problems.append(
                    Problem(
                        "yaml-unsafe",
                        "tag ! is not allowed; remove it (quote the value if it must be a string)",
                        line,
                        column,
                    )
                )
            if anchor is not None and not isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        "yaml-unsafe",
                        f"anchor &{anchor} is not allowed; remove it",
                        line,
                        column,
                    )
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        Problem(
                            "file-invalid",
                            f"nesting deeper than {MAX_DEPTH} levels; flatten the document",
                            line,
                            column,
                        )
                    )
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        # libyaml stops at 1,000 levels with its own error while looking ahead
        if "nesting depth" in str(error.problem) and error.problem_mark is not None:
            mark = error.problem_mark
            message = f"nesting deeper than {MAX_DEPTH} levels; flatten the document"
            problems.append(Problem("file-invalid", message, mark.line + 1, mark.column + 1))
        # any other syntax error is reported, with its mark, by the compose step
    finally:
        parser.dispose()
    return problems


def _syntax_problem(error: yaml.YAMLError) -> Problem:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        what = error.problem or "invalid YAML"
        if error.context:
            what = f"{what} ({error.context})"
        if "expected a single document" in what:
            return Problem(
                "file-invalid",
                "more than one YAML document; keep one document per file",
                mark.line + 1,
                mark.column + 1,
            )
        return Problem("yaml-syntax", f"YAML syntax error: {what}", mark.line + 1, mark.column + 1)
    return Problem("yaml-syntax", f"YAML syntax error: {error}", 1, 1)


def compose(text: str) -> Node | None:
    """The node tree (tags left as the sentinel). Raises yaml.YAMLError."""
    parser = _Composer(text)
    try:
        node: Node | None = parser.get_single_node()
        return node
    finally:
        parser.dispose()


def parse(text: str) -> tuple[Any, list[Problem], Node | None]:
    """Parse one document: (data or None, problems, root node for locating errors)."""
    if _needs_event_scan(text):
        problems = _scan_events(text)
        if problems:
            return None, problems, None
    try:
        root = compose(text)
    except yaml.YAMLError as error:
        return None, [_syntax_problem(error)], None
    if root is None or (isinstance(root, ScalarNode) and not root.value and not root.style):
        return (
            None,
            [Problem("file-invalid", "the file is empty; write one YAML mapping", 1, 1)],
            None,
        )
    builder = _Builder(escapes="\\" in text)
    data = builder.build(root, (), 0)
    if builder.problems:
        return None, builder.problems, root
    if not isinstance(data, dict):
        line, column = _mark(root)
        problem = Problem(
            "file-invalid",
            "the document must be a mapping (apiVersion, kind, metadata, spec)",
            line,
            column,
        )
        return None, [problem], root
    return data, [], root


def locate(root: Node | None, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
    """Line and column of the node at `path`, or of its deepest existing ancestor.

    With `key=True` a mapping entry is located at its key rather than its value.
    """
    if root is None:
        return 1, 1
    node: Node = root
    where = _mark(root)
    for part in path:
        if isinstance(node, MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == part:
                    node = value_node
                    where = _mark(key_node) if key else _mark(value_node)
                    break
            else:
                return where
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            where = _mark(node)
        else:
            return where
    return where


def inside_text(root: Node, line: int) -> bool:
    """Whether 1-based `line` lies inside a multi-line scalar (a Markdown heading
    in a description looks like a comment but is text)."""
    index = line - 1
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            start, end = node.start_mark, node.end_mark
            if start.line < index < end.line or (index == end.line > start.line and end.column):
                return True
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return False
