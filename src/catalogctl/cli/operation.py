"""Commands for the service-level manager: `sla report`."""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli.base import (
    exits,
    format_option,
    jobs_option,
    main,
    output_option,
    parse_date,
    today_option,
    today_value,
)


@main.group()
def sla() -> None:
    """Service level agreements measured against the incident record.

    \b
    Examples:
      catalogctl sla report --period 2026-11
      catalogctl sla report --format markdown -o sla-2026-11.md
    """


@sla.command("report")
@click.option(
    "--period", metavar="YYYY-MM|YYYY-Qn", help="The calendar month or quarter to report (UTC)."
)
@click.option("--since", metavar="DATE", help="First day of the period (with --until).")
@click.option("--until", metavar="DATE", help="Last day of the period, inclusive.")
@format_option(("text", "markdown", "json"))
@output_option()
@today_option
@jobs_option("Worker processes for loading the catalog (default: CPUs).")
@click.pass_obj
@exits
def report(
    directory: Path,
    period: str | None,
    since: str | None,
    until: str | None,
    fmt: str,
    output: Path | None,
    today: str | None,
    jobs: int | None,
) -> int:
    """Availability achieved, response and resolution met, and credits owed, per SLA.

    Downtime is the union of the outages of incidents/ on each service, in the
    SLA's service hours, minus planned outage windows of scheduled changes.
    Without --period or --since/--until: the last complete month. Exit 0 when
    every SLA was met, 1 when one was breached. Definitions: docs/operation.md.

    \b
    Examples:
      catalogctl sla report --period 2026-11
      catalogctl sla report --period 2026-Q4 --format markdown
      catalogctl sla report --format json | jq '.slas[] | select(.met | not) | .id'
    """
    from catalogctl.ops import sla_command
    from catalogctl.reporters import renderer

    return sla_command.execute(
        start=directory,
        period=period,
        since=parse_date("--since", since),
        until=parse_date("--until", until),
        render=renderer("sla", fmt),
        output=directory / output if output else None,
        today=today_value(today),
        jobs=jobs,
    )
