"""`catalogctl site build`: real MkDocs builds of copies of the reference catalog.

Each build costs a couple of seconds, so the public build is made once per
module and shared by the content and leak tests; the hostile-Markdown,
internal and failure tests make one or two builds each.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from catalogctl.cli import main
from catalogctl.site import html as sitehtml
from catalogctl.site import plugin as siteplugin
from catalogctl.site import safehtml
from catalogctl.site.view import slug as category_slug
from paths import REPO

ROOT = REPO
NOW = "2027-01-01T00:00:00Z"
COPIED = ("catalog", "changes", "incidents", "problems", "schemas", "site", "catalogctl.yaml")


def copy_catalog(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    # An upcoming outage on the container platform (internal, tier 1): public
    # services running on it must show the notice.
    change = target / "changes/2027/chg-2027-0001.yaml"
    change.write_text(
        change.read_text().replace("  state: scheduled\n", "  state: scheduled\n  outage: true\n")
    )
    return target


def site(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["-C", str(root), "site", "build", "--now", NOW, *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_catalog(tmp_path_factory.mktemp("public") / "repo")
    out = root.parent / "out"
    code, output = site(root, "--out", str(out), "--strict")
    assert code == 0, output
    return root, out


def page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


def article(html_text: str) -> str:
    match = re.search(r"<article.*?</article>", html_text, re.S)
    assert match
    return match.group(0)


def load(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# ---------------------------------------------------------------- content


def test_public_build_passes_strict_and_has_the_pages(public_site: tuple[Path, Path]) -> None:
    root, out = public_site
    for path in ("index.html", "maintenance/index.html", "tags/index.html", "about/index.html"):
        assert (out / path).is_file(), path
    assert (out / "slas/people-services/index.html").is_file()
    assert (out / "services/human-resources/payroll/index.html").is_file()
    assert (out / ".catalogctl-site").is_file()
    assert not (root / "site" / "docs" / "index.md").exists()  # nothing generated into the repo
    home = article(page(out, "."))
    assert "Human Resources" in home and "Payroll" in home
    assert re.search(r"\d+ services in \d+ categories", home)
    assert 'href="services/human-resources/"' in home  # the category card
    category = article(page(out, "services/human-resources"))
    assert "catalog-badge--live" in category
    assert '<a href="../../services/human-resources/payroll/">Payroll</a>' in category
    # the navigation lists categories, not services: every page's HTML stays small
    full = page(out, "services/human-resources")
    around = full.replace(article(full), "")
    data = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert all(html.escape(c["name"], quote=False) in around for c in data["categories"])
    assert not [s["name"] for s in data["services"] if html.escape(s["name"]) in around]
    payroll = page(out, "services/human-resources/payroll")
    assert (
        'class="catalog-breadcrumb"' in payroll and "../../../services/human-resources/" in payroll
    )


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def test_every_link_in_the_site_resolves(public_site: tuple[Path, Path]) -> None:
    """Generated pages carry final URLs (MkDocs does not check them): each
    relative link must reach a file of the built site, and each #fragment an id."""
    _, out = public_site
    checked = 0
    for html_file in out.rglob("*.html"):
        if html_file.name == "404.html":
            continue  # MkDocs writes it with absolute URLs under site_url
        parser = Links()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for target in parser.targets:
            if re.match(r"[a-z]+:", target) or target.startswith("//"):
                continue  # external (https:, mailto:)
            path, _, fragment = target.partition("#")
            resolved = (html_file.parent / path).resolve() if path else html_file
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.is_file(), f"{html_file.relative_to(out)}: {target} is broken"
            if fragment and resolved.suffix == ".html":
                assert f'id="{fragment}"' in resolved.read_text(encoding="utf-8"), (
                    f"{html_file.relative_to(out)}: no #{fragment} in {target}"
                )
            checked += 1
    assert checked > 500


def test_service_page_shows_sla_offerings_support_and_maintenance(
    public_site: tuple[Path, Path],
) -> None:
    _, out = public_site
    payroll = article(page(out, "services/human-resources/payroll"))
    assert "99.5 % monthly" in payroll
    assert "<td>P1</td><td>30 minutes</td><td>4 hours</td>" in payroll
    assert "HR Systems" in payroll  # owner team name
    assert "mailto:payroll@northwind.example" in payroll
    assert "https://help.northwind.example/request/bank-details" in payroll
    assert 'class="mermaid"' in payroll
    assert "Payroll calendar" in payroll and "Payroll runbook" not in payroll  # a docs link
    data = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    notice = [m for m in data["maintenance"] if m["id"] == "chg-2027-0001"]
    assert notice and notice[0]["services"], data["maintenance"]
    hit = notice[0]["services"][0]
    path = next(s["page"] for s in data["services"] if s["id"] == hit)
    text = article(page(out, path.rstrip("/")))
    assert "Planned downtime" in text and "Upgrade AKS production" in text
    assert "2027-01-16 06:00+01:00 to 2027-01-16 10:00+01:00" in text
    maintenance = page(out, "maintenance")
    assert "chg-2027-0001" in maintenance
    assert "Year-end freeze 2026" in maintenance
    ics = (out / "maintenance.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"UID:chg-2027-0001.public@it.northwind.example/catalog\r\n" in ics


def test_search_index_has_the_sections_and_words_of_generated_pages(
    public_site: tuple[Path, Path],
) -> None:
    _, out = public_site
    docs = json.loads((out / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    payroll = {
        d["location"]: d
        for d in docs
        if d["location"].startswith("services/human-resources/payroll/")
    }
    assert "DATEV" in payroll["services/human-resources/payroll/"]["text"]  # the description
    assert payroll["services/human-resources/payroll/#support"]["title"] == "Support"
    assert (
        "payroll@northwind.example" in payroll["services/human-resources/payroll/#support"]["text"]
    )
    assert (
        "99.5 % monthly" in payroll["services/human-resources/payroll/#sla-people-services"]["text"]
    )
    everything = json.dumps(docs)
    assert "flowchart" not in everything  # no Mermaid source
    assert "\u00b6" not in everything and "headerlink" not in everything  # no permalinks


def test_plugin_lean_search_text_and_toc() -> None:
    body = (
        sitehtml.heading(2, "Support &amp; help", "support")
        + sitehtml.table(["a", "b"], [["x", "<strong>y</strong>"]])
        + sitehtml.mermaid("flowchart LR\n  a --> b")
        + sitehtml.heading(3, "Sub", "sub")
        + sitehtml.para("text")
    )
    lean = siteplugin.search_text(body)
    assert lean.startswith('<h2 id="support">Support &amp; help</h2>')
    assert " x y " in lean and "<strong>" not in lean and "<table" not in lean
    assert "flowchart" not in lean and "<p>text</p>" in lean
    tokens = siteplugin.toc_tokens(body)
    assert [(t["id"], t["name"]) for t in tokens] == [("support", "Support & help")]
    assert [c["id"] for c in tokens[0]["children"]] == ["sub"]


# ---------------------------------------------------------------- as customers see it


def cells(row_html: str) -> list[str]:
    """The text of each cell of a table row."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td>(.*?)</td>", row_html, re.S)
    ]


def css_has_rule(css: str, name: str) -> bool:
    return re.search(r"\." + re.escape(name) + r"(?![\w-])[^{}]*\{", css) is not None


# a block of ours around a table (or around a block around one)
WRAPPER = re.compile(r'<div class="(catalog-[\w-]+)"[^>]*>\s*(?:<div[^>]*>\s*)?<table')


def test_tables_carry_no_class_and_their_wrappers_are_styled(
    public_site: tuple[Path, Path],
) -> None:
    """Material styles only `table:not([class])`: a generated table with a class
    shows unboxed unless the site's stylesheet has rules for it, in both
    palettes. The classes of the blocks wrapping tables need rules too."""
    _, out = public_site
    css = (out / "stylesheets/catalog.css").read_text(encoding="utf-8")
    wrappers: set[str] = set()
    tables = 0
    for html_file in out.rglob("*.html"):
        body = html_file.read_text(encoding="utf-8")
        for attrs in re.findall(r"<table\b([^>]*)>", body):
            tables += 1
            classes = re.search(r'class="([^"]*)"', attrs)
            for name in classes.group(1).split() if classes else []:
                assert css_has_rule(css, name), f"{html_file.relative_to(out)}: table.{name}"
        wrappers.update(re.findall(WRAPPER, body))
    assert tables > 50
    assert {"catalog-fields", "catalog-sla", "catalog-filter"} <= wrappers
    assert [w for w in wrappers if not css_has_rule(css, w)] == []
    # the rules use Material's colours, which follow the light and dark palettes
    fields = css[css.index(".catalog-fields td:first-child {") :]
    assert "var(--md-default-fg-color--light)" in fields[: fields.index("}")]


def test_service_page_reads_description_first_then_facts_without_a_header(
    public_site: tuple[Path, Path],
) -> None:
    _, out = public_site
    payroll = article(page(out, "services/human-resources/payroll"))
    assert "<th>fact</th>" not in payroll and "<th>value</th>" not in payroll
    assert "<thead><tr><th>contact</th>" not in payroll  # support is label/value too
    description = payroll.index("Monthly payroll for about 2,300 employees")
    facts = payroll.index('<div class="catalog-fields">')
    assert description < facts
    first_facts = payroll[facts : payroll.index("</table>", facts)]
    assert "<thead>" not in first_facts
    assert ["category", "Human Resources"] in [
        cells(r) for r in re.findall(r"<tr>.*?</tr>", first_facts, re.S)
    ]


def test_sla_block_reads_availability_then_hours_then_priorities(
    public_site: tuple[Path, Path],
) -> None:
    _, out = public_site
    for path in ("services/human-resources/payroll", "slas/people-services"):
        body = article(page(out, path))
        block = body[body.index('<div class="catalog-sla">') :]
        rows = [cells(r) for r in re.findall(r"<tr><td>.*?</tr>", block, re.S)]
        assert rows[0] == ["availability", "99.5 % monthly"], (path, rows[:3])
        assert rows[1][0] == "service hours" and "08:00-18:00" in rows[1][1]
        assert "<thead><tr><th>priority</th><th>response</th><th>resolution</th></tr>" in block
        assert rows[2:6] == [
            ["P1", "30 minutes", "4 hours"],
            ["P2", "1 hour", "1 day"],
            ["P3", "8 hours", "5 days"],
            ["P4", "2 days", "4 weeks"],
        ], path
        assert block.index("P4") < block.index("recovery time (RTO)")


def public_services(root: Path) -> dict[str, dict[str, object]]:
    """Public, live services of the catalog copy: id -> name, category, target."""
    targets: dict[str, float] = {}
    for file in (root / "catalog/slas").rglob("*.yaml"):
        spec = load(file)["spec"]
        assert isinstance(spec, dict)
        for service_id in spec.get("services") or []:
            targets[service_id] = spec["availability"]["target"]
    found: dict[str, dict[str, object]] = {}
    for file in (root / "catalog/services").rglob("*.yaml"):
        data = load(file)
        meta, spec = data["metadata"], data["spec"]
        assert isinstance(meta, dict) and isinstance(spec, dict)
        if spec.get("visibility") == "public" and spec.get("lifecycle") == "live":
            found[meta["id"]] = {
                "name": meta["name"],
                "category": spec.get("category") or "Other",
                "target": targets.get(meta["id"]),
            }
    return found


def test_all_services_page_lists_every_public_service_first_in_the_services_tab(
    public_site: tuple[Path, Path],
) -> None:
    root, out = public_site
    full = page(out, "services")
    body = article(full)
    rows = re.findall(r'<tr data-category="([\w-]+)">(.*?)</tr>', body, re.S)
    expected = public_services(root)
    listed = {}
    for slug, row in rows:
        service_id = re.search(r'href="[^"]*/([\w-]+)/"', row)
        assert service_id, row
        listed[service_id.group(1)] = (slug, cells(row), row)
    assert set(listed) == set(expected)  # every public live service, and only those
    assert len(rows) == len(listed)
    for service_id, (slug, texts, row) in listed.items():
        want = expected[service_id]
        assert texts[0] == html.unescape(html.escape(str(want["name"]))), texts
        assert texts[1] == want["category"]
        assert slug == category_slug(str(want["category"]))
        assert "catalog-badge--live" in row and texts[2] == "Live"
        assert want["target"] is None or texts[4].startswith(f"{want['target']:g} %"), texts
    # the summary of a service is there too
    assert "processed with DATEV" in body
    # first under Services, where the tab lands: the tab links to this page
    home = page(out, ".")
    assert re.search(r'<a href="services/" class="md-tabs__link">\s*Services\s*</a>', home)
    nav = re.findall(
        r'class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', full
    )
    assert nav.index("All services") < nav.index("Human Resources")
    # the category pages are kept
    assert (out / "services/human-resources/index.html").is_file()
    # the filter script is the template's own, and nothing of it is in the HTML
    # without JavaScript: the controls are made by the script
    assert '<script src="../javascripts/catalog-filter.js"></script>' in full
    script = (out / "javascripts/catalog-filter.js").read_text(encoding="utf-8")
    assert "data-catalog-filter" in script and "http" not in script
    assert "<input" not in body and "<select" not in body
    assert '<div class="catalog-filter" data-catalog-filter>' in body


@pytest.mark.slow
def test_all_services_filter_works_in_a_browser_with_thousands_of_rows(
    public_site: tuple[Path, Path], tmp_path: Path
) -> None:
    """The filter in headless Chromium: by text and category on the reference
    catalog, then on the same page with its rows copied to over 3,000."""
    import functools
    import http.server
    import threading

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as ChromeService
    from selenium.webdriver.support.ui import Select, WebDriverWait
    from test_site_browser import CHROMEDRIVER, CHROMIUM, QuietHandler, require_browser

    require_browser()
    _, out = public_site
    served = tmp_path / "site"
    shutil.copytree(out, served)
    body = (served / "services/index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-category=.*?</tr>", body, re.S)
    payroll = sum("payroll" in " ".join(cells(r)).lower() for r in rows)
    handler = functools.partial(QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    browser = webdriver.Chrome(service=ChromeService(str(CHROMEDRIVER)), options=options)
    url = f"http://127.0.0.1:{server.server_address[1]}/services/"
    shown = "return [...document.querySelectorAll('[data-catalog-filter] tbody tr')]"
    shown += ".filter(r => !r.hidden).length"
    type_and_time = """
        const [words, done] = arguments;
        const box = document.querySelector('.catalog-filter__text');
        const start = performance.now();
        box.value = words;
        box.dispatchEvent(new Event('input'));
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
    """
    try:
        browser.get(url)
        wait = WebDriverWait(browser, 20)
        wait.until(lambda d: d.find_elements("css selector", ".catalog-filter__text"))
        total = browser.execute_script(shown)
        assert total == len(rows) > 5
        browser.execute_async_script(type_and_time, "PAYROLL datev")  # every word, any case
        assert browser.execute_script(shown) == payroll == 1
        count = browser.find_element("css selector", ".catalog-filter__count").text
        assert count == f"1 of {total} services", count
        browser.execute_async_script(type_and_time, "")
        menu = Select(browser.find_element("css selector", ".catalog-filter__category"))
        assert menu.options[0].text == "All categories" and len(menu.options) > 3
        menu.select_by_value("logistics")
        wait.until(lambda d: d.execute_script(shown) < total)
        assert browser.execute_script(shown) == body.count('<tr data-category="logistics">')
        menu.select_by_value("")

        copies = 3000 // len(rows) + 1
        listing = "\n".join(rows * copies)
        (served / "services/index.html").write_text(
            body.replace("\n".join(rows), listing), encoding="utf-8"
        )
        browser.get(url + "?many")
        wait.until(lambda d: d.find_elements("css selector", ".catalog-filter__text"))
        assert browser.execute_script(shown) == len(rows) * copies > 3000
        took = browser.execute_async_script(type_and_time, "payroll")
        assert browser.execute_script(shown) == payroll * copies
        assert took < 1000, f"filtering {len(rows) * copies} rows took {took:.0f} ms"
    finally:
        browser.quit()
        server.shutdown()
        server.server_close()


def test_summaries_render_inline_markdown(public_site: tuple[Path, Path]) -> None:
    _, out = public_site
    for path in ("services/logistics", "services"):
        body = article(page(out, path))
        assert "<code>track.northwind.example</code>" in body, path
        assert "`track.northwind.example`" not in body


def test_search_entry_of_a_service_starts_with_its_description(
    public_site: tuple[Path, Path],
) -> None:
    _, out = public_site
    docs = json.loads((out / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    entries = {d["location"]: d for d in docs}
    text = entries["services/human-resources/payroll/"]["text"]
    assert re.sub(r"<[^>]+>", "", text).lstrip().startswith("Monthly payroll for about"), text
    assert "category" in text  # the facts are still found, after it
    # the all-services page repeats every summary: it is not indexed
    assert not [d for d in docs if d["location"].split("#")[0] == "services/"]
    dependencies = entries["services/human-resources/payroll/#dependencies"]["text"]
    assert "Business-critical" not in dependencies  # nor the diagram's legend


def test_diagram_legend_lists_every_class_and_the_palette_colours_the_boxes(
    public_site: tuple[Path, Path],
) -> None:
    """Material draws Mermaid with the palette's colours unless a classDef
    sets them: no fills or text colours (legible in dark mode), and a legend
    entry for every class a diagram uses."""
    _, out = public_site
    css = (out / "stylesheets/catalog.css").read_text(encoding="utf-8")
    diagrams = 0
    for html_file in (out / "services").rglob("index.html"):
        body = html_file.read_text(encoding="utf-8")
        source = re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', body, re.S)
        if not source:
            continue
        diagrams += 1
        drawn = html.unescape(source.group(1))
        assert "fill:" not in drawn and "color:" not in drawn, drawn
        used = set(re.findall(r"^\s*class [\w,]+ (\w+)$", drawn, re.M))
        legend = re.search(r'<ul class="catalog-legend">(.*?)</ul>', body, re.S)
        assert legend, html_file
        keys = set(re.findall(r'<li data-class="(\w+)">', legend.group(1)))
        assert used <= keys and "service" in keys, (html_file, used, keys)
        for key in keys:
            assert css_has_rule(css, f"catalog-legend__key--{key}"), key
    assert diagrams >= 5
    payroll = article(page(out, "services/human-resources/payroll"))
    assert 'data-class="tier1"' in payroll  # ERP Finance is tier 1: the red box


def test_diagram_legend_covers_every_class_graphviz_draws() -> None:
    from catalogctl.review import graphviz
    from catalogctl.site import diagram

    nodes = [
        graphviz.Node("Service", "a", "A", 1, "live"),
        graphviz.Node("Service", "b", "B", 2, "retired"),
        graphviz.Node("ConfigurationItem", "c", "C"),
    ]
    links = [
        graphviz.Link("Service/a", "Service/b", "dependsOn"),
        graphviz.Link("Service/a", "ConfigurationItem/c", "cis"),
    ]
    source = graphviz.mermaid(nodes, links)
    assert set(diagram.used_classes(source)) == {"service", "ci", "tier1", "retired"}
    drawn = diagram.diagram(nodes, links)
    for name in ("service", "ci", "tier1", "retired"):
        assert f'data-class="{name}"' in drawn
    assert "fill:" not in drawn and "classDef tier1 stroke:" in drawn


# ---------------------------------------------------------------- the leak test


def internal_tokens(root: Path) -> tuple[set[str], set[str]]:
    """(identifiers that must not appear anywhere, words that must not appear in content)."""
    ids: set[str] = set()
    words: set[str] = {"costcenter", "classification"}
    for file in (root / "catalog").rglob("*.yaml"):
        data = load(file)
        spec = data.get("spec") or {}
        meta = data.get("metadata") or {}
        assert isinstance(spec, dict) and isinstance(meta, dict)
        kind = data["kind"]
        if kind == "Service":
            if spec.get("visibility") != "public" or spec.get("lifecycle") != "live":
                ids.add(meta["id"])
            cost = spec.get("cost") or {}
            if cost.get("costCenter"):
                ids.add(cost["costCenter"])
            if (spec.get("security") or {}).get("classification"):
                words.add((spec["security"])["classification"])
        elif kind == "ConfigurationItem":
            ids.add(meta["id"])
        elif kind == "Team":
            ids.update(spec.get("members") or [])
    for file in (root / "changes").rglob("*.yaml"):
        spec = load(file)["spec"]
        assert isinstance(spec, dict)
        ids.add(spec["requester"])
        for value in (spec.get("plan") or {}).values():
            ids.update(line.strip() for line in value.splitlines() if len(line.strip()) > 25)
    # The operational record: the public site shows an incident's times, impact
    # and summary, never its id, priority, cause or post-incident review, and
    # nothing of problems or of incidents on services it does not show.
    shown = {
        load(f)["metadata"]["id"]  # type: ignore[index]
        for f in (root / "catalog" / "services").rglob("*.yaml")
    } - ids
    for file in (root / "incidents").rglob("*.yaml"):
        data = load(file)
        spec, meta = data["spec"], data["metadata"]
        assert isinstance(spec, dict) and isinstance(meta, dict)
        ids.add(meta["id"])
        ids.update(str(v) for k, v in (spec.get("cause") or {}).items() if k != "change")
        for value in (spec.get("review") or {}).values():
            lines = value if isinstance(value, list) else value.splitlines()
            ids.update(line.strip() for line in lines if len(line.strip()) > 25)
        if not set(spec["services"]) & shown:
            ids.update(line.strip() for line in spec["summary"].splitlines() if len(line) > 25)
    for file in (root / "problems").rglob("*.yaml"):
        data = load(file)
        spec = data["spec"]
        assert isinstance(spec, dict)
        ids.add(data["metadata"]["id"])  # type: ignore[index]
        for key in ("rootCause", "workaround"):
            ids.update(
                line.strip() for line in (spec.get(key) or "").splitlines() if len(line) > 25
            )
    words -= {"public", "internal"}  # too common as English words; "classification" is checked
    return ids, words


def test_public_build_leaks_nothing_internal(public_site: tuple[Path, Path]) -> None:
    root, out = public_site
    ids, words = internal_tokens(root)
    assert len(ids) > 50  # the reference catalog has plenty to leak
    files = [p for p in out.rglob("*") if p.is_file() and not p.name.endswith(".gz")]
    names = {p.relative_to(out).as_posix() for p in files}
    assert {"search/search_index.json", "sitemap.xml", "catalog.json", "maintenance.ics"} <= names
    alternatives = "|".join(re.escape(t) for t in sorted(ids, key=len, reverse=True))
    leak = re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])")
    word_pattern = re.compile(r"\b(" + "|".join(sorted(words)) + r")\b", re.I)
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        decoded = text.replace("&#45;", "-").replace("\\u002d", "-")
        found_id = leak.search(decoded)
        assert not found_id, f"{found_id and found_id.group(0)!r} leaks into {file}"
        if file.relative_to(out).parts[0] != "assets":  # the theme's own code
            found = word_pattern.search(re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), decoded))
            assert not found, f"{found and found.group(0)!r} leaks into {file}"


# ---------------------------------------------------------------- hostile Markdown

HOSTILE = """\
Benign **bold** and *em* text with `inline code` and [a link](https://example.com/ok).

- first item
- second item

| col a | col b |
|---|---|
| cell 1 | cell 2 |

```
code block line
```

<script>alert("HOSTILE-SCRIPT")</script>
<img src=x onerror="alert('HOSTILE-ONERROR')">
[js link](javascript:alert('HOSTILE-JS'))
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<a href="javascript:alert(1)">raw js anchor</a>
Paragraph with attr list
{: onclick="alert('HOSTILE-ATTR')" }

--8<-- ".git/config"

;--8<-- "catalogctl.yaml"

<iframe src="https://evil.example/HOSTILE-IFRAME"></iframe>
<svg onload="alert('HOSTILE-SVG')"><circle r="1"/></svg>
<div markdown="1" onmouseover="alert('HOSTILE-MD-IN-HTML')">**x**</div>
```mermaid
%%{init: {"securityLevel": "loose"}}%%
flowchart LR
  a["<img src=x onerror=alert('HOSTILE-MERMAID')>"]
```
"""


# The first sentence of a description, which category pages and the
# all-services page show as the service's summary.
HOSTILE_SUMMARY = (
    "Hub <script>alert(1)</script> <img src=x onerror=alert(2)> [js](javascript:alert(3)) "
    "[rel](../.git/config) `<b>code</b>` **ok**.\n\nMore.\n"
)


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.in_script = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.scripts.append(data)


def hostile_catalog(target: Path) -> Path:
    """A copy of the reference catalog whose payroll service carries hostile
    Markdown and markup, with a secret in .git/config and a template that
    enables the Markdown extensions that could reach files (snippets) or
    attributes (attr_list, md_in_html). Shared with test_zensical.py."""
    root = copy_catalog(target)
    service = root / "catalog/services/hr/payroll.yaml"
    data = load(service)
    meta, spec = data["metadata"], data["spec"]
    assert isinstance(meta, dict) and isinstance(spec, dict)
    meta["description"] = HOSTILE
    meta["name"] = "Pay</title><script>alert('HOSTILE-NAME')</script>roll [x](javascript:y)"
    spec["offerings"][1]["description"] = HOSTILE
    spec["offerings"][1]["name"] = "<b onmouseover=alert('HOSTILE-OFFER')>Bank</b>"
    service.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[remote]\n  url = SECRET-GIT-CONFIG\n")
    template = root / "site/mkdocs.yml"
    template.write_text(
        template.read_text().replace(
            "markdown_extensions:\n",
            "markdown_extensions:\n  - attr_list\n  - md_in_html\n"
            f"  - pymdownx.snippets:\n      base_path: [{json.dumps(str(root))}]\n",
        )
    )
    return root


def test_hostile_markdown_is_rendered_safely(tmp_path: Path) -> None:
    # Even a template that enables the dangerous extensions cannot reach catalog
    # text: generated pages never go through MkDocs' Markdown.
    root = hostile_catalog(tmp_path / "repo")
    hub = root / "catalog/services/hr/hr-core.yaml"
    hub_data = load(hub)
    assert isinstance(hub_data["metadata"], dict)
    hub_data["metadata"]["description"] = HOSTILE_SUMMARY
    hub.write_text(yaml.safe_dump(hub_data, sort_keys=False, allow_unicode=True))
    out = tmp_path / "out"
    code, output = site(root, "--out", str(out), "--strict")
    assert code == 0, output
    html_text = page(out, "services/human-resources/payroll")
    for file in [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".json")]:
        text = file.read_text(encoding="utf-8")
        assert "SECRET-GIT-CONFIG" not in text
        assert "leadTimes" not in text  # no snippet of catalogctl.yaml either
    parser = Collector()
    parser.feed(html_text)
    for tag, attrs in parser.tags:
        assert tag not in ("iframe", "object", "embed"), tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), (tag, value)
    assert not any("HOSTILE" in script for script in parser.scripts)
    assert "<script>alert" not in html_text
    assert "alert(&quot;HOSTILE-SCRIPT&quot;)" in html_text or "HOSTILE-SCRIPT" in html_text
    body = article(html_text)
    # benign formatting survives
    assert "<strong>bold</strong>" in body and "<em>em</em>" in body
    assert "<code>inline code</code>" in body
    assert '<a href="https://example.com/ok" rel="noopener nofollow ugc">a link</a>' in body
    assert "<li>first item</li>" in body and "<td>cell 1</td>" in body
    assert "<pre><code>code block line" in body
    # the hostile name is text, in the heading and the title
    title = re.search(r"<title>(.*?)</title>", html_text, re.S)
    assert title and "<script" not in title.group(1) and "</title" not in title.group(1)
    assert "\u2039script\u203a" in body or "&lt;script&gt;" in body
    # one-line summaries (category page, all-services page): inline Markdown
    # renders, nothing else of the catalog's HTML survives
    for path in ("services/human-resources", "services"):
        summaries = article(page(out, path))
        assert "<strong>bold</strong>" in summaries and "<em>em</em>" in summaries, path
        assert "<code>inline code</code>" in summaries
        ok_link = '<a href="https://example.com/ok" rel="noopener nofollow ugc">a link</a>'
        assert ok_link in summaries and "<strong>ok</strong>" in summaries
        assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in summaries
        parser = Collector()
        parser.feed(summaries)
        assert not [t for t, _ in parser.tags if t in ("script", "img", "iframe", "b")], path
        for tag, attrs in parser.tags:
            for name, value in attrs:
                assert not name.startswith("on"), (path, tag, name)
                if name == "href" and value:
                    assert not re.match(r"\s*(javascript|data):", value, re.I), (path, value)
                    assert ".git" not in value, (path, value)  # relative links are dropped


def test_safehtml_units() -> None:
    assert safehtml.render_markdown("") == ""
    cleaned = safehtml.render_markdown("[x](javascript:alert(1)) <b onclick=1>y</b>")
    assert "javascript" not in cleaned and "<b" not in cleaned  # raw HTML is shown as text
    assert "&lt;b onclick=1&gt;" in cleaned
    assert safehtml.text("[a](b)*_<&>\"'\n") == "[a](b)*_&lt;&amp;&gt;&quot;&#x27;&#10;"
    assert safehtml.url("javascript:alert(1)") is None
    assert safehtml.url("https://example.com/a") == "https://example.com/a"
    assert "\n" not in safehtml.markdown_block("a\n\n```\nb\n\nc\n```").strip()
    heading = safehtml.render_markdown("# Top\n\n## Sub")
    assert "<h3>Top</h3>" in heading and "<h4>Sub</h4>" in heading


# ---------------------------------------------------------------- internal build


def test_internal_build_has_teams_cis_changes_rules_and_findings(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    out = tmp_path / "internal"
    code, output = site(root, "--out", str(out), "--internal", "--strict")
    assert code == 0, output
    teams = article(page(out, "internal/teams"))
    members = load(root / "catalog/teams/platform.yaml")["spec"]
    assert isinstance(members, dict)
    assert members["members"][0] in teams
    assert "aks-prod-weu" in article(page(out, "internal/cis"))
    # the internal diagram draws CIs too, and its legend says so
    payroll = article(page(out, "services/human-resources/payroll"))
    assert "saas-datev-payroll" in payroll and 'data-class="ci"' in payroll
    changes = article(page(out, "internal/changes"))
    assert "raised from" in changes and "scheduled" in changes
    assert "dependency-cycle" in article(page(out, "internal/rules"))
    assert (out / "internal/lint/index.html").is_file()
    # internal and pipeline services are there
    data = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    lifecycles = {s["lifecycle"] for s in data["services"]}
    assert {"pipeline", "retired", "live"} <= lifecycles


# ---------------------------------------------------------------- atomic replacement


def test_failed_build_leaves_previous_output_intact(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".catalogctl-site").write_text("previous\n")
    (out / "index.html").write_text("PREVIOUS BUILD\n")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    # 1. MkDocs fails: an invalid theme in the template
    config = root / "site/mkdocs.yml"
    good = config.read_text()
    config.write_text(good.replace("name: material", "name: no-such-theme"))
    code, output = site(root, "--out", str(out))
    assert code == 1, output
    assert "unchanged" in output
    assert (out / "index.html").read_text() == "PREVIOUS BUILD\n"
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    config.write_text(good)

    # 2. the catalog does not load
    broken = root / "catalog/services/hr/payroll.yaml"
    broken.write_text("metadata: [unclosed\n")
    code, output = site(root, "--out", str(out))
    assert code == 1, output
    assert (out / "index.html").read_text() == "PREVIOUS BUILD\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert leftovers == []


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious\n")
    code, output = site(root, "--out", str(out))
    assert code == 2, output
    assert "was not built by" in output
    assert (out / "thesis.tex").read_text() == "precious\n"


def test_template_without_the_plugin_is_refused(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")
    config = root / "site/mkdocs.yml"
    config.write_text(config.read_text().replace("  - catalogctl\n", ""))
    out = tmp_path / "out"
    code, output = site(root, "--out", str(out))
    assert code == 2, output
    assert "must include `- catalogctl`" in output
    assert not out.exists()


def test_plugin_names_reads_every_mkdocs_form(tmp_path: Path) -> None:
    from catalogctl.site.project import plugin_names

    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\nplugins:\n  - search:\n      lang: !ENV [LANG, en]\n  - catalogctl\n"
        "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
        "        - format: !!python/name:pymdownx.superfences.fence_code_format\n"
    )
    assert plugin_names(config) == ["search", "catalogctl"]
    config.write_text("plugins:\n  search: {}\n  catalogctl: {}\n")
    assert plugin_names(config) == ["search", "catalogctl"]
    config.write_text("site_name: x\n")
    assert plugin_names(config) == ["search"]  # MkDocs' default


# ---------------------------------------------------------------- service health (internal)


def test_internal_health_page_shows_scorecards_and_the_kpis_of_the_git_history(
    tmp_path: Path,
) -> None:
    """The internal edition of a catalog kept in git: scorecard levels on the
    service pages and the health page, and the same KPIs as `catalogctl report`."""
    from gitrepo import commit_at, git

    root = copy_catalog(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-10-01T09:00:00+00:00", "the catalog")
    change = root / "changes/2026/chg-2026-0006.yaml"
    data = load(change)
    spec = data["spec"]
    assert isinstance(spec, dict) and spec["state"] in ("new", "assess", "authorize")
    change.write_text(
        change.read_text().replace(f"  state: {spec['state']}\n", "  state: canceled\n")
    )
    commit_at(root, "2026-11-02T10:00:00+00:00", "cancel a change")

    out = tmp_path / "internal"
    code, output = site(root, "--out", str(out), "--internal", "--strict")
    assert code == 0, output
    health = article(page(out, "internal/health"))
    report = CliRunner().invoke(
        main, ["-C", str(root), "report", "--format", "json", "--today", NOW[:10]]
    )
    assert report.exit_code == 0, report.output
    kpis = json.loads(report.output)
    raised = re.search(r"<td>changes raised</td><td>(\d+)</td>", health)
    assert raised and int(raised.group(1)) == kpis["changes"]["raised"] > 0
    assert health.count('<svg class="catalog-chart"') == 3  # the monthly trend charts
    assert "<script" not in health
    scored = json.loads(
        CliRunner()
        .invoke(main, ["-C", str(root), "scorecard", "--format", "json", "--today", NOW[:10]])
        .output
    )
    payroll = next(s for s in scored["services"] if s["id"] == "payroll")
    assert 'id="score-payroll"' in health
    service_page = article(page(out, "services/human-resources/payroll"))
    assert f'<span class="catalog-level">{payroll["level"]}</span>' in service_page
    assert "internal/health/#score-payroll" in service_page


def test_health_page_without_git_history_says_so(tmp_path: Path) -> None:
    root = copy_catalog(tmp_path / "repo")  # not a git repository
    out = tmp_path / "internal"
    code, output = site(root, "--out", str(out), "--internal")
    assert code == 0, output
    health = article(page(out, "internal/health"))
    assert "No change history" in health
    assert 'id="scorecards"' in health and "catalog-level" in health


def test_public_build_has_no_scorecards_or_kpis(public_site: tuple[Path, Path]) -> None:
    _, out = public_site
    assert not (out / "internal").exists()
    for html_file in out.rglob("*.html"):
        content = html_file.read_text(encoding="utf-8")
        assert "catalog-level" not in content and "catalog-chart" not in content, html_file


def test_bar_chart_scales_bars_and_escapes_labels() -> None:
    from catalogctl.site.charts import HEIGHT, MARGIN_BOTTOM, MARGIN_TOP, bar_chart

    svg = bar_chart("<b>Raised</b>", ["2026-01", "2026-02", "2026-03"], [2, None, 4])
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([0-9.]+)"', svg)]
    assert heights == [
        (HEIGHT - MARGIN_TOP - MARGIN_BOTTOM) / 2,
        HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
    ]
    assert svg.count("<rect") == 2 and "&#8211;" in svg  # no bar for the month without data
    assert "<b>" not in svg and "&lt;b&gt;Raised" in svg
    assert bar_chart("empty", [], []) == ""
