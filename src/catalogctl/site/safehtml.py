"""Untrusted catalog text made safe for the generated site.

Descriptions, offering texts and other Markdown fields arrive through pull
requests, so the site never lets MkDocs interpret them. Each Markdown string is
rendered here with Python-Markdown (tables, fenced_code and sane_lists only;
raw HTML is escaped, not passed through), then sanitised with nh3 against an
allow-list of formatting tags. The result goes into the generated page as a
single-line raw HTML block that MkDocs leaves alone.

Generated pages are HTML, not Markdown (see `siteplugin`): plain-text fields
(names, titles, ids) go through `text()`, which escapes what HTML reads as
syntax and keeps the text on one line.
"""

from __future__ import annotations

import functools
import html
import re

import markdown  # type: ignore[import-untyped]  # no types-Markdown in the test extras
import nh3

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "blockquote",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title"}), "ol": frozenset({"start"})}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow ugc"
MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "sane_lists")
# Removed with their content, not just unwrapped: their text is code, not prose.
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math"})

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
    url_relative="deny",
)
# Inline formatting only, for one-line summaries inside table cells: block tags
# (paragraphs, lists, headings) are unwrapped to their text.
INLINE_TAGS = frozenset({"strong", "em", "code", "a", "br"})
_INLINE_CLEANER = nh3.Cleaner(
    tags=set(INLINE_TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes={"a": set(ALLOWED_ATTRIBUTES["a"])},
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
    url_relative="deny",
)
# One C-level pass (str.translate) instead of a regex per character: text()
# runs for every cell of every page, and the site's build time is per page.
_TEXT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#x27;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)
_HEADINGS = re.compile(r"<(/?)h([12])\b")


@functools.cache
def _renderer() -> markdown.Markdown:
    """One converter for the whole build (reset before each use): building a
    Markdown instance costs more than converting a short description."""
    md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    # No raw HTML passthrough: `<script>` in the source becomes visible text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def render_markdown(source: str) -> str:
    """Untrusted Markdown -> sanitised HTML (an empty string for blank input)."""
    if not source.strip():
        return ""
    md = _renderer()
    md.reset()
    rendered = md.convert(source)
    # Headings inside a description sit below the page's own h1/h2.
    rendered = _HEADINGS.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}", rendered)
    return sanitise(rendered)


def render_inline(source: str) -> str:
    """Untrusted one-line Markdown -> sanitised inline HTML (emphasis, code,
    links), for a summary in a table cell: rendered as `render_markdown` does,
    then every block tag unwrapped."""
    if not source.strip():
        return ""
    md = _renderer()
    md.reset()
    return _INLINE_CLEANER.clean(md.convert(source)).strip().replace("\n", " ")


def sanitise(fragment: str) -> str:
    return _CLEANER.clean(fragment)


def block(fragment: str, css_class: str = "catalog-md") -> str:
    """Sanitised HTML as one block of a generated page: one line (newlines as
    character references), wrapped in a div."""
    if not fragment:
        return ""
    one_line = fragment.replace("\r", "").replace("\n", "&#10;")
    return f'<div class="{css_class}">{one_line}</div>\n'


def markdown_block(source: str) -> str:
    """Untrusted Markdown as a raw, sanitised HTML block for a generated page."""
    return block(render_markdown(source))


def text(value: object) -> str:
    """Untrusted plain text for an HTML page or attribute: `& < > " '` escaped,
    line breaks and tabs as character references (a generated HTML block never
    contains a blank line). The loader has already refused control and bidi
    characters."""
    return str(value).translate(_TEXT)


def attr(value: object) -> str:
    """Untrusted text inside a double-quoted HTML attribute."""
    return html.escape(str(value), quote=True)


def url(value: object) -> str | None:
    """An http(s) or mailto URL safe for an href, else None."""
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    if not re.match(r"(?i)(https?://|mailto:)[^\s\"'<>`]+\Z", stripped):
        return None
    return stripped


def link(label: object, target: object) -> str:
    """An external link as inline HTML, or the label alone when the URL is not allowed."""
    href = url(target)
    if href is None:
        return text(label)
    return f'<a href="{attr(href)}" rel="{LINK_REL}">{text(label)}</a>'
