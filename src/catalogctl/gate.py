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

from catalogctl import kinds, workflow
from catalogctl.diagnostics import Diagnostic
from catalogctl.diff import EntityChange
from catalogctl.impact import dependents
from catalogctl.model import Catalog, ChangeRequest, Ref, Team, duration_minutes, parse_instant
from catalogctl.policy import Policy
from catalogctl.reviews import Verdicts

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
    "policy-change",
)
CHANGE = kinds.CHANGE.name


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


@dataclass(frozen=True)
class GateResult:
    base: str
    head: str
    checks: tuple[Check, ...]
    missing: tuple[Missing, ...] = field(default=())

    @property
    def result(self) -> str:
        return FAIL if any(c.status == FAIL for c in self.checks) else PASS


def _spec(change: EntityChange, side: str) -> Mapping[str, Any]:
    data = change.new if side == "new" else change.old
    spec = data.get("spec") if isinstance(data, Mapping) else None
    return spec if isinstance(spec, Mapping) else {}


def _members(catalog: Catalog, team_id: str) -> tuple[str, ...]:
    team = catalog.get(kinds.TEAM.name, team_id)
    return tuple(sorted(team.members)) if isinstance(team, Team) else ()


class _Gate:
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


def _window(spec: Mapping[str, Any]) -> tuple[dt.datetime, dt.datetime] | None:
    window = spec.get("window")
    if not isinstance(window, Mapping):
        return None
    start, end = parse_instant(window.get("start")), parse_instant(window.get("end"))
    return (start, end) if start and end else None


def _hit(catalog: Catalog, change: ChangeRequest) -> set[Ref]:
    targets = {Ref(kinds.SERVICE.name, s) for s in change.target_services}
    targets |= {Ref(kinds.CI.name, c) for c in change.target_cis}
    return targets | dependents(catalog, targets)


def _changed_fields(change: EntityChange) -> set[str]:
    return {
        f.path.split(".")[1].split("[")[0]
        for f in change.fields
        if f.path.startswith("spec.") and "." in f.path
    }


def _transition_and_friends(gate: _Gate, change: EntityChange) -> None:
    g = gate.g
    ref = change.ref
    new, old = _spec(change, "new"), _spec(change, "old")
    ctype = str(new.get("type") or old.get("type") or "")
    state, was = str(new.get("state") or ""), str(old.get("state") or "")
    requester = new.get("requester") if isinstance(new.get("requester"), str) else None
    entity = g.head_catalog.get(CHANGE, change.id)
    # immutable
    if change.op == "removed":
        gate.add("immutable", FAIL, ref, "change files are never deleted; cancel it instead")
        return
    if change.op in ("modified", "moved") and was in workflow.TERMINAL:
        gate.add("immutable", FAIL, ref, f"a {was} change is final and may not be edited")
        return
    if change.op == "moved":
        gate.add(
            "immutable",
            FAIL,
            ref,
            f"change files are never renamed ({change.old_file} -> {change.file})",
        )
        return
    if change.op == "added" and change.id in g.used_change_ids:
        gate.add(
            "immutable",
            FAIL,
            ref,
            f"id {change.id} was used by a change file deleted earlier; ids are never reused",
        )
        return
    gate.add("immutable", PASS, ref, "no final change edited, nothing deleted or reused")
    # transition
    if change.op == "added":
        starts = ("new", "scheduled") if ctype == "standard" else ("new",)
        steps = [] if state == "new" else workflow.route(ctype, "new", state)
        if state not in starts:
            gate.add(
                "transition",
                FAIL,
                ref,
                f"a new {ctype} change starts in {' or '.join(starts)}, not {state}",
            )
            return
    else:
        steps = workflow.route(ctype, was, state)
        if steps is None:
            legal = ", ".join(workflow.transitions(ctype).get(was, ())) or "none"
            gate.add(
                "transition",
                FAIL,
                ref,
                f"{was} -> {state} is not allowed for {ctype} changes; from {was}: {legal}",
            )
            return
    steps = steps or []
    path = " -> ".join([was or "(new file)", *steps]) if steps else f"stays {state}"
    gate.add("transition", PASS, ref, f"{ctype}: {path}")
    # frozen fields
    edited = _changed_fields(change) & set(workflow.FROZEN_FIELDS)
    frozen_from = workflow.FROZEN_FROM_BY_TYPE.get(ctype, workflow.FROZEN_FROM)
    if change.op == "modified" and edited and workflow.reached(ctype, was, frozen_from):
        back = workflow.REASSESS.get(ctype, "assess")
        if state != back:
            gate.add(
                "frozen-fields",
                FAIL,
                ref,
                f"{', '.join(sorted(edited))} changed after {was}; move it back to {back}",
            )
        else:
            gate.add(
                "frozen-fields",
                PASS,
                ref,
                f"sent back to {back} after editing {', '.join(sorted(edited))}",
            )
    # authorization (CAB) when a step enters the authorised state
    entry = workflow.AUTHORIZED_ENTRY.get(ctype)
    if entry and entry in steps and isinstance(entity, ChangeRequest):
        risk = workflow.risk(entity, g.head_catalog)
        level = risk.computed if risk else "high"
        emergency = ctype == "emergency"
        team = g.policy.emergency_team if emergency else g.policy.cab_team
        needed = g.policy.approvals.get("emergency" if emergency else level, 1)
        why = f"entering {entry} ({'emergency' if emergency else str(risk or level)} risk)"
        gate.need(
            "authorization", ref, team, needed, why, [requester or "", g.author or ""], requester
        )
    # schedule: on entering authorize or the authorised state, and while scheduled
    window = _window(new)
    entering = set(steps) & {"authorize", "scheduled", "implement"}
    still_scheduled = change.op == "modified" and state in ("scheduled", "implement")
    if isinstance(entity, ChangeRequest) and (entering or still_scheduled):
        _schedule(gate, entity, ctype, window, lead=bool(set(steps) & {"authorize", "scheduled"}))
    if ctype == "standard" and isinstance(entity, ChangeRequest) and state not in ("canceled",):
        _standard(gate, entity, window)


def _schedule(
    gate: _Gate,
    change: ChangeRequest,
    ctype: str,
    window: tuple[dt.datetime, dt.datetime] | None,
    lead: bool,
) -> None:
    g = gate.g
    ref = str(change.ref)
    if window is None:
        gate.add("schedule", FAIL, ref, "needs a window (spec.window.start and end)")
        return
    start, end = window
    problems = []
    if end <= start:
        problems.append(f"window ends ({end.isoformat()}) before it starts")
    minutes = duration_minutes(g.policy.lead_times.get(ctype)) or 0
    if lead and start - g.now < dt.timedelta(minutes=minutes):
        problems.append(
            f"lead time: {ctype} changes need {g.policy.lead_times.get(ctype)} "
            f"notice; the window starts {start.isoformat()}, now is "
            f"{g.now.isoformat(timespec='minutes')}"
        )
    for freeze in g.policy.freezes:
        f_start, f_end = parse_instant(freeze.start), parse_instant(freeze.end)
        if f_start and f_end and start < f_end and f_start < end and ctype not in freeze.allow:
            problems.append(
                f"the window falls in freeze {freeze.id} ({freeze.name}), which "
                f"does not allow {ctype} changes"
            )
    mine = _hit(g.head_catalog, change)
    for other in g.head_catalog.of_kind(CHANGE):
        if other.id == change.id or not isinstance(other, ChangeRequest):
            continue
        if other.state not in ("scheduled", "implement"):
            continue
        other_window = _window(other.spec)
        if other_window is None or not (start < other_window[1] and other_window[0] < end):
            continue
        shared = sorted(str(r) for r in mine & _hit(g.head_catalog, other))
        if shared:
            problems.append(
                f"collides with {other.id} ({other.state}, "
                f"{other_window[0].isoformat()} - {other_window[1].isoformat()}) "
                f"on {', '.join(shared[:5])}"
            )
    if problems:
        gate.add("schedule", FAIL, ref, "; ".join(problems))
    else:
        gate.add("schedule", PASS, ref, f"window {start.isoformat()} - {end.isoformat()} is clear")


def _standard(
    gate: _Gate, change: ChangeRequest, window: tuple[dt.datetime, dt.datetime] | None
) -> None:
    g = gate.g
    ref = str(change.ref)
    template_id = change.spec.get("template")
    template = g.head_catalog.get(kinds.TEMPLATE.name, str(template_id))
    if template is None:
        gate.add("standard-template", FAIL, ref, f"no ChangeTemplate '{template_id}'")
        return
    problems = []
    allowed_types = set(template.spec.get("ciTypes") or [])
    for ci_id in change.target_cis:
        ci = g.head_catalog.get(kinds.CI.name, ci_id)
        ci_type = ci.spec.get("type") if ci else None
        if ci_type not in allowed_types:
            problems.append(
                f"CI {ci_id} is a {ci_type}; template {template.id} allows "
                f"{', '.join(sorted(allowed_types))}"
            )
    limit = duration_minutes(template.spec.get("maxDuration"))
    if window and limit is not None and (window[1] - window[0]) > dt.timedelta(minutes=limit):
        problems.append(
            f"the window is longer than the template's maxDuration "
            f"{template.spec.get('maxDuration')}"
        )
    risk = workflow.risk(change, g.head_catalog)
    if risk is None or risk.computed != "low":
        problems.append(f"standard changes must be low risk; this one is {risk}")
    if problems:
        gate.add("standard-template", FAIL, ref, "; ".join(problems))
    else:
        gate.add("standard-template", PASS, ref, f"fits template {template.id}")


def _owners(gate: _Gate, change: EntityChange) -> list[str]:
    """Teams that must approve an edit of a catalog entity (old and new owners)."""
    teams: list[str] = []
    for side in ("old", "new"):
        spec = _spec(change, side)
        if change.kind == kinds.TEAM.name:
            teams.append(change.id)
        elif change.kind == kinds.SLA.name:
            for service_id in spec.get("services") or []:
                service = gate.g.base_catalog.get(
                    kinds.SERVICE.name, str(service_id)
                ) or gate.g.head_catalog.get(kinds.SERVICE.name, str(service_id))
                if service is not None and service.owner:
                    teams.append(service.owner)
        elif isinstance(spec.get("owner"), str):
            teams.append(spec["owner"])
    return sorted(set(teams))


def evaluate(g: GateInput) -> GateResult:
    gate = _Gate(g)
    if g.lint_errors:
        first = g.lint_errors[0]
        gate.add(
            "lint",
            FAIL,
            None,
            f"{len(g.lint_errors)} lint error(s); first: {first.file}:"
            f"{first.line}:{first.column}: {first.message} [{first.rule}]",
        )
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
    for change in g.changes:
        if change.kind == CHANGE:
            _transition_and_friends(gate, change)
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
    touched = [c.file for c in g.changes if c.kind == "Policy"]
    touched += [f for f in g.other_files if f.startswith("schemas/")]
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
