"""`catalogctl diff --format json`: the documented, versioned shape."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from catalogctl.model.impact import Impact
from catalogctl.review.diff import FieldChange
from catalogctl.review.report import DiffReport


def _field(change: FieldChange) -> dict[str, Any]:
    out: dict[str, Any] = {"path": change.path, "old": change.old, "new": change.new}
    if change.added or change.removed:
        out["added"], out["removed"] = list(change.added), list(change.removed)
    if change.text_diff is not None:
        out["diff"] = change.text_diff
    return out


def _impact(impact: Impact | None) -> dict[str, list[str]] | None:
    return None if impact is None else {k: list(v) for k, v in asdict(impact).items()}


def render(report: DiffReport) -> str:
    document = {
        "version": 1,
        "base": report.base,
        "head": report.head,
        "signals": [asdict(s) for s in report.signals],
        "changes": [
            {
                "op": c.op,
                "kind": c.kind,
                "id": c.id,
                "name": c.name,
                "file": c.file,
                "old_file": c.old_file,
                "fields": [_field(f) for f in c.fields],
                "impact": _impact(report.impacts.get(c.ref)) if report.impacts else None,
            }
            for c in report.changes
        ],
        "impact": _impact(report.impact),
        "problems": [asdict(p) for p in report.problems],
        "other_files": list(report.other_files),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
