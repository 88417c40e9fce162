"""The command-line scaffolding: the `catalogctl` group, the option helpers
and the wrapper that turns a command's return value into its exit code.

No logic lives in the cli package beyond turning options into plain values
and errors into exit codes (0 clean, 1 findings, 2 could not run); each
command calls a `commands.*` function of plain values.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from catalogctl import __version__
from catalogctl.load.errors import EXIT_FINDINGS, EXIT_USAGE, UsageError
from catalogctl.load.suggest import did_you_mean

# Command modules are imported inside each command: `diff` must not pay for
# jsonschema, and `--help` should not pay for anything.
LINT_FORMATS = ("github", "json", "junit", "sarif", "text")

F = TypeVar("F", bound=Callable[..., Any])


def exits(command: F) -> F:
    """Run a command; its return value is the exit code, UsageError means 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except UsageError as error:
            click.echo(f"catalogctl: error: {one_line(str(error))}", err=True)
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


def one_line(text: str) -> str:
    """Messages quote user input (refs, paths): escape anything that could
    start a new line or a terminal sequence in a CI log."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def parse_date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: '{value}' is not a date (YYYY-MM-DD)") from None


def today_value(value: str | None) -> dt.date:
    return parse_date("--today", value) or dt.date.today()


def use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    # no-color.org: NO_COLOR counts when it is present and not empty
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


# Erase in Line (ANSI EL). click styles text but has no line erase (`click.clear`
# clears the whole screen, its progress bar pads with spaces and ends the line),
# so the live counter's last write returns to the line's start and clears it by hand.
_ERASE_LINE = "\r\033[K"


class Counter:
    """Progress of a long run on stderr, as `text` with {done} and {total}.

    On a terminal, a live counter on one line, erased at the end. Elsewhere
    (a CI log, a pipe) a counter would be one endless line, so a full line
    is written every EVERY seconds once the run has lasted that long, and a
    last one when it ends: a long run is never silent, a short one writes
    nothing. click.echo flushes, so each line reaches the log at once."""

    EVERY = 3.0

    def __init__(self, text: str = "checked {done}/{total} files", live: bool | None = None):
        self.text = text
        self.live = sys.stderr.isatty() if live is None else live
        self.last = time.monotonic()
        self.written = False

    def __call__(self, done: int, total: int) -> None:
        line = self.text.format(done=f"{done:,}", total=f"{total:,}")
        if self.live:
            end = _ERASE_LINE if done >= total else ""
            click.echo(f"\r{line}{end}", err=True, nl=False)
            return
        now = time.monotonic()
        if now - self.last >= self.EVERY or (done >= total and self.written):
            click.echo(f"catalogctl: {line}", err=True)
            self.last, self.written = now, True


def stage(message: str) -> None:
    """One step of a long command (`site build`), on its own line on stderr."""
    click.echo(f"catalogctl: {message}", err=True)


class Choice(click.Choice):  # type: ignore[type-arg]
    """click's Choice, with the near match named: `--format jsn` says
    "did you mean 'json'?" like every other unknown name in catalogctl."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as error:
            hint = did_you_mean(str(value), [str(c) for c in self.choices])
            if not hint:
                raise
            self.fail(f"{error.message.rstrip('.')}{hint}", param, ctx)


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
        type=Choice(list(choices)),
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
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the result cache (also: CATALOGCTL_NO_CACHE=1).",
)
@click.pass_context
def main(ctx: click.Context, directory: Path, no_cache: bool) -> None:
    """The IT service catalog and change record, kept in git.

    \b
    Examples:
      catalogctl lint                      check the whole catalog
      catalogctl lint --format github      annotations for GitHub Actions
      catalogctl new service payroll       add a service skeleton
      catalogctl show service/payroll      an entity with its relations
      catalogctl rules                     the checks and their severities
      catalogctl diff origin/main HEAD     what a branch changes, with impact
      catalogctl change list --state scheduled
      catalogctl site build --out public   the customer site
      catalogctl report                    KPIs for the service review
      catalogctl scorecard                 each service's maturity level
      catalogctl cache info                where earlier results are kept
    """
    from catalogctl.load import cache

    cache.configure(enabled=not no_cache)
    ctx.call_on_close(lambda: cache.configure(enabled=True))  # one invocation's choice
    ctx.obj = directory
