"""Commands that move a catalog in and out: `import backstage|csv`,
`export backstage|csv|openslo`."""

from __future__ import annotations

from pathlib import Path

import click

from catalogctl.cli.base import exits, format_option, jobs_option, main, output_option


@main.group("import")
def import_group() -> None:
    """Bring entities in from Backstage descriptors or CSV / CMDB exports.

    New entities get a file each; existing ones get only the imported fields
    edited in place, so re-running an import changes nothing. Exit 0 when
    everything mapped, 1 when something was skipped, 2 when nothing could run.
    """


@main.group("export")
def export_group() -> None:
    """Write the catalog out as Backstage descriptors, CSV or OpenSLO."""


@import_group.command("backstage")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option(("text", "json"))
@output_option("Write the report to FILE (replaced atomically) instead of stdout.")
@jobs_option()
@click.pass_obj
@exits
def import_backstage(
    directory: Path, paths: tuple[Path, ...], fmt: str, output: Path | None, jobs: int | None
) -> int:
    """Import Backstage catalog-info.yaml descriptors (files or folders).

    Groups become teams, service and website components become services,
    resources become configuration items; users, systems, domains and APIs
    feed the mapping. Location documents are followed inside PATHS only.

    \b
    Examples:
      catalogctl import backstage ../backstage-catalog
      catalogctl import backstage catalog-info.yaml --format json
    """
    from catalogctl.interop import backstage_import
    from catalogctl.reporters import renderer

    return backstage_import.execute(
        start=directory,
        paths=list(paths),
        render=renderer("import", fmt),
        output=directory / output if output is not None else None,
        jobs=jobs or 1,
    )
