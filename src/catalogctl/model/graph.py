"""The dependency graph over services and CIs, and the cycles in it.

Edges point from the dependent to what it depends on: a service to the
services in `dependsOn` and the CIs in `cis`, a CI to the targets of its
`depends-on`, `runs-on` and `hosted-on` relations. Associations
(`connects-to`, `backs-up`) are not dependencies and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from catalogctl.load import kinds
from catalogctl.model.entities import DEPENDENCY_RELATIONS, Catalog, ConfigurationItem, Ref, Service


@dataclass(frozen=True, slots=True)  # slotted: a large catalog has 100,000s
class Edge:
    source: Ref
    target: Ref
    path: tuple[str | int, ...]  # the field in `source` that makes the edge


@dataclass(frozen=True)
class Graph:
    edges: Mapping[Ref, tuple[Edge, ...]]  # source -> outgoing edges (resolved targets only)

    @classmethod
    def of(cls, catalog: Catalog) -> Graph:
        out: dict[Ref, list[Edge]] = {}
        # One Ref per entity and one copy of each field path, shared by
        # every edge that names it (tens of megabytes at 50,000 entities).
        refs: dict[int, Ref] = {}
        paths: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}

        def add(source: Ref, kind: str, target: str, path: tuple[str | int, ...]) -> None:
            entity = catalog.get(kind, target)
            if entity is not None:
                ref = refs.get(id(entity)) or refs.setdefault(id(entity), entity.ref)
                edge = Edge(source, ref, paths.setdefault(path, path))
                out.setdefault(source, []).append(edge)

        for entity in catalog.entities:
            if catalog.get(entity.kind, entity.id) is not entity:
                continue  # a duplicate id: the first one is the catalog's
            source = refs.setdefault(id(entity), entity.ref)
            if isinstance(entity, Service):
                for i, dep in enumerate(entity.depends_on):
                    add(source, kinds.SERVICE.name, dep, ("spec", "dependsOn", i))
                for i, ci in enumerate(entity.cis):
                    add(source, kinds.CI.name, ci, ("spec", "cis", i))
            elif isinstance(entity, ConfigurationItem):
                for i, relation, target in entity.relations:
                    if relation in DEPENDENCY_RELATIONS:
                        add(source, kinds.CI.name, target, ("spec", "relations", i, "target"))
        return cls({source: tuple(edges) for source, edges in out.items()})

    def cycles(self) -> list[list[Edge]]:
        """One cycle (as its edges) per strongly connected component that has one.

        Iterative Tarjan, so a 10,000-long chain cannot exhaust the Python stack.
        """
        index: dict[Ref, int] = {}
        low: dict[Ref, int] = {}
        on_stack: set[Ref] = set()
        stack: list[Ref] = []
        components: list[list[Ref]] = []
        counter = 0
        for root in sorted(self.edges):
            if root in index:
                continue
            work: list[tuple[Ref, int]] = [(root, 0)]
            while work:
                node, position = work.pop()
                if position == 0:
                    index[node] = low[node] = counter
                    counter += 1
                    stack.append(node)
                    on_stack.add(node)
                edges = self.edges.get(node, ())
                if position < len(edges):
                    work.append((node, position + 1))
                    target = edges[position].target
                    if target not in index:
                        work.append((target, 0))
                    elif target in on_stack:
                        low[node] = min(low[node], index[target])
                    continue
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or any(
                        e.target == node for e in self.edges.get(node, ())
                    ):
                        components.append(component)
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
        return [self._cycle_in(set(c)) for c in components]

    def _cycle_in(self, members: set[Ref]) -> list[Edge]:
        """A simple cycle through the smallest member, staying inside the component."""
        start = min(members)
        parents: dict[Ref, Edge] = {}
        frontier = [start]
        while frontier:
            following: list[Ref] = []
            for node in frontier:
                for edge in self.edges.get(node, ()):
                    if edge.target == start:
                        path = [edge]
                        while path[0].source != start:
                            path.insert(0, parents[path[0].source])
                        return path
                    if edge.target in members and edge.target not in parents:
                        parents[edge.target] = edge
                        following.append(edge.target)
            frontier = following
        return []

    def dependents(self, targets: Iterable[Ref]) -> set[Ref]:
        """Everything that depends on any of `targets`, directly or transitively."""
        reverse: dict[Ref, list[Ref]] = {}
        for source, edges in self.edges.items():
            for edge in edges:
                reverse.setdefault(edge.target, []).append(source)
        seen: set[Ref] = set()
        frontier = list(targets)
        while frontier:
            node = frontier.pop()
            for source in reverse.get(node, ()):
                if source not in seen:
                    seen.add(source)
                    frontier.append(source)
        return seen
