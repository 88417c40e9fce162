"""The gate's checks on a change request file in a pull request (DESIGN §4).

For each changed change request: the transition follows the state table
(`transition`), entering `scheduled` (normal) or `implement` (emergency)
has the CAB approvals its risk needs (`authorization`), a change at or past
`scheduled` whose targets, window, plans, risk or type are edited goes back
to `assess` (`frozen-fields`), closed and canceled changes stay as they are
and no change file is deleted or id reused (`immutable`), windows respect
order, lead time, freezes and other scheduled changes (`schedule`), and a
standard change fits its template (`standard-template`). Each check adds its
verdict to the gate's ledger (`ledger.Ledger`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from catalogctl.load import kinds
from catalogctl.model import workflow
from catalogctl.model.durations import duration_minutes
from catalogctl.model.entities import (
    Catalog,
    ChangeRequest,
    Ref,
    dig,
    parse_instant,
)
from catalogctl.model.impact import dependents
from catalogctl.review.diff import EntityChange
from catalogctl.review.ledger import CHANGE, FAIL, PASS, GateInput, Ledger, spec_of


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


def _higher_risk(g: GateInput, head: ChangeRequest) -> tuple[workflow.Risk | None, str]:
    """The higher of the base's and the head's risk: a pull request that lowers
    a change's risk does not lower the approvals it needs. Returns the risk and
    a note when the base's was the higher."""
    now = workflow.risk(head, g.head_catalog)
    base = g.base_catalog.get(CHANGE, head.id)
    then = workflow.risk(base, g.base_catalog) if isinstance(base, ChangeRequest) else None
    if now is None or then is None:
        return now or then, ""
    order = workflow.LEVELS.index
    if order(then.computed) > order(now.computed):
        return then, f"; counted from the base's {then.computed}, lowered to {now.computed} here"
    return now, ""


def check_change(gate: Ledger, change: EntityChange) -> None:
    g = gate.g
    ref = change.ref
    new, old = spec_of(change, "new"), spec_of(change, "old")
    ctype = str(new.get("type") or old.get("type") or "")
    state, was = str(new.get("state") or ""), str(old.get("state") or "")
    requester = new.get("requester") if isinstance(new.get("requester"), str) else None
    # neither the requester the change had nor the one the PR gives it may approve
    requesters = sorted({str(r) for r in (old.get("requester"), requester) if isinstance(r, str)})
    entity = g.head_catalog.get(CHANGE, change.id)
    # immutable
    final = was if was in workflow.TERMINAL else None
    if not gate.immutable(change, "change", final, "cancel it instead"):
        return
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
    fields = _changed_fields(change)
    edited = fields & set(workflow.FROZEN_FIELDS)
    frozen_from = workflow.FROZEN_FROM_BY_TYPE.get(ctype, workflow.FROZEN_FROM)
    frozen = bool(edited) and workflow.reached(ctype, was, frozen_from)
    if "requester" in fields and was != "new":
        # who asked is who may not approve: once past new it is frozen too
        edited, frozen = edited | {"requester"}, True
    if change.op == "modified" and frozen:
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
        risk, lowered = _higher_risk(g, entity)
        level = risk.computed if risk else "high"
        emergency = ctype == "emergency"
        team = g.policy.emergency_team if emergency else g.policy.cab_team
        needed = g.policy.approvals.get("emergency" if emergency else level, 1)
        why = f"entering {entry} ({'emergency' if emergency else str(risk or level)} risk{lowered})"
        gate.need("authorization", ref, team, needed, why, [*requesters, g.author or ""], requester)
    # schedule: on entering authorize or the authorised state, and while scheduled
    window = _window(new)
    entering = set(steps) & {"authorize", "scheduled", "implement"}
    still_scheduled = change.op == "modified" and state in ("scheduled", "implement")
    early = _too_early(gate, steps, new, window)
    if isinstance(entity, ChangeRequest) and (entering or still_scheduled):
        lead = bool(set(steps) & {"authorize", "scheduled"})
        _schedule(gate, entity, ctype, window, lead, [early] if early else [])
    elif early:
        gate.add("schedule", FAIL, ref, early)
    if ctype == "standard" and isinstance(entity, ChangeRequest) and state not in ("canceled",):
        _standard(gate, entity, window)


# States that say work has started (or finished well): not before the window opens.
_STARTED = ("implement", "review")


def _too_early(
    gate: Ledger,
    steps: list[str],
    new: Mapping[str, Any],
    window: tuple[dt.datetime, dt.datetime] | None,
) -> str | None:
    """Why the pull request moves the change on before its window opens, if it does."""
    closure = new.get("closure")
    code = closure.get("code") if isinstance(closure, Mapping) else None
    entered = [s for s in steps if s in _STARTED]
    if "closed" in steps and code == "successful":
        entered.append("closed (successful)")
    if not entered or window is None or window[0] <= gate.g.now:
        return None
    return (
        f"{', '.join(entered)} before the window starts ({window[0].isoformat()}; "
        f"now is {gate.g.now.isoformat(timespec='minutes')}): wait for the window"
    )


def _schedule(
    gate: Ledger,
    change: ChangeRequest,
    ctype: str,
    window: tuple[dt.datetime, dt.datetime] | None,
    lead: bool,
    problems: list[str],
) -> None:
    g = gate.g
    ref = str(change.ref)
    if window is None:
        gate.add("schedule", FAIL, ref, "needs a window (spec.window.start and end)")
        return
    start, end = window
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


def _squashed(text: Any) -> str:
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def _plan_problems(template: Mapping[str, Any], change: Mapping[str, Any]) -> list[str]:
    """The template's plan, step by step, must be in the change's plan: the
    change may add to a step (the diff shows it), never replace it."""
    wanted, given = dig(template, "plan"), dig(change, "plan")
    if not isinstance(wanted, Mapping):
        return []
    given = given if isinstance(given, Mapping) else {}
    return [
        f"plan.{step} is not the template's {step} plan (it may add to it, not replace it)"
        for step, text in sorted(wanted.items())
        if _squashed(text) and _squashed(text) not in _squashed(given.get(step))
    ]


def _standard(
    gate: Ledger, change: ChangeRequest, window: tuple[dt.datetime, dt.datetime] | None
) -> None:
    """A standard change is pre-approved only for the work its template covers,
    as the template stands at the base: a template edited in the same pull
    request has not been approved yet."""
    g = gate.g
    ref = str(change.ref)
    template_id = change.spec.get("template")
    template = g.base_catalog.get(kinds.TEMPLATE.name, str(template_id))
    if template is None:
        where = (
            "added in this pull request"
            if g.head_catalog.get(kinds.TEMPLATE.name, str(template_id))
            else "unknown"
        )
        gate.add(
            "standard-template",
            FAIL,
            ref,
            f"ChangeTemplate '{template_id}' is {where}; a standard change uses a template "
            "approved on the base branch",
        )
        return
    problems = []
    allowed_types = set(template.spec.get("ciTypes") or [])
    if not change.target_cis:
        problems.append(f"targets no CI; template {template.id} covers work on CIs")
    for ci_id in change.target_cis:
        ci = g.head_catalog.get(kinds.CI.name, ci_id)
        ci_type = ci.spec.get("type") if ci else None
        if ci_type not in allowed_types:
            problems.append(
                f"CI {ci_id} is a {ci_type}; template {template.id} allows "
                f"{', '.join(sorted(allowed_types))}"
            )
    allowed_services = set(template.spec.get("services") or [])
    for service_id in change.target_services:
        if service_id not in allowed_services:
            problems.append(
                f"service {service_id} is not listed in template {template.id}'s services"
            )
    limit = duration_minutes(template.spec.get("maxDuration"))
    if window and limit is not None and (window[1] - window[0]) > dt.timedelta(minutes=limit):
        problems.append(
            f"the window is longer than the template's maxDuration "
            f"{template.spec.get('maxDuration')}"
        )
    problems += _plan_problems(template.spec, change.spec)
    risk = workflow.risk(change, g.head_catalog)
    if risk is None or risk.computed != "low":
        problems.append(f"standard changes must be low risk; this one is {risk}")
    if problems:
        gate.add("standard-template", FAIL, ref, "; ".join(problems))
    else:
        gate.add("standard-template", PASS, ref, f"fits template {template.id}")
