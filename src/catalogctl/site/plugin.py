"""The `catalogctl` MkDocs plugin: generated pages go to the theme as HTML.

`sitebuild` writes every generated page as front matter (`catalogctl: html`)
over an HTML body it has already escaped and sanitised. Parsing that body as
Markdown would cost most of a page's build time and gain nothing, and a
Markdown extension enabled in the site's `mkdocs.yml` could reinterpret
catalog text. So for flagged pages this plugin hands MkDocs an empty Markdown
source and puts the body back as the page's content, with a table of contents
read from the headings `sitehtml.heading` writes. Hand-written pages (no flag)
are left to MkDocs.

MkDocs still converts every page's Markdown, an empty source included, with
a Markdown instance of its own: setting up the configured extensions costs
about 0.5 ms a page, a fifth of what MkDocs spends on a generated page. A
flagged page's `render` is therefore replaced by one that leaves what
MkDocs' own leaves for an empty source (no content, no table of contents, no
title, no anchors, no links), so the instance is never made.

Search: Material's search plugin indexes each page by running Python's
HTMLParser over its content, which for a generated service page (a hundred
and more table tags) cost more than everything else MkDocs does for it. For
the moment the search plugin reads the content (MkDocs' `page_context`
event, ordered with event priorities), a flagged page's content is a lean
copy with the same headings and text but no other tags (and no Mermaid
source); the full HTML is put back right after. The index gets the same
sections and words. Under Material's search plugin the lean copy is indexed
by `searchindex` with Material's own section parser and entries but without
HTMLParser, and the search plugin then sees an empty page.

Navigation: a generated page outside the nav reuses the navigation and tabs
Material rendered for the first page of its folder (`navcache`).

The plugin is registered under the `mkdocs.plugins` entry point; the site
template's `mkdocs.yml` must list it (`catalogctl site build` checks).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from catalogctl.site import searchindex
from catalogctl.site.navcache import SharedParts

FLAG = "catalogctl"
# Exactly what sitehtml.heading writes (h2 and h3 make the table of contents).
_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="headerlink"')
_TAG = re.compile(r"<[^>]*>")
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>[^<]*</a>')
# Not worth finding: diagram source and legend, table headers, the breadcrumb.
_UNINDEXED = re.compile(
    r'<pre class="mermaid">.*?</pre>|<ul class="catalog-legend">.*?</ul>|<thead>.*?</thead>'
    r'|<p class="catalog-breadcrumb">.*?</p>',
    re.S,
)
_SPACES = re.compile(r"\s{2,}")
_NOT_SECTION = re.compile(r"<(?!/?(?:h[1-6]|p)\b)[^>]*>")  # all but headings and paragraphs


def search_text(body: str) -> str:
    """What the search index needs of a generated page: its headings (with
    their ids, which make the sections) and paragraphs, every other tag a space."""
    lean = _NOT_SECTION.sub(" ", _HEADERLINK.sub("", _UNINDEXED.sub("", body)))
    return _SPACES.sub(" ", lean)


def toc_tokens(body: str) -> list[dict[str, Any]]:
    """The nested heading list MkDocs' `get_toc` takes, from generated HTML."""
    tokens: list[dict[str, Any]] = []
    for level_text, anchor, label in _HEADING.findall(body):
        level = int(level_text)
        name = html.unescape(_TAG.sub("", label))
        token = {"level": level, "id": anchor, "name": name, "html": label, "children": []}
        if level == 3 and tokens:
            tokens[-1]["children"].append(token)
        else:
            tokens.append(token)
    return tokens


def _empty_render(page: Page) -> Callable[[MkDocsConfig, Files], None]:
    """`Page.render` of an empty Markdown source, without Markdown."""

    def render(config: MkDocsConfig, files: Files) -> None:
        page.content = ""
        page.toc = get_toc([])
        page.present_anchor_ids = set()
        page.links_to_anchors = {}

    return render


class CatalogPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # no config options
    def __init__(self) -> None:
        self._bodies: dict[str, str] = {}
        self._generated: set[str] = set()
        self._full: dict[str, str] = {}
        self.shared_parts = SharedParts()
        self._search: Any | None = None  # Material's search index, when it is in use

    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        self.shared_parts.start(nav, self._generated)
        self._search = searchindex.material_index(config)  # made in its on_config
        return None

    def on_env(
        self, env: Environment, /, *, config: MkDocsConfig, files: Files
    ) -> Environment | None:
        self.shared_parts.wrap(env)  # the nav and tabs of generated pages, once per folder
        return None

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if page.meta.get(FLAG) != "html":
            return None
        self._bodies[page.file.src_uri] = markdown
        # This page's own render, so no Markdown instance is made (module
        # docstring); setattr, as mypy rightly refuses assigning to a method.
        setattr(page, "render", _empty_render(page))  # noqa: B010
        return ""

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        body = self._bodies.pop(page.file.src_uri, None)
        if body is None:
            return None
        page.toc = get_toc(toc_tokens(body))  # type: ignore[arg-type]
        self._generated.add(page.file.src_uri)
        return body

    @event_priority(100)  # before the search plugin indexes page.content
    def _lean_for_search(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> None:
        if page.file.src_uri in self._generated and page.content is not None:
            self._full[page.file.src_uri] = page.content
            lean = search_text(page.content)
            if self._search is not None and searchindex.index(self._search, lean, page):
                page.content = ""  # indexed already: Material's parser finds nothing more
            else:
                page.content = lean

    @event_priority(-100)  # after every plugin's page_context, before the theme renders
    def _restore_after_search(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> None:
        full = self._full.pop(page.file.src_uri, None)
        if full is not None:
            page.content = full

    on_page_context = CombinedEvent(_lean_for_search, _restore_after_search)
