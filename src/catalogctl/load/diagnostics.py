"""Diagnostics are values: a rule id, a severity, a message and a place."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "off": 0}[self.value]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. `line`/`column` are 1-based; 0 means "whole file"."""

    file: str
    line: int
    column: int
    rule: str
    message: str
    severity: Severity | None = None  # None: the rule's configured severity applies
    entity: str | None = None  # "Kind/id"
    path: str | None = None  # dotted field path, e.g. "spec.dependsOn[1]"

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    @property
    def level(self) -> Severity:
        """The severity once the engine has resolved it (error until then)."""
        return self.severity or Severity.ERROR


def format_path(parts: tuple[str | int, ...] | list[str | int]) -> str:
    """('spec', 'dependsOn', 1) -> 'spec.dependsOn[1]'."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(("." if out else "") + part)
    return "".join(out)
