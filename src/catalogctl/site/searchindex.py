"""A generated page's entries in Material's search index, without HTMLParser.

Material's search plugin splits a page into sections with its `Parser`, an
`HTMLParser` subclass; on the lean copy of a generated page (`plugin`) the
tokenising alone, Python's HTMLParser, was most of the cost of indexing it.
The lean copy is ours and simple: text, `<h1>`-`<h6>` and `<p>` tags with
double-quoted attributes, nothing else. So the tags are found with one
regular expression and handed to the same `Parser`'s handlers, with the
text between them unescaped as HTMLParser hands it (`convert_charrefs`), and
the sections go to the index through Material's own
`create_entry_for_section`: the same entries, made by Material's code.

Anything else in the copy (another tag, a stray `<`), another search plugin,
or a Material without these names, and the page is left to the search
plugin as before (`index` returns False).
"""

from __future__ import annotations

import html
import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

_TAG = re.compile(r"<[^>]*>")
_START = re.compile(r'<(h[1-6]|p)((?:\s+[a-z-]+="[^"<>]*")*)\s*>')
_END = re.compile(r"</(h[1-6]|p)\s*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"<>]*)"')


def material_index(config: MkDocsConfig) -> Any | None:
    """The enabled Material search plugin's index of this build, or None."""
    try:
        from material.plugins.search.plugin import (  # type: ignore[import-untyped]
            SearchIndex,
            SearchPlugin,
        )
    except ImportError:  # another theme: its search parses pages itself
        return None
    for plugin in config.plugins.values():
        if isinstance(plugin, SearchPlugin) and plugin.config.get("enabled", True):
            found = getattr(plugin, "search_index", None)
            return found if isinstance(found, SearchIndex) else None
    return None


def index(search_index: Any, lean: str, page: Page) -> bool:
    """Add the page's sections to `search_index` as Material's search plugin
    would; False (and nothing added) when `lean` holds anything unexpected."""
    from material.plugins.search.plugin import Parser

    search = page.meta.get("search") or {}
    if search.get("exclude"):
        return True  # Material indexes nothing of it either
    parser = Parser()
    at = 0
    for tag in _TAG.finditer(lean):
        if not _data(parser, lean[at : tag.start()]):
            return False
        at = tag.end()
        start = _START.fullmatch(tag[0])
        if start is not None:
            attributes = [(k, html.unescape(v)) for k, v in _ATTRIBUTE.findall(start[2])]
            parser.handle_starttag(start[1], attributes)
            continue
        end = _END.fullmatch(tag[0])
        if end is None:
            return False
        parser.handle_endtag(end[1])
    if not _data(parser, lean[at:]):
        return False
    for section in parser.data:
        if not section.is_excluded():
            search_index.create_entry_for_section(section, page.toc, page.url, page)
    return True


def _data(parser: Any, raw: str) -> bool:
    if "<" in raw:  # HTMLParser would read a tag or markup here: not our copy
        return False
    if raw:
        parser.handle_data(html.unescape(raw))
    return True
