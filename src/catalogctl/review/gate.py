"""The change gate: does a pull request satisfy the CAB rules of DESIGN §4?

A pure function of plain values (both catalogs, the entity changes, the
reviews' verdicts, the base policy, the time): every rule is a named check
with its own verdict, and a blocked pull request is told exactly what is
missing and who could provide it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from catalogctl.load import kinds
from catalogctl.load.diagnostics import Diagnostic
from catalogctl.model import workflow
from catalogctl.model.entities import Catalog, Team
from catalogctl.model.policy import Policy
from catalogctl.review.diff import EntityChange, TextEdit
from catalogctl.review.reviews import Verdicts

PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"
CHECKS = (
    "lint",
    "transition",
    "authorization",
    "approvals",
    "frozen-fields",
    "immutable",
    "schedule",
    "standard-template",
    "owner-approval",
    "path-owner",
    "policy-change",
)
CHANGE = kinds.CHANGE.name
# What defines the gate itself: the CAB approves these at the high-risk count,
# whatever the policy's paths: say (workflows run the gate and hold secrets).
POLICY_PATHS = (kinds.POLICY_FILE, "schemas/", ".github/workflows/", ".github/actions/")


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    entity: str | None
    message: str


@dataclass(frozen=True)
class Missing:
    team: str
    needed: int
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class GateInput:
    base: str
    head: str
    base_catalog: Catalog
    head_catalog: Catalog
    policy: Policy  # always the base's: a pull request cannot loosen its own gate
    changes: tuple[EntityChange, ...]
    other_files: tuple[str, ...]
    lint_errors: tuple[Diagnostic, ...]
    verdicts: Verdicts
    author: str | None
    now: dt.datetime
    used_change_ids: frozenset[str] = frozenset()  # ids of change files deleted in history
    text_edits: tuple[TextEdit, ...] = ()  # comment and formatting edits the data diff hides
    lint_warnings: tuple[Diagnostic, ...] = ()  # shown for the files the pull request touches


@dataclass(frozen=True)
class GateResult:
    base: str
    head: str
    checks: tuple[Check, ...]
    missing: tuple[Missing, ...] = field(default=())

    @property
    def result(self) -> str:
        return FAIL if any(c.status == FAIL for c in self.checks) else PASS


def _spec(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    spec = data.get("spec") if isinstance(data, Mapping) else None
    return spec if isinstance(spec, Mapping) else {}


def spec_of(change: EntityChange, side: str) -> Mapping[str, Any]:
    return _spec(change.new if side == "new" else change.old)


def _members(catalog: Catalog, team_id: str) -> tuple[str, ...]:
    team = catalog.get(kinds.TEAM.name, team_id)
    return tuple(sorted(team.members)) if isinstance(team, Team) else ()


class Ledger:
    def __init__(self, gate: GateInput) -> None:
        self.g = gate
        self.checks: list[Check] = []
        self.missing: list[Missing] = []

    def add(self, name: str, status: str, entity: str | None, message: str) -> None:
        self.checks.append(Check(name, status, entity, message))

    def approvals_from(self, team: str, excluding: Iterable[str]) -> tuple[list[str], list[str]]:
        """(approvers in the base team, candidates who could still approve)."""
        members = _members(self.g.base_catalog, team)
        excluded = {e.lower() for e in excluding if e}
        approvers = {a.lower() for a in self.g.verdicts.approvers(excluded)}  # logins: any case
        have = sorted(m for m in members if m.lower() in approvers)
        could = sorted(
            m for m in members if m.lower() not in approvers and m.lower() not in excluded
        )
        return have, could

    def need(
        self,
        check: str,
        entity: str | None,
        team: str,
        needed: int,
        why: str,
        excluding: Iterable[str],
        requester: str | None = None,
    ) -> None:
        if not _members(self.g.base_catalog, team) and team != self.g.policy.cab_team:
            why += f" (team {team} does not exist at the base; the CAB approves instead)"
            team = self.g.policy.cab_team
        have, could = self.approvals_from(team, excluding)
        if len(have) >= needed:
            self.add(
                check,
                PASS,
                entity,
                f"{why}: {len(have)} of {needed} approval(s) from team {team} "
                f"({', '.join(have) or 'none needed'})",
            )
            return
        short = needed - len(have)
        message = (
            f"{why}: needs {short} more approval{'s' if short > 1 else ''} from team "
            f"{team} (members: {', '.join(_members(self.g.base_catalog, team)) or 'none'})"
            f"; has {len(have)}{' (' + ', '.join(have) + ')' if have else ''}"
        )
        if requester and requester.lower() in {a.lower() for a in self.g.verdicts.approved}:
            message += f"; {requester} is the requester and cannot approve"
        if self.g.author and self.g.author in self.g.verdicts.ignored:
            message += f"; {self.g.author} opened the pull request and cannot approve"
        team_logins = {m.lower() for m in _members(self.g.base_catalog, team)}
        stale = sorted(s for s in self.g.verdicts.stale if s.lower() in team_logins)
        if stale:
            message += f"; approvals on an older commit do not count ({', '.join(stale)})"
        self.add(check, FAIL, entity, message)
        self.missing.append(Missing(team, short, tuple(could)))


def _owners(gate: Ledger, change: EntityChange | TextEdit) -> list[str]:
    """Teams that must approve an edit of a catalog entity (old and new owners)."""
    teams: list[str] = []
    kind, _, entity_id = change.ref.partition("/")
    for data in (change.old, change.new):
        spec = _spec(data)
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
    a closed or canceled change record does not change at all."""
    for edit in gate.g.text_edits:
        if not edit.text_only or edit.ref.startswith("Policy/"):
            continue
        if edit.ref.startswith(CHANGE + "/"):
            was = str(_spec(edit.old).get("state") or "")
            if was in workflow.TERMINAL:
                gate.add(
                    "immutable",
                    FAIL,
                    edit.ref,
                    f"a {was} change is final: not a byte may change, comments included",
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
    cab = {m.lower() for m in _members(g.base_catalog, g.policy.cab_team)}
    cab |= {m.lower() for m in _members(g.base_catalog, g.policy.emergency_team)}
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
    from catalogctl.review.gate_changes import check_change  # it builds on this module's ledger

    for change in g.changes:
        if change.kind == CHANGE:
            check_change(gate, change)
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
