"""The gate's ledger: its input, its verdicts and the approvals still missing.

The types both halves of the gate share (`gate` for catalog files, policy
and paths; `gate_changes` for change requests), kept apart so that neither
half imports the other. `Ledger.need` is the one place that counts
approvals: from the base's team members, never the excluded logins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from catalogctl.load import kinds
from catalogctl.load.diagnostics import Diagnostic
from catalogctl.model.entities import Catalog, Team
from catalogctl.model.impact import Lookup
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
# The tool a catalog's workflows install is policy too: it judges every PR.
POLICY_PATHS = (
    kinds.POLICY_FILE,
    "schemas/",
    ".github/workflows/",
    ".github/actions/",
    ".github/catalogctl-requirements.txt",
)


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
    base_catalog: Lookup  # the base's reference index (docs/cache.md)
    head_catalog: Catalog
    policy: Policy  # always the base's: a pull request cannot loosen its own gate
    changes: tuple[EntityChange, ...]
    other_files: tuple[str, ...]
    lint_errors: tuple[Diagnostic, ...]
    verdicts: Verdicts
    author: str | None
    now: dt.datetime
    # ids of change, incident and problem files deleted in history
    used_change_ids: frozenset[str] = frozenset()
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


def spec_data(data: Mapping[str, Any] | None) -> Mapping[str, Any]:
    spec = data.get("spec") if isinstance(data, Mapping) else None
    return spec if isinstance(spec, Mapping) else {}


def spec_of(change: EntityChange, side: str) -> Mapping[str, Any]:
    return spec_data(change.new if side == "new" else change.old)


def team_members(catalog: Lookup, team_id: str) -> tuple[str, ...]:
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
        members = team_members(self.g.base_catalog, team)
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
        if not team_members(self.g.base_catalog, team) and team != self.g.policy.cab_team:
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
            f"{team} (members: {', '.join(team_members(self.g.base_catalog, team)) or 'none'})"
            f"; has {len(have)}{' (' + ', '.join(have) + ')' if have else ''}"
        )
        if requester and requester.lower() in {a.lower() for a in self.g.verdicts.approved}:
            message += f"; {requester} is the requester and cannot approve"
        if self.g.author and self.g.author in self.g.verdicts.ignored:
            message += f"; {self.g.author} opened the pull request and cannot approve"
        team_logins = {m.lower() for m in team_members(self.g.base_catalog, team)}
        stale = sorted(s for s in self.g.verdicts.stale if s.lower() in team_logins)
        if stale:
            message += f"; approvals on an older commit do not count ({', '.join(stale)})"
        self.add(check, FAIL, entity, message)
        self._need(Missing(team, short, tuple(could)))

    def _need(self, missing: Missing) -> None:
        """Said once: several checks asking the same team for the same count
        from the same people are met by the same approvals. (Different
        counts or people stay apart: a requester may not approve their own.)"""
        if missing not in self.missing:
            self.missing.append(missing)

    def immutable(self, change: EntityChange, word: str, final: str | None, instead: str) -> bool:
        """The `immutable` check of a record (change, incident, problem): no
        file deleted or renamed, nothing `final` (the state it was in, when
        that state is final) edited, no id of a deleted file used again.
        Adds the verdict; True when it passed."""
        ref = change.ref
        if change.op == "removed":
            failure = f"{word} files are never deleted; {instead}"
        elif change.op in ("modified", "moved") and final:
            failure = f"a {final} {word} is final and may not be edited"
        elif change.op == "moved":
            failure = f"{word} files are never renamed ({change.old_file} -> {change.file})"
        elif change.op == "added" and change.id in self.g.used_change_ids:
            failure = (
                f"id {change.id} was used by a {word} file deleted earlier; ids are never reused"
            )
        else:
            self.add("immutable", PASS, ref, f"no final {word} edited, nothing deleted or reused")
            return True
        self.add("immutable", FAIL, ref, failure)
        return False
