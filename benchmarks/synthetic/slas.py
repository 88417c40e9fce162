"""SLAs: every live tier-1/2 service is covered, by an SLA of its own area if any."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .draft import CatalogDraft, envelope
from .text import make_tags, markdown, unique_id
from .vocabulary import AREAS, ORG
from .yaml_writer import Flow


def make_slas(draft: CatalogDraft) -> None:
    """Write the SLAs to catalog/slas/; services must be planned first."""
    rng = draft.rng
    count = draft.counts.slas
    areas = [AREAS[i % len(AREAS)] for i in range(count)]
    by_area: dict[str, list[int]] = {}
    for j, row in enumerate(areas):
        by_area.setdefault(row[0], []).append(j)
    covered: list[list[str]] = [[] for _ in range(count)]
    turn: dict[str, int] = {}
    for service in draft.services:
        if service.lifecycle != "live" or service.tier not in (1, 2):
            continue
        slots = by_area.get(service.area) or list(range(count))
        key = service.area if service.area in by_area else ""
        j = slots[turn.get(key, 0) % len(slots)]
        turn[key] = turn.get(key, 0) + 1
        covered[j].append(service.id)
    live = [s for s in draft.services if s.lifecycle == "live"] or draft.services
    for j in range(count):
        if not covered[j]:
            same = [s for s in live if s.area == areas[j][0]] or live
            covered[j].append(rng.choice(same).id)
        elif rng.random() < 0.3:  # some agreements also cover a tier-3 service
            extra = [
                s.id
                for s in live
                if s.area == areas[j][0] and s.tier == 3 and s.id not in covered[j]
            ]
            if extra:
                covered[j].append(rng.choice(extra))
    levels = [
        ("gold", 99.9, "24x7", [("15m", "4h"), ("30m", "8h"), ("4h", "3d"), ("1d", "2w")]),
        (
            "silver",
            99.5,
            "extended-hours",
            [("30m", "8h"), ("1h", "1d"), ("8h", "5d"), ("2d", "3w")],
        ),
        (
            "bronze",
            99.0,
            "business-hours",
            [("1h", "1d"), ("4h", "2d"), ("1d", "1w"), ("3d", "4w")],
        ),
    ]
    used: dict[str, int] = {}
    for j in range(count):
        area, category, _, executive = areas[j]
        level, target, hours, priorities = levels[(j // len(AREAS)) % len(levels)]
        sla_id = unique_id(f"{area}-{level}", used)
        name = f"{category} {level.capitalize()} SLA"
        if sla_id != f"{area}-{level}":
            name += f" {sla_id.rsplit('-', 1)[-1]}"
        document = envelope(
            "SLA",
            sla_id,
            name,
            markdown(
                f"Service levels for the {category.lower()} services, agreed with the "
                f"{executive}. Reviewed in the {rng.choice(['monthly', 'quarterly'])} "
                "service review; breaches are reported to the steering committee."
            ),
            make_tags(area, level, "sla"),
            draft.links(sla_id, ("docs",), 1),
        )
        start = draft.date_between(dt.date(2024, 1, 1), dt.date(2026, 6, 30))
        effective: dict[str, Any] = {"from": start}
        if rng.random() < 0.6:
            effective["until"] = draft.date_between(dt.date(2030, 1, 1), dt.date(2032, 12, 31))
        count_p = rng.choice([2, 3, 4, 4, 4])
        spec: dict[str, Any] = {
            "services": list(covered[j]),
            "customer": f"{ORG} {category} division ({executive})",
            "hours": hours,
            "availability": {"target": target, "period": rng.choice(["monthly", "quarterly"])},
            "priorities": {
                f"P{p + 1}": Flow(response=r, resolution=s)
                for p, (r, s) in enumerate(priorities[:count_p])
            },
        }
        if rng.random() < 0.7:
            spec["requests"] = {"fulfillment": rng.choice(["1d", "3d", "5d"])}
        if level != "bronze":
            spec["rto"] = rng.choice(["2h", "4h", "8h"])
            spec["rpo"] = rng.choice(["15m", "1h"])
        if rng.random() < 0.6:
            spec["credits"] = [
                Flow(below=target, credit=5),
                Flow(below=round(target - 0.5, 1), credit=10),
                Flow(below=round(target - 1.5, 1), credit=25),
            ]
        spec["effective"] = effective
        spec["review"] = draft.date_between(dt.date(2028, 1, 1), dt.date(2030, 12, 31))
        document["spec"] = spec
        draft.emit(f"catalog/slas/{sla_id}.yaml", document)
