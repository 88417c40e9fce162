"""`catalogctl change ...`: list, show, new, advance and calendar of change requests."""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli.base import (
    Choice,
    exits,
    format_option,
    main,
    output_option,
    today_option,
    today_value,
)

# Kept here (not imported from catalogctl.workflow) so that `--help` imports nothing;
# tests/change/test_change.py checks that they match the workflow table.
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
@click.option("--state", type=Choice(CHANGE_STATES), help="Only changes in STATE.")
@click.option(
    "--type", "change_type", type=Choice(CHANGE_TYPES), help="Only changes of TYPE."
)
@format_option(("text", "json"))
@click.pass_obj
@exits
def change_list(directory: Path, state: str | None, change_type: str | None, fmt: str) -> int:
    """List change requests with type, state, computed risk, window and title.

    Risk is impact x likelihood, raised one level when a target is, or feeds
    through the dependency graph into, a tier-1 service.

    \b
    Examples:
      catalogctl change list
      catalogctl change list --state scheduled --format json
    """
    from catalogctl.change.command import list_changes

    return list_changes(start=directory, state=state, change_type=change_type, fmt=fmt)


@change.command("show")
@click.argument("change_id", metavar="ID")
@format_option(("text", "json"))
@click.pass_obj
@exits
def change_show(directory: Path, change_id: str, fmt: str) -> int:
    """Show one change: risk, targets, window, plan, next states and conflicts.

    Conflicts are scheduled or implementing changes whose windows overlap this
    one's and that share a target with it, directly or through the dependency
    graph, and the freezes its window falls in.

    \b
    Example:
      catalogctl change show chg-2027-0001
    """
    from catalogctl.change.command import show_change

    return show_change(start=directory, change_id=change_id, fmt=fmt)


@change.command("new")
@click.argument("entity_id", metavar="[ID]", required=False)
@click.option(
    "--type",
    "change_type",
    type=Choice(CHANGE_TYPES),
    default=None,
    help="Change type (default: normal; standard with --template).",
)
@click.option("--template", metavar="ID", help="ChangeTemplate of a standard change.")
@click.option("--owner", metavar="TEAM", help="Implementing team id (default: the first team).")
@today_option
@click.pass_obj
@exits
def change_new(
    directory: Path,
    entity_id: str | None,
    change_type: str | None,
    template: str | None,
    owner: str | None,
    today: str | None,
) -> int:
    """Write a schema-valid change request skeleton (`new change` runs this too).

    Without ID the change gets the next free id of the year. Existing files are
    never overwritten.

    \b
    Examples:
      catalogctl change new
      catalogctl change new --type emergency
      catalogctl change new --template os-patch
    """
    from catalogctl.scaffold.change import new_change

    return new_change(
        start=directory,
        entity_id=entity_id,
        change_type=change_type,
        template=template,
        owner=owner,
        today=today_value(today),
    )


@change.command("advance")
@click.argument("change_id", metavar="ID")
@click.argument("state", type=Choice(CHANGE_STATES), metavar="STATE")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.pass_obj
@exits
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
    from catalogctl.change.write import advance_change

    return advance_change(start=directory, change_id=change_id, state=state, dry_run=dry_run)


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
@exits
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
    from catalogctl.change.calendar_command import calendar_command
    from catalogctl.reporters import renderer

    return calendar_command(
        start=directory,
        date_from=date_from,
        date_to=date_to,
        render=None if fmt == "ics" else renderer("calendar", fmt),
        public=public,
        now=now,
        output=directory / output if output is not None else None,
    )
