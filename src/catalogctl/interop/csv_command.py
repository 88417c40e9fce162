"""`catalogctl import csv FILE --kind service|ci` and `catalogctl export csv --kind ...`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from catalogctl.interop import csv_io, csv_map
from catalogctl.interop.apply import apply
from catalogctl.interop.lintsafe import drop_unknown_schedules, make_lint_safe
from catalogctl.interop.report import ImportReport
from catalogctl.load import kinds
from catalogctl.load.errors import UsageError
from catalogctl.load.output import write_output
from catalogctl.model.entities import Entity
from catalogctl.workspace.workspace import open_workspace

KINDS = {"service": kinds.SERVICE, "ci": kinds.CI}


def run_import(
    *, start: Path, file: Path, kind: str, mapping: list[str], jobs: int = 1
) -> ImportReport:
    workspace = open_workspace(start)
    catalog = workspace.catalog(jobs)
    path = start / file
    if not path.is_file():
        raise UsageError(f"{file}: no such file; give the CSV file to import")
    shown = str(file)
    table = csv_io.read_table(path, shown)
    result = csv_map.build(table, KINDS[kind], mapping, catalog, shown)
    notes = [*result.notes, *make_lint_safe(result.planned, catalog)]
    notes += drop_unknown_schedules(result.planned, workspace.policy().schedules)
    applied = apply(workspace.root, catalog, result.planned, "CSV")
    return ImportReport.of("csv", applied, result.skipped, notes)


def execute_import(
    *,
    start: Path,
    file: Path,
    kind: str,
    mapping: list[str],
    render: Callable[[ImportReport], str],
    output: Path | None,
    jobs: int = 1,
) -> int:
    report = run_import(start=start, file=file, kind=kind, mapping=mapping, jobs=jobs)
    write_output(render(report), output)
    return report.exit_code


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(
            f"{v['type']}:{v['target']}" if isinstance(v, dict) else str(v) for v in value
        )
    return str(value)


def rows(entities: list[Entity], kind: kinds.Kind) -> tuple[list[str], list[list[str]]]:
    """The columns of `csv_map.FIELDS` for each entity (lists joined by "; ")."""
    header = list(csv_map.FIELDS[kind.name])
    out = []
    for entity in entities:
        meta: dict[str, Any] = {"id": entity.id, "name": entity.name}
        meta.update(description=entity.description, tags=list(entity.tags))
        out.append([_cell(meta[f] if f in meta else entity.spec.get(f)) for f in header])
    return header, out


def execute_export(*, start: Path, kind: str, output: Path | None, jobs: int = 1) -> int:
    catalog = open_workspace(start).catalog(jobs)
    header, table = rows(list(catalog.of_kind(KINDS[kind].name)), KINDS[kind])
    write_output(csv_io.write_table(header, table), output)
    return 0
