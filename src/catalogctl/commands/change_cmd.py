"""`catalogctl change ...`: list, show, create, advance and calendar of change requests.

`execute(action=..., **options)` runs one subcommand. The logic lives in
`workflow` (states, risk), `calendar` (windows, conflicts, iCalendar) and
`editing` (in-place edits); this module reads the workspace and prints.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from catalogctl import calendar, editing, engine, ics, kinds, loader, workflow, yamlsafe
from catalogctl.commands import EXIT_OK, UsageError
from catalogctl.commands import new as new_cmd
from catalogctl.commands.output import write_output
from catalogctl.commands.workspace import Workspace, open_workspace
from catalogctl.model import Catalog, ChangeRequest, ChangeTemplate, parse_instant
from catalogctl.policy import Policy
from catalogctl.reporters import calendar as calendar_out

CHANGE = kinds.CHANGE.name
WINDOW_STATES = frozenset({"scheduled", "implement", "review", "closed"})
CLOSURE_STATES = frozenset({"review", "closed"})


def execute(*, action: str, start: Path, **options: Any) -> int:
    handlers: Mapping[str, Callable[..., int]] = {
        "list": list_changes,
        "show": show_change,
        "new": new_change,
        "advance": advance_change,
        "calendar": calendar_command,
    }
    if action not in handlers:
        raise UsageError(f"unknown change action '{action}'")
    return handlers[action](start=start, **options)


# ---------------------------------------------------------------- helpers


def _load(start: Path, today: dt.date | None = None) -> tuple[Workspace, Catalog, Policy]:
    workspace = open_workspace(start)
    result = engine.lint(workspace.source, workspace.schemas, today or dt.date.today())
    return workspace, result.catalog, result.policy


def _changes(catalog: Catalog) -> list[ChangeRequest]:
    found = [e for e in catalog.of_kind(CHANGE) if isinstance(e, ChangeRequest)]
    return sorted(found, key=lambda c: c.id)


def _find(catalog: Catalog, text: str) -> ChangeRequest:
    change_id = text.split("/", 1)[1] if text.lower().startswith("change/") else text
    change = catalog.get(CHANGE, change_id)
    if not isinstance(change, ChangeRequest):
        raise UsageError(
            f"no ChangeRequest with id '{change_id}'; `catalogctl change list` lists them"
        )
    return change


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
    print(json.dumps(document, indent=2, ensure_ascii=False))


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- list


def list_changes(*, start: Path, state: str | None, change_type: str | None, fmt: str) -> int:
    _, catalog, _ = _load(start)
    selected = [
        c
        for c in _changes(catalog)
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
        print("no change requests" + (" match" if state or change_type else ""))
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
    sys.stdout.write(_table(rows))
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
    _, catalog, policy = _load(start)
    change = _find(catalog, change_id)
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
    print("\n".join(out))
    return EXIT_OK


def _template_note(change: ChangeRequest) -> str:
    template = change.spec.get("template")
    return f" (template {template})" if isinstance(template, str) else ""


def _indented(text: str, width: int) -> list[str]:
    return [(" " * width + line).rstrip() for line in text.strip().splitlines()]


# ---------------------------------------------------------------- new


def _skeleton(text: str, change_type: str, template: ChangeTemplate | None) -> str:
    """The `new change` skeleton adjusted for another change type."""
    text = text.replace(
        " -> ".join(workflow.PATHS["normal"]), " -> ".join(workflow.PATHS[change_type])
    )
    aligned = re.search(r"^( *type: )normal( +)#", text, re.M)
    text = editing.replace_scalar(text, ("spec", "type"), change_type)
    if aligned:  # keep the comment in its column, as the skeleton has it
        column = aligned.end() - 1 - aligned.start()
        text = re.sub(
            rf"^( *type: {change_type})( +)#",
            lambda m: m.group(1) + " " * max(column - len(m.group(1)), 1) + "#",
            text,
            count=1,
            flags=re.M,
        )
    if template is not None:
        text = editing.insert_after(text, ("spec", "type"), "template", template.id)
        ci_types = template.spec.get("ciTypes")
        allowed = ", ".join(t for t in ci_types if isinstance(t, str)) if ci_types else "?"
        note = (
            f"  # Template {template.id}: targets CIs of type {allowed}; "
            f"window at most {template.spec.get('maxDuration', '?')}.\n"
        )
        newline = "\r\n" if "\r\n" in text else "\n"
        text = text.replace(
            "  targets:" + newline, note.replace("\n", newline) + "  targets:" + newline, 1
        )
    return text


def new_change(
    *,
    start: Path,
    entity_id: str | None,
    change_type: str | None,
    template: str | None,
    owner: str | None,
    today: dt.date,
) -> int:
    if change_type is None:
        change_type = "standard" if template else "normal"
    if template is not None and change_type != "standard":
        raise UsageError(f"--template is for standard changes only, not {change_type} ones")
    workspace, catalog, _ = _load(start, today)
    chosen: ChangeTemplate | None = None
    if change_type == "standard":
        templates = sorted(e.id for e in catalog.of_kind(kinds.TEMPLATE.name))
        if template is None:
            known = ", ".join(templates) or "none (add one in catalog/templates/)"
            raise UsageError(f"a standard change needs --template ID; templates: {known}")
        found = catalog.get(kinds.TEMPLATE.name, template)
        if not isinstance(found, ChangeTemplate):
            known = ", ".join(templates) or "none"
            raise UsageError(
                f"--template {template}: no ChangeTemplate with that id; templates: {known}"
            )
        chosen = found
    entity_id = entity_id or new_cmd.next_change_id(catalog, today.year)
    code = new_cmd.execute(
        start=start, kind_name="change", entity_id=entity_id, owner=owner, today=today
    )
    if code != EXIT_OK or change_type == "normal":
        return code
    target = workspace.root / kinds.entity_file(kinds.CHANGE, entity_id)
    raw = target.read_bytes()
    try:
        text = _skeleton(raw.decode("utf-8"), change_type, chosen)
    except editing.EditError as error:  # pragma: no cover - the skeleton is ours
        raise UsageError(f"{target.name}: cannot set the change type: {error}") from None
    replace_file(target, text.encode("utf-8"))
    return EXIT_OK


# ---------------------------------------------------------------- advance


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a
    rename: a reader sees the old file or the new one, never half of either.
    The file keeps its permissions."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _missing(spec: Mapping[str, Any], state: str) -> list[str]:
    """What `state` needs that the change does not have yet."""
    needs = []
    if state in WINDOW_STATES:
        window = spec.get("window")
        start = parse_instant(window.get("start")) if isinstance(window, dict) else None
        end = parse_instant(window.get("end")) if isinstance(window, dict) else None
        if start is None or end is None:
            needs.append("spec.window with start and end (ISO 8601 with offset)")
        elif end <= start:
            needs.append("a spec.window that ends after it starts")
    if state in CLOSURE_STATES:
        closure = spec.get("closure")
        if not isinstance(closure, dict) or not isinstance(closure.get("code"), str):
            needs.append(
                "spec.closure with a code (successful, successful-with-issues, unsuccessful)"
            )
    return needs


def advance_change(*, start: Path, change_id: str, state: str, dry_run: bool) -> int:
    workspace, catalog, policy = _load(start)
    change = _find(catalog, change_id)
    path = workspace.root / change.file
    raw = path.read_bytes()
    loaded, root = loader.load(change.file, raw)
    if loaded.data is None:
        first = loaded.diagnostics[0]
        raise UsageError(f"{first.file}:{first.line}:{first.column}: {first.message}; fix it first")
    text = raw.decode("utf-8")
    bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
    text = text.removeprefix(bom)
    spec = loaded.data.get("spec") if isinstance(loaded.data.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    current, change_type = spec.get("state"), spec.get("type")
    if not isinstance(change_type, str) or change_type not in workflow.PATHS:
        raise UsageError(
            f"{change.file}: spec.type {change_type!r} is not one of {', '.join(workflow.PATHS)}"
        )
    if current not in workflow.STATES:
        raise UsageError(
            f"{change.file}: spec.state {current!r} is not a workflow state; fix it first"
        )
    if current in workflow.TERMINAL:
        raise UsageError(
            f"{change.id} is {current}; closed and canceled changes are final and are not edited"
        )
    legal = workflow.transitions(change_type).get(current, ())
    if state == current:
        raise UsageError(f"{change.id} is already in state {state}")
    if not workflow.allowed(change_type, current, state):
        raise UsageError(
            f"{change.id} ({change_type} change) cannot move from {current} to {state}; "
            f"legal next states: {', '.join(legal) or 'none'}"
        )
    needs = _missing(spec, state)
    if needs:
        raise UsageError(f"{change.id} cannot enter {state} without " + "; ".join(needs))
    try:
        edited = editing.set_state(text, state)
    except editing.EditError as error:
        raise UsageError(f"{change.file}: {error}") from None
    line, _ = yamlsafe.locate(root, ("spec", "state"))
    where = f"{change.file}:{line}"
    if dry_run:
        print(f"{where}: spec.state {current} -> {state} (dry run: nothing written)")
    else:
        replace_file(path, (bom + edited).encode("utf-8"))
        print(f"{where}: spec.state {current} -> {state}")
    if state in calendar.ACTIVE_STATES:
        for note in _scheduling_notes(catalog, policy, change):
            print(f"warning: {note}", file=sys.stderr)
    return EXIT_OK


def _scheduling_notes(catalog: Catalog, policy: Policy, change: ChangeRequest) -> list[str]:
    """Conflicts a change entering scheduled/implement would have (the gate decides)."""
    window = calendar.change_window(change)
    if window is None:
        return []
    notes = [c.message() for c in calendar.change_conflicts(catalog, change)]
    for freeze in calendar.freezes_of(policy, window):
        conflict = calendar.freeze_conflict(change, freeze)
        if conflict is not None:
            notes.append(conflict.message())
    return notes


# ---------------------------------------------------------------- calendar


def _instant(text: str | None, option: str, end_of_day: bool = False) -> dt.datetime | None:
    """A date (midnight UTC; with end_of_day, the midnight after it) or a date-time with offset."""
    if text is None:
        return None
    if len(text) == 10:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if end_of_day:
                day += dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(), dt.UTC)
    value = parse_instant(text)
    if value is None:
        raise UsageError(
            f"{option} {text}: not a date (YYYY-MM-DD) or a date-time with offset "
            "(2027-01-16T06:00:00+01:00)"
        )
    return value


def write_bytes(data: bytes, output: Path | None) -> None:
    """Bytes as they are (CRLF stays CRLF) to stdout or, atomically, to a file."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    replace_file(output, data)


def calendar_command(
    *,
    start: Path,
    date_from: str | None,
    date_to: str | None,
    fmt: str,
    public: bool,
    now: str | None,
    output: Path | None,
) -> int:
    begin = _instant(date_from, "--from")
    end = _instant(date_to, "--to", end_of_day=True)
    stamp = _instant(now, "--now")
    if begin is not None and end is not None and end <= begin:
        raise UsageError(f"--to {date_to} is before --from {date_from}")
    if output is not None and not output.parent.is_dir():
        raise UsageError(f"--output {output}: the folder {output.parent} does not exist")
    _, catalog, policy = _load(start)
    cal = calendar.build(catalog, policy, begin, end, public=public)
    if fmt == "ics":
        write_bytes(ics.to_ics(cal, stamp).encode("utf-8"), output)
    elif fmt == "json":
        write_output(
            json.dumps(calendar_out.calendar_json(cal), indent=2, ensure_ascii=False) + "\n", output
        )
    else:
        write_output(calendar_out.calendar_text(cal), output)
    return EXIT_OK
