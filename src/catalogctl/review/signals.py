"""Reviewer signals: what a CAB member should notice first, computed, not left
to reading field diffs (an SLA quietly weakened, a retired service still in use)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catalogctl.load import kinds
from catalogctl.model.durations import parse_duration
from catalogctl.model.entities import (
    SCHEDULE,
    ChangeRequest,
    ConfigurationItem,
    Ref,
    Service,
    dig,
)
from catalogctl.model.impact import Lookup, dependents
from catalogctl.review.diff import EntityChange, TextEdit

WARNING, INFO = "warning", "info"


@dataclass(frozen=True)
class Signal:
    id: str  # stable kebab-case name, e.g. sla-weakened
    entity: str  # Kind/id
    level: str  # warning | info
    message: str


def weekly_hours(schedule: str | None, schedules: Mapping[str, Mapping[str, Any]]) -> float | None:
    """Hours a week a schedule covers; None when unknown."""
    if schedule == "24x7":
        return 168.0
    spec = schedules.get(schedule or "")
    if not spec:
        return None
    try:
        start_h, start_m = (int(x) for x in str(spec["start"]).split(":"))
        end_h, end_m = (int(x) for x in str(spec["end"]).split(":"))
        minutes = ((end_h * 60 + end_m) - (start_h * 60 + start_m)) % (24 * 60) or 24 * 60
        return len(spec["days"]) * minutes / 60  # an end before the start runs overnight
    except (KeyError, ValueError, TypeError):
        return None


def _sla(change: EntityChange, schedules: Mapping[str, Mapping[str, Any]]) -> list[Signal]:
    weaker: list[str] = []
    stronger: list[str] = []
    old, new = change.old, change.new
    before, after = (
        dig(old, "spec", "availability", "target"),
        dig(new, "spec", "availability", "target"),
    )
    if isinstance(before, int | float) and isinstance(after, int | float) and before != after:
        (weaker if after < before else stronger).append(f"availability {before}% -> {after}%")
    times: list[tuple[str, ...]] = [
        ("priorities", p, f) for p in ("P1", "P2", "P3", "P4") for f in ("response", "resolution")
    ]
    times += [("rto",), ("rpo",), ("requests", "fulfillment")]
    for keys in times:
        was, now = dig(old, "spec", *keys), dig(new, "spec", *keys)
        a, b = parse_duration(was), parse_duration(now)
        label = " ".join(keys[1:] if keys[0] == "priorities" else keys)
        if a is not None and b is not None and a != b:
            (weaker if b > a else stronger).append(f"{label} {was} -> {now}")
        elif a is not None and now is None:
            weaker.append(f"{label} {was} removed")
        elif b is not None and was is None:
            stronger.append(f"{label} {now} added")
    period_was = dig(old, "spec", "availability", "period")
    period_now = dig(new, "spec", "availability", "period")
    if {period_was, period_now} == {"monthly", "quarterly"}:
        # a longer measurement period lets a long outage hide in a good quarter
        (weaker if period_now == "quarterly" else stronger).append(
            f"availability period {period_was} -> {period_now}"
        )
    was_hours, now_hours = dig(old, "spec", "hours"), dig(new, "spec", "hours")
    a_h, b_h = weekly_hours(was_hours, schedules), weekly_hours(now_hours, schedules)
    if a_h is not None and b_h is not None and a_h != b_h:
        (weaker if b_h < a_h else stronger).append(
            f"hours {was_hours} ({a_h:g} h/week) -> {now_hours} ({b_h:g} h/week)"
        )
    out = []
    if weaker:
        out.append(
            Signal("sla-weakened", change.ref, WARNING, "SLA weakened: " + "; ".join(weaker))
        )
    if stronger:
        out.append(
            Signal("sla-strengthened", change.ref, INFO, "SLA strengthened: " + "; ".join(stronger))
        )
    return out


def _field_signals(change: EntityChange) -> list[Signal]:
    out = []
    old, new = change.old, change.new
    owner_was, owner_now = dig(old, "spec", "owner"), dig(new, "spec", "owner")
    if owner_was != owner_now and owner_was is not None and owner_now is not None:
        out.append(
            Signal(
                "owner-changed", change.ref, WARNING, f"owner changed: {owner_was} -> {owner_now}"
            )
        )
    if change.kind == kinds.SERVICE.name:
        tier_was, tier_now = dig(old, "spec", "tier"), dig(new, "spec", "tier")
        if isinstance(tier_was, int) and isinstance(tier_now, int) and tier_was != tier_now:
            more = tier_now < tier_was
            out.append(
                Signal(
                    "tier-raised" if more else "tier-lowered",
                    change.ref,
                    WARNING,
                    f"tier {tier_was} -> {tier_now} ({'more' if more else 'less'} critical)",
                )
            )
        vis_was, vis_now = dig(old, "spec", "visibility"), dig(new, "spec", "visibility")
        if vis_was != vis_now and vis_was is not None and vis_now is not None:
            what = (
                "will be published on the customer site"
                if vis_now == "public"
                else "will disappear from the customer site"
            )
            out.append(
                Signal(
                    "visibility-changed",
                    change.ref,
                    WARNING,
                    f"visibility {vis_was} -> {vis_now}: {what}",
                )
            )
    return out


def _in_use(entity: object) -> bool:
    """Services and CIs that are not themselves retired."""
    if isinstance(entity, Service):
        return entity.lifecycle != "retired"
    if isinstance(entity, ConfigurationItem):
        return entity.status != "retired"
    return False


def _policy(change: EntityChange, catalog: Lookup | None) -> list[Signal]:
    """A schedule that shrinks weakens every SLA measured against it."""

    def schedules(data: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
        items = dig(data, "schedules")
        return {s["id"]: s for s in items or [] if isinstance(s, dict) and "id" in s}

    before, after = schedules(change.old), schedules(change.new)
    out = []
    for schedule_id in sorted(set(before) & set(after)):
        a = weekly_hours(schedule_id, before)
        b = weekly_hours(schedule_id, after)
        if a is None or b is None or a == b:
            continue
        measured = (
            catalog.referrers_of(Ref(SCHEDULE, schedule_id), kinds.SLA.name)
            if catalog is not None
            else ()
        )
        users = sorted(str(r.source) for r in measured)
        used = f"; SLAs measured on it: {', '.join(users)}" if users else ""
        out.append(
            Signal(
                "sla-weakened" if b < a else "sla-strengthened",
                change.ref,
                WARNING if b < a else INFO,
                f"schedule {schedule_id} {a:g} -> {b:g} h/week{used}",
            )
        )
    return out


def _change_risk(change: EntityChange, catalog: Lookup) -> list[Signal]:
    """The computed risk of a changed change request: what the CAB counts by."""
    from catalogctl.model.workflow import risk  # workflow imports impact, as this module does

    entity = catalog.get(change.kind, change.id)
    if not isinstance(entity, ChangeRequest):
        return []
    computed = risk(entity, catalog)
    if computed is None:
        return []
    return [
        Signal(
            "change-risk",
            change.ref,
            WARNING if computed.computed == "high" else INFO,
            f"computed risk {computed}",
        )
    ]


def _risk_lowered(change: EntityChange) -> list[Signal]:
    """A change request whose declared risk went down: fewer approvals needed.

    The gate counts approvals from the higher of the two; reviewers should
    still ask why the assessment changed."""
    from catalogctl.model.workflow import LEVELS, matrix_risk

    levels = []
    for data in (change.old, change.new):
        impact = dig(data, "spec", "risk", "impact")
        likelihood = dig(data, "spec", "risk", "likelihood")
        if impact not in LEVELS or likelihood not in LEVELS:
            return []
        levels.append(matrix_risk(str(impact), str(likelihood)))
    was, now = levels
    if LEVELS.index(now) >= LEVELS.index(was):
        return []
    return [
        Signal(
            "risk-lowered",
            change.ref,
            WARNING,
            f"declared risk lowered: {was} -> {now}; approvals still count from {was}",
        )
    ]


def _text_signals(edit: TextEdit) -> list[Signal]:
    out = []
    for rules in edit.added:
        out.append(
            Signal(
                "suppression-added",
                edit.ref,
                WARNING,
                f"{edit.file}: suppression added, hides these lint findings: disable={rules}",
            )
        )
    for rules in edit.removed:
        out.append(
            Signal(
                "suppression-removed", edit.ref, INFO, f"{edit.file}: suppression removed: {rules}"
            )
        )
    if edit.text_only:
        out.append(
            Signal(
                "text-only-edit",
                edit.ref,
                INFO,
                f"{edit.file}: comments or formatting changed, no data; its owners still approve",
            )
        )
    return out


def _graph_signals(change: EntityChange, catalog: Lookup) -> list[Signal]:
    out = []
    ref = Ref(change.kind, change.id)
    if change.op == "removed" and change.kind in (
        kinds.SERVICE.name,
        kinds.CI.name,
        kinds.TEAM.name,
        kinds.TEMPLATE.name,
    ):
        users = sorted(str(r.source) for r in catalog.referrers_of(ref))
        if users:
            out.append(
                Signal(
                    "removed-while-referenced",
                    change.ref,
                    WARNING,
                    f"removed, but still referenced by {', '.join(users)}",
                )
            )
    if change.kind == kinds.SERVICE.name and change.op != "removed":
        was, now = dig(change.old, "spec", "lifecycle"), dig(change.new, "spec", "lifecycle")
        if now == "retired" and was != "retired":
            live = sorted(
                str(r)
                for r in dependents(catalog, [ref])
                if isinstance(s := catalog.get(r.kind, r.id), Service) and s.lifecycle == "live"
            )
            if live:
                out.append(
                    Signal(
                        "retired-with-dependents",
                        change.ref,
                        WARNING,
                        f"service retired while live services depend on it: {', '.join(live)}",
                    )
                )
    if change.kind == kinds.CI.name and change.op != "removed":
        was, now = dig(change.old, "spec", "status"), dig(change.new, "spec", "status")
        if now == "retired" and was != "retired":
            users = sorted(
                str(r.source)
                for r in catalog.referrers_of(ref)
                if _in_use(catalog.get(r.source.kind, r.source.id))
            )
            if users:
                out.append(
                    Signal(
                        "ci-retired-while-referenced",
                        change.ref,
                        WARNING,
                        f"CI retired while referenced by {', '.join(users)}",
                    )
                )
    return out


def compute(
    changes: list[EntityChange] | tuple[EntityChange, ...],
    schedules: Mapping[str, Mapping[str, Any]],
    catalog: Lookup | None,
    edits: tuple[TextEdit, ...] = (),
) -> tuple[Signal, ...]:
    """Signals for every change and comment edit; graph signals only when the
    head catalog is known."""
    out: list[Signal] = []
    for edit in edits:
        out += _text_signals(edit)
    for change in changes:
        if change.op == "modified" and change.kind == kinds.CHANGE.name:
            out += _risk_lowered(change)
        if change.op == "modified" and change.kind == kinds.SLA.name:
            out += _sla(change, schedules)
        if change.op == "modified":
            out += _field_signals(change)
        if change.op == "modified" and change.kind == "Policy":
            out += _policy(change, catalog)
        if catalog is not None:
            out += _graph_signals(change, catalog)
        if catalog is not None and change.kind == kinds.CHANGE.name and change.op != "removed":
            out += _change_risk(change, catalog)
    return tuple(out)
