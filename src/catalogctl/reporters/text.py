"""`path:line:col: severity: message [rule-id]`, the form editors and grep understand."""

from __future__ import annotations

from catalogctl.load.diagnostics import Severity
from catalogctl.load.textsafe import visible
from catalogctl.reporters.base import Report, Reporter, tally

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


class TextReporter(Reporter):
    def render(self, report: Report) -> str:
        lines = []
        for d in report.diagnostics:
            level = d.level.value
            if report.color:  # escaped here: write_output must pass the colour codes
                where = f"{_BOLD}{visible(d.file)}:{d.line}:{d.column}{_RESET}"
                level = f"{_COLORS.get(d.level, '')}{level}{_RESET}"
                lines.append(f"{where}: {level}: {visible(d.message)} {_DIM}[{d.rule}]{_RESET}")
            else:
                lines.append(f"{d.file}:{d.line}:{d.column}: {level}: {d.message} [{d.rule}]")
        lines.append(tally(report))
        return "\n".join(lines) + "\n"
