"""A service's dependency diagram on its page, with a legend for what it draws.

`graphviz.mermaid` (shared with `catalogctl graph`) colours its boxes with
fixed light fills and dark text. On the site Material draws Mermaid with the
palette's colours (`--md-mermaid-*`), in light and dark mode, unless a
`classDef` overrides them; its label colour wins over a `classDef`'s, so in
dark mode those fixed fills left light text on light boxes. The site
therefore swaps the drawing's classes for its own, which only add outlines
and dashes over the palette's colours, and lists every class the drawing
uses in a legend below it (`catalog.css` draws the legend's keys alike).
"""

from __future__ import annotations

from collections.abc import Iterable

from catalogctl.review import graphviz
from catalogctl.site.html import mermaid

# class -> (Mermaid style, or "" for the palette's own; what it means).
# Services are rounded boxes and configuration items square ones either way.
CLASSES = {
    "service": ("", "Service"),
    "ci": ("", "Configuration item"),
    "tier1": ("stroke:#e53935,stroke-width:3px", "Business-critical service (tier 1)"),
    "retired": ("stroke-dasharray:5 5,opacity:0.6", "Retired"),
}
ARROWS = '<span class="catalog-legend__arrow">A &rarr; B</span>A depends on B'


def used_classes(source: str) -> list[str]:
    """The classes a Mermaid flowchart assigns (`class n0,n1 name` lines), in order."""
    names: list[str] = []
    for line in source.splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "class" and words[2] not in names:
            names.append(words[2])
    return names


def site_source(source: str) -> str:
    """`graphviz.mermaid` output with its class definitions swapped for the
    site's: none for the palette's own colours, outlines and dashes otherwise."""
    lines: list[str] = []
    for line in source.splitlines():
        words = line.split()
        if words and words[0] == "classDef":
            continue
        if len(words) == 3 and words[0] == "class":
            style = CLASSES.get(words[2], ("", ""))[0]
            if not style:
                continue  # the palette's colours: nothing to assign
            lines.append(f"  classDef {words[2]} {style}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def legend(names: Iterable[str]) -> str:
    items = [
        f'<li data-class="{name}"><span class="catalog-legend__key catalog-legend__key--{name}">'
        f"</span>{CLASSES[name][1]}</li>"
        for name in names
        if name in CLASSES
    ]
    items.append(f"<li>{ARROWS}</li>")
    return '<ul class="catalog-legend">\n' + "\n".join(items) + "\n</ul>\n"


def diagram(nodes: Iterable[graphviz.Node], links: Iterable[graphviz.Link]) -> str:
    """The Mermaid diagram of a service page and its legend."""
    source = graphviz.mermaid(nodes, links)
    return mermaid(site_source(source)) + legend(used_classes(source))
