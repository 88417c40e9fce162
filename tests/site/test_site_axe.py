"""Accessibility of the public site: axe-core in headless Chromium.

The site is built and served, and the browser started, by the fixtures of
test_site_browser.py (the reference catalog, a fixed "now" before its
scheduled outages). axe-core is the copy vendored in tests/data/axe, injected
into each page (tests/site/axe.py). Each page the browser tests look at is
checked in the light and the dark palette: no serious or critical violation.
"""

from __future__ import annotations

from typing import Any

import pytest
import test_site_browser
from axe import AXE, run_axe, summary
from selenium.webdriver.remote.webdriver import WebDriver

pytestmark = pytest.mark.slow

# The fixtures of the browser test, used here under the same names.
browser = test_site_browser.browser
served_site = test_site_browser.served_site

PAGES = {
    **test_site_browser.PAGES,
    "service with an outage": f"services/logistics/{test_site_browser.SERVICE_ID}/",
    "status history": "status/",
}


@pytest.mark.parametrize("wanted", test_site_browser.SCHEMES)
@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_serious_or_critical_axe_violation(
    browser: WebDriver, served_site: tuple[str, dict[str, Any]], page: str, wanted: str
) -> None:
    assert AXE.is_file(), f"{AXE} is missing: axe-core is vendored, not fetched"
    base, expect = served_site
    test_site_browser.open_page(browser, base + PAGES[page], expect["site_title"], wanted)
    violations = run_axe(browser)
    for v in violations:
        assert v["impact"] in ("serious", "critical"), v
        assert v["id"] and v["nodes"], v
    lines = summary(violations)
    assert not violations, f"axe, {page} page ({wanted}):\n  " + "\n  ".join(lines)
