"""Commands for reviewers and service owners: diff, gate, report, scorecard."""

from __future__ import annotations

import datetime as dt
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
from catalogctl.load.errors import UsageError


@main.command()
@click.argument("base", required=False)
@click.argument("head", required=False)
@format_option(("text", "markdown", "json"))
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes (like git diff).")
@click.option(
    "--no-impact", is_flag=True, help="Skip impact analysis (reads only the changed files)."
)
@output_option("Write to FILE (replaced atomically) instead of stdout.")
@jobs_option("Worker processes for loading the head catalog (default: CPUs).")
@click.pass_obj
@exits
def diff(
    directory: Path,
    base: str | None,
    head: str | None,
    fmt: str,
    exit_code: bool,
    no_impact: bool,
    output: Path | None,
    jobs: int | None,
) -> int:
    """Show what changed in the catalog between two git refs, semantically.

    BASE defaults to the merge-base of HEAD with main (else origin/main, else
    master); HEAD defaults to the working tree, uncommitted edits included.
    Entities are compared as data: formatting, comments and key order are no
    change; lists are matched by id, never by position. Reviewer signals
    (weakened SLAs, retired dependencies, owner and tier changes) come first.

    \b
    Examples:
      catalogctl diff                              # branch vs main, with edits
      catalogctl diff origin/main HEAD --format markdown > comment.md
      catalogctl diff v1.0 v1.1 --format json --no-impact
    """
    from catalogctl.reporters import renderer
    from catalogctl.review import diff_command as diff_cmd

    return diff_cmd.execute(
        start=directory,
        base=base,
        head=head,
        render=renderer("diff", fmt),
        exit_code=exit_code,
        impact=not no_impact,
        output=directory / output if output else None,
        jobs=jobs,
    )


def _now(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now: '{value}' is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise UsageError(f"--now: '{value}' needs a UTC offset, e.g. 2026-03-01T12:00:00Z")
    return parsed


@main.command()
@click.option("--base", required=True, metavar="REF", help="The pull request's base.")
@click.option(
    "--head",
    default="HEAD",
    show_default=True,
    metavar="REF",
    help="The pull request's head commit.",
)
@click.option(
    "--reviews",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PR's reviews as JSON from `gh api --paginate repos/O/R/pulls/N/reviews`.",
)
@click.option("--pr-author", metavar="LOGIN", help="Who opened the pull request (never approves).")
@click.option(
    "--head-sha",
    metavar="SHA",
    help="Commit the reviews must be on (default: the resolved --head).",
)
@click.option(
    "--now",
    "now_text",
    metavar="ISO8601",
    help="Evaluate lead times as of this instant (default: now).",
)
@format_option(("text", "markdown", "json"))
@output_option("Write to FILE (replaced atomically) instead of stdout.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None)
@click.pass_obj
@exits
def gate(
    directory: Path,
    base: str,
    head: str,
    reviews: Path | None,
    pr_author: str | None,
    head_sha: str | None,
    now_text: str | None,
    fmt: str,
    output: Path | None,
    jobs: int | None,
) -> int:
    """Gate a pull request: the CAB rules for changes and catalog edits.

    Runs every rule of the change workflow as a named check (lint, transition,
    authorization, approvals, frozen-fields, immutable, schedule,
    standard-template, owner-approval, policy-change) and says exactly which
    approvals are missing. Policy and schemas are always read from the BASE,
    so a pull request cannot loosen its own gate. Exit 0 pass, 1 blocked,
    2 could not run.

    \b
    Examples:
      catalogctl gate --base origin/main --reviews reviews.json --pr-author alice
      catalogctl gate --base origin/main --head HEAD --format markdown -o gate.md
    """
    from catalogctl.load.workers import default_jobs
    from catalogctl.reporters import renderer
    from catalogctl.review import gate_command as gate_cmd

    return gate_cmd.execute(
        start=directory,
        base=base,
        head=head,
        reviews=directory / reviews if reviews else None,
        author=pr_author,
        head_sha=head_sha,
        now=_now(now_text),
        render=renderer("gate", fmt),
        output=directory / output if output else None,
        jobs=jobs or default_jobs(),
    )


@main.command()
@click.option(
    "--since",
    metavar="DATE",
    help="First day of the period (default: 12 calendar months, from the first day of "
    "the month 11 months before --until).",
)
@click.option("--until", metavar="DATE", help="Last day of the period (default: today).")
@format_option(("text", "markdown", "json"))
@output_option()
@today_option
@click.pass_obj
@exits
def report(
    directory: Path,
    since: str | None,
    until: str | None,
    fmt: str,
    output: Path | None,
    today: str | None,
) -> int:
    """Change and catalog KPIs for the service review, read from git history.

    Every state change of every change request is a commit: the report reads
    the history of changes/ once and computes change success rate, failed
    and backed-out changes, emergency and standard ratios, lead time and time
    to authorise (median and p90 by type), changes per service and team,
    changes that ran outside their window, catalog health and the monthly
    trend. Definitions: docs/kpis.md.

    \b
    Examples:
      catalogctl report
      catalogctl report --since 2026-01-01 --until 2026-06-30
      catalogctl report --format markdown -o review.md
      catalogctl report --format json | jq .changes.successRate
    """
    from catalogctl.csi import report_command as report_cmd
    from catalogctl.reporters import renderer

    return report_cmd.execute(
        start=directory,
        since=parse_date("--since", since),
        until=parse_date("--until", until),
        render=renderer("report", fmt),
        output=directory / output if output else None,
        today=today_value(today),
    )


@main.command()
@click.argument("ref", metavar="[KIND/ID]", required=False)
@format_option(("text", "markdown", "json"))
@today_option
@jobs_option("Worker processes for loading the catalog (default: CPUs).")
@click.pass_obj
@exits
def scorecard(
    directory: Path, ref: str | None, fmt: str, today: str | None, jobs: int | None
) -> int:
    """Each service's scorecard level, the checks it fails and what to do next.

    Levels (e.g. bronze, silver, gold) and their checks are declared under
    `scorecards:` in catalogctl.yaml (a built-in rubric applies otherwise);
    a service reaches a level when it passes every check of that level and
    the ones below. Definitions: docs/scorecards.md.

    \b
    Examples:
      catalogctl scorecard
      catalogctl scorecard service/payroll
      catalogctl scorecard --format markdown > scorecards.md
    """
    from catalogctl.csi import scorecard_command as scorecard_cmd
    from catalogctl.load.workers import default_jobs
    from catalogctl.reporters import renderer

    return scorecard_cmd.execute(
        start=directory,
        ref_text=ref,
        render=renderer("scorecard", fmt),
        today=today_value(today),
        jobs=jobs or default_jobs(),
    )
