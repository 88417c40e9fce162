"""Drop the imported references that `catalogctl lint` would reject.

Backstage allows what the catalog's rules forbid: a production component
depending on a deprecated one (`retired-dependency`), components depending
on each other in a circle (`dependency-cycle`); and an exported catalog's
support hours may name a schedule the importing catalog's policy lacks
(`unknown-reference`). An import must leave a
catalog that lints without errors, so such a reference is dropped from the
planned entity and named in a note, for a person to settle.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from catalogctl.interop.backstage_read import listed
from catalogctl.interop.plan import Planned
from catalogctl.load import kinds
from catalogctl.model.entities import DEPENDENCY_RELATIONS, Catalog

Node = tuple[str, str]  # (kind name, id)


def _state(node: Node, planned: dict[Node, Planned], catalog: Catalog) -> str | None:
    field = "lifecycle" if node[0] == kinds.SERVICE.name else "status"
    if node in planned:
        value = planned[node].value(("spec", field))
        return value if isinstance(value, str) else None
    entity = catalog.get(*node)
    value = entity.spec.get(field) if entity is not None else None
    return value if isinstance(value, str) else None


def _edges(plan: Planned) -> Iterator[tuple[str, int, Node]]:
    """(field, index, target) of a planned entity's dependency edges."""
    if plan.kind is kinds.SERVICE:
        for index, target in enumerate(listed(plan.value(("spec", "dependsOn")))):
            yield "dependsOn", index, (kinds.SERVICE.name, target)
        for index, target in enumerate(listed(plan.value(("spec", "cis")))):
            yield "cis", index, (kinds.CI.name, target)
    elif plan.kind is kinds.CI:
        for index, relation in enumerate(listed(plan.value(("spec", "relations")))):
            if isinstance(relation, dict) and relation.get("type") in DEPENDENCY_RELATIONS:
                yield "relations", index, (kinds.CI.name, str(relation.get("target")))


def _drop(plan: Planned, field: str, index: int) -> None:
    values: list[Any] = list(listed(plan.value(("spec", field))))
    del values[index]
    plan.fields[("spec", field)] = values


def _retired(planned: dict[Node, Planned], catalog: Catalog) -> Iterator[str]:
    for node, plan in planned.items():
        state = _state(node, planned, catalog)
        if state not in ("live", "pipeline", "in-service"):
            continue
        for field, index, target in reversed(list(_edges(plan))):
            if _state(target, planned, catalog) == "retired":
                _drop(plan, field, index)
                yield (
                    f"{plan.ref}: {field} {target[1]} dropped: it is retired and "
                    f"{plan.id} is {state} (lint: retired-dependency)"
                )


def _graph(planned: dict[Node, Planned], catalog: Catalog) -> dict[Node, list[Node]]:
    graph: dict[Node, list[Node]] = {}
    for entity in catalog.entities:
        node = (entity.kind, entity.id)
        if node in planned:
            continue
        if entity.kind == kinds.SERVICE.name:
            targets = [(kinds.SERVICE.name, t) for t in listed(entity.spec.get("dependsOn"))]
            targets += [(kinds.CI.name, t) for t in listed(entity.spec.get("cis"))]
        elif entity.kind == kinds.CI.name:
            targets = [
                (kinds.CI.name, str(r.get("target")))
                for r in listed(entity.spec.get("relations"))
                if isinstance(r, dict) and r.get("type") in DEPENDENCY_RELATIONS
            ]
        else:
            continue
        graph[node] = [t for t in targets if isinstance(t[1], str)]
    for node, plan in planned.items():
        graph[node] = [target for _, _, target in _edges(plan)]
    return graph


def _cycle(graph: dict[Node, list[Node]]) -> list[Node] | None:
    """One cycle (its nodes in order), found by an iterative depth-first search."""
    colour: dict[Node, int] = {}
    for start in sorted(graph):
        if colour.get(start):
            continue
        stack: list[tuple[Node, int]] = [(start, 0)]
        path: list[Node] = []
        while stack:
            node, index = stack.pop()
            if index == 0:
                colour[node] = 1
                path.append(node)
            targets = graph.get(node, [])
            if index < len(targets):
                stack.append((node, index + 1))
                target = targets[index]
                if colour.get(target) == 1:
                    return path[path.index(target) :]
                if not colour.get(target):
                    stack.append((target, 0))
            else:
                colour[node] = 2
                path.pop()
    return None


def make_lint_safe(planned_list: list[Planned], catalog: Catalog) -> list[str]:
    """Drop the planned references lint would reject; the notes say which."""
    planned = {(p.kind.name, p.id): p for p in planned_list}
    notes = list(_retired(planned, catalog))
    graph = _graph(planned, catalog)
    while (cycle := _cycle(graph)) is not None:
        # break the circle at the last edge that comes from an imported entity;
        # a circle among existing entities alone is lint's to report, not ours
        pairs = list(zip(cycle, cycle[1:] + cycle[:1], strict=True))
        mine = [(s, t) for s, t in pairs if s in planned]
        source, target = mine[-1] if mine else pairs[0]
        graph[source].remove(target)
        if not mine:
            continue
        plan = planned[source]
        field, index, _ = next(e for e in _edges(plan) if e[2] == target)
        _drop(plan, field, index)
        chain = " -> ".join(n[1] for n in [*cycle, cycle[0]])
        notes.append(
            f"{plan.ref}: {field} {target[1]} dropped: it closes the cycle {chain} "
            "(lint: dependency-cycle)"
        )
    return notes


def drop_unknown_schedules(planned_list: list[Planned], schedules: Collection[str]) -> list[str]:
    """Support naming a schedule this catalog's policy does not declare is
    dropped whole (the schema requires hours, and guessing 24x7 would promise
    what nobody agreed); the note keeps what it said, for a person to restore."""
    notes = []
    for plan in planned_list:
        support = plan.value(("spec", "support"))
        if not isinstance(support, dict):
            continue
        hours = support.get("hours")
        if isinstance(hours, str) and hours != "24x7" and hours not in schedules:
            plan.fields[("spec", "support")] = None
            said = ", ".join(f"{k}: {v}" for k, v in support.items())
            notes.append(
                f"{plan.ref}: support dropped: its hours '{hours}' are no schedule in "
                f"catalogctl.yaml; declare it under schedules and restore support ({said}) "
                "(lint: unknown-reference)"
            )
    return notes
