"""`catalogctl report`: change and catalog KPIs for the service review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from catalogctl.csi import kpis
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.load.sources import SourceError
from catalogctl.workspace.workspace import open_workspace


def execute(
    *,
    start: Path,
    since: dt.date | None,
    until: dt.date | None,
    render: Callable[[kpis.Report], str],
    output: Path | None,
    today: dt.date,
) -> int:
    workspace = open_workspace(start)
    period = kpis.default_period(since, until, today)
    if period.since > period.until:
        raise UsageError(
            f"--since {period.since} is after --until {period.until}; "
            "the period must start before it ends"
        )
    from catalogctl.load.workers import default_jobs

    try:
        # The working tree gives each change's type, closure, window and targets;
        # no schema validation: a file that does not load is simply not counted.
        catalog = workspace.catalog(default_jobs())
        report = kpis.build_report(workspace.root, catalog, period.since, period.until, today)
    except SourceError as error:
        raise UsageError(f"cannot read the git history: {error}") from None
    write_output(render(report), output)
    return EXIT_OK
