"""JUnit XML: one testcase per checked file, failing when the file has findings
that fail the run (errors, or warnings too with --strict)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from catalogctl.reporters.base import Report, Reporter


class JunitReporter(Reporter):
    def render(self, report: Report) -> str:
        by_file: dict[str, list[str]] = {path: [] for path in report.files}
        failing: dict[str, list[str]] = {path: [] for path in report.files}
        for d in report.diagnostics:
            line = f"{d.file}:{d.line}:{d.column}: {d.level.value}: {d.message} [{d.rule}]"
            by_file.setdefault(d.file, []).append(line)
            failing.setdefault(d.file, [])
            if report.fails(d):
                failing[d.file].append(line)
        failures = sum(1 for lines in failing.values() if lines)
        suites = ET.Element("testsuites", name="catalogctl")
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="catalogctl lint",
            tests=str(len(by_file)),
            failures=str(failures),
            errors="0",
            skipped="0",
        )
        for path in sorted(by_file):
            case = ET.SubElement(
                suite, "testcase", classname="catalogctl.lint", name=path, file=path
            )
            if failing[path]:
                failure = ET.SubElement(
                    case, "failure", type="lint", message=f"{len(failing[path])} finding(s)"
                )
                failure.text = "\n".join(failing[path])
            elif by_file[path]:
                ET.SubElement(case, "system-out").text = "\n".join(by_file[path])
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
