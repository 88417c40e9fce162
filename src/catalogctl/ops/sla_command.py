"""`catalogctl sla report`: each SLA's promise against what happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.load.workers import default_jobs
from catalogctl.ops.attainment import SlaReport, attainment
from catalogctl.ops.hours import ScheduleError
from catalogctl.ops.period import choose
from catalogctl.workspace.workspace import open_workspace


def execute(
    *,
    start: Path,
    period: str | None,
    since: dt.date | None,
    until: dt.date | None,
    render: Callable[[SlaReport], str],
    output: Path | None,
    today: dt.date,
    jobs: int | None = None,
) -> int:
    """Exit 0 when every SLA in force was met, 1 when one was breached."""
    chosen = choose(period, since, until, today)
    workspace = open_workspace(start)
    # Loaded safely but not schema-validated (as `report` does): lint is the
    # place for schema errors; a malformed time is simply not counted.
    catalog = workspace.catalog(jobs or default_jobs())
    policy = workspace.policy()
    try:
        report = attainment(catalog, policy.schedules, chosen)
    except ScheduleError as error:
        raise UsageError(f"{kinds.POLICY_FILE}: {error}; fix the schedule") from None
    write_output(render(report), output)
    return EXIT_OK if all(s.met for s in report.slas) else EXIT_FINDINGS
