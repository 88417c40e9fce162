"""Gate results as text, Markdown (the PR comment / job summary) and JSON."""

from __future__ import annotations

import json

from catalogctl.reporters.diffmd import escape
from catalogctl.review.ledger import FAIL, GateResult

MARKER = "<!-- catalogctl:gate -->"
_ICONS = {"pass": "✅", "fail": "❌", "warn": "⚠️", "skip": "·"}


def render_json(result: GateResult) -> str:
    document = {
        "version": 1,
        "result": result.result,
        "base": result.base,
        "head": result.head,
        "checks": [
            {"name": c.name, "status": c.status, "entity": c.entity, "message": c.message}
            for c in result.checks
        ],
        "missing_approvals": [
            {"team": m.team, "needed": m.needed, "candidates": list(m.candidates)}
            for m in result.missing
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_text(result: GateResult) -> str:
    lines = [f"catalogctl gate {result.base[:12]}..{result.head[:12]}: {result.result.upper()}"]
    for check in result.checks:
        where = f" {check.entity}" if check.entity else ""
        lines.append(f"  {check.status:<4} {check.name}{where}: {check.message}")
    for missing in result.missing:
        lines.append(
            f"  missing: {missing.needed} approval(s) from team {missing.team}; "
            f"could approve: {', '.join(missing.candidates) or 'nobody eligible'}"
        )
    return "\n".join(lines) + "\n"


def render_markdown(result: GateResult) -> str:
    verdict = "passed" if result.result != FAIL else "blocked"
    lines = [MARKER, f"### Change gate {verdict}: `{result.base[:12]}` → `{result.head[:12]}`", ""]
    failing = [c for c in result.checks if c.status == FAIL]
    if failing:
        lines += ["**What is missing:**", ""]
        lines += [
            f"- {escape(c.name)}{' · ' + escape(c.entity) if c.entity else ''}: {escape(c.message)}"
            for c in failing
        ]
        lines += [
            f"- **{m.needed} more approval{'s' if m.needed > 1 else ''} from team "
            f"{escape(m.team)}**; could approve: "
            f"{', '.join(escape(c) for c in m.candidates) or 'nobody eligible'}"
            for m in result.missing
        ]
        lines.append("")
    lines += ["| | check | entity | result |", "|---|---|---|---|"]
    for check in result.checks:
        lines.append(
            f"| {_ICONS.get(check.status, '')} | {check.name} | "
            f"{escape(check.entity or '')} | {escape(check.message)} |"
        )
    return "\n".join(lines) + "\n"
