"""The service operation section of `catalogctl report`, in its three formats.

One module for the section so that text, Markdown and JSON name the same
figures (definitions in csi/operation_kpis.py and docs/kpis.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from catalogctl.csi.operation_kpis import PRIORITIES, OperationKpis

LIST_CAP = 10


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _hours(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} h"


def _listed(ids: tuple[str, ...] | list[str], show: Callable[[str], str]) -> str:
    text = ", ".join(show(i) for i in ids[:LIST_CAP])
    return (text + (f" and {len(ids) - LIST_CAP} more" if len(ids) > LIST_CAP else "")) or "-"


def _ranked(pairs: tuple[tuple[str, int], ...], show: Callable[[str], str]) -> str:
    return _listed([f"{show(i)} {n}" for i, n in pairs], str)


def _rows(op: OperationKpis, show: Callable[[str], str]) -> list[tuple[str, str, str]]:
    restore = ", ".join(
        f"{p} {_hours(op.restore[p].mean_hours)} ({op.restore[p].count})" for p in PRIORITIES
    )
    repeats = sum(len(ids) for _, ids in op.repeats)
    return [
        ("incidents reported", str(op.incidents), ""),
        (
            "change failure rate",
            _pct(op.change_failure_rate),
            f"{len(op.failed_changes)} of {op.deployed} deployed: "
            f"{_listed(op.failed_changes, show)}",
        ),
        ("mean time to restore", "", restore),
        ("incidents per service", "", _ranked(op.per_service, show)),
        ("incidents per CI (cause)", "", _ranked(op.per_ci, show)),
        ("problems opened", str(len(op.problems_opened)), _listed(op.problems_opened, show)),
        ("problems resolved", str(len(op.problems_resolved)), _listed(op.problems_resolved, show)),
        (
            "repeat incidents",
            str(repeats),
            "; ".join(f"{show(p)}: {_listed(ids, show)}" for p, ids in op.repeats) or "-",
        ),
    ]


def text_lines(op: OperationKpis, clean: Callable[[str], str]) -> list[str]:
    lines = ["Service operation"]
    for label, value, detail in _rows(op, clean):
        lines.append(f"  {label:<36}{value:>10}" + (f"  {detail}" if detail else ""))
    return lines


def markdown_lines(op: OperationKpis, escape: Callable[[str], str]) -> list[str]:
    rows = _rows(op, escape)
    return [
        "### Service operation",
        "",
        "| KPI | value | detail |",
        "|---|---|---|",
        *(
            f"| {label[0].upper()}{label[1:]} | {value or '-'} | {detail} |"
            for label, value, detail in rows
        ),
        "",
    ]


def to_json(op: OperationKpis) -> dict[str, Any]:
    rate = op.change_failure_rate
    return {
        "incidents": op.incidents,
        "deployedChanges": op.deployed,
        "failedChanges": list(op.failed_changes),
        "changeFailureRate": None if rate is None else round(rate, 4),
        "meanTimeToRestoreHours": {
            p: {
                "count": r.count,
                "mean": None if r.mean_hours is None else round(r.mean_hours, 2),
            }
            for p, r in op.restore.items()
        },
        "perService": [{"id": i, "incidents": n} for i, n in op.per_service],
        "perCi": [{"id": i, "incidents": n} for i, n in op.per_ci],
        "problemsOpened": list(op.problems_opened),
        "problemsResolved": list(op.problems_resolved),
        "repeatIncidents": [{"problem": p, "incidents": list(ids)} for p, ids in op.repeats],
    }
