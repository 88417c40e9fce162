"""End to end: the public site in a real headless Chromium, driven by Selenium.

The reference catalog is copied, one upcoming outage is added to the copy,
the public site is built with a fixed "now", served over HTTP on 127.0.0.1
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
COPIED = ("catalog", "changes", "catalogctl.yaml", "schemas", "site")
# Debian's paths; CATALOGCTL_CHROMIUM / CATALOGCTL_CHROMEDRIVER point elsewhere
# (a CI image with its own Chrome and matching driver).
CHROMIUM = Path(os.environ.get("CATALOGCTL_CHROMIUM") or "/usr/bin/chromium")
CHROMEDRIVER = Path(os.environ.get("CATALOGCTL_CHROMEDRIVER") or "/usr/bin/chromedriver")
NOW = "2027-01-01T00:00:00Z"
WAIT = 20  # seconds; every wait returns as soon as its condition holds

# The service the test follows: public, live, covered by an SLA, and found by
# a word of its description that no other published page contains.
SERVICE_ID = "shipment-tracking"
SEARCH_WORD = "consignees"

# An upcoming outage of that service, added to the copy: the reference
# catalog has no scheduled or implementing change with `outage: true` that
# targets a public live service.
CHANGE_ID = "chg-2027-0005"
CHANGE_NAME = "Move the tracking portal to the new ingress controller"
CHANGE_WINDOW = "2027-01-23 05:00+01:00 to 2027-01-23 07:00+01:00"
CHANGE = f"""\
apiVersion: catalogctl/v1
kind: ChangeRequest
metadata:
  id: {CHANGE_ID}
  name: {CHANGE_NAME}
  description: The portal is unreachable while its ingress moves.
  tags: [tracking, ingress]
spec:
  type: normal
  state: scheduled
  requester: rosa-marin
  owner: logistics-apps
  targets:
    services: [{SERVICE_ID}]
  risk:
    impact: medium
    likelihood: low
  window:
    start: 2027-01-23T05:00:00+01:00
    end: 2027-01-23T07:00:00+01:00
  outage: true
  plan:
    implementation: Switch the portal's ingress class and repoint the load balancer.
    backout: Switch the ingress class back.
    validation: The portal answers on track.northwind.example through the new ingress.
"""

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
    (target / "changes/2027" / f"{CHANGE_ID}.yaml").write_text(CHANGE, encoding="utf-8")
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


@pytest.fixture
def served_site(tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(base URL of the built public site, what it must show)."""
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


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    require_browser()
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
