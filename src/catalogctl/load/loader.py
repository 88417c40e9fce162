"""Bytes of one file -> checked text -> YAML data, with every refusal as a Diagnostic.

The same function serves the working tree and git trees (see `sources`), so a
file means the same thing wherever it is read from. Catalog files come from
pull requests and are treated as hostile: size, encoding and control characters
are checked before the YAML parser sees a byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from catalogctl.load import textsafe, yamlsafe
from catalogctl.load.diagnostics import Diagnostic, format_path

MAX_FILE_BYTES = 1 << 20
_SUPPRESS = re.compile(r"^[ \t]*#[ \t]*catalogctl:[ \t]*disable=([^\n]*)$", re.M)


@dataclass(frozen=True)
class Suppression:
    """`# catalogctl: disable=rule-a,rule-b -- reason` anywhere in a file."""

    rules: tuple[str, ...]
    reason: str
    line: int


@dataclass(frozen=True, slots=True)  # one per file: 50,000 in a large catalog
class LoadedFile:
    path: str
    data: dict[str, Any] | None  # None: the file could not be read safely
    diagnostics: tuple[Diagnostic, ...]
    suppressions: tuple[Suppression, ...]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - text.rfind("\n", 0, offset)


def refused(path: str, message: str, rule: str = "file-invalid") -> LoadedFile:
    """A file the loader never parses (too large, a symlink, a submodule, hidden...)."""
    return LoadedFile(path, None, (Diagnostic(path, 1, 1, rule, message),), ())


def decode(path: str, raw: bytes) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text without forbidden characters, or the reason it is refused."""
    if len(raw) > MAX_FILE_BYTES:
        return None, Diagnostic(
            path,
            1,
            1,
            "file-invalid",
            f"file is {len(raw):,} bytes, over the 1 MiB limit; split it or trim it",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        start = error.start
        line = raw.count(b"\n", 0, start) + 1
        column = start - raw.rfind(b"\n", 0, start)
        return None, Diagnostic(
            path,
            line,
            column,
            "file-invalid",
            f"byte 0x{raw[start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
    text = text.removeprefix("\ufeff")
    bad = textsafe.FORBIDDEN.search(text)
    if bad:
        line, column = _line_col(text, bad.start())
        return None, Diagnostic(
            path,
            line,
            column,
            "file-invalid",
            f"{textsafe.char_kind(bad.group())} U+{ord(bad.group()):04X} is not allowed; remove it",
        )
    return text, None


def suppressions(path: str, text: str) -> tuple[list[Suppression], list[Diagnostic]]:
    if "catalogctl:" not in text:
        return [], []
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    for match in _SUPPRESS.finditer(text):
        line, column = _line_col(text, match.start())
        spec, _, reason = match.group(1).partition("--")
        rules = tuple(r.strip() for r in spec.split(",") if r.strip())
        if not reason.strip() or not rules:
            problems.append(
                Diagnostic(
                    path,
                    line,
                    column,
                    "invalid-suppression",
                    "a suppression needs rule ids and a reason: "
                    "'# catalogctl: disable=<rule-id> -- <why>'",
                )
            )
            continue
        found.append(Suppression(rules, reason.strip(), line))
    return found, problems


def load(path: str, raw: bytes) -> tuple[LoadedFile, Any]:
    """Read one file. Returns the result and the YAML root node (for locating
    schema errors; None when the file did not compose)."""
    text, refusal = decode(path, raw)
    if text is None:
        assert refusal is not None
        return LoadedFile(path, None, (refusal,), ()), None
    sups, diagnostics = suppressions(path, text)
    data, problems, root = yamlsafe.parse(text)
    if sups and root is not None:
        sups = [s for s in sups if not yamlsafe.inside_text(root, s.line)]
    for problem in problems:
        diagnostics.append(
            Diagnostic(
                path,
                problem.line,
                problem.column,
                problem.rule,
                problem.message,
                path=format_path(problem.path) or None,
            )
        )
    return LoadedFile(path, data, tuple(diagnostics), tuple(sups)), root
