"""Incidents and problems: the operational record of the generated catalog.

Only when asked for (`generate.py --incidents N`): incidents spread over the
two years before `TODAY` on live services, numbered per year in the order
they were reported, and one problem for about every twenty incidents, each
linking two to four of them both ways. Incidents draw from a random
generator of their own, so a catalog with incidents has the same other
files, byte for byte, as one without.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .draft import CatalogDraft, envelope
from .model import ServiceInfo
from .policy import TODAY

PRIORITIES = ("P1", "P2", "P3", "P4")
SPAN_DAYS = 2 * 365
_UTC = dt.UTC


def _at(instant: dt.datetime) -> str:
    return instant.astimezone(_UTC).isoformat(timespec="minutes").replace("+00:00", "Z")


def _record(rng: random.Random, services: list[ServiceInfo], cis: list[str]) -> dict[str, Any]:
    end = dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=_UTC)
    reported = end - dt.timedelta(minutes=rng.randrange(10, SPAN_DAYS * 1440))
    priority = rng.choices(PRIORITIES, [5, 20, 45, 30])[0]
    impact = rng.choices(("outage", "degraded", "none"), [30, 55, 15])[0]
    affected = sorted({s.id for s in rng.sample(services, k=min(len(services), rng.randint(1, 2)))})
    responded = reported + dt.timedelta(minutes=rng.randrange(1, 240))
    resolved = responded + dt.timedelta(minutes=rng.randrange(5, 3 * 1440))
    recent = end - reported < dt.timedelta(days=3)
    state = (
        "open"
        if recent and rng.random() < 0.5
        else rng.choices(("resolved", "closed"), [35, 65])[0]
    )
    spec: dict[str, Any] = {
        "priority": priority,
        "services": affected,
        "impact": impact,
        "reported": _at(reported),
        "responded": _at(responded),
    }
    if state != "open":
        spec["resolved"] = _at(resolved)
    if impact == "outage":
        start = reported - dt.timedelta(minutes=rng.randrange(0, 30))
        spec["outage"] = {
            "start": _at(start),
            "end": _at(max(resolved, start + dt.timedelta(minutes=1))),
        }
    spec["state"] = state
    if cis and rng.random() < 0.6:
        spec["cause"] = {"ci": rng.choice(cis)}
    spec["summary"] = f"{', '.join(affected)} {impact} for users; restored by the on-call team."
    if state == "closed":
        spec["review"] = {
            "timeline": "Alert, response, mitigation and recovery, in order.",
            "factors": "A configuration drift found in the post-incident review.",
            "actions": ["Add an alert for the drift (owning team)"],
        }
    return {"reported": reported, "spec": spec}


def make_incidents(draft: CatalogDraft, count: int, seed: int) -> None:
    """Write `count` incidents to incidents/YEAR/ and their problems to problems/."""
    if count <= 0:
        return
    rng = random.Random(f"incidents-{seed}")
    services = [s for s in draft.services if s.lifecycle == "live"] or draft.services
    cis = [c.id for c in draft.cis if c.status == "in-service"]
    records = sorted(
        (_record(rng, services, cis) for _ in range(count)), key=lambda r: r["reported"]
    )
    serial: dict[int, int] = {}
    for record in records:
        year = record["reported"].year
        serial[year] = serial.get(year, 0) + 1
        record["id"] = f"inc-{year}-{serial[year]:04d}"
    problems: list[tuple[str, list[dict[str, Any]]]] = []
    pool = list(range(len(records)))
    rng.shuffle(pool)
    year_serial: dict[int, int] = {}
    while len(pool) >= 4 and len(problems) < count // 20:
        members = sorted(
            (records[pool.pop()] for _ in range(rng.randint(2, 4))), key=lambda r: r["reported"]
        )
        year = members[0]["reported"].year
        year_serial[year] = year_serial.get(year, 0) + 1
        problem_id = f"prb-{year}-{year_serial[year]:04d}"
        for member in members:
            spec = member["spec"]
            spec["cause"] = {**spec.get("cause", {}), "problem": problem_id}
            # keep the key order of the schema: cause before summary
            spec["summary"] = spec.pop("summary")
            if "review" in spec:
                spec["review"] = spec.pop("review")
        problems.append((problem_id, members))
    for record in records:
        document = envelope("Incident", record["id"], f"Incident {record['id']}", None, None, [])
        document["spec"] = record["spec"]
        draft.emit(f"incidents/{record['id'][4:8]}/{record['id']}.yaml", document)
    for problem_id, members in problems:
        opened = members[0]["reported"] + dt.timedelta(days=1)
        document = envelope("Problem", problem_id, f"Problem {problem_id}", None, None, [])
        document["spec"] = {
            "opened": _at(
                min(opened, dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=_UTC))
            ),
            "state": "known-error",
            "incidents": [m["id"] for m in members],
            "rootCause": "A shared dependency saturates under peak load.",
            "workaround": "Restart the affected workers and scale out by hand.",
        }
        draft.emit(f"problems/{problem_id}.yaml", document)
