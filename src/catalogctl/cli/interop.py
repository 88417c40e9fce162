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

    \b
    Examples:
      catalogctl import backstage ../backstage-catalog
      catalogctl import csv cmdb_ci_service.csv --kind service
    """


@main.group("export")
def export_group() -> None:
    """Write the catalog out as Backstage descriptors, CSV or OpenSLO.

    \b
    Examples:
      catalogctl export backstage --out backstage
      catalogctl export csv --kind service -o services.csv
      catalogctl export openslo --out slo
    """


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


@import_group.command("csv")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--kind", type=click.Choice(["service", "ci"]), required=True, help="What each row is."
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read COLUMN into FIELD (repeatable); adds to or overrides the built-in maps.",
)
@format_option(("text", "json"))
@output_option("Write the report to FILE (replaced atomically) instead of stdout.")
@jobs_option()
@click.pass_obj
@exits
def import_csv(
    directory: Path,
    file: Path,
    kind: str,
    mapping: tuple[str, ...],
    fmt: str,
    output: Path | None,
    jobs: int | None,
) -> int:
    """Import services or CIs from a spreadsheet or a CMDB export (CSV).

    Columns named like a field are read into it; a ServiceNow export
    (cmdb_ci_service, cmdb_ci) is recognised by its sys_class_name column
    and read with the built-in ServiceNow map. UTF-8 with or without BOM
    and Excel's UTF-16 are read; `,`, `;` or tab separate the columns.

    \b
    Examples:
      catalogctl import csv services.csv --kind service
      catalogctl import csv cmdb_ci.csv --kind ci --map u_team=owner
    """
    from catalogctl.interop import csv_command
    from catalogctl.reporters import renderer

    return csv_command.execute_import(
        start=directory,
        file=file,
        kind=kind,
        mapping=list(mapping),
        render=renderer("import", fmt),
        output=directory / output if output is not None else None,
        jobs=jobs or 1,
    )


@export_group.command("csv")
@click.option(
    "--kind", type=click.Choice(["service", "ci"]), required=True, help="What each row is."
)
@output_option()
@jobs_option()
@click.pass_obj
@exits
def export_csv(directory: Path, kind: str, output: Path | None, jobs: int | None) -> int:
    """Write the services or CIs as CSV, one row each (lists joined by "; ").

    The columns are the ones `import csv` reads, so the file goes back in
    unchanged after an edit in a spreadsheet.

    \b
    Examples:
      catalogctl export csv --kind service -o services.csv
      catalogctl export csv --kind ci > cis.csv
    """
    from catalogctl.interop import csv_command

    return csv_command.execute_export(
        start=directory,
        kind=kind,
        output=directory / output if output is not None else None,
        jobs=jobs or 1,
    )


out_option = click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created; files of the same names are replaced).",
)


@export_group.command("backstage")
@out_option
@jobs_option()
@click.pass_obj
@exits
def export_backstage(directory: Path, out: Path, jobs: int | None) -> int:
    """Write Backstage descriptors: a Group per team (and a User per member),
    a Component per service, a Resource per CI, and a catalog-info.yaml
    Location listing them. Importing them gives the same catalog back.

    \b
    Examples:
      catalogctl export backstage --out backstage
    """
    from catalogctl.interop import backstage_write

    return backstage_write.execute(start=directory, out=directory / out, jobs=jobs or 1)


@export_group.command("openslo")
@out_option
@jobs_option()
@click.pass_obj
@exits
def export_openslo(directory: Path, out: Path, jobs: int | None) -> int:
    """Write each SLA's availability target as OpenSLO v1 SLOs, one file per
    service with its Service. Exit 1 when an SLA target has no OpenSLO form.

    \b
    Examples:
      catalogctl export openslo --out slo
    """
    from catalogctl.interop import openslo

    return openslo.execute(start=directory, out=directory / out, jobs=jobs or 1)
