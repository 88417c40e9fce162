"""The documented JSON shape (version 1); keys may be added, never changed."""

from __future__ import annotations

import json

from catalogctl.reporters.base import Report, Reporter


class JsonReporter(Reporter):
    def render(self, report: Report) -> str:
        document = {
            "version": 1,
            "summary": {
                "files": len(report.files),
                "entities": report.entities,
                "errors": report.errors,
                "warnings": report.warnings,
                "suppressed": report.suppressed,
            },
            "diagnostics": [
                {
                    "rule": d.rule,
                    "severity": d.level.value,
                    "message": d.message,
                    "file": d.file,
                    "line": d.line,
                    "column": d.column,
                    "entity": d.entity,
                    "path": d.path,
                }
                for d in report.diagnostics
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
