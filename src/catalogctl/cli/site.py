"""`catalogctl site build|serve`: the catalog site."""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli.base import Counter, exits, main, stage


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
    help="Output folder, relative to the working directory or -C DIR; replaced as a whole "
    "on success, never one of the catalog's own folders (default: site-build/ in the catalog).",
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
@exits
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
    from catalogctl.load.workers import default_jobs
    from catalogctl.site import command as site_cmd

    return site_cmd.build(
        start=directory,
        out=directory / out if out is not None else None,
        internal=internal,
        strict=strict,
        now=site_cmd.parse_now(now),
        jobs=default_jobs(),
        stage=stage,
        progress=Counter(),
        pages=Counter("generated {done}/{total} pages"),
    )


@site.command("serve")
@click.option("--internal", is_flag=True, help="Preview the internal edition.")
@click.option(
    "-a", "--dev-addr", "address", metavar="IP:PORT", help="Address to serve on (MkDocs default)."
)
@site_now_option
@click.pass_obj
@exits
def site_serve(directory: Path, internal: bool, address: str | None, now: str | None) -> int:
    """Preview the site with `mkdocs serve` (pages generated once; restart after catalog edits).

    \b
    Example:
      catalogctl site serve -a 127.0.0.1:8001
    """
    from catalogctl.site.command import parse_now
    from catalogctl.site.serve import serve

    return serve(start=directory, internal=internal, now=parse_now(now), address=address)


if __name__ == "__main__":  # pragma: no cover
    main()
