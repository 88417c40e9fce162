"""Output formats for lint results, chosen by name from one table."""

from __future__ import annotations

from catalogctl.reporters.base import Report, Reporter
from catalogctl.reporters.github import GithubReporter
from catalogctl.reporters.jsonfmt import JsonReporter
from catalogctl.reporters.junit import JunitReporter
from catalogctl.reporters.sarif import SarifReporter
from catalogctl.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
}

__all__ = ["REPORTERS", "Report", "Reporter"]
