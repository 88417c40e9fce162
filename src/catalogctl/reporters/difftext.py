"""`catalogctl diff` for a terminal: signals first, then each change."""

from __future__ import annotations

import json
from typing import Any

from catalogctl.review.report import DiffReport


def short(value: Any, limit: int = 70) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render(report: DiffReport) -> str:
    head = report.head[:12] if report.head else "working tree"
    lines = [
        f"catalogctl diff {report.base[:12]}..{head}: "
        f"{len(report.changes)} change{'s' if len(report.changes) != 1 else ''}"
    ]
    if report.signals:
        lines += ["", "Signals:"]
        lines += [f"  {s.level}: {s.entity}: {s.message} [{s.id}]" for s in report.signals]
    for change in report.changes:
        moved = f" (from {change.old_file})" if change.old_file else ""
        lines += ["", f"{change.op} {change.ref} {change.file}{moved}"]
        for field in change.fields:
            if field.added or field.removed:
                parts = [f"+{short(v)}" for v in field.added] + [
                    f"-{short(v)}" for v in field.removed
                ]
                lines.append(f"  {field.path}: {' '.join(parts)}")
            elif field.text_diff is not None:
                lines.append(f"  {field.path}:")
                lines += [f"    {line}" for line in field.text_diff.splitlines()[2:]]
            else:
                lines.append(f"  {field.path}: {short(field.old)} -> {short(field.new)}")
    if report.impact is not None:
        impact = report.impact
        lines += ["", "Impact:"]
        for label, values in (
            ("services", impact.services),
            ("tier 1", impact.tier1),
            ("SLAs", impact.slas),
            ("CIs", impact.cis),
            ("open changes", impact.changes),
        ):
            lines.append(f"  {label}: {', '.join(values) if values else '-'}")
    if report.problems:
        lines += ["", "Could not read:"]
        lines += [f"  {p.file} ({p.side}): {p.message}" for p in report.problems]
    if report.other_files:
        lines += ["", "Not catalog data (owned per the policy's paths):"]
        lines += [f"  {f}" for f in report.other_files]
    return "\n".join(lines) + "\n"
