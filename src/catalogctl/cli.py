"""The command line: click collects options, then calls a command's `execute()`.

No logic lives here beyond turning options into plain values and errors into
exit codes (0 clean, 1 findings, 2 could not run).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from catalogctl import __version__
from catalogctl.commands import EXIT_FINDINGS, EXIT_USAGE, UsageError

# Command modules are imported inside each command: `diff` must not pay for
# jsonschema, and `--help` should not pay for anything.
LINT_FORMATS = ("github", "json", "junit", "sarif", "text")

F = TypeVar("F", bound=Callable[..., Any])


def _exits(command: F) -> F:
    """Run a command; its return value is the exit code, UsageError means 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except UsageError as error:
            click.echo(f"catalogctl: error: {_one_line(str(error))}", err=True)
            sys.exit(EXIT_USAGE)
        except BrokenPipeError:
            # The reader went away (`catalogctl rules | head`): stop quietly, as
            # the Python documentation recommends, without a second error at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_FINDINGS)
        except OSError as error:
            click.echo(f"catalogctl: error: {error.filename or ''}: {error.strerror}", err=True)
            sys.exit(EXIT_USAGE)
        except Exception as error:  # a bug, not bad input: say so in one line
            if os.environ.get("CATALOGCTL_DEBUG"):
                raise
            click.echo(
                f"catalogctl: internal error: {type(error).__name__}: {error} "
                "(set CATALOGCTL_DEBUG=1 for the traceback, and please report it)",
                err=True,
            )
            sys.exit(EXIT_USAGE)
        sys.exit(code)

    return wrapper  # type: ignore[return-value]


def _one_line(text: str) -> str:
    """Messages quote user input (refs, paths): escape anything that could
    start a new line or a terminal sequence in a CI log."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: '{value}' is not a date (YYYY-MM-DD)") from None


def _today(value: str | None) -> dt.date:
    return _date("--today", value) or dt.date.today()


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    # no-color.org: NO_COLOR counts when it is present and not empty
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _progress(done: int, total: int) -> None:
    """A one-line counter on a terminal's stderr while workers parse; erased at the end."""
    end = "\r\033[K" if done >= total else ""
    sys.stderr.write(f"\rchecking files: {done:,}/{total:,}{end}")
    sys.stderr.flush()


def output_option(
    help_text: str = "Write to FILE (replaced atomically) instead of stdout.",
) -> Callable[[F], F]:
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=help_text
    )


def format_option(
    choices: Sequence[str], default: str = "text", help_text: str = "Output format."
) -> Callable[[F], F]:
    return click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=help_text,
    )


def jobs_option(
    help_text: str = "Worker processes (default: the number of CPUs).",
) -> Callable[[F], F]:
    return click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, help=help_text)


today_option = click.option(
    "--today", metavar="DATE", help="Evaluate date rules as of DATE (default: today)."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="catalogctl")
@click.option(
    "-C",
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Run as if started in DIR (the catalog is found by walking up to catalogctl.yaml).",
)
@click.pass_context
def main(ctx: click.Context, directory: Path) -> None:
    """The IT service catalog and change record, kept in git.

    \b
    Examples:
      catalogctl lint                      check the whole catalog
      catalogctl lint --format github      annotations for GitHub Actions
      catalogctl new service payroll       add a service skeleton
      catalogctl show service/payroll      an entity with its relations
      catalogctl rules                     the checks and their severities
    """
    ctx.obj = directory


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@format_option(LINT_FORMATS)
@output_option("Write the report to FILE (replaced atomically) instead of stdout.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Report errors only, without the summary line.")
@click.option("--ref", metavar="REF", help="Lint the catalog as committed at a git ref.")
@jobs_option("Worker processes (default: the number of CPUs).")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: only on a terminal, honouring NO_COLOR).",
)
@today_option
@click.pass_obj
@_exits
def lint(
    directory: Path,
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    strict: bool,
    quiet: bool,
    ref: str | None,
    jobs: int | None,
    color: str,
    today: str | None,
) -> int:
    """Check the catalog: YAML safety, schemas, references, graph and policy rules.

    The whole catalog is always loaded so references resolve; PATHS only limit
    which files' findings are reported. Exit 0 clean (warnings allowed unless
    --strict), 1 findings, 2 could not run.

    \b
    Examples:
      catalogctl lint
      catalogctl lint catalog/services --strict
      catalogctl lint --format sarif --output lint.sarif
      catalogctl lint --ref origin/main
    """
    from catalogctl.commands import lint as lint_cmd
    from catalogctl.workers import default_jobs

    return lint_cmd.execute(
        progress=_progress if sys.stderr.isatty() else None,
        start=directory,
        paths=paths,
        fmt=fmt,
        output=directory / output if output is not None else None,
        strict=strict,
        quiet=quiet,
        ref=ref,
        today=_today(today),
        jobs=jobs or default_jobs(),
        color=_use_color(color),
    )


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
@_exits
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
    from catalogctl.commands import diff_cmd

    return diff_cmd.execute(
        start=directory,
        base=base,
        head=head,
        fmt=fmt,
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
@_exits
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
    from catalogctl.commands import gate_cmd
    from catalogctl.workers import default_jobs

    return gate_cmd.execute(
        start=directory,
        base=base,
        head=head,
        reviews=directory / reviews if reviews else None,
        author=pr_author,
        head_sha=head_sha,
        now=_now(now_text),
        fmt=fmt,
        output=directory / output if output else None,
        jobs=jobs or default_jobs(),
    )


@main.command()
@click.argument("ref", metavar="KIND/ID")
@format_option(("text", "json"))
@jobs_option("Worker processes for loading the catalog (default: CPUs).")
@click.pass_obj
@_exits
def impact(directory: Path, ref: str, fmt: str, jobs: int | None) -> int:
    """Show the blast radius of one entity, as `catalogctl diff` computes it.

    Services hit (directly or through dependsOn, service CIs and CI
    depends-on/runs-on/hosted-on relations), the CIs among them, the SLAs
    covering those services, the tier-1 services and the open change requests
    already targeting any of them. Reads the working tree, uncommitted edits
    included.

    \b
    Examples:
      catalogctl impact ci/esx-01
      catalogctl impact service/identity --format json
      catalogctl impact sla/payroll
    """
    from catalogctl.commands import impact_cmd
    from catalogctl.workers import default_jobs

    return impact_cmd.execute(start=directory, ref_text=ref, fmt=fmt, jobs=jobs or default_jobs())


@main.command()
@click.argument("ref", metavar="[KIND/ID]", required=False)
@format_option(("mermaid", "dot", "json"), default="mermaid")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="With KIND/ID: steps to follow each way (default 2; 0: no limit).",
)
@jobs_option("Worker processes for loading the catalog (default: CPUs).")
@click.pass_obj
@_exits
def graph(directory: Path, ref: str | None, fmt: str, depth: int | None, jobs: int | None) -> int:
    """Draw the dependency graph of services and CIs, whole or around KIND/ID.

    Edges point from the dependent to its dependency: service dependsOn and
    cis, CI depends-on, runs-on and hosted-on relations. With KIND/ID, the
    graph holds the entity, what it depends on and what depends on it, each
    up to N steps away. Services are rounded, CIs square, tier-1 services
    outlined in red, retired entities dashed and grey.

    \b
    Examples:
      catalogctl graph > catalog.mmd
      catalogctl graph service/payroll --depth 1
      catalogctl graph ci/esx-01 --depth 0 --format dot | dot -Tsvg > esx-01.svg
      catalogctl graph --format json
    """
    from catalogctl.commands import graph_cmd
    from catalogctl.workers import default_jobs

    return graph_cmd.execute(
        start=directory, ref_text=ref, fmt=fmt, depth=depth, jobs=jobs or default_jobs()
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
@_exits
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
    from catalogctl.commands import report_cmd

    return report_cmd.execute(
        start=directory,
        since=_date("--since", since),
        until=_date("--until", until),
        fmt=fmt,
        output=output,
        today=_today(today),
    )


@main.command()
@click.argument("ref", metavar="[KIND/ID]", required=False)
@format_option(("text", "markdown", "json"))
@today_option
@jobs_option("Worker processes for loading the catalog (default: CPUs).")
@click.pass_obj
@_exits
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
    from catalogctl.commands import scorecard_cmd
    from catalogctl.workers import default_jobs

    return scorecard_cmd.execute(
        start=directory,
        ref_text=ref,
        fmt=fmt,
        today=_today(today),
        jobs=jobs or default_jobs(),
    )


@main.command()
@format_option(("text", "json", "markdown"))
@click.pass_obj
@_exits
def rules(directory: Path, fmt: str) -> int:
    """List every rule with its severity and summary.

    Severities can be changed in catalogctl.yaml (`rules: {rule-id: warning}`)
    and findings suppressed per file with
    `# catalogctl: disable=<rule-id> -- <reason>`.

    \b
    Examples:
      catalogctl rules
      catalogctl rules --format markdown > docs/rules.md
    """
    from catalogctl.commands import rules_cmd

    return rules_cmd.execute(start=directory, fmt=fmt)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", help="Organisation name for the site title and README.")
@today_option
@click.pass_obj
@_exits
def init(start: Path, directory: Path, name: str | None, today: str | None) -> int:
    """Create a new catalog repository in DIRECTORY (new or empty).

    \b
    Example:
      catalogctl init acme-catalog --name "Acme Corp"
    """
    from catalogctl.commands import init as init_cmd

    return init_cmd.execute(directory=start / directory, name=name, today=_today(today))


@main.command()
@click.argument("kind")
@click.argument("entity_id", metavar="[ID]", required=False)
@click.option("--owner", metavar="TEAM", help="Owning team id (default: the first team).")
@today_option
@click.pass_obj
@_exits
def new(
    directory: Path, kind: str, entity_id: str | None, owner: str | None, today: str | None
) -> int:
    """Write a commented, schema-valid skeleton for a new entity.

    KIND is Team, Service, SLA, ConfigurationItem (ci), ChangeTemplate
    (template) or ChangeRequest (change), in any case. A change without ID gets
    the next free id of the year. Existing files are never overwritten.

    \b
    Examples:
      catalogctl new service payroll --owner hr-systems
      catalogctl new ci db-payroll-01
      catalogctl new change
    """
    from catalogctl.commands import new as new_cmd

    return new_cmd.execute(
        start=directory, kind_name=kind, entity_id=entity_id, owner=owner, today=_today(today)
    )


@main.command()
@click.argument("ref", metavar="KIND/ID")
@format_option(("text", "json"))
@today_option
@click.pass_obj
@_exits
def show(directory: Path, ref: str, fmt: str, today: str | None) -> int:
    """Print an entity with its relations resolved in both directions.

    \b
    Examples:
      catalogctl show service/payroll
      catalogctl show ci/sql-fra-01 --format json
    """
    from catalogctl.commands import show as show_cmd

    return show_cmd.execute(start=directory, ref_text=ref, fmt=fmt, today=_today(today))


@main.command()
@click.argument("kind")
@click.pass_obj
@_exits
def schema(directory: Path, kind: str) -> int:
    """Print the JSON Schema for KIND (the catalog's own, else the built-in one).

    \b
    Example:
      catalogctl schema service > service.schema.json
    """
    from catalogctl.commands import schema_cmd

    return schema_cmd.execute(start=directory, kind_name=kind)


# Kept here (not imported from catalogctl.workflow) so that `--help` imports nothing;
# tests/test_change.py checks that they match the workflow table.
CHANGE_STATES = (
    "new",
    "assess",
    "authorize",
    "scheduled",
    "implement",
    "review",
    "closed",
    "canceled",
)
CHANGE_TYPES = ("normal", "standard", "emergency")


@main.group()
def change() -> None:
    """List, inspect, create and advance change requests; the change calendar.

    \b
    Examples:
      catalogctl change list --state scheduled
      catalogctl change show chg-2027-0001
      catalogctl change new --type standard --template os-patch
      catalogctl change advance chg-2027-0001 implement
      catalogctl change calendar --from 2027-01-01 --to 2027-03-31 --format ics
    """


@change.command("list")
@click.option("--state", type=click.Choice(CHANGE_STATES), help="Only changes in STATE.")
@click.option(
    "--type", "change_type", type=click.Choice(CHANGE_TYPES), help="Only changes of TYPE."
)
@format_option(("text", "json"))
@click.pass_obj
@_exits
def change_list(directory: Path, state: str | None, change_type: str | None, fmt: str) -> int:
    """List change requests with type, state, computed risk, window and title.

    Risk is impact x likelihood, raised one level when a target is, or feeds
    through the dependency graph into, a tier-1 service.

    \b
    Examples:
      catalogctl change list
      catalogctl change list --state scheduled --format json
    """
    from catalogctl.commands import change_cmd

    return change_cmd.execute(
        action="list", start=directory, state=state, change_type=change_type, fmt=fmt
    )


@change.command("show")
@click.argument("change_id", metavar="ID")
@format_option(("text", "json"))
@click.pass_obj
@_exits
def change_show(directory: Path, change_id: str, fmt: str) -> int:
    """Show one change: risk, targets, window, plan, next states and conflicts.

    Conflicts are scheduled or implementing changes whose windows overlap this
    one's and that share a target with it, directly or through the dependency
    graph, and the freezes its window falls in.

    \b
    Example:
      catalogctl change show chg-2027-0001
    """
    from catalogctl.commands import change_cmd

    return change_cmd.execute(action="show", start=directory, change_id=change_id, fmt=fmt)


@change.command("new")
@click.argument("entity_id", metavar="[ID]", required=False)
@click.option(
    "--type",
    "change_type",
    type=click.Choice(CHANGE_TYPES),
    default=None,
    help="Change type (default: normal; standard with --template).",
)
@click.option("--template", metavar="ID", help="ChangeTemplate of a standard change.")
@click.option("--owner", metavar="TEAM", help="Implementing team id (default: the first team).")
@today_option
@click.pass_obj
@_exits
def change_new(
    directory: Path,
    entity_id: str | None,
    change_type: str | None,
    template: str | None,
    owner: str | None,
    today: str | None,
) -> int:
    """Write a schema-valid change request skeleton (like `catalogctl new change`).

    Without ID the change gets the next free id of the year. Existing files are
    never overwritten.

    \b
    Examples:
      catalogctl change new
      catalogctl change new --type emergency
      catalogctl change new --template os-patch
    """
    from catalogctl.commands import change_cmd

    return change_cmd.execute(
        action="new",
        start=directory,
        entity_id=entity_id,
        change_type=change_type,
        template=template,
        owner=owner,
        today=_today(today),
    )


@change.command("advance")
@click.argument("change_id", metavar="ID")
@click.argument("state", type=click.Choice(CHANGE_STATES), metavar="STATE")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.pass_obj
@_exits
def change_advance(directory: Path, change_id: str, state: str, dry_run: bool) -> int:
    """Move a change to STATE, editing only the state value in its file.

    Only the transitions of the change's type are allowed (`catalogctl change
    show ID` lists them); closed and canceled changes are final. Comments,
    quoting, key order and line endings of the file are kept byte for byte.
    CAB approvals are checked on the pull request, not here.

    \b
    Examples:
      catalogctl change advance chg-2026-0006 assess
      catalogctl change advance chg-2027-0001 implement --dry-run
    """
    from catalogctl.commands import change_cmd

    return change_cmd.execute(
        action="advance", start=directory, change_id=change_id, state=state, dry_run=dry_run
    )


@change.command("calendar")
@click.option("--from", "date_from", metavar="DATE", help="Start of the range (YYYY-MM-DD, UTC).")
@click.option("--to", "date_to", metavar="DATE", help="Last day of the range (inclusive, UTC).")
@format_option(
    ("text", "json", "ics"), help_text="Output format (ics: an RFC 5545 iCalendar feed)."
)
@click.option(
    "--public",
    is_flag=True,
    help="Customer view: only outages of public services; no plans, people, freezes or conflicts.",
)
@click.option(
    "--now",
    metavar="DATETIME",
    help="DTSTAMP of every event (default: the event's start, so output is reproducible).",
)
@output_option("Write to FILE (replaced atomically) instead of stdout.")
@click.pass_obj
@_exits
def change_calendar(
    directory: Path,
    date_from: str | None,
    date_to: str | None,
    fmt: str,
    public: bool,
    now: str | None,
    output: Path | None,
) -> int:
    """Change windows and freezes in a date range, with conflicts flagged.

    Shows scheduled and implementing changes, and those in review or closed,
    whose windows overlap the range, plus the policy's freezes. A conflict is
    two of the active changes overlapping on a shared target (directly or
    through the dependency graph), or an active change inside a freeze that
    does not allow its type.

    \b
    Examples:
      catalogctl change calendar --from 2027-01-01 --to 2027-01-31
      catalogctl change calendar --format ics --public -o site/maintenance.ics
    """
    from catalogctl.commands import change_cmd

    return change_cmd.execute(
        action="calendar",
        start=directory,
        date_from=date_from,
        date_to=date_to,
        fmt=fmt,
        public=public,
        now=now,
        output=directory / output if output is not None else None,
    )


@main.command()
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 with a diff when the file is not what would be generated.",
)
@output_option("Write to FILE instead of .github/CODEOWNERS in the catalog root.")
@jobs_option("Worker processes for loading the catalog (default: CPUs).")
@click.pass_obj
@_exits
def codeowners(directory: Path, check: bool, output: Path | None, jobs: int | None) -> int:
    """Generate .github/CODEOWNERS from the owners recorded in the catalog.

    Each entity file is owned by its team's GitHub team (spec.github): services,
    CIs and templates by spec.owner, a team by itself, an SLA by the owners of
    the services it covers. Change requests, changes/, catalogctl.yaml, schemas/
    and .github/ belong to the CAB (cab.team). Entities whose team is unknown
    are skipped with a warning. The file is replaced atomically.

    \b
    Examples:
      catalogctl codeowners
      catalogctl codeowners --check        # in CI: exit 1 and a diff when stale
    """
    from catalogctl.commands import codeowners_cmd
    from catalogctl.workers import default_jobs

    return codeowners_cmd.execute(
        start=directory,
        check=check,
        output=directory / output if output else None,
        jobs=jobs or default_jobs(),
    )


@main.group()
def site() -> None:
    """Build or preview the catalog site (MkDocs Material) from the catalog.

    \b
    Examples:
      catalogctl site build                       public site into site-build/
      catalogctl site build --internal --out internal-site
      catalogctl site serve                       live preview on http://127.0.0.1:8000
    """


site_now_option = click.option(
    "--now",
    metavar="DATETIME",
    help="Treat DATETIME as now for 'upcoming' maintenance (default: the current time).",
)


@site.command("build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder, replaced as a whole on success (default: site-build/ in the catalog).",
)
@click.option(
    "--internal",
    is_flag=True,
    help="Also internal and pipeline services, CIs, teams, changes, rules and lint findings.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on lint warnings and on MkDocs warnings (mkdocs build --strict).",
)
@site_now_option
@click.pass_obj
@_exits
def site_build(
    directory: Path, out: Path | None, internal: bool, strict: bool, now: str | None
) -> int:
    """Generate the catalog site and build it with MkDocs into --out.

    Pages are generated from the catalog into a temporary folder with the
    site/ template, MkDocs builds into a temporary output folder, and only a
    successful build replaces --out (the old folder is renamed aside, then
    deleted). Exit 0 built, 1 lint findings or MkDocs failed (--out
    unchanged), 2 could not run.

    \b
    Examples:
      catalogctl site build --strict
      catalogctl site build --internal --out /tmp/catalog-internal
    """
    from catalogctl.commands import site_cmd

    return site_cmd.execute(
        action="build",
        start=directory,
        out=directory / out if out is not None else None,
        internal=internal,
        strict=strict,
        now=now,
    )


@site.command("serve")
@click.option("--internal", is_flag=True, help="Preview the internal edition.")
@click.option(
    "-a", "--dev-addr", "address", metavar="IP:PORT", help="Address to serve on (MkDocs default)."
)
@site_now_option
@click.pass_obj
@_exits
def site_serve(directory: Path, internal: bool, address: str | None, now: str | None) -> int:
    """Preview the site with `mkdocs serve` (pages generated once; restart after catalog edits).

    \b
    Example:
      catalogctl site serve -a 127.0.0.1:8001
    """
    from catalogctl.commands import site_cmd

    return site_cmd.execute(
        action="serve", start=directory, internal=internal, now=now, address=address
    )


if __name__ == "__main__":  # pragma: no cover
    main()
