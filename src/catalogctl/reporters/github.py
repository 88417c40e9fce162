"""GitHub Actions workflow commands (annotations) plus a job-summary table."""

from __future__ import annotations

from catalogctl.load.diagnostics import Severity
from catalogctl.reporters.base import Report, Reporter, tally


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _cell(text: str) -> str:
    """Markdown table cell: no pipes, no line breaks, no HTML."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


class GithubReporter(Reporter):
    def render(self, report: Report) -> str:
        lines = []
        for d in report.diagnostics:
            command = "error" if d.level is Severity.ERROR else "warning"
            props = ",".join(
                f"{key}={escape_property(value)}"
                for key, value in (
                    ("file", d.file),
                    ("line", str(d.line)),
                    ("col", str(d.column)),
                    ("title", f"catalogctl {d.rule}"),
                )
            )
            lines.append(f"::{command} {props}::{escape_data(d.message)}")
        lines.append(tally(report))
        return "\n".join(lines) + "\n"

    def summary(self, report: Report) -> str:
        out = ["## catalogctl lint", "", tally(report), ""]
        if report.diagnostics:
            out += ["| severity | location | rule | message |", "|---|---|---|---|"]
            for d in report.diagnostics:
                out.append(
                    f"| {d.level.value} | `{_cell(d.file)}:{d.line}:{d.column}` "
                    f"| `{d.rule}` | {_cell(d.message)} |"
                )
        return "\n".join(out) + "\n"
