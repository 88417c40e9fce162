"""The change workflow: states, legal transitions per change type, and risk.

One table drives everything that asks "may this change move from A to B":
`change advance`, the gate's `transition` check and the documentation
(`docs/workflow.md` is generated from it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from catalogctl.load import kinds
from catalogctl.model.entities import ChangeRequest, Ref, Service
from catalogctl.model.impact import Lookup, dependents

STATES = ("new", "assess", "authorize", "scheduled", "implement", "review", "closed", "canceled")
TERMINAL = frozenset({"closed", "canceled"})
OPEN = frozenset(STATES) - TERMINAL

# The forward path of each change type (ITIL / ServiceNow style).
PATHS: Mapping[str, tuple[str, ...]] = {
    "normal": ("new", "assess", "authorize", "scheduled", "implement", "review", "closed"),
    "standard": ("new", "scheduled", "implement", "review", "closed"),
    "emergency": ("new", "authorize", "implement", "review", "closed"),
}
# Where a change must be authorised by the CAB before it may enter.
AUTHORIZED_ENTRY: Mapping[str, str | None] = {
    "normal": "scheduled",
    "emergency": "implement",
    "standard": None,  # pre-approved through its template
}
# At or past this state, edits to the plan, window, targets, risk or type
# send the change back to assess (normal) or new (others).
FROZEN_FROM = "scheduled"
# Emergency changes have no `scheduled` state: they are frozen once implementing.
FROZEN_FROM_BY_TYPE: Mapping[str, str] = {
    "normal": "scheduled",
    "standard": "scheduled",
    "emergency": "implement",
}
FROZEN_FIELDS = ("targets", "window", "plan", "risk", "type")
REJECTION = ("authorize", "new")
REASSESS: Mapping[str, str] = {"normal": "assess", "standard": "new", "emergency": "new"}


def transitions(change_type: str) -> dict[str, tuple[str, ...]]:
    """state -> the states it may move to next, for one change type."""
    path = PATHS.get(change_type, ())
    out: dict[str, tuple[str, ...]] = {}
    for index, state in enumerate(path):
        following = [path[index + 1]] if index + 1 < len(path) else []
        if state not in TERMINAL:
            following.append("canceled")
        if (state, "new") == REJECTION and state in path:
            following.append("new")
        if state in ("scheduled", "implement"):  # re-assessment after a frozen edit
            following.append(REASSESS[change_type])
        out[state] = tuple(following)
    out["canceled"] = ()
    return out


def allowed(change_type: str, state: str, target: str) -> bool:
    return target in transitions(change_type).get(state, ())


def route(change_type: str, start: str, end: str) -> list[str] | None:
    """The states walked from `start` to `end` along the forward path (or a
    single rejection/cancel step); None when `end` cannot be reached."""
    if start == end:
        return []
    if allowed(change_type, start, end):
        return [end]
    path = PATHS.get(change_type, ())
    if start in path and end in path and path.index(end) > path.index(start):
        return list(path[path.index(start) + 1 : path.index(end) + 1])
    return None


def reached(change_type: str, state: str, milestone: str) -> bool:
    """Whether `state` is at or past `milestone` on the type's path."""
    path = PATHS.get(change_type, ())
    return state in path and milestone in path and path.index(state) >= path.index(milestone)


LEVELS = ("low", "medium", "high")


def matrix_risk(impact: str, likelihood: str) -> str:
    """3x3 matrix: impact x likelihood scored 1-3 each; 1-2 low, 3-4 medium, 6-9 high."""
    score = (LEVELS.index(impact) + 1) * (LEVELS.index(likelihood) + 1)
    return "low" if score <= 2 else "medium" if score <= 4 else "high"


@dataclass(frozen=True)
class Risk:
    declared: str  # from the matrix of the change's own impact x likelihood
    computed: str  # raised one level when a tier-1 service is hit
    tier1: tuple[str, ...]  # the tier-1 services that raised it

    def __str__(self) -> str:
        if self.computed == self.declared:
            return self.computed
        return f"{self.computed} (raised from {self.declared}: tier 1 {', '.join(self.tier1)})"


def risk(change: ChangeRequest, catalog: Lookup) -> Risk | None:
    """The change's risk, raised one level when a target is, or feeds through
    the dependency graph into, a tier-1 service. None when risk is malformed."""
    spec_risk = change.spec.get("risk")
    if not isinstance(spec_risk, dict):
        return None
    impact, likelihood = spec_risk.get("impact"), spec_risk.get("likelihood")
    if impact not in LEVELS or likelihood not in LEVELS:
        return None
    declared = matrix_risk(str(impact), str(likelihood))
    targets = {Ref(kinds.SERVICE.name, s) for s in change.target_services}
    targets |= {Ref(kinds.CI.name, c) for c in change.target_cis}
    hit = targets | dependents(catalog, targets)
    tier1 = tuple(
        sorted(
            ref.id
            for ref in hit
            if ref.kind == kinds.SERVICE.name
            and isinstance(service := catalog.get(ref.kind, ref.id), Service)
            and service.tier == 1
        )
    )
    computed = LEVELS[min(LEVELS.index(declared) + 1, 2)] if tier1 else declared
    return Risk(declared, computed, tier1)


def markdown_table() -> str:
    """The state machine as the documentation shows it."""
    lines = ["| type | path | CAB authorisation to enter |", "|---|---|---|"]
    for change_type, path in PATHS.items():
        gate = AUTHORIZED_ENTRY[change_type] or "none (pre-approved template)"
        lines.append(f"| {change_type} | {' → '.join(path)} | {gate} |")
    lines += [
        "",
        "Every open state may move to `canceled`; `authorize → new` is a rejection.",
        f"From `{FROZEN_FROM}` on (emergency: from `implement`), editing "
        f"{', '.join(FROZEN_FIELDS)} sends the change back",
        "to `assess` (normal) or `new` (standard, emergency).",
        "`closed` and `canceled` are final: the file may not change any more.",
    ]
    return "\n".join(lines) + "\n"
