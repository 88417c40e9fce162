"""The `catalogctl report` renderers, by format name (the one table the command uses)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from catalogctl.csi.kpis import Report
from catalogctl.reporters import report_json, report_md, report_text

RENDERERS: Mapping[str, Callable[[Report], str]] = {
    "text": report_text.render,
    "markdown": report_md.render,
    "json": report_json.render,
}
