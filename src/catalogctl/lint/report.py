"""What `catalogctl lint` found, and the interface every lint reporter implements.

Reporters live in `catalogctl.reporters` and are chosen by name in the CLI;
the lint command receives one and never imports the reporters itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogctl.load.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Report:
    """Lint results as plain values: no model objects reach a reporter."""

    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]  # every file checked, repo-relative
    entities: int
    suppressed: int
    strict: bool = False  # warnings count as failures
    color: bool = False
    version: str = ""

    @property
    def errors(self) -> int:
        return sum(d.level is Severity.ERROR for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.level is Severity.WARNING for d in self.diagnostics)

    def fails(self, diagnostic: Diagnostic) -> bool:
        return diagnostic.level is Severity.ERROR or self.strict


class Reporter:
    """Renders a Report to text. `summary` is optional Markdown for CI job pages."""

    def render(self, report: Report) -> str:
        raise NotImplementedError

    def summary(self, report: Report) -> str | None:
        return None
