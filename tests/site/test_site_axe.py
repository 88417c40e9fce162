"""Accessibility of the public site: axe-core in headless Chromium.

The site is built and served, and the browser started, by the fixtures of
test_site_browser.py (the reference catalog with one upcoming outage, a
fixed "now"). axe-core is the copy vendored in tests/data/axe, injected into
each page (tests/site/axe.py).

The site does not pass yet: the test checks that axe runs and reports, and
prints what it finds. Once the site engineers have fixed what it reports, it
asserts no serious or critical violation.
"""

from __future__ import annotations

from typing import Any

import pytest
import test_site_browser
from axe import AXE, run_axe, summary
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = pytest.mark.slow

# The fixtures of the browser test, used here under the same names.
browser = test_site_browser.browser
served_site = test_site_browser.served_site

PAGES = {
    "home": "",
    "service": f"services/logistics/{test_site_browser.SERVICE_ID}/",
}


def test_axe_runs_on_the_home_and_a_service_page(
    browser: WebDriver, served_site: tuple[str, dict[str, Any]]
) -> None:
    assert AXE.is_file(), f"{AXE} is missing: axe-core is vendored, not fetched"
    base, expect = served_site
    found: dict[str, list[dict[str, Any]]] = {}
    for name, path in PAGES.items():
        browser.get(base + path)
        WebDriverWait(browser, test_site_browser.WAIT).until(
            ec.title_contains(expect["site_title"])
        )
        violations = run_axe(browser)
        assert isinstance(violations, list)
        for v in violations:
            assert v["impact"] in ("serious", "critical"), v
            assert v["id"] and v["nodes"], v
        found[name] = violations
    for name, violations in found.items():
        print(f"axe, {name} page: {len(violations)} serious or critical rule(s) violated")
        for line in summary(violations):
            print(f"  {line}")
