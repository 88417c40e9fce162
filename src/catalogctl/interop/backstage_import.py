"""`catalogctl import backstage PATH...`: Backstage descriptors into the catalog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from catalogctl.interop import backstage_map, backstage_read
from catalogctl.interop.apply import apply
from catalogctl.interop.lintsafe import drop_unknown_schedules
from catalogctl.interop.report import ImportReport
from catalogctl.load.output import write_output
from catalogctl.workspace.workspace import open_workspace


def run(*, start: Path, paths: list[Path], jobs: int = 1) -> ImportReport:
    workspace = open_workspace(start)
    catalog = workspace.catalog(jobs)
    read = backstage_read.read([start / p for p in paths], start.resolve())
    mapping = backstage_map.build(read, catalog)
    schedules = workspace.policy().schedules
    notes = [*mapping.notes, *drop_unknown_schedules(mapping.planned, schedules)]
    applied = apply(workspace.root, catalog, mapping.planned, "Backstage")
    return ImportReport.of("backstage", applied, mapping.skipped, notes)


def execute(
    *,
    start: Path,
    paths: list[Path],
    render: Callable[[ImportReport], str],
    output: Path | None,
    jobs: int = 1,
) -> int:
    report = run(start=start, paths=paths, jobs=jobs)
    write_output(render(report), output)
    return report.exit_code
