"""`catalogctl diff --format markdown`: the sticky pull-request comment.

Everything from the catalog is untrusted text: it is escaped so that it can
neither break the table nor inject HTML or mentions, and the comment never
exceeds GitHub's 65,536-character limit (details are dropped with a note).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from catalogctl.review.diff import EntityChange
from catalogctl.review.report import DiffReport

LIMIT = 65_536
_RESERVE = 600  # room for the truncation note and closing lines
MARKER = "<!-- catalogctl:diff -->"  # finds the sticky comment to update
LIST_CAP = 200  # names shown per impact list; the JSON output has them all


_ESCAPES = str.maketrans(
    {char: f"&#{ord(char)};" for char in "|@#`*_[]\\~"}
    | {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": " ", "\n": " "}
)


def escape(text: str) -> str:
    """Inline Markdown in one pass: no HTML, no table breaks, no @mentions or #links."""
    return text.translate(_ESCAPES)


def _bounded(lines: list[str], budget: int, what: str) -> list[str]:
    """As many lines as fit in `budget` characters, then a note of how many did not."""
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > budget:
            kept.append(f"- ... and {len(lines) - len(kept)} more {what} (see `catalogctl diff`)")
            break
        kept.append(line)
        used += len(line) + 1
    return kept


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if len(text) > 120:
        text = text[:117] + "..."
    return escape(text) if text else "&#8203;"


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks inside the text."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _details(change: EntityChange) -> str:
    moved = f" (from {escape(change.old_file)})" if change.old_file else ""
    lines = [
        "<details>",
        f"<summary><b>{change.op}</b> {escape(change.ref)}: {escape(change.name)}</summary>",
        "",
        f"File: {escape(change.file)}{moved}",
        "",
    ]
    plain = [f for f in change.fields if f.text_diff is None]
    if plain:
        lines += ["| field | before | after |", "|---|---|---|"]
        for field in plain:
            if field.added or field.removed:
                before = ", ".join(_value(v) for v in field.removed) or "-"
                after = ", ".join(_value(v) for v in field.added) or "-"
                lines.append(f"| {escape(field.path)} | removed: {before} | added: {after} |")
            else:
                lines.append(
                    f"| {escape(field.path)} | {_value(field.old)} | {_value(field.new)} |"
                )
        lines.append("")
    for field in change.fields:
        if field.text_diff is not None:
            fence = _fence(field.text_diff)
            lines += [f"{escape(field.path)}:", "", f"{fence}diff", field.text_diff, fence, ""]
    lines += ["</details>", ""]
    return "\n".join(lines)


def render(report: DiffReport) -> str:
    head = f"`{report.head[:12]}`" if report.head else "the working tree"
    out = [MARKER, f"### Catalog changes: `{report.base[:12]}` → {head}", ""]
    if not report.changes:
        out += ["No catalog entity changed.", ""]
    else:
        counts = Counter((c.kind, c.op) for c in report.changes)
        ops = ("added", "modified", "moved", "removed")
        out += ["| kind | " + " | ".join(ops) + " |", "|---|" + "---|" * len(ops)]
        for kind in sorted({k for k, _ in counts}):
            out.append(
                f"| {kind} | " + " | ".join(str(counts[(kind, op)] or "") for op in ops) + " |"
            )
        out.append("")
    if report.signals:
        out += ["#### Reviewer signals", ""]
        out += _bounded(
            [f"- {s.level}: **{escape(s.entity)}**: {escape(s.message)}" for s in report.signals],
            LIMIT // 3,
            "signals",
        )
        out.append("")
    if report.impact is not None:
        impact = report.impact
        out += ["#### Impact", ""]
        for label, values in (
            ("Services", impact.services),
            ("Tier 1", impact.tier1),
            ("SLAs", impact.slas),
            ("CIs", impact.cis),
            ("Open changes on the same targets", impact.changes),
        ):
            listed = ", ".join(escape(v) for v in values[:LIST_CAP]) if values else "none"
            if len(values) > LIST_CAP:
                listed += f" and {len(values) - LIST_CAP} more"
            out.append(f"- {label}: {listed}")
        out.append("")
    if report.problems:
        out += ["#### Could not read", ""]
        out += [f"- {escape(p.file)} ({p.side}): {escape(p.message)}" for p in report.problems]
        out.append("")
    if report.other_files:
        out += ["#### Not catalog data", ""]
        out += _bounded([f"- {escape(f)}" for f in report.other_files], LIMIT // 6, "files")
        out.append("")
    text = "\n".join(out)
    details = [_details(c) for c in report.changes]
    shown = 0
    for block in details:
        if len(text) + len(block) + _RESERVE > LIMIT:
            break
        text += "\n" + block
        shown += 1
    if shown < len(details):
        text += (
            f"\n_{len(details) - shown} of {len(details)} change details left out to stay "
            "within GitHub's comment limit; run `catalogctl diff` locally for all._\n"
        )
    return text
