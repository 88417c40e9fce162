"""`catalogctl graph [KIND/ID]`: the dependency graph, whole or around one entity."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from catalogctl.load import kinds
from catalogctl.load.diagnostics import format_path
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.output import write_output
from catalogctl.model.entities import Catalog, ConfigurationItem, Ref, Service
from catalogctl.model.graph import Graph
from catalogctl.review import graphviz
from catalogctl.workspace.workspace import find_entity, open_workspace, parse_ref

DEFAULT_DEPTH = 2
GRAPH_KINDS = (kinds.SERVICE.name, kinds.CI.name)


def nodes_of(catalog: Catalog) -> dict[Ref, graphviz.Node]:
    """Every service and CI (the first of duplicate ids, as the graph does)."""
    out: dict[Ref, graphviz.Node] = {}
    for kind in GRAPH_KINDS:
        for entity in catalog.of_kind(kind):
            if isinstance(entity, Service):
                node = graphviz.Node(
                    entity.kind, entity.id, entity.name, entity.tier, lifecycle=entity.lifecycle
                )
            elif isinstance(entity, ConfigurationItem):
                node = graphviz.Node(entity.kind, entity.id, entity.name, status=entity.status)
            else:  # pragma: no cover - the index holds only its own kind
                continue
            out[entity.ref] = node
    return out


def links_of(graph: Graph, nodes: Mapping[Ref, graphviz.Node]) -> list[graphviz.Link]:
    """The graph's edges between `nodes`, each with the field that makes it."""
    return [
        graphviz.Link(str(edge.source), str(edge.target), format_path(edge.path))
        for edges in graph.edges.values()
        for edge in edges
        if edge.source in nodes and edge.target in nodes
    ]


def neighbourhood(graph: Graph, start: Ref, depth: int) -> set[Ref]:
    """`start`, what it depends on and what depends on it, each within `depth`
    steps along the edges' direction (0: no limit). Siblings (other dependents
    of a shared dependency) are not neighbours."""
    forward: dict[Ref, set[Ref]] = {}
    backward: dict[Ref, set[Ref]] = {}
    for source, edges in graph.edges.items():
        for edge in edges:
            forward.setdefault(source, set()).add(edge.target)
            backward.setdefault(edge.target, set()).add(source)
    seen = {start}
    for step in (forward, backward):
        reached = {start}
        frontier = {start}
        distance = 0
        while frontier and (depth == 0 or distance < depth):
            distance += 1
            frontier = {n for node in frontier for n in step.get(node, ())} - reached
            reached |= frontier
        seen |= reached
    return seen


def build(
    catalog: Catalog, ref_text: str | None, depth: int
) -> tuple[list[graphviz.Node], list[graphviz.Link]]:
    graph = Graph.of(catalog)
    nodes: Mapping[Ref, graphviz.Node] = nodes_of(catalog)
    if ref_text is not None:
        entity = find_entity(catalog, ref_text)
        if entity.kind not in GRAPH_KINDS:
            raise UsageError(
                f"the graph holds services and CIs, not {entity.kind}; "
                f"try `catalogctl impact {ref_text}`"
            )
        keep = neighbourhood(graph, entity.ref, depth)
        nodes = {ref: node for ref, node in nodes.items() if ref in keep}
    return sorted(nodes.values(), key=lambda n: (n.kind, n.id)), sorted(links_of(graph, nodes))


def execute(*, start: Path, ref_text: str | None, fmt: str, depth: int | None, jobs: int) -> int:
    if depth is not None and ref_text is None:
        raise UsageError("--depth limits the graph around an entity: give KIND/ID too")
    if ref_text is not None:
        parse_ref(ref_text)  # a malformed KIND/ID fails before the catalog is read
    catalog = open_workspace(start).catalog(jobs)
    nodes, links = build(catalog, ref_text, DEFAULT_DEPTH if depth is None else depth)
    write_output(graphviz.RENDERERS[fmt](nodes, links), None)
    return EXIT_OK
