"""Rendering a dependency graph as Mermaid, Graphviz DOT or JSON text.

Pure functions over plain values: `Node` and `Link` hold strings and numbers
only, so this module knows nothing about catalogs or files. Every name and id
comes from the catalog and is untrusted: it is escaped so that it can neither
end its quoted string nor inject markup, directives or statements.

Output is deterministic: nodes are sorted by kind and id, edges by their ends
and field, whatever order they are given in.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from catalogctl.load import kinds

SERVICE, CI = kinds.SERVICE.name, kinds.CI.name
RETIRED = "retired"
_BREAKS = frozenset({"Cc", "Zl", "Zp"})  # controls, line and paragraph separators


@dataclass(frozen=True, order=True)
class Node:
    """A service or CI: `kind` and `id` as in the catalog (`Service`, `payroll`)."""

    kind: str
    id: str
    name: str
    tier: int | None = None  # services
    lifecycle: str | None = None  # services
    status: str | None = None  # CIs

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.id}"

    @property
    def retired(self) -> bool:
        return RETIRED in (self.lifecycle, self.status)

    @property
    def tier1(self) -> bool:
        return self.kind == SERVICE and self.tier == 1

    @property
    def label(self) -> str:
        return self.id if self.name == self.id else f"{self.name} ({self.id})"


@dataclass(frozen=True, order=True)
class Link:
    """A dependency edge from the dependent to what it depends on.

    `source` and `target` are node keys (`Kind/id`); `field` is the field of
    the source that makes the edge (`spec.dependsOn[0]`).
    """

    source: str
    target: str
    field: str


def _ordered(
    nodes: Iterable[Node], edges: Iterable[Link]
) -> tuple[list[Node], list[Link], list[tuple[str, str]]]:
    """Sorted unique nodes, sorted edges between them, and their distinct (from, to) pairs."""
    by_key: dict[str, Node] = {}
    for node in sorted(nodes, key=lambda n: (n.kind, n.id)):
        by_key.setdefault(node.key, node)
    links = sorted({e for e in edges if e.source in by_key and e.target in by_key})
    pairs = sorted({(e.source, e.target) for e in links})
    return list(by_key.values()), links, pairs


def _one_line(text: str) -> str:
    """Line breaks and other control characters become spaces."""
    return "".join(" " if unicodedata.category(char) in _BREAKS else char for char in text)


# --------------------------------------------------------------------------- Mermaid

# Inside a "..." label Mermaid ends the string at the first `"`, turns `#name;`
# and `#123;` into character entities, reads `%%{...}%%` anywhere as a config
# directive, a leading backtick as a Markdown string, and renders the label as
# HTML. So each of those characters (and brackets, for good measure) becomes a
# Mermaid entity code; the codes are decoded only when the label is drawn.
_MERMAID_CODES = {
    '"': "#quot;",
    "#": "#35;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    "%": "#37;",
    "`": "#96;",
    "\\": "#92;",
}

MERMAID_CLASSES = (
    ("service", "fill:#e3f2fd,stroke:#1565c0,color:#0d2a4a"),
    ("ci", "fill:#f5f5f5,stroke:#616161,color:#212121"),
    ("tier1", "stroke:#c62828,stroke-width:3px"),
    ("retired", "fill:#fafafa,stroke:#9e9e9e,color:#9e9e9e,stroke-dasharray:5 5"),
)


def mermaid_text(text: str) -> str:
    """Untrusted text made safe inside a Mermaid `"..."` label."""
    return "".join(_MERMAID_CODES.get(char, char) for char in _one_line(text))


def mermaid(nodes: Iterable[Node], edges: Iterable[Link]) -> str:
    """A `flowchart LR`: services rounded, CIs square, tier 1 bold red, retired dashed grey.

    Node ids are generated (`n0`, `n1`, ... in sorted order) so that no catalog
    id ever appears outside a quoted label.
    """
    ordered, _, pairs = _ordered(nodes, edges)
    ids = {node.key: f"n{index}" for index, node in enumerate(ordered)}
    retired = {node.key for node in ordered if node.retired}
    lines = ["flowchart LR"]
    for node in ordered:
        # our own parentheses are safe inside the quotes; the catalog's are escaped
        label = mermaid_text(node.name)
        if node.name != node.id:
            label += f" ({mermaid_text(node.id)})"
        shape = f'("{label}")' if node.kind == SERVICE else f'["{label}"]'
        lines.append(f"  {ids[node.key]}{shape}")
    for source, target in pairs:
        arrow = "-.->" if source in retired or target in retired else "-->"
        lines.append(f"  {ids[source]} {arrow} {ids[target]}")
    members = {
        "service": [n for n in ordered if n.kind == SERVICE],
        "ci": [n for n in ordered if n.kind != SERVICE],
        "tier1": [n for n in ordered if n.tier1],
        "retired": [n for n in ordered if n.retired],
    }
    for name, style in MERMAID_CLASSES:
        lines.append(f"  classDef {name} {style}")
    for name, _ in MERMAID_CLASSES:
        if members[name]:
            lines.append(f"  class {','.join(ids[n.key] for n in members[name])} {name}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- DOT


def dot_string(text: str) -> str:
    """Untrusted text as a quoted DOT string.

    Backslashes are doubled (so no `\\N`-style label escape and no escaped
    closing quote), quotes are escaped, line breaks become spaces.
    """
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_label(text: str) -> str:
    """A quoted DOT label: as `dot_string`, and `&` so that no entity is decoded."""
    return dot_string(text.replace("&", "&amp;"))


def _attributes(pairs: Sequence[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"{key}={value}" for key, value in pairs) + "]"


def dot(nodes: Iterable[Node], edges: Iterable[Link]) -> str:
    """A `digraph catalog`: services rounded boxes, CIs plain boxes; tier 1 bold
    red outline, retired dashed grey. Node ids are the quoted `Kind/id`."""
    ordered, _, pairs = _ordered(nodes, edges)
    retired = {node.key for node in ordered if node.retired}
    lines = [
        "digraph catalog {",
        "  rankdir=LR;",
        '  node [shape=box, fontname="Helvetica", fontsize=11];',
        '  edge [color="#616161"];',
    ]
    for node in ordered:
        styles = ["filled"]
        if node.kind == SERVICE:
            styles.append("rounded")
        if node.tier1:
            styles.append("bold")
        if node.retired:
            styles.append("dashed")
        attributes = [("label", dot_label(node.label)), ("style", f'"{",".join(styles)}"')]
        if node.retired:
            attributes += [("color", '"#9e9e9e"'), ("fontcolor", '"#9e9e9e"')]
            attributes.append(("fillcolor", '"#fafafa"'))
        elif node.tier1:
            attributes += [("color", '"#c62828"'), ("penwidth", "2")]
            attributes.append(("fillcolor", '"#e3f2fd"'))
        else:
            fill = '"#e3f2fd"' if node.kind == SERVICE else '"#f5f5f5"'
            attributes.append(("fillcolor", fill))
        lines.append(f"  {dot_string(node.key)} {_attributes(attributes)};")
    for source, target in pairs:
        style = " [style=dashed]" if source in retired or target in retired else ""
        lines.append(f"  {dot_string(source)} -> {dot_string(target)}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- JSON


def json_document(nodes: Iterable[Node], edges: Iterable[Link]) -> dict[str, Any]:
    ordered, links, _ = _ordered(nodes, edges)
    out_nodes: list[dict[str, Any]] = []
    for node in ordered:
        item: dict[str, Any] = {"id": node.key, "kind": node.kind, "name": node.name}
        if node.tier is not None:
            item["tier"] = node.tier
        if node.lifecycle is not None:
            item["lifecycle"] = node.lifecycle
        if node.status is not None:
            item["status"] = node.status
        out_nodes.append(item)
    return {
        "version": 1,
        "nodes": out_nodes,
        "edges": [{"from": e.source, "to": e.target, "field": e.field} for e in links],
    }


def as_json(nodes: Iterable[Node], edges: Iterable[Link]) -> str:
    return json.dumps(json_document(nodes, edges), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"mermaid": mermaid, "dot": dot, "json": as_json}
