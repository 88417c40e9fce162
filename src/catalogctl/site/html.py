"""HTML building blocks for the generated site pages, and the links between them.

Generated pages are HTML bodies under a front matter, not Markdown: the
`catalogctl` MkDocs plugin (`siteplugin`) hands them to the theme as they are,
so MkDocs spends no time parsing Markdown it would only pass through, and no
Markdown extension a site owner enables can reinterpret catalog text. Every
value from the catalog reaches these helpers already escaped (`safehtml.text`)
or sanitised (`safehtml.markdown_block`).

Because MkDocs no longer rewrites `.md` links in these pages, links are final
URLs, computed here for `use_directory_urls: true` (which the generated
configuration sets): `services/hr/payroll.md` is served as
`services/hr/payroll/`, `services/hr/index.md` as `services/hr/`.
"""

from __future__ import annotations

import html
import json
import unicodedata
from collections.abc import Iterable, Sequence

from catalogctl.site.safehtml import text


def title_text(value: object) -> str:
    """A page or nav title: MkDocs inserts titles into HTML unescaped, and
    Material's `<title>` runs them through `striptags` (which unescapes them
    again), so angle brackets become look-alikes and the rest is escaped."""
    one_line = "".join(
        " " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in str(value)
    )
    return html.escape(one_line.replace("<", "\u2039").replace(">", "\u203a"), quote=True)


def front_matter(title: str, *, search: bool = True, toc: bool = True) -> str:
    """The page header: its title and the flag that makes `siteplugin` take the
    body as HTML; `search=False` keeps the page out of Material's search index,
    `toc=False` hides the (empty) table of contents so a wide table gets its room."""
    extra = "" if search else "search:\n  exclude: true\n"
    extra += "" if toc else "hide:\n  - toc\n"
    return f"---\ntitle: {json.dumps(title_text(title))}\ncatalogctl: html\n{extra}---\n\n"


def url_of(page: str) -> str:
    """The site-relative URL of a docs page (or the path of a static file)."""
    if not page.endswith(".md"):
        return page
    stem = page[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_page: str, to_page: str, anchor: str = "") -> str:
    """A relative link from one docs page to another page or static file."""
    depth = url_of(from_page).count("/")
    target = "../" * depth + url_of(to_page)
    if anchor:
        target += "#" + anchor
    return target or "./"


def a(label_html: str, target: str) -> str:
    return f'<a href="{text(target)}">{label_html}</a>'


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table of HTML cells (already escaped); an empty cell shows "-". It has
    no class: Material styles only `table:not([class])`, in both palettes."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{c or '-'}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"


def fields(rows: Iterable[Sequence[str]]) -> str:
    """Label/value pairs (HTML, already escaped) as a table without a header:
    no class on the table, so Material styles it as every other table, and
    catalog.css makes the first column the label (`.catalog-fields`)."""
    body = "\n".join(f"<tr><td>{label}</td><td>{value or '-'}</td></tr>" for label, value in rows)
    return f'<div class="catalog-fields">\n<table>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>\n'


def heading(level: int, label_html: str, anchor: str) -> str:
    """A section heading with its permalink, as MkDocs' `toc` extension writes it;
    `siteplugin` builds the page's table of contents from these."""
    return (
        f'<h{level} id="{anchor}">{label_html}<a class="headerlink" href="#{anchor}" '
        f'title="Permanent link">&para;</a></h{level}>\n'
    )


def para(inner_html: str, css_class: str | None = None) -> str:
    opening = f'<p class="{css_class}">' if css_class else "<p>"
    return f"{opening}{inner_html}</p>\n"


def bullets(items: Iterable[str]) -> str:
    return "<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>\n"


def admonition(kind: str, title_html: str, body_html: str) -> str:
    """Material's admonition markup (what `!!! kind "title"` renders to)."""
    return (
        f'<div class="admonition {kind}">\n<p class="admonition-title">{title_html}</p>\n'
        f"<p>{body_html}</p>\n</div>\n"
    )


def mermaid(source: str) -> str:
    """A Mermaid diagram as pymdownx.superfences renders a `mermaid` fence; the
    theme draws every `pre.mermaid` with the bundled Mermaid."""
    return f'<pre class="mermaid"><code>{text(source).replace("&#10;", chr(10))}</code></pre>\n'


def code(value: str) -> str:
    return f"<code>{text(value)}</code>"
