"""End to end: the public site in a real headless Chromium, driven by Selenium.

The reference catalog is copied, the public site is built with a fixed
"now" before its scheduled outages, served over HTTP on 127.0.0.1
and used as a customer would: the home page, Material's search box, a search
result, the service page with its SLA and maintenance notice. A screenshot of
that page is kept in the test's tmp_path.

It needs Debian's `chromium` and `chromium-driver` (.ci/run installs them)
and Selenium, with the system chromedriver: nothing downloads a browser or a
driver. Without them the test is skipped, except under CI (env CI set), where
it fails.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import os
import shutil
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml
from click.testing import CliRunner
from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from catalogctl.cli import main
from conftest import require
from paths import REPO

ROOT = REPO
COPIED = ("catalog", "changes", "incidents", "problems", "catalogctl.yaml", "schemas", "site")
# Debian's paths; CATALOGCTL_CHROMIUM / CATALOGCTL_CHROMEDRIVER point elsewhere
# (a CI image with its own Chrome and matching driver).
CHROMIUM = Path(os.environ.get("CATALOGCTL_CHROMIUM") or "/usr/bin/chromium")
CHROMEDRIVER = Path(os.environ.get("CATALOGCTL_CHROMEDRIVER") or "/usr/bin/chromedriver")
# Before the outages the reference catalog schedules for 2027, so the
# maintenance page and the service page below have an upcoming window.
NOW = "2026-12-04T09:00:00Z"
WAIT = 20  # seconds; every wait returns as soon as its condition holds

# The service the test follows: public, live, covered by an SLA, and found by
# a word of its description that no other published page contains.
SERVICE_ID = "shipment-tracking"
SEARCH_WORD = "consignees"

# The reference catalog's upcoming outage of that service.
CHANGE_ID = "chg-2027-0005"
CHANGE_NAME = "Upgrade the tracking portal's Redis cache to 7.4"
CHANGE_WINDOW = "2027-01-30 05:00+01:00 to 2027-01-30 06:30+01:00"

pytestmark = pytest.mark.slow


def require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if not missing:
        return
    reason = (
        f"{' and '.join(missing)} not found: install Debian's chromium and "
        "chromium-driver (.ci/run does)"
    )
    require(False, reason)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def copy_catalog(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def expectations(root: Path) -> dict[str, Any]:
    """What the pages must show, read from the catalog copy itself."""
    site_title = load(root / "catalogctl.yaml")["site"]["title"]
    categories: set[str] = set()
    service: dict[str, Any] = {}
    for file in (root / "catalog/services").rglob("*.yaml"):
        data = load(file)
        spec = data["spec"]
        if spec.get("visibility") == "public" and spec.get("lifecycle") == "live":
            categories.add(spec.get("category") or "Other")
            if data["metadata"]["id"] == SERVICE_ID:
                service = data
    assert service, f"{SERVICE_ID} is no longer a public live service in the reference catalog"
    assert SEARCH_WORD in service["metadata"]["description"]
    every_sla = [load(f) for f in sorted((root / "catalog/slas").glob("*.yaml"))]
    slas = [s for s in every_sla if SERVICE_ID in (s["spec"].get("services") or [])]
    assert len(slas) == 1, "the test expects exactly one SLA covering the service"
    availability = slas[0]["spec"]["availability"]
    return {
        "site_title": site_title,
        "categories": categories,
        "name": service["metadata"]["name"],
        "sla_name": slas[0]["metadata"]["name"],
        "availability": f"{availability['target']:g} % {availability['period']}",
    }


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Any]]]:
    """(base URL of the built public site, what it must show); one build per module."""
    tmp_path = tmp_path_factory.mktemp("site")
    root = copy_catalog(tmp_path / "repo")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["-C", str(root), "site", "build", "--out", str(out), "--now", NOW, "--strict"]
    )
    assert result.exit_code == 0, result.output
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", expectations(root)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless Chromium per module; each test sets the palette it needs."""
    require_browser()
    tmp_path = tmp_path_factory.mktemp("chromium")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1280,1024",
        # Only the local server resolves: a third-party request (the site
        # should make none; Material would fetch Mermaid from a CDN if the
        # template stopped shipping it) fails at once and never leaves the
        # machine, and the diagram check below catches it.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=ChromeService(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def displayed(driver: WebDriver, css: str) -> WebElement:
    element = WebDriverWait(driver, WAIT).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, css)), f"{css} is not shown"
    )
    assert isinstance(element, WebElement)
    return element


def rows(table: WebElement) -> list[list[str]]:
    return [
        [cell.text.strip() for cell in row.find_elements(By.CSS_SELECTOR, "td")]
        for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_customer_finds_a_service_by_search_and_sees_its_sla_and_maintenance(
    browser: WebDriver, served_site: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    base, expect = served_site
    wait = WebDriverWait(browser, WAIT)

    # 1. the home page: its title and the service categories
    browser.get(base)
    wait.until(ec.title_contains(expect["site_title"]))
    headings = browser.find_elements(By.CSS_SELECTOR, ".catalog-categories li strong")
    assert {h.text.strip() for h in headings} == expect["categories"]
    assert "services in" in displayed(browser, "article.md-content__inner").text

    # 2. Material's search: open it, type, wait for the results. On a narrow
    # screen the header shows a search button (a label for the `__search`
    # toggle); on a wide one the search box itself, whose magnifier icon lies
    # under the input, so a click on the icon lands on the input.
    button = browser.find_elements(By.CSS_SELECTOR, "label.md-header__button[for='__search']")
    opener = button[0] if button and button[0].is_displayed() else None
    (opener or displayed(browser, "input.md-search__input")).click()
    wait.until(lambda d: d.find_element(By.ID, "__search").is_selected())  # search is open
    query = displayed(browser, "input.md-search__input")
    wait.until(lambda d: d.switch_to.active_element == query)
    query.send_keys(SEARCH_WORD)

    def result_link(driver: WebDriver) -> WebElement | None:
        for link in driver.find_elements(By.CSS_SELECTOR, "a.md-search-result__link"):
            href = link.get_attribute("href") or ""
            if urlparse(href).path.rstrip("/").endswith(f"/{SERVICE_ID}") and link.is_displayed():
                return link
        return None

    link = wait.until(result_link)
    assert isinstance(link, WebElement)
    assert expect["name"] in link.text
    meta = displayed(browser, ".md-search-result__meta").text
    assert "matching document" in meta, meta

    # 3. open the result (navigation.instant loads it in place)
    link.click()
    wait.until(lambda d: urlparse(d.current_url).path.rstrip("/").endswith(f"/{SERVICE_ID}"))
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "article h1"), expect["name"]))
    assert expect["name"] in browser.title
    article = displayed(browser, "article.md-content__inner")

    # 4. the SLA table with the availability target
    assert expect["sla_name"] in [h.text.strip() for h in article.find_elements(By.TAG_NAME, "h3")]
    sla_rows = [r for t in article.find_elements(By.TAG_NAME, "table") for r in rows(t)]
    assert ["availability", expect["availability"]] in sla_rows, sla_rows

    # 5. the maintenance notice of the upcoming outage
    notices = article.find_elements(By.CSS_SELECTOR, ".admonition.warning")
    assert len(notices) == 1, [n.text for n in notices]
    notice = notices[0]
    assert notice.is_displayed()
    assert notice.find_element(By.CSS_SELECTOR, ".admonition-title").text == "Planned downtime"
    assert CHANGE_NAME in notice.text and CHANGE_WINDOW in notice.text
    assert f"Reference {CHANGE_ID}." in notice.text
    assert "through a service it depends on" not in notice.text  # it targets the service

    # 6. the dependency diagram is drawn by the Mermaid the site ships (Material
    # swaps the <pre class="mermaid"> for a <div> once Mermaid has rendered it),
    # and everything the page loaded came from the site itself
    diagram = displayed(browser, "article div.mermaid")
    assert diagram.size["height"] > 50, diagram.size
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert isinstance(resources, list) and resources
    assert [r for r in resources if not r.startswith(base)] == []

    # 7. a screenshot of the whole page, for a person to look at
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert isinstance(height, int) and height > 1024
    browser.set_window_size(1280, min(height + 200, 8000))
    shot = tmp_path / f"{SERVICE_ID}.png"
    assert browser.save_screenshot(str(shot))
    width, tall = png_size(shot)
    assert width >= 1000 and tall >= 1024, (width, tall)
    assert shot.stat().st_size > 50_000  # a rendered page, not a blank image


# --- The pages as customers see them, in the light and the dark palette -------
#
# Each test opens a page, switches Material's palette with the header toggle
# (as a customer does), keeps a full-page screenshot in its tmp_path and
# checks what a person would look at: the page fits the window, the parts it
# is about are shown, the tables line up. A failing test prints where its
# screenshot is.

SCHEMES = ("default", "slate")  # light and dark, as site/mkdocs.yml names them
PAYROLL = "services/human-resources/payroll/"
PAGES = {
    "home": "",
    "services": "services/",
    "service": PAYROLL,
    "maintenance": "maintenance/",
}
FILTER_WORD = "portal"  # typed in the all-services filter box


def scheme(driver: WebDriver) -> str:
    return str(driver.execute_script("return document.body.dataset.mdColorScheme || ''"))


def set_scheme(driver: WebDriver, wanted: str) -> None:
    """Click the header's palette toggle until the page shows `wanted`."""
    for _ in range(len(SCHEMES)):
        if scheme(driver) == wanted:
            return
        toggles = driver.find_elements(
            By.CSS_SELECTOR, "form[data-md-component='palette'] label.md-header__button"
        )
        shown = [t for t in toggles if t.is_displayed()]
        assert len(shown) == 1, "the header shows no palette toggle"
        before = scheme(driver)
        shown[0].click()
        WebDriverWait(driver, WAIT).until(lambda d, was=before: scheme(d) != was)
    assert scheme(driver) == wanted


def open_page(driver: WebDriver, url: str, title: str, wanted: str) -> None:
    driver.set_window_size(1280, 1024)
    driver.get(url)
    WebDriverWait(driver, WAIT).until(ec.title_contains(title))
    set_scheme(driver, wanted)


def full_page_screenshot(driver: WebDriver, path: Path) -> Path:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    assert isinstance(height, int)
    driver.set_window_size(1280, min(max(height, 1024) + 100, 8000))
    assert driver.save_screenshot(str(path)), path
    print(f"screenshot: {path}")  # shown when the test fails
    driver.set_window_size(1280, 1024)
    return path


def colour(driver: WebDriver, element: WebElement, prop: str) -> str:
    return str(driver.execute_script(f"return getComputedStyle(arguments[0]).{prop}", element))


def transparent(value: str) -> bool:
    return value in ("transparent", "rgba(0, 0, 0, 0)")


def looks_like_a_page(driver: WebDriver, wanted: str) -> None:
    """What every page must get right, in either palette."""
    assert scheme(driver) == wanted
    background = colour(driver, driver.find_element(By.TAG_NAME, "body"), "backgroundColor")
    text = colour(driver, displayed(driver, "article.md-content__inner"), "color")
    assert background != text, (background, text)
    dark = driver.execute_script(
        """const [r, g, b] = getComputedStyle(document.body).backgroundColor
             .match(/\\d+/g).map(Number);
           return (r + g + b) / 3 < 128;"""
    )
    assert dark == (wanted == "slate"), f"{wanted} palette, body background {background}"
    overflow = driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0, f"the page is {overflow}px wider than the window"
    assert displayed(driver, "header.md-header").size["height"] > 0
    assert displayed(driver, "nav.md-tabs").size["height"] > 0


def aligned(table: WebElement) -> None:
    """Cells of a column share x and width; cells of a row share y (shown rows)."""
    grid = [
        row.find_elements(By.CSS_SELECTOR, "th, td")
        for row in table.find_elements(By.CSS_SELECTOR, "tr")
        if row.is_displayed()
    ]
    assert len(grid) > 1 and all(len(cells) == len(grid[0]) for cells in grid), "ragged table"
    boxes = [[cell.rect for cell in cells] for cells in grid]
    for r, row in enumerate(boxes):
        assert all(abs(box["y"] - row[0]["y"]) < 1 for box in row), f"row {r}: {row}"
        assert all(box["width"] > 0 and box["height"] > 0 for box in row), f"row {r}: {row}"
    for c in range(len(boxes[0])):
        column = [row[c] for row in boxes]
        assert all(abs(b["x"] - column[0]["x"]) < 1 for b in column), f"column {c}: {column}"
        assert all(abs(b["width"] - column[0]["width"]) < 1 for b in column), (
            f"column {c}: {column}"
        )
    for row, following in itertools.pairwise(boxes):
        assert following[0]["y"] >= row[0]["y"] + row[0]["height"] - 1, "rows overlap"


def boxed(driver: WebDriver, table: WebElement) -> bool:
    """The table, or a cell or wrapper of it, draws a border or a background."""
    return bool(
        driver.execute_script(
            """
            const page = getComputedStyle(document.body).backgroundColor;
            const seen = (el) => {
              const s = getComputedStyle(el);
              const border = ["Top", "Right", "Bottom", "Left"].some((side) =>
                parseFloat(s[`border${side}Width`]) > 0 &&
                s[`border${side}Style`] !== "none" &&
                !/rgba\\(.*, 0\\)$/.test(s[`border${side}Color`]));
              const bg = s.backgroundColor;
              const clear = bg === "transparent" || /rgba\\(.*, 0\\)$/.test(bg);
              return border || (bg !== page && !clear);
            };
            const table = arguments[0];
            return [table, table.parentElement, ...table.querySelectorAll("th, td")].some(seen);
            """,
            table,
        )
    )


@pytest.mark.parametrize("wanted", SCHEMES)
def test_home_page_looks_right(
    browser: WebDriver, served_site: tuple[str, dict[str, Any]], tmp_path: Path, wanted: str
) -> None:
    base, expect = served_site
    open_page(browser, base, expect["site_title"], wanted)
    full_page_screenshot(browser, tmp_path / f"home-{wanted}.png")
    looks_like_a_page(browser, wanted)
    headings = [h for h in browser.find_elements(By.CSS_SELECTOR, ".catalog-categories li strong")]
    assert {h.text.strip() for h in headings} == expect["categories"]
    assert all(h.is_displayed() and h.size["width"] > 0 for h in headings)


@pytest.mark.parametrize("wanted", SCHEMES)
def test_all_services_page_filters_by_a_typed_word(
    browser: WebDriver, served_site: tuple[str, dict[str, Any]], tmp_path: Path, wanted: str
) -> None:
    base, expect = served_site
    open_page(browser, base + "services/", expect["site_title"], wanted)
    box = displayed(browser, "[data-catalog-filter-ready]")
    every = box.find_elements(By.CSS_SELECTOR, "tbody tr")
    total = len(every)
    matching = [r for r in every if FILTER_WORD in r.text.lower()]
    assert 0 < len(matching) < total, f"{FILTER_WORD!r} should match some services, not all"
    count = displayed(browser, ".catalog-filter__count")
    assert count.text.strip() == f"{total} services"
    text = displayed(browser, "input.catalog-filter__text")
    text.click()
    text.send_keys(FILTER_WORD)
    want = f"{len(matching)} of {total} services"
    WebDriverWait(browser, WAIT).until(lambda d: count.text.strip() == want, want)
    shown = [r for r in every if r.is_displayed()]
    assert [r.text for r in shown] == [r.text for r in matching]
    full_page_screenshot(browser, tmp_path / f"services-{wanted}.png")
    looks_like_a_page(browser, wanted)
    table = box.find_element(By.TAG_NAME, "table")
    assert boxed(browser, table), "the all-services table has no border or background"
    aligned(table)


@pytest.mark.parametrize("wanted", SCHEMES)
def test_service_page_shows_a_boxed_sla_table_whose_cells_line_up(
    browser: WebDriver, served_site: tuple[str, dict[str, Any]], tmp_path: Path, wanted: str
) -> None:
    base, expect = served_site
    open_page(browser, base + PAYROLL, expect["site_title"], wanted)
    full_page_screenshot(browser, tmp_path / f"payroll-{wanted}.png")
    looks_like_a_page(browser, wanted)
    assert displayed(browser, "article h1").text == "Payroll"
    sla = displayed(browser, "article .catalog-sla")
    tables = sla.find_elements(By.TAG_NAME, "table")
    assert len(tables) == 3, "availability, priorities and the other targets"
    priorities = [t for t in tables if t.find_elements(By.TAG_NAME, "thead")]
    assert len(priorities) == 1
    heads = [h.text.strip().lower() for h in priorities[0].find_elements(By.TAG_NAME, "th")]
    assert heads == ["priority", "response", "resolution"]
    for table in tables:
        assert table.is_displayed()
        assert boxed(browser, table), f"an SLA table has no border or background: {table.text}"
        aligned(table)


@pytest.mark.parametrize("wanted", SCHEMES)
def test_maintenance_page_shows_the_upcoming_window(
    browser: WebDriver, served_site: tuple[str, dict[str, Any]], tmp_path: Path, wanted: str
) -> None:
    base, expect = served_site
    open_page(browser, base + "maintenance/", expect["site_title"], wanted)
    full_page_screenshot(browser, tmp_path / f"maintenance-{wanted}.png")
    looks_like_a_page(browser, wanted)
    article = displayed(browser, "article.md-content__inner")
    tables = article.find_elements(By.TAG_NAME, "table")
    assert tables, "no table of maintenance windows"
    upcoming = tables[0]
    found = [r for r in rows(upcoming) if CHANGE_ID in r]
    assert len(found) == 1, rows(upcoming)
    assert found[0][0] == CHANGE_WINDOW and found[0][1] == CHANGE_NAME, found
    assert expect["name"] in found[0][2]
    assert boxed(browser, upcoming), "the maintenance table has no border or background"
    aligned(upcoming)
