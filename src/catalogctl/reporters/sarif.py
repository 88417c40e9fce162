"""SARIF 2.1.0 for code-scanning dashboards; URIs relative to the repository root."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from catalogctl.lint.rules import REGISTRY
from catalogctl.load.diagnostics import Severity
from catalogctl.reporters.base import Report, Reporter

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.OFF: "none"}


class SarifReporter(Reporter):
    def render(self, report: Report) -> str:
        rule_ids = sorted(REGISTRY)
        rules = [
            {
                "id": rule_id,
                "name": "".join(part.title() for part in rule_id.split("-")),
                "shortDescription": {"text": REGISTRY[rule_id].summary},
                "fullDescription": {"text": REGISTRY[rule_id].doc},
                "defaultConfiguration": {"level": _LEVELS[REGISTRY[rule_id].severity]},
            }
            for rule_id in rule_ids
        ]
        results: list[dict[str, Any]] = [
            {
                "ruleId": d.rule,
                "ruleIndex": rule_ids.index(d.rule),
                "level": _LEVELS[d.level],
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": quote(d.file, safe="/"),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": {
                                "startLine": max(1, d.line),
                                "startColumn": max(1, d.column),
                            },
                        }
                    }
                ],
            }
            for d in report.diagnostics
        ]
        document = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {"name": "catalogctl", "version": report.version, "rules": rules}
                    },
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                }
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
