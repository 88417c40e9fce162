"""A small YAML emitter: block style, with flow style where asked for.

It quotes every string another YAML reader could take for something else
(``"08:00"``, ``"2022"``, ``"on"``), but writes dates and date-times plainly,
as people do (``review: 2028-09-30``).
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["Flow", "Inline", "dump", "scalar"]


class Flow(dict[str, Any]):
    """A mapping written in flow style: ``{type: runs-on, target: vm-01}``."""


class Inline(list[Any]):
    """A list of scalars written in flow style: ``[hr, finance]``."""


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})\Z"
)
# Plain (unquoted) only when no YAML reader can take it for anything but text:
# starts with a letter, no ':' or '#', no flow indicators, no leading or
# trailing blanks, and not one of YAML 1.1's boolean or null words.
_PLAIN_BLOCK = re.compile(r"[A-Za-z][A-Za-z0-9 ._/@()+,'`%;!?-]*\Z")
_PLAIN_FLOW = re.compile(r"[A-Za-z][A-Za-z0-9 ._/@()+'`%;!?-]*\Z")
# Durations and schedules (15m, 4h, 2w, 24x7): digits then a letter that cannot
# start an exponent.
_PLAIN_UNIT = re.compile(r"[0-9]+[a-df-z][a-z0-9-]*\Z")
_SPECIAL_WORDS = frozenset(
    {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}
)


def _quote(text: str) -> str:
    # JSON string escapes are a subset of YAML double-quoted escapes.
    return json.dumps(text, ensure_ascii=False)


_CACHE: tuple[dict[str, str], dict[str, str]] = ({}, {})  # block, flow


def scalar(value: Any, flow: bool = False) -> str:
    """One scalar as YAML text."""
    if value.__class__ is str:
        cache = _CACHE[flow]
        done = cache.get(value)
        if done is None:
            done = cache[value] = _string(value, flow)
        return done
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if value is None:
        return "null"
    return _string(str(value), flow)


def _string(text: str, flow: bool) -> str:
    if _DATE.match(text) or _DATE_TIME.match(text) or _PLAIN_UNIT.match(text):
        return text
    plain = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if plain.match(text) and not text.endswith(" ") and text.lower() not in _SPECIAL_WORDS:
        return text
    return _quote(text)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v, flow=True)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]"


def _literal(text: str, indent: int, out: list[str]) -> str:
    """The header of a literal block scalar; appends its lines to `out`."""
    pad = " " * indent
    body = text.rstrip("\n")
    for line in body.split("\n"):
        out.append(f"{pad}{line}\n" if line else "\n")
    return "|" if text.endswith("\n") else "|-"


def _mapping(data: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in data.items():
        if isinstance(value, Flow | Inline):
            out.append(f"{pad}{key}: {_flow(value)}\n")
        elif isinstance(value, dict):
            out.append(f"{pad}{key}:\n")
            _mapping(value, indent + 2, out)
        elif isinstance(value, list):
            out.append(f"{pad}{key}:\n")
            _sequence(value, indent + 2, out)
        elif isinstance(value, str) and "\n" in value:
            lines: list[str] = []
            header = _literal(value, indent + 2, lines)
            out.append(f"{pad}{key}: {header}\n")
            out.extend(lines)
        else:
            out.append(f"{pad}{key}: {scalar(value)}\n")


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, Flow | Inline):
            out.append(f"{pad}- {_flow(item)}\n")
        elif isinstance(item, dict):
            start = len(out)
            _mapping(item, indent + 2, out)
            out[start] = f"{pad}- {out[start][indent + 2 :]}"
        elif isinstance(item, str) and "\n" in item:
            lines: list[str] = []
            header = _literal(item, indent + 2, lines)
            out.append(f"{pad}- {header}\n")
            out.extend(lines)
        else:
            out.append(f"{pad}- {scalar(item)}\n")


def dump(document: dict[str, Any], comment: str | None = None) -> str:
    """A document as block-style YAML, optionally under a `# comment` line."""
    out: list[str] = [f"# {comment}\n"] if comment else []
    _mapping(document, 0, out)
    return "".join(out)
