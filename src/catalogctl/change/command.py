"""`catalogctl change list` and `change show`: change requests as the CAB reads them.

`advance` is in `write`, `calendar` in `calendar_command`, `new` in
scaffold; the logic lives in `workflow` (states, risk), `calendar`
(windows, conflicts), `ics` and `editing` (in-place edits).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalogctl.change import calendar
from catalogctl.change.files import find_change, load_changes, sorted_changes
from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_OK
from catalogctl.load.output import write_output
from catalogctl.model import workflow
from catalogctl.model.entities import Catalog, ChangeRequest


def _risk_json(change: ChangeRequest, catalog: Catalog) -> dict[str, Any] | None:
    risk = workflow.risk(change, catalog)
    if risk is None:
        return None
    return {
        "level": risk.computed,
        "declared": risk.declared,
        "raisedBy": list(risk.tier1),
        "text": str(risk),
    }


def _short_risk(risk: workflow.Risk | None, most: int = 3) -> str:
    """`str(risk)` with at most `most` tier-1 services named (the table stays readable)."""
    if risk is None:
        return "?"
    if len(risk.tier1) <= most:
        return str(risk)
    named = ", ".join(risk.tier1[:most])
    more = len(risk.tier1) - most
    return f"{risk.computed} (raised from {risk.declared}: tier 1 {named} +{more} more)"


def _window_json(change: ChangeRequest) -> dict[str, str] | None:
    window = change.spec.get("window")
    if not isinstance(window, dict):
        return None
    return {k: str(window[k]) for k in ("start", "end") if k in window}


def _window_text(change: ChangeRequest) -> str:
    parsed = calendar.change_window(change)
    if parsed is not None:
        return calendar.show_window(parsed)
    raw = _window_json(change)
    if raw is None:
        return "-"
    return f"{raw.get('start', '?')} to {raw.get('end', '?')} (invalid)"


def _print_json(document: Any) -> None:
    write_output(json.dumps(document, indent=2, ensure_ascii=False) + "\n", None)


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- list


def list_changes(*, start: Path, state: str | None, change_type: str | None, fmt: str) -> int:
    _, catalog, _ = load_changes(start)
    selected = [
        c
        for c in sorted_changes(catalog)
        if (state is None or c.state == state)
        and (change_type is None or c.change_type == change_type)
    ]
    if fmt == "json":
        _print_json(
            [
                {
                    "id": c.id,
                    "type": c.change_type,
                    "state": c.state,
                    "risk": _risk_json(c, catalog),
                    "window": _window_json(c),
                    "outage": c.spec.get("outage") is True,
                    "title": c.name,
                    "file": c.file,
                }
                for c in selected
            ]
        )
        return EXIT_OK
    if not selected:
        write_output("no change requests" + (" match" if state or change_type else "") + "\n", None)
        return EXIT_OK
    rows = [["ID", "TYPE", "STATE", "RISK", "WINDOW", "TITLE"]]
    for c in selected:
        rows.append(
            [
                c.id,
                c.change_type or "?",
                c.state or "?",
                _short_risk(workflow.risk(c, catalog)),
                _window_text(c),
                c.name,
            ]
        )
    write_output(_table(rows), None)
    return EXIT_OK


# ---------------------------------------------------------------- show


def _next_states(change: ChangeRequest) -> list[str]:
    if change.change_type is None or change.state is None:
        return []
    return list(workflow.transitions(change.change_type).get(change.state, ()))


def _targets(change: ChangeRequest, catalog: Catalog) -> list[dict[str, Any]]:
    out = []
    for kind, label, ids in (
        (kinds.SERVICE, "service", change.target_services),
        (kinds.CI, "ci", change.target_cis),
    ):
        for target in ids:
            entity = catalog.get(kind.name, target)
            out.append(
                {
                    "ref": f"{label}/{target}",
                    "name": entity.name if entity else None,
                }
            )
    return out


def show_change(*, start: Path, change_id: str, fmt: str) -> int:
    _, catalog, policy = load_changes(start)
    change = find_change(catalog, change_id)
    window = calendar.change_window(change)
    conflicts = calendar.change_conflicts(catalog, change)
    freezes = calendar.freezes_of(policy, window) if window else []
    plan = change.spec.get("plan")
    document: dict[str, Any] = {
        "id": change.id,
        "title": change.name,
        "file": change.file,
        "type": change.change_type,
        "template": change.spec.get("template"),
        "state": change.state,
        "next": _next_states(change),
        "risk": _risk_json(change, catalog),
        "window": _window_json(change),
        "outage": change.spec.get("outage") is True,
        "owner": change.owner,
        "requester": change.spec.get("requester"),
        "targets": _targets(change, catalog),
        "plan": plan if isinstance(plan, dict) else {},
        "closure": change.spec.get("closure"),
        "related": list(change.spec.get("related") or []),
        "conflicts": [c.as_json() for c in conflicts],
        "freezes": [
            {
                "id": f.id,
                "name": f.name,
                "start": f.start,
                "end": f.end,
                "allow": list(f.allow),
                "allowed": (change.change_type or "") in f.allow,
            }
            for f in freezes
        ],
    }
    if fmt == "json":
        _print_json(document)
        return EXIT_OK
    risk = workflow.risk(change, catalog)
    out = [f"{change.id}: {change.name}"]
    fields = [
        ("file", change.file),
        ("type", (change.change_type or "?") + _template_note(change)),
        ("state", change.state or "?"),
        ("next", ", ".join(document["next"]) or "none (final)"),
        ("risk", str(risk) if risk else "? (spec.risk is incomplete)"),
        ("window", _window_text(change)),
        ("outage", "yes" if document["outage"] else "no"),
        ("owner", change.owner or "?"),
        ("requester", str(document["requester"] or "?")),
    ]
    out += [f"  {name + ':':<11}{value}" for name, value in fields]
    if change.description.strip():
        out.append("  description:")
        out += _indented(change.description, 4)
    out.append("  targets:")
    for target in document["targets"]:
        label = f" ({target['name']})" if target["name"] else " (missing!)"
        out.append(f"    - {target['ref']}{label}")
    if document["plan"]:
        out.append("  plan:")
        for key in calendar.PLAN_FIELDS:
            value = document["plan"].get(key)
            if isinstance(value, str):
                out.append(f"    {key}:")
                out += _indented(value, 6)
    closure = document["closure"]
    if isinstance(closure, dict):
        out.append(f"  closure:   {closure.get('code', '?')}")
        if isinstance(closure.get("notes"), str):
            out += _indented(closure["notes"], 4)
    if not conflicts:
        out.append("  conflicts: none")
    else:
        out.append("  conflicts:")
        out += [f"    ! {c.message()}" for c in conflicts]
    if not freezes:
        out.append("  freezes:   none")
    else:
        out.append("  freezes:")
        for item in document["freezes"]:
            verdict = "allowed" if item["allowed"] else "NOT ALLOWED"
            allows = ", ".join(item["allow"]) or "nothing"
            out.append(
                f"    {'-' if item['allowed'] else '!'} {item['id']} ({item['name']}), "
                f"allows {allows}: {verdict} for a {change.change_type} change"
            )
    write_output("\n".join(out) + "\n", None)
    return EXIT_OK


def _template_note(change: ChangeRequest) -> str:
    template = change.spec.get("template")
    return f" (template {template})" if isinstance(template, str) else ""


def _indented(text: str, width: int) -> list[str]:
    return [(" " * width + line).rstrip() for line in text.strip().splitlines()]
