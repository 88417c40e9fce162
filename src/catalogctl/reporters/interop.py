"""Import reports as text (one line per entity, then a summary) and JSON."""

from __future__ import annotations

import json

from catalogctl.interop.report import ImportReport


def render_text(report: ImportReport) -> str:
    lines = [f"created   {ref}" for ref in report.created]
    lines += [f"updated   {ref}" for ref in report.updated]
    lines += [f"skipped   {s.what}: {s.reason}" for s in report.skipped]
    lines += [f"note      {note}" for note in report.notes]
    lines.append(
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped "
        f"({report.source})"
    )
    return "\n".join(lines) + "\n"


def render_json(report: ImportReport) -> str:
    return json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
