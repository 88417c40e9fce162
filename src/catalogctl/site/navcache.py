"""The theme's navigation and tabs, rendered once per folder for pages outside the nav.

Material renders its navigation sidebar (`partials/nav.html`) and tabs
(`partials/tabs.html`) for every page: a quarter of what MkDocs spends on a
generated page. For a page outside the nav (service and SLA pages) no nav
item is active, so both come out the same for every page whose links to the
nav's pages are the same, which MkDocs makes relative to the page's URL:
the same for pages in one folder, as long as no nav page lies inside the
page's own folder. The plugin wraps the two templates so that such a page
reuses what the first page of its folder rendered; every other page (those
in the nav, hand-written ones, the 404 page) renders them as before. The
HTML written is byte for byte what Material writes.

Only under MkDocs: an engine that runs no MkDocs plugin (Zensical) renders
its own templates as it always does.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator

from jinja2 import Environment, TemplateNotFound
from jinja2.runtime import Context
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

SHARED = ("partials/nav.html", "partials/tabs.html")
_WRAPPED = "_catalogctl_shared"  # marks a template wrapped already

Render = Callable[[Context], Iterator[str]]


class SharedParts:
    """The rendered nav and tabs of pages outside the nav, by template and folder."""

    def __init__(self) -> None:
        self._rendered: dict[tuple[str, str], str] = {}
        self._nav_urls: tuple[str, ...] = ()
        self._in_nav: set[str] = set()
        self._pages: Container[str] = ()
        self.rendered = 0  # parts rendered into the cache, this build
        self.reused = 0  # parts served from it

    def start(self, nav: Navigation, pages: Container[str]) -> None:
        """A build's navigation, and the pages (source URIs) that may share."""
        self._rendered.clear()
        self.rendered = self.reused = 0
        self._nav_urls = tuple(p.url for p in nav.pages)
        self._in_nav = {p.file.src_uri for p in nav.pages}
        self._pages = pages

    def wrap(self, env: Environment) -> None:
        for name in SHARED:
            try:
                template = env.get_template(name)
            except TemplateNotFound:  # a theme without it: nothing to share
                continue
            if not getattr(template, _WRAPPED, False):
                template.root_render_func = self._shared(name, template.root_render_func)
                setattr(template, _WRAPPED, True)

    def folder(self, page: object) -> str | None:
        """The key of a page whose nav and tabs can be shared, or None."""
        if not isinstance(page, Page) or page.parent is not None:
            return None
        uri = page.file.src_uri
        if uri not in self._pages or uri in self._in_nav:
            return None
        url = page.url
        if not url or any(other.startswith(url) for other in self._nav_urls):
            return None
        return url[: url.rstrip("/").rfind("/") + 1]

    def _shared(self, name: str, render: Render) -> Render:
        def shared(context: Context) -> Iterator[str]:
            folder = self.folder(context.get("page"))
            if folder is None:
                yield from render(context)
                return
            key = (name, folder)
            found = self._rendered.get(key)
            if found is None:
                found = self._rendered[key] = "".join(render(context))
                self.rendered += 1
            else:
                self.reused += 1
            yield found

        return shared
