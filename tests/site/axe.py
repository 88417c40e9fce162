"""Accessibility checks with axe-core, from the copy vendored in tests/data/axe.

`run_axe(driver)` injects axe-core into the page the Selenium driver has open
and returns the violations whose impact is serious or critical, as axe reports
them (`id`, `impact`, `help`, `helpUrl`, `tags`, `nodes` with each node's
`target` selector list and `failureSummary`). Nothing is fetched: the script is
read from the repository (tests/data/axe/README.md says which version and
why).
"""

from __future__ import annotations

import functools
from typing import Any

from selenium.webdriver.remote.webdriver import WebDriver

from paths import DATA

AXE = DATA / "axe" / "axe.min.js"
IMPACTS = ("serious", "critical")  # what run_axe reports; axe also has minor and moderate
TIMEOUT = 60  # seconds for one axe.run

# execute_async_script passes its callback as the last argument.
_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (results) => done({violations: results.violations}),
  (error) => done({error: String(error && error.stack || error)}),
);
"""


@functools.cache
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def run_axe(driver: WebDriver, impacts: tuple[str, ...] = IMPACTS) -> list[dict[str, Any]]:
    """The axe-core violations of the page `driver` shows, of the given impacts."""
    driver.set_script_timeout(TIMEOUT)
    driver.execute_script(axe_source())
    result = driver.execute_async_script(_RUN)
    assert isinstance(result, dict), result
    if "error" in result:
        raise AssertionError(f"axe.run failed: {result['error']}")
    violations = result["violations"]
    assert isinstance(violations, list), violations
    return [v for v in violations if v.get("impact") in impacts]


def summary(violations: list[dict[str, Any]], per_rule: int = 8) -> list[str]:
    """Per violation: rule, impact, how many elements; then each element's
    selector and the first line of axe's reason (up to `per_rule` of them)."""
    lines = []
    for v in violations:
        nodes = v.get("nodes") or []
        lines.append(f"{v['id']} ({v['impact']}): {len(nodes)} element(s)")
        for node in nodes[:per_rule]:
            target = " ".join(str(part) for part in node.get("target", [])) or "-"
            reason = (node.get("failureSummary") or "").splitlines()
            why = reason[1].strip() if len(reason) > 1 else ""
            lines.append(f"  {target}: {why}" if why else f"  {target}")
    return lines
