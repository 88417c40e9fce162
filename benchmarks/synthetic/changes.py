"""Change requests of every type and state, with windows that never overlap.

Windows walk away from `TODAY` (back for changes already under way or done,
forward for the rest), two a day, and skip the policy's freezes. Changes are
numbered per year in the order they were raised.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .draft import CatalogDraft, envelope
from .model import CIInfo, TemplateInfo
from .policy import FREEZES, TODAY
from .text import make_tags, markdown
from .vocabulary import CHANGE_TYPES, CI_FOLDER, REASONS, STATES, WINDOW_REQUIRED
from .yaml_writer import Inline


def _berlin_offset(instant: dt.datetime) -> dt.timedelta:
    """Europe/Berlin's UTC offset at a UTC instant (EU rules: last Sundays, 01:00 UTC)."""

    def last_sunday(year: int, month: int) -> dt.datetime:
        day = dt.date(year, month, 31)
        day -= dt.timedelta(days=(day.weekday() + 1) % 7)
        return dt.datetime(day.year, day.month, day.day, 1, tzinfo=dt.UTC)

    summer = last_sunday(instant.year, 3) <= instant < last_sunday(instant.year, 10)
    return dt.timedelta(hours=2 if summer else 1)


def _local(instant: dt.datetime) -> str:
    """A UTC instant as Berlin local time with its offset: 2026-12-01T06:00:00+01:00."""
    offset = _berlin_offset(instant)
    local = (instant + offset).replace(tzinfo=None)
    hours = int(offset.total_seconds()) // 3600
    return f"{local.isoformat(timespec='seconds')}+{hours:02d}:00"


def _utc(day: dt.date, hour: int) -> dt.datetime:
    """A Berlin wall-clock time (never in the DST gap here) as a UTC instant."""
    noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    wall = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
    return wall - _berlin_offset(noon)


def _slots(count: int, forward: bool) -> list[dt.datetime]:
    """Starts of `count` non-overlapping slots, walking away from today.

    Two slots a day, 06:00 and 20:00 Berlin time, each at most six hours
    long; slots overlapping a policy freeze are skipped."""
    out: list[dt.datetime] = []
    day = TODAY + dt.timedelta(days=2) if forward else TODAY - dt.timedelta(days=1)
    step = dt.timedelta(days=1 if forward else -1)
    while len(out) < count:
        for hour in (20, 6) if not forward else (6, 20):
            start = _utc(day, hour)
            end = start + dt.timedelta(hours=6)
            if any(start < f_end and f_start < end for f_start, f_end in FREEZES):
                continue
            if len(out) < count:
                out.append(start)
        day += step
    return out


def make_changes(draft: CatalogDraft) -> None:
    """Write the change requests to changes/YEAR/; templates must be made first."""
    rng = draft.rng
    count = draft.counts.changes
    if count == 0:
        return
    # Every type in every state first, then a realistic mix.
    plan = [(t, s) for s in STATES for t in CHANGE_TYPES][:count]
    weights = [8, 6, 7, 14, 1, 4, 53, 7]  # in STATES order
    while len(plan) < count:
        state = rng.choices(STATES, weights)[0]
        plan.append((rng.choices(CHANGE_TYPES, [35, 55, 10])[0], state))
    rng.shuffle(plan)
    past_rank = {"implement": 0, "review": 1, "closed": 2, "canceled": 2}
    future_rank = {"scheduled": 0, "authorize": 1, "assess": 2, "new": 2}
    past = sorted((p for p in plan if p[1] in past_rank), key=lambda p: past_rank[p[1]])
    future = sorted((p for p in plan if p[1] in future_rank), key=lambda p: future_rank[p[1]])
    records: list[dict[str, Any]] = []
    for group, forward in ((past, False), (future, True)):
        for (ctype, state), start in zip(group, _slots(len(group), forward), strict=True):
            records.append(_change_record(draft, ctype, state, start))
    records.sort(key=lambda r: (r["raised"], r["start"]))
    serial: dict[int, int] = {}
    done: list[str] = []
    for record in records:
        year = record["raised"].year
        serial[year] = serial.get(year, 0) + 1
        change_id = f"chg-{year}-{serial[year]:04d}"
        document = record["document"]
        document["metadata"]["id"] = change_id
        if done and rng.random() < 0.1:
            document["spec"]["related"] = Inline(
                rng.sample(done[-50:], min(len(done[-50:]), rng.randint(1, 2)))
            )
        done.append(change_id)
        draft.emit(f"changes/{year}/{change_id}.yaml", document, record["comment"])


def _change_targets(
    draft: CatalogDraft, ctype: str
) -> tuple[str, list[str], list[CIInfo], TemplateInfo | None]:
    """(owner, services, CIs, template) for a new change; only things in use."""
    rng = draft.rng
    if ctype == "standard" and draft.standard_pools:
        template, pool = rng.choice(draft.standard_pools)
        cis = rng.sample(pool, min(len(pool), rng.choice([1, 1, 1, 2, 3])))
        services = [ci.service for ci in cis[:1] if ci.service]
        return cis[0].owner, services, cis, template
    service = rng.choice(draft.active_services or draft.services)
    cis = [draft.ci_by_id[c] for c in service.cis]
    cis = [c for c in cis if c.status != "retired"]
    chosen = rng.sample(cis, min(len(cis), rng.randint(0, 2)))
    return service.owner, [service.id], chosen, None


def _change_record(
    draft: CatalogDraft, ctype: str, state: str, start: dt.datetime
) -> dict[str, Any]:
    rng = draft.rng
    owner, services, ci_infos, template = _change_targets(draft, ctype)
    cis = [c.id for c in ci_infos]
    if ctype == "standard" and template is None:
        ctype = "normal"  # no template fits any CI in use: a tiny catalog
    if ci_infos:
        subject = ci_infos[0].name
    else:
        subject = draft.service_by_id[services[0]].name if services else "the estate"
    if ctype == "standard" and template is not None:
        name = f"{template.title}: {subject}"
        lead_days = rng.randint(1, 5)
        minutes = rng.choice([m for m in (30, 60, 90, 120, 180, 240) if m <= template.max_minutes])
    elif ctype == "emergency":
        action = rng.choice(["hotfix for", "restore", "block attack on", "roll back"])
        name = f"Emergency: {action} {subject}"
        lead_days = 0
        minutes = rng.choice([60, 90, 120, 180])
    else:
        verb = rng.choice(
            ["Upgrade", "Migrate", "Replace", "Reconfigure", "Scale out", "Patch", "Harden"]
        )
        name = f"{verb} {subject}"
        lead_days = rng.randint(4, 30)
        minutes = rng.choice([60, 120, 180, 240, 300, 360])
    end = start + dt.timedelta(minutes=minutes)
    raised = (start - dt.timedelta(days=lead_days) + _berlin_offset(start)).date()
    targets: dict[str, Any] = {}
    if services:
        targets["services"] = Inline(services)
    if cis:
        targets["cis"] = Inline(cis)
    impact = rng.choices(["low", "medium", "high"], [50, 35, 15])[0]
    spec: dict[str, Any] = {"type": ctype}
    if template is not None:
        spec["template"] = template.id
    spec.update(
        {
            "state": state,
            "requester": draft.person(),
            "owner": owner,
            "targets": targets,
            "risk": {
                "impact": impact,
                "likelihood": rng.choices(["low", "medium", "high"], [60, 30, 10])[0],
            },
        }
    )
    has_window = state in WINDOW_REQUIRED or (
        rng.random() < (0.6 if state in ("authorize", "canceled") else 0.3)
    )
    if has_window:
        spec["window"] = {"start": _local(start), "end": _local(end)}
        if impact != "low" and rng.random() < 0.4:
            spec["outage"] = True
        elif rng.random() < 0.2:
            spec["outage"] = False
    steps = [
        f"Announce the window to the {owner} channel and the service desk.",
        "Take a snapshot or backup and confirm it completed.",
        f"Apply the change to {subject} with the deployment pipeline.",
        "Restart the affected services one node at a time.",
        "Run the smoke tests and compare the dashboards with last week.",
        "Update the configuration record and close the maintenance in monitoring.",
    ]
    keep = sorted(rng.sample(range(len(steps)), rng.randint(2, 4)))
    if 2 not in keep:
        keep = sorted([*keep[1:], 2])
    steps = [steps[i] for i in keep]
    spec["plan"] = {
        "implementation": "".join(f"{i}. {step}\n" for i, step in enumerate(steps, 1)),
        "backout": rng.choice(
            [
                "Restore the snapshot taken before the change.",
                "Roll back the deployment with Argo CD and restore the previous\n"
                "configuration. Tell the service desk once the old version is back.\n",
                "Revert the commit and re-run the pipeline.",
            ]
        ),
        "validation": rng.choice(
            [
                "Monitoring is green for 30 minutes and the smoke test passes.",
                "Key users confirm the main transactions work; no new errors in the logs.",
                "Error rate below 1 % and p95 latency below 800 ms for an hour.",
            ]
        ),
    }
    if state in ("review", "closed"):
        done = start + dt.timedelta(minutes=minutes // 2)
        code = rng.choices(["successful", "successful-with-issues", "unsuccessful"], [85, 10, 5])[0]
        closure: dict[str, Any] = {"code": code}
        if rng.random() < 0.8:
            closure["notes"] = markdown(
                {
                    "successful": f"Completed at {_local(done)[11:16]} as planned; "
                    "no incidents raised.",
                    "successful-with-issues": "Completed, but the smoke test failed once and "
                    "needed a retry. Follow-up problem record raised.",
                    "unsuccessful": "Rolled back after validation failed; a new change will "
                    "be raised once the vendor has analysed the logs.",
                }[code]
            )
        spec["closure"] = closure
    description = None
    if rng.random() < 0.6:
        description = markdown(
            f"{name}. Requested by the {owner} team"
            f"{' after an incident' if ctype == 'emergency' else ''}; "
            f"{rng.choice(REASONS)} is the reason."
        )
    document = envelope(
        "ChangeRequest",
        "chg-0000-0000",  # numbered once every change is known
        name[:120],
        description,
        make_tags(ctype, *(CI_FOLDER[c.type] for c in ci_infos[:1])),
        [],
    )
    document["spec"] = spec
    comment = None
    if ctype == "emergency" and rng.random() < 0.5:
        incident = f"MI-{raised.year}-{rng.randint(1, 300):03d}"
        comment = f"Emergency change raised during major incident {incident}."
    return {"raised": raised, "start": start, "document": document, "comment": comment}
