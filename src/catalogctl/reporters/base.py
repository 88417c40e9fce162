"""What every reporter receives, and the interface they share."""

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


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def tally(report: Report) -> str:
    """'1 error, 2 warnings in 57 files (3 suppressed)'."""
    text = (
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} "
        f"in {plural(len(report.files), 'file')}"
    )
    return text + (f" ({report.suppressed} suppressed)" if report.suppressed else "")
