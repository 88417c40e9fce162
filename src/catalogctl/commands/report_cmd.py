"""`catalogctl report`: change and catalog KPIs for the service review."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from catalogctl import kpis
from catalogctl.commands import EXIT_OK, UsageError
from catalogctl.commands.diff_cmd import head_catalog
from catalogctl.commands.output import write_output
from catalogctl.commands.workspace import find_root
from catalogctl.reporters.report import RENDERERS
from catalogctl.sources import SourceError, WorkTree


def execute(
    *,
    start: Path,
    since: dt.date | None,
    until: dt.date | None,
    fmt: str,
    output: Path | None,
    today: dt.date,
) -> int:
    root = find_root(start)
    period = kpis.default_period(since, until, today)
    if period.since > period.until:
        raise UsageError(
            f"--since {period.since} is after --until {period.until}; "
            "the period must start before it ends"
        )
    from catalogctl.workers import default_jobs

    try:
        # The working tree gives each change's type, closure, window and targets;
        # no schema validation: a file that does not load is simply not counted.
        catalog = head_catalog(WorkTree(root), default_jobs())
        report = kpis.build_report(root, catalog, period.since, period.until, today)
    except SourceError as error:
        raise UsageError(f"cannot read the git history: {error}") from None
    write_output(RENDERERS[fmt](report), output)
    return EXIT_OK
