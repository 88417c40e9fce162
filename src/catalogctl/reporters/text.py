"""`path:line:col: severity: message [rule-id]`, the form editors and grep understand."""

from __future__ import annotations

import click

from catalogctl.load.diagnostics import Severity
from catalogctl.load.textsafe import visible
from catalogctl.reporters.base import Report, Reporter, tally

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


class TextReporter(Reporter):
    def render(self, report: Report) -> str:
        lines = []
        for d in report.diagnostics:
            level = d.level.value
            if report.color:  # escaped here: write_output must pass the colour codes
                where = click.style(f"{visible(d.file)}:{d.line}:{d.column}", bold=True)
                level = click.style(level, fg=_COLORS.get(d.level))
                rule = click.style(f"[{d.rule}]", dim=True)
                lines.append(f"{where}: {level}: {visible(d.message)} {rule}")
            else:
                lines.append(f"{d.file}:{d.line}:{d.column}: {level}: {d.message} [{d.rule}]")
        lines.append(tally(report))
        return "\n".join(lines) + "\n"
