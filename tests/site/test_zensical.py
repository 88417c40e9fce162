"""The generated site under Zensical, the successor of Material for MkDocs.

`catalogctl site build` runs MkDocs; these tests keep the way off MkDocs 1.x
open. The MkDocs project `site build` generates (`project.prepare`: the
`site/` template, the generated pages, `catalogctl-mkdocs.yml`) is built
with `zensical build` as it is, and the tests check what Zensical makes of
it. docs/decisions.md ("Zensical") records what works, what does not and
which version was tested; the two known gaps are strict xfails below, so
the day they close the tests say so.

Zensical reads `mkdocs.yml` (and `INHERIT`) but runs no MkDocs plugin: ours
(`catalogctl`, which hands the generated HTML to the theme) is skipped
without a word. The generated pages then go through Python-Markdown, where
their HTML blocks pass through as they are.

Without Zensical installed the tests are skipped, except under CI (env CI
set), where they fail: .ci/run installs it with the `test` extra.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import http.server
import importlib.util
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import test_site_browser
import yaml
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from test_site import Collector, copy_catalog, hostile_catalog

from catalogctl.site.project import CONFIG_NAME, prepare
from conftest import require

pytestmark = pytest.mark.slow

INSTALLED = importlib.util.find_spec("zensical") is not None
NOW = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)  # as test_site's --now
SERVICE = "services/logistics/shipment-tracking"  # a public live service with an SLA
SEARCH_WORD = "consignees"  # in that service's description only

# The fixture of the browser test, used here under the same name.
browser = test_site_browser.browser


def require_zensical() -> None:
    require(INSTALLED, "zensical is not installed (pip install -e '.[test]' installs it)")


def zensical_build(project: Path) -> subprocess.CompletedProcess[str]:
    """`zensical build --strict` of the MkDocs project in `project`, into
    `project/site` (Zensical's default `site_dir`; it must lie inside the
    project folder, and there is no `-d`)."""
    return subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "-f", CONFIG_NAME],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def generate(root: Path, project: Path, *, internal: bool = False) -> None:
    assert prepare(root, project, internal=internal, strict=True, now=NOW) == 0


@functools.cache
def version() -> str:
    import zensical  # optional: only imported once require_zensical() has passed

    return str(zensical.version())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the generated MkDocs project, the site Zensical built from it)."""
    require_zensical()
    root = copy_catalog(tmp_path_factory.mktemp("zensical") / "repo")
    project = root.parent / "project"
    generate(root, project)
    done = zensical_build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"zensical {version()}")
    return project, project / "site"


def front_matter(page: Path) -> tuple[dict[str, object], str]:
    """A page's front matter and body; none and the whole text without one."""
    text = page.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}, text
    _, meta, body = text.split("---\n", 2)
    data = yaml.safe_load(meta)
    assert isinstance(data, dict)
    return data, body


def generated_pages(project: Path) -> dict[str, tuple[str, str]]:
    """Each generated page (front matter `catalogctl: html`) as its URL path
    (use_directory_urls) -> (title, HTML body as the generator wrote it)."""
    docs = project / "docs"
    pages = {}
    for page in sorted(docs.rglob("*.md")):
        meta, body = front_matter(page)
        if meta.get("catalogctl") != "html":
            continue
        relative = page.relative_to(docs).with_suffix("")
        url = relative.parent if relative.name == "index" else relative
        pages["" if str(url) == "." else f"{url.as_posix()}/"] = (str(meta["title"]), body)
    assert len(pages) > 20, pages.keys()
    return pages


def article(site: Path, url: str) -> str:
    text = (site / url / "index.html").read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S)
    assert match, url
    return match.group(1)


class Tokens(HTMLParser):
    """Tags (with their attributes, hrefs apart) and text, whitespace folded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[object] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v or "" for k, v in attrs if k == "href" and tag == "a"]
        self.tokens.append((tag, sorted((k, v) for k, v in attrs if k != "href")))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        folded = " ".join(data.split())
        if folded:
            self.tokens.append(folded)


def tokens(fragment: str) -> Tokens:
    parser = Tokens()
    parser.feed(fragment)
    parser.close()
    return parser


def zensical_body(site: Path, url: str) -> Tokens:
    """The article as Zensical wrote it, less the theme's own parts: the skip
    target and the title heading (from the front matter)."""
    parsed = tokens(article(site, url))
    skip = ("a", [("id", "__skip"), ("tabindex", "-1")])
    title = [("h1", []), parsed.tokens[3], "/h1"]
    assert parsed.tokens[:5] == [skip, "/a", *title], parsed.tokens[:5]
    parsed.tokens = parsed.tokens[5:]
    return parsed


def relative(href: str) -> bool:
    return not (href.startswith(("#", "/")) or urlsplit(href).scheme)


# ---------------------------------------------------------------- what works


def test_zensical_builds_every_generated_page(built: tuple[Path, Path]) -> None:
    project, site = built
    pages = generated_pages(project)
    site_name = json.loads((project / CONFIG_NAME).read_text(encoding="utf-8"))["site_name"]
    for url, (title, _) in pages.items():
        text = (site / url / "index.html").read_text(encoding="utf-8")
        # as MkDocs: the front matter's title in <title>, an <h1> (the nav's
        # title where the nav names the page) first in the article
        head = re.search(r"<title>(.*?)</title>", text, re.S)
        assert head and html.unescape(head.group(1)) == html.unescape(f"{title} - {site_name}"), url
        assert re.search(r"<h1>[^<]+</h1>", article(site, url)), url
    # files the generator writes besides pages, and the template's own assets
    for name in (
        "catalog.json",
        "maintenance.ics",
        "javascripts/mermaid.min.js",
        "stylesheets/catalog.css",
        "about/index.html",
        "404.html",
        "sitemap.xml",
    ):
        assert (site / name).is_file(), name
    assert json.loads((site / "catalog.json").read_text(encoding="utf-8"))["services"]


def test_generated_html_reaches_the_theme_as_written(built: tuple[Path, Path]) -> None:
    """Without our plugin the body goes through Python-Markdown, whose HTML
    blocks pass through: same tags, attributes and text as the generator
    wrote, links apart (next tests)."""
    project, site = built
    for url, (_, body) in generated_pages(project).items():
        assert zensical_body(site, url).tokens == tokens(body).tokens, url


def test_links_of_generated_index_pages_are_kept(built: tuple[Path, Path]) -> None:
    """On a page whose source is an index.md the source folder is the page's
    URL, so Zensical's reading of a link (relative to the source file) and
    ours (relative to the page's URL) agree."""
    project, site = built
    pages = generated_pages(project)
    index_pages = [u for u in pages if (project / "docs" / u / "index.md").is_file()]
    assert "" in index_pages and "slas/" in index_pages
    for url in index_pages:
        body = pages[url][1]
        assert zensical_body(site, url).hrefs == tokens(body).hrefs, url


def test_template_theme_overrides_and_assets_apply(built: tuple[Path, Path]) -> None:
    project, site = built
    page = (site / SERVICE / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../stylesheets/catalog.css"' in page
    assert '<script src="../../../javascripts/mermaid.min.js"></script>' in page
    nav = json.loads((project / CONFIG_NAME).read_text(encoding="utf-8"))["nav"]
    tabs = re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', page)
    assert [html.unescape(t) for t in tabs] == [html.unescape(next(iter(e))) for e in nav]
    assert "https://it.northwind.example/catalog/services/logistics/shipment-tracking/" in page


def test_search_index_has_the_generated_pages_sections(built: tuple[Path, Path]) -> None:
    project, site = built
    items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    locations = {item["location"] for item in items}
    _, body = generated_pages(project)[f"{SERVICE}/"]
    headings = re.findall(r'<h[23] id="([^"]+)"', body)
    assert headings
    for anchor in headings:
        assert f"{SERVICE}/#{anchor}" in locations, anchor
    found = {item["location"] for item in items if SEARCH_WORD in item["text"]}
    assert f"{SERVICE}/" in found, found


def test_internal_edition_builds_with_its_banner(tmp_path: Path) -> None:
    require_zensical()
    root = copy_catalog(tmp_path / "repo")
    project = tmp_path / "project"
    generate(root, project, internal=True)
    done = zensical_build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Internal edition: includes internal services" in home  # overrides/main.html
    assert (project / "site/internal/teams/index.html").is_file()


def test_hostile_catalog_text_stays_inert(tmp_path: Path) -> None:
    """As test_site's hostile-Markdown test, but built by Zensical, which runs
    no plugin: the body meets every Markdown extension the template enables.
    Catalog text is escaped and has no line of its own (newlines are `&#10;`),
    so no block or line syntax (snippets, attribute lists) can start in it."""
    require_zensical()
    root = hostile_catalog(tmp_path / "repo")
    project = tmp_path / "project"
    generate(root, project)
    done = zensical_build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    site = project / "site"
    for file in [p for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json")]:
        text = file.read_text(encoding="utf-8")
        assert "SECRET-GIT-CONFIG" not in text and "leadTimes" not in text, file
    page = (site / "services/human-resources/payroll/index.html").read_text(encoding="utf-8")
    parser = Collector()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("iframe", "object", "embed"), tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), (tag, value)
    assert not any("HOSTILE" in script for script in parser.scripts)
    assert "<script>alert" not in page
    # the body is the generator's, tag for tag and word for word, links apart
    _, body = generated_pages(project)["services/human-resources/payroll/"]
    assert zensical_body(site, "services/human-resources/payroll/").tokens == tokens(body).tokens


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(built: tuple[Path, Path]) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(built[1]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="zensical-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_search_and_mermaid_work_in_the_browser(browser: WebDriver, served: str) -> None:
    """Zensical's own search dialog (in a shadow root) finds the service by a
    word of its description, and the site's Mermaid draws the diagram."""
    wait = WebDriverWait(browser, test_site_browser.WAIT)
    browser.get(served)
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".md-search__button").is_displayed())
    browser.find_element(By.CSS_SELECTOR, ".md-search__button").click()
    results_js = """
        const hosts = [...document.querySelectorAll('*')].filter(e => e.shadowRoot);
        const dialog = hosts.map(h => h.shadowRoot.querySelector('dialog[aria-label="Search"]'))
            .find(d => d && d.open);
        if (!dialog) return null;
        return [...dialog.querySelectorAll('[role=listbox] a[role=option]')].map(a => a.href);
    """
    wait.until(lambda d: d.execute_script(results_js) is not None)  # the dialog is open
    browser.switch_to.active_element.send_keys(SEARCH_WORD)

    def hits(driver: WebDriver) -> list[str] | None:
        found = driver.execute_script(results_js)
        return found if found else None

    found = wait.until(hits)
    assert f"/{SERVICE}/" in [urlsplit(h).path for h in found], found

    browser.get(f"{served}{SERVICE}/")
    diagram = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "article div.mermaid"))
    wait.until(lambda d: diagram.size["height"] > 50)
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert [r for r in resources if not r.startswith(served)] == []


# ---------------------------------------------------------------- known gaps


@pytest.mark.xfail(
    strict=True,
    reason="Zensical reads a link in a page's HTML relative to the source file, as "
    "MkDocs reads Markdown links: on services/a/b.md (URL services/a/b/) it adds a "
    "'../' to the links we compute for the page's URL (docs/decisions.md, Zensical)",
)
def test_every_link_of_a_generated_page_resolves_under_site_url(
    built: tuple[Path, Path],
) -> None:
    project, site = built
    base = "https://it.northwind.example/catalog/"
    broken = []
    for url in generated_pages(project):
        for href in zensical_body(site, url).hrefs:
            if not relative(href):
                continue
            target = urlsplit(urljoin(base + url, href)).path
            inside = target.startswith(urlsplit(base).path)
            path = site / target.removeprefix(urlsplit(base).path)
            if not inside or not (path.is_file() or (path / "index.html").is_file()):
                broken.append(f"{url}: {href}")
    assert broken == []


@pytest.mark.xfail(
    strict=True,
    reason="the table of contents of a generated page comes from our MkDocs plugin, "
    "which Zensical does not run; Python-Markdown's toc sees no heading in HTML",
)
def test_generated_pages_have_a_table_of_contents(built: tuple[Path, Path]) -> None:
    _, site = built
    page = (site / SERVICE / "index.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', page, re.S)
    assert toc and 'href="#support"' in toc.group(0)
