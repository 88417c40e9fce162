"""Untrusted catalog text made safe for the generated site.

Descriptions, offering texts and other Markdown fields arrive through pull
requests, so the site never lets MkDocs interpret them. Each Markdown string is
rendered here with Python-Markdown (tables, fenced_code and sane_lists only;
raw HTML is escaped, not passed through), then sanitised with nh3 against an
allow-list of formatting tags. The result goes into the generated page as a
single-line raw HTML block that MkDocs leaves alone.

Plain-text fields (names, titles, ids) go through `text()`: every character
that HTML or Markdown could read as syntax becomes a numeric character
reference, so a name can neither open a tag nor start a link or emphasis.
"""

from __future__ import annotations

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
_SAFE_TEXT = re.compile(r"[A-Za-z0-9 \u00a0-\U0010ffff]")
_HEADINGS = re.compile(r"<(/?)h([12])\b")


def _renderer() -> markdown.Markdown:
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
    rendered = md.convert(source)
    # Headings inside a description sit below the page's own h1/h2.
    rendered = _HEADINGS.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}", rendered)
    return sanitise(rendered)


def sanitise(fragment: str) -> str:
    return _CLEANER.clean(fragment)


def block(fragment: str, css_class: str = "catalog-md") -> str:
    """Sanitised HTML as a raw block MkDocs passes through untouched: one line
    (newlines as character references, so no Markdown or fence syntax can start
    a line), wrapped in a div, blank lines around it."""
    if not fragment:
        return ""
    one_line = fragment.replace("\r", "").replace("\n", "&#10;")
    return f'\n<div class="{css_class}">{one_line}</div>\n\n'


def markdown_block(source: str) -> str:
    """Untrusted Markdown as a raw, sanitised HTML block for a generated page."""
    return block(render_markdown(source))


def text(value: object) -> str:
    """Untrusted plain text for a Markdown page: letters, digits, spaces and
    non-ASCII characters as they are, everything else (punctuation, controls,
    line breaks) as a numeric character reference."""
    return "".join(
        char if _SAFE_TEXT.match(char) and char.isprintable() else f"&#{ord(char)};"
        for char in str(value)
    )


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
