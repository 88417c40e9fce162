"""Helpers every lint reporter shares; `Report` and `Reporter` are lint's own."""

from __future__ import annotations

from catalogctl.lint.report import Report, Reporter

__all__ = ["Report", "Reporter", "plural", "tally"]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def tally(report: Report) -> str:
    """'1 error, 2 warnings in 57 files (3 suppressed)'."""
    text = (
        f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} "
        f"in {plural(len(report.files), 'file')}"
    )
    return text + (f" ({report.suppressed} suppressed)" if report.suppressed else "")
