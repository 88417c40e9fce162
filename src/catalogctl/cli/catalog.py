"""Commands for engineers changing the catalog: lint, rules, init, new, show,
schema, impact, graph and codeowners.
"""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli.base import (
    LINT_FORMATS,
    Choice,
    Counter,
    exits,
    format_option,
    jobs_option,
    main,
    output_option,
    today_option,
    today_value,
    use_color,
)


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
    type=Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto: only on a terminal, honouring NO_COLOR).",
)
@today_option
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.pass_obj
@exits
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
    no_cache: bool,
) -> int:
    """Check the catalog: YAML safety, schemas, references, graph and policy rules.

    Per-file results (parsing, schemas) are kept in a result cache by content,
    so a second run reads only what changed; --no-cache turns it off.

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
    from catalogctl.load.workers import default_jobs
    from catalogctl.reporters import REPORTERS
    from catalogctl.workspace import lint_command as lint_cmd

    return lint_cmd.execute(
        progress=Counter(),
        start=directory,
        paths=paths,
        fmt=fmt,
        output=directory / output if output is not None else None,
        strict=strict,
        quiet=quiet,
        ref=ref,
        today=today_value(today),
        jobs=jobs or default_jobs(),
        color=use_color(color),
        reporter=REPORTERS[fmt](),
        use_cache=not no_cache,
    )


@main.command()
@format_option(("text", "json", "markdown"))
@click.pass_obj
@exits
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
    from catalogctl.workspace import rules_command as rules_cmd

    return rules_cmd.execute(start=directory, fmt=fmt)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", metavar="ORG", help="Organisation name for the site title and README.")
@click.option(
    "--github",
    metavar="OWNER/REPO",
    help="The GitHub repository the catalog will live in (its owner names the CAB's team).",
)
@click.option(
    "--site",
    is_flag=True,
    help="Copy the site template into site/ to customise it (default: the packaged one).",
)
@click.option(
    "--install",
    metavar="REQUIREMENT",
    help="Where CI and the pre-commit hook install catalogctl from, as one pip requirement "
    "(default: the source of the catalogctl running init).",
)
@today_option
@click.pass_obj
@exits
def init(
    start: Path,
    directory: Path,
    name: str | None,
    github: str | None,
    site: bool,
    install: str | None,
    today: str | None,
) -> int:
    """Create a new catalog repository in DIRECTORY (new or empty).

    Writes the policy, the CAB team, the schemas, a starter scorecard rubric,
    .github/CODEOWNERS, the GitHub workflows (lint with code scanning, the
    pull-request gate with the diff as a comment, Pages) and a pre-commit
    hook; runs `git init -b main` unless DIRECTORY is inside a git repository
    already, and commits the files, so that `catalogctl lint` and
    `catalogctl diff` work right away. Asks nothing.

    \b
    Examples:
      catalogctl init acme-catalog --name "Acme Corp" --github acme/it-catalog
      catalogctl init . --site
      catalogctl init acme-catalog \\
        --install "catalogctl @ git+https://github.com/acme/catalogctl@v0.1.0"
    """
    from catalogctl.scaffold import init as init_cmd

    return init_cmd.execute(
        directory=start / directory,
        name=name,
        github=github,
        site=site,
        install=install,
        today=today_value(today),
    )


@main.command()
@click.argument("kind")
@click.argument("entity_id", metavar="[ID]", required=False)
@click.option("--owner", metavar="TEAM", help="Owning team id (default: the first team).")
@today_option
@click.pass_obj
@exits
def new(
    directory: Path, kind: str, entity_id: str | None, owner: str | None, today: str | None
) -> int:
    """Write a commented, schema-valid skeleton for a new entity.

    KIND is Team, Service, SLA, ConfigurationItem (ci), ChangeTemplate
    (template), ChangeRequest (change), Incident or Problem, in any case.
    `new change` is `catalogctl change new` with its defaults (that command
    has --type and --template). Changes, incidents and problems take the next
    free id of the year without ID. Existing files are never overwritten.

    \b
    Examples:
      catalogctl new service payroll --owner hr-systems
      catalogctl new ci db-payroll-01
      catalogctl new change
      catalogctl new incident
    """
    from catalogctl.scaffold import new as new_cmd

    return new_cmd.execute(
        start=directory, kind_name=kind, entity_id=entity_id, owner=owner, today=today_value(today)
    )


@main.command()
@click.argument("ref", metavar="KIND/ID")
@format_option(("text", "json"))
@today_option
@click.pass_obj
@exits
def show(directory: Path, ref: str, fmt: str, today: str | None) -> int:
    """Print an entity with its relations resolved in both directions.

    \b
    Examples:
      catalogctl show service/payroll
      catalogctl show ci/sql-fra-01 --format json
    """
    from catalogctl.workspace import show as show_cmd

    return show_cmd.execute(start=directory, ref_text=ref, fmt=fmt, today=today_value(today))


@main.command()
@click.argument("kind")
@click.pass_obj
@exits
def schema(directory: Path, kind: str) -> int:
    """Print the JSON Schema for KIND (the catalog's own, else the built-in one).

    \b
    Example:
      catalogctl schema service > service.schema.json
    """
    from catalogctl.workspace import schema_command as schema_cmd

    return schema_cmd.execute(start=directory, kind_name=kind)


@main.command()
@click.argument("ref", metavar="KIND/ID")
@format_option(("text", "json"))
@jobs_option("Worker processes for loading the catalog (default: CPUs).")
@click.pass_obj
@exits
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
    from catalogctl.load.workers import default_jobs
    from catalogctl.review import impact_command as impact_cmd

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
@exits
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
    from catalogctl.load.workers import default_jobs
    from catalogctl.review import graph_command as graph_cmd

    return graph_cmd.execute(
        start=directory, ref_text=ref, fmt=fmt, depth=depth, jobs=jobs or default_jobs()
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
@exits
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
    from catalogctl.load.workers import default_jobs
    from catalogctl.review import codeowners_command as codeowners_cmd

    return codeowners_cmd.execute(
        start=directory,
        check=check,
        output=directory / output if output else None,
        jobs=jobs or default_jobs(),
    )


@main.group()
def cache() -> None:
    """The result cache: per-file results of earlier runs, kept by content.

    It lives in .git/catalogctl/cache of the catalog's repository (outside a
    repository: $XDG_CACHE_HOME/catalogctl). It is never needed: a damaged
    or missing cache only makes the next run slower.

    \b
    Examples:
      catalogctl cache info                where it is and how large
      catalogctl cache clear               start afresh
      catalogctl --no-cache lint           one run without it
    """


@cache.command("info")
@format_option(("text", "json"))
@click.pass_obj
@exits
def cache_info(directory: Path, fmt: str) -> int:
    """Where the cache is, how many results it holds and how large it is."""
    from catalogctl.reporters import renderer
    from catalogctl.workspace import cache_command

    return cache_command.info(start=directory, render=renderer("cache", fmt))


@cache.command("clear")
@format_option(("text", "json"))
@click.pass_obj
@exits
def cache_clear(directory: Path, fmt: str) -> int:
    """Remove every cached result (of every build of the tool)."""
    from catalogctl.reporters import renderer
    from catalogctl.workspace import cache_command

    return cache_command.clear(start=directory, render=renderer("cache", fmt))
