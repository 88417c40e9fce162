"""The change gate: does a pull request satisfy the CAB rules of DESIGN §4?

A pure function of plain values (both catalogs, the entity changes, the
reviews' verdicts, the base policy, the time): every rule is a named check
with its own verdict, and a blocked pull request is told exactly what is
missing and who could provide it.
"""

from __future__ import annotations

from catalogctl.load import kinds
from catalogctl.model import workflow
from catalogctl.review.diff import EntityChange, TextEdit
from catalogctl.review.gate_changes import check_change
from catalogctl.review.gate_records import FINAL, RECORD_KINDS, check_record, record_owners
from catalogctl.review.ledger import (
    CHANGE,
    CHECKS,
    FAIL,
    PASS,
    POLICY_PATHS,
    SKIP,
    WARN,
    GateInput,
    GateResult,
    Ledger,
    spec_data,
    team_members,
)


def _owners(gate: Ledger, change: EntityChange | TextEdit) -> list[str]:
    """Teams that must approve an edit of a catalog entity (old and new owners)."""
    teams: list[str] = []
    kind, _, entity_id = change.ref.partition("/")
    if kind in RECORD_KINDS:
        return record_owners(gate, kind, (change.old, change.new))
    for data in (change.old, change.new):
        spec = spec_data(data)
        if kind == kinds.TEAM.name:
            teams.append(entity_id)
        elif kind == kinds.SLA.name:
            for service_id in spec.get("services") or []:
                service = gate.g.base_catalog.get(
                    kinds.SERVICE.name, str(service_id)
                ) or gate.g.head_catalog.get(kinds.SERVICE.name, str(service_id))
                if service is not None and service.owner:
                    teams.append(service.owner)
        elif isinstance(spec.get("owner"), str):
            teams.append(spec["owner"])
    return sorted(set(teams))


def _text_edits(gate: Ledger) -> None:
    """Files whose bytes changed but not their data: comments, suppressions,
    formatting. Every byte is owned, so the owners approve them as any edit;
    a closed or canceled change record, or a closed incident or problem, does
    not change at all."""
    for edit in gate.g.text_edits:
        if not edit.text_only or edit.ref.startswith("Policy/"):
            continue
        if edit.ref.startswith(CHANGE + "/"):
            was = str(spec_data(edit.old).get("state") or "")
            if was in workflow.TERMINAL:
                gate.add(
                    "immutable",
                    FAIL,
                    edit.ref,
                    f"a {was} change is final: not a byte may change, comments included",
                )
                continue
        kind = edit.ref.partition("/")[0]
        if kind in RECORD_KINDS and spec_data(edit.old).get("state") == FINAL:
            gate.add(
                "immutable",
                FAIL,
                edit.ref,
                f"a closed {kind.lower()} is final: not a byte may change, comments included",
            )
            continue
        why = f"comments or formatting of {edit.file} changed (owned by team"
        for team in _owners(gate, edit):
            gate.need("owner-approval", edit.ref, team, 1, f"{why} {team})", [gate.g.author or ""])


def _owned_paths(gate: Ledger, files: list[str]) -> None:
    """Files that are not catalog data (site, workflows, docs, code, hidden
    files): the policy's `paths:` owner approves them, else the CAB."""
    by_team: dict[str, list[str]] = {}
    for file in files:
        by_team.setdefault(gate.g.policy.path_owner(file), []).append(file)
    for team, owned in sorted(by_team.items()):
        listed = ", ".join(owned[:5]) + (f" and {len(owned) - 5} more" if len(owned) > 5 else "")
        gate.need("path-owner", None, team, 1, f"{listed} changed", [gate.g.author or ""])


def _warnings(g: GateInput) -> str:
    """Lint warnings in the files the pull request touches (a hidden file it
    adds, say), so that they are seen: '' when there are none."""
    touched = {*g.other_files, *(e.file for e in g.text_edits)}
    touched |= {f for c in g.changes for f in (c.file, c.old_file) if f}
    found = [d for d in g.lint_warnings if d.file in touched]
    if not found:
        return ""
    shown = "; ".join(f"{d.file}:{d.line}:{d.column}: {d.message} [{d.rule}]" for d in found[:5])
    more = f"; and {len(found) - 5} more" if len(found) > 5 else ""
    return f"{len(found)} warning(s) in files this pull request changes: {shown}{more}"


def evaluate(g: GateInput) -> GateResult:
    gate = Ledger(g)
    warnings = _warnings(g)
    if g.lint_errors:
        first = g.lint_errors[0]
        gate.add(
            "lint",
            FAIL,
            None,
            f"{len(g.lint_errors)} lint error(s); first: {first.file}:"
            f"{first.line}:{first.column}: {first.message} [{first.rule}]"
            + (f"; {warnings}" if warnings else ""),
        )
    elif warnings:
        gate.add("lint", WARN, None, f"no lint errors; {warnings}")
    else:
        gate.add("lint", PASS, None, "the head lints clean")
    cab = {m.lower() for m in team_members(g.base_catalog, g.policy.cab_team)}
    cab |= {m.lower() for m in team_members(g.base_catalog, g.policy.emergency_team)}
    blocking = sorted(r for r in g.verdicts.changes_requested if r.lower() in cab)
    if blocking:
        gate.add(
            "approvals",
            FAIL,
            None,
            f"changes requested by CAB member(s) "
            f"{', '.join(blocking)}; they must approve or dismiss",
        )
    else:
        counted = sorted(g.verdicts.approved)
        gate.add(
            "approvals", PASS, None, f"approvals on the head commit: {', '.join(counted) or 'none'}"
        )
    for change in g.changes:
        if change.kind == CHANGE:
            check_change(gate, change)
        elif change.kind in RECORD_KINDS:
            check_record(gate, change)
        elif change.kind == "Policy":
            pass  # policy-change below
        else:
            for team in _owners(gate, change):
                gate.need(
                    "owner-approval",
                    change.ref,
                    team,
                    1,
                    f"{change.op} by team {team}",
                    [g.author or ""],
                )
    _text_edits(gate)
    touched = [c.file for c in g.changes if c.kind == "Policy"]
    touched += [e.file for e in g.text_edits if e.text_only and e.ref.startswith("Policy/")]
    touched += [f for f in g.other_files if f.startswith(POLICY_PATHS)]
    _owned_paths(gate, [f for f in g.other_files if not f.startswith(POLICY_PATHS)])
    if touched:
        gate.need(
            "policy-change",
            None,
            g.policy.cab_team,
            g.policy.approvals.get("high", 2),
            f"{', '.join(touched)} changed (high-risk CAB approval)",
            [g.author or ""],
        )
    ran = {c.name for c in gate.checks}
    for name in CHECKS:
        if name not in ran:
            gate.add(name, SKIP, None, "nothing in this pull request for this check")
    order = {name: i for i, name in enumerate(CHECKS)}
    checks = sorted(gate.checks, key=lambda c: (order[c.name], c.entity or ""))
    return GateResult(g.base, g.head, tuple(checks), tuple(gate.missing))
