"""Output formats of `catalogctl lint`: golden files, documented shapes, exit codes.

One small catalog, built in a temporary folder, yields exactly one error (an
unknown field `a%b` whose message holds '%', ':' and ','), one warning (an
overdue SLA review) and one suppressed finding (a tier-1 service without an
SLA, disabled by a comment). Each format's output is compared with
tests/golden/lint.<ext>; run with UPDATE_GOLDEN=1 to rewrite them, then read
the diff: the golden files are the specification.

The SARIF golden is stored with the rule catalogue (`runs[0].tool.driver.rules`),
each result's `ruleIndex` and the tool version replaced by placeholders: they
come from the rule registry and the package, not from the fixture, and are
checked against those instead, so that adding or rewording a rule does not
invalidate an unrelated golden file.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner, Result

from catalogctl import __version__
from catalogctl.cli import main
from catalogctl.lint.rules import REGISTRY
from catalogctl.load.diagnostics import Diagnostic, Severity
from catalogctl.reporters import REPORTERS, Report
from catalogctl.reporters.github import GithubReporter
from conftest import require
from gitrepo import assert_usage_error
from paths import DATA, GOLDEN

TODAY = "2026-11-28"
GOLDEN_DIR = GOLDEN
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
SARIF_SCHEMA = DATA / "sarif/sarif-schema-2.1.0.json"
EXTENSIONS = {"text": "txt", "json": "json", "github": "github", "sarif": "sarif", "junit": "xml"}
ANSI = "\x1b["
SARIF_LEVELS = {"error": "error", "warning": "warning", "off": "none"}

POLICY = """\
apiVersion: catalogctl/v1
kind: Policy
cab: {team: ops}
"""
TEAM = """\
apiVersion: catalogctl/v1
kind: Team
metadata:
  id: ops
  name: Operations
spec:
  github: example/ops
  members: [alice]
  email: ops@example.com
"""
# The error: an unknown field whose name needs escaping in every format.
BILLING = """\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: billing
  name: Billing
spec:
  owner: ops
  type: business
  lifecycle: live
  tier: 3
  visibility: internal
  category: Finance
{extra}"""
BILLING_ERROR = '  a%b: "x: 1, y"\n'
# The suppressed finding: a live tier-1 service without an SLA.
PAYROLL = """\
# catalogctl: disable=service-without-sla -- covered by the HR contract until Q3
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: payroll
  name: Payroll
spec:
  owner: ops
  type: business
  lifecycle: live
  tier: 1
  visibility: internal
  category: HR
"""
# The warning: the review date lies before --today.
SLA = """\
apiVersion: catalogctl/v1
kind: SLA
metadata:
  id: standard
  name: Standard
spec:
  services: [billing]
  customer: All staff
  hours: 24x7
  availability: {{target: 99.5, period: monthly}}
  priorities:
    P1: {{response: 15m, resolution: 4h}}
  effective: {{from: 2026-01-01}}
  review: {review}
"""
FILES = (
    "catalog/services/billing.yaml",
    "catalog/services/payroll.yaml",
    "catalog/slas/standard.yaml",
    "catalog/teams/ops.yaml",
)
CHECKED = (*FILES, "catalogctl.yaml")  # the policy file is checked too


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_catalog(root: Path, *, error: bool = True, warning: bool = True) -> Path:
    """The fixture catalog; without `error`/`warning` those findings go away."""
    write(root / "catalogctl.yaml", POLICY)
    write(root / "catalog/teams/ops.yaml", TEAM)
    write(root / "catalog/services/billing.yaml", BILLING.format(extra=BILLING_ERROR * error))
    write(root / "catalog/services/payroll.yaml", PAYROLL)
    write(
        root / "catalog/slas/standard.yaml",
        SLA.format(review="2026-06-30" if warning else "2027-06-30"),
    )
    return root


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return make_catalog(tmp_path / "repo")


def invoke(args: Sequence[str], env: Mapping[str, str | None] | None = None) -> Result:
    """Run the CLI in-process with GITHUB_STEP_SUMMARY and NO_COLOR unset unless given."""
    environment: dict[str, str | None] = {"GITHUB_STEP_SUMMARY": None, "NO_COLOR": None}
    environment.update(env or {})
    result = CliRunner().invoke(main, list(args), env=environment)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def lint(root: Path, *args: str, env: Mapping[str, str | None] | None = None) -> Result:
    return invoke(["-C", str(root), "lint", "--today", TODAY, *args], env)


def assert_no_traceback(result: Result) -> None:
    assert isinstance(result.exception, SystemExit | None)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr


def lint_json(root: Path, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(lint(root, "--format", "json", *args).stdout)
    return document


# --------------------------------------------------------------------------- golden files


def normalise_sarif(text: str) -> str:
    """The SARIF text with the registry-derived parts replaced by placeholders."""
    document = json.loads(text)
    driver = document["runs"][0]["tool"]["driver"]
    driver["version"] = "<catalogctl version>"
    driver["rules"] = "<one entry per rule in the registry, sorted by id>"
    for result in document["runs"][0]["results"]:
        result["ruleIndex"] = "<index of ruleId in rules>"
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_golden(catalog: Path, fmt: str) -> None:
    result = lint(catalog, "--format", fmt, "--color", "never")
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    actual = normalise_sarif(result.stdout) if fmt == "sarif" else result.stdout
    golden = GOLDEN_DIR / f"lint.{EXTENSIONS[fmt]}"
    if UPDATE:
        write(golden, actual)
    assert golden.is_file(), f"{golden} is missing; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_format_has_a_golden_file() -> None:
    assert set(EXTENSIONS) == set(REPORTERS)


def test_output_does_not_depend_on_the_working_directory(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-C repo` from elsewhere and a plain run inside a sub-folder agree exactly."""
    from_outside = lint(catalog, "--format", "json").stdout
    monkeypatch.chdir(catalog / "catalog/services")
    inside = invoke(["lint", "--today", TODAY, "--format", "json"]).stdout
    assert inside == from_outside


# --------------------------------------------------------------------------- json


def test_json_shape(catalog: Path) -> None:
    document = lint_json(catalog)
    assert list(document) == ["version", "summary", "diagnostics"]
    assert document["version"] == 1
    assert document["summary"] == {
        "files": 5,
        "entities": 4,
        "errors": 1,
        "warnings": 1,
        "suppressed": 1,
    }
    keys = ["rule", "severity", "message", "file", "line", "column", "entity", "path"]
    for item in document["diagnostics"]:
        assert list(item) == keys
        assert item["rule"] in REGISTRY
        assert item["severity"] in ("error", "warning")
        assert isinstance(item["line"], int) and isinstance(item["column"], int)
        assert not item["file"].startswith("/") and "\\" not in item["file"]
        assert (catalog / item["file"]).is_file()
    error, warning = document["diagnostics"]
    assert error["entity"] == "Service/billing"
    assert error["path"] == "spec.a%b"
    assert error["file"] == "catalog/services/billing.yaml"
    assert (error["line"], error["column"]) == (13, 3)
    assert warning["entity"] == "SLA/standard"
    assert warning["path"] == "spec.review"


def test_json_entity_and_path_are_null_when_unknown(catalog: Path) -> None:
    write(catalog / "catalog/services/broken.yaml", "apiVersion: [unclosed\n")
    document = lint_json(catalog)
    broken = [d for d in document["diagnostics"] if d["file"] == "catalog/services/broken.yaml"]
    assert [d["rule"] for d in broken] == ["yaml-syntax"]
    assert broken[0]["entity"] is None
    assert broken[0]["path"] is None
    assert document["summary"]["files"] == 6
    assert document["summary"]["entities"] == 4


def test_json_summary_counts_agree_with_the_diagnostics(catalog: Path) -> None:
    document = lint_json(catalog, "--strict")
    severities = [d["severity"] for d in document["diagnostics"]]
    assert document["summary"]["errors"] == severities.count("error")
    assert document["summary"]["warnings"] == severities.count("warning")


# --------------------------------------------------------------------------- sarif


def sarif(root: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(lint(root, "--format", "sarif").stdout)
    return document


def sarif_validator() -> Any:
    require(SARIF_SCHEMA.is_file(), f"the official SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
    from jsonschema import Draft4Validator

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema)


def test_sarif_validates_against_the_official_schema(catalog: Path) -> None:
    validator = sarif_validator()
    write(catalog / "catalog/services/broken.yaml", "apiVersion: [unclosed\n")
    document = sarif(catalog)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]
    assert errors == []


def test_sarif_rules_come_from_the_registry(catalog: Path) -> None:
    driver = sarif(catalog)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "catalogctl"
    assert driver["version"] == __version__
    assert [r["id"] for r in driver["rules"]] == sorted(REGISTRY)
    for entry in driver["rules"]:
        rule = REGISTRY[entry["id"]]
        assert entry["shortDescription"]["text"] == rule.summary
        assert entry["fullDescription"]["text"] == rule.doc
        assert entry["defaultConfiguration"]["level"] == SARIF_LEVELS[rule.severity.value]


def test_sarif_results(catalog: Path) -> None:
    write(catalog / "catalog/services/broken.yaml", "apiVersion: [unclosed\n")
    run = sarif(catalog)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["schema", "yaml-syntax", "sla-review-overdue"]
    assert [r["level"] for r in results] == ["error", "error", "warning"]
    for result in results:
        assert result["ruleId"] in REGISTRY
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        uri = artifact["uri"]
        assert not uri.startswith("/") and not uri.startswith("file:") and "\\" not in uri
        assert (catalog / unquote(uri)).is_file()
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1
        assert region["startColumn"] >= 1
    assert results[0]["message"]["text"].startswith("spec.a%b: unknown field 'a%b'; allowed: ")


# RFC 3986: unreserved / sub-delims / ':' / '@' / '/' and %XX escapes; nothing else.
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*\Z")


def test_sarif_uris_are_percent_encoded(catalog: Path) -> None:
    """Sub-folders are allowed anywhere and people name them 'Human Resources':
    SARIF's artifactLocation.uri must still be a valid URI reference (a space or
    a bare '%' is not), and decode back to the file's path."""
    source = catalog / "catalog/services/billing.yaml"
    moved = catalog / "catalog/services/Human Resources 100%/billing.yaml"
    moved.parent.mkdir(parents=True)
    source.rename(moved)
    results = sarif(catalog)["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert "catalog/services/Human Resources 100%/billing.yaml" in {unquote(u) for u in uris}
    for uri in uris:
        assert URI_REFERENCE.match(uri), f"not a valid URI reference: {uri!r}"


# --------------------------------------------------------------------------- github


def test_github_escaping_in_data_and_properties() -> None:
    """% CR LF are escaped everywhere; ':' and ',' too inside property values."""
    report = Report(
        diagnostics=(
            Diagnostic(
                "catalog/services/a,b:c%d/x.yaml",
                3,
                5,
                "schema",
                "100% wrong:\r\nsee a, b",
                severity=Severity.ERROR,
            ),
            Diagnostic(
                "catalog/slas/s.yaml",
                7,
                1,
                "sla-review-overdue",
                "x: y, z",
                severity=Severity.WARNING,
            ),
        ),
        files=("catalog/services/a,b:c%d/x.yaml", "catalog/slas/s.yaml"),
        entities=2,
        suppressed=0,
    )
    lines = GithubReporter().render(report).splitlines()
    assert lines == [
        "::error file=catalog/services/a%2Cb%3Ac%25d/x.yaml,line=3,col=5,"
        "title=catalogctl schema::100%25 wrong:%0D%0Asee a, b",
        "::warning file=catalog/slas/s.yaml,line=7,col=1,"
        "title=catalogctl sla-review-overdue::x: y, z",
        "1 error, 1 warning in 2 files",
    ]


def test_github_step_summary_cells_are_escaped() -> None:
    report = Report(
        diagnostics=(
            Diagnostic(
                "catalog/services/x.yaml",
                2,
                1,
                "schema",
                "a|b <script>\nnext",
                severity=Severity.ERROR,
            ),
        ),
        files=("catalog/services/x.yaml",),
        entities=1,
        suppressed=0,
    )
    summary = GithubReporter().summary(report)
    assert summary.endswith(
        "| error | `catalog/services/x.yaml:2:1` | `schema` | a\\|b &lt;script&gt; next |\n"
    )


WORKFLOW_COMMAND = re.compile(
    r"::(?P<command>error|warning) (?P<props>[^:]*)::(?P<message>[^\r\n]*)\Z"
)


def test_github_workflow_commands(catalog: Path) -> None:
    folder = catalog / "catalog/services/a,b:c%d"
    folder.mkdir()
    (catalog / "catalog/services/billing.yaml").rename(folder / "billing.yaml")
    result = lint(catalog, "--format", "github")
    assert result.exit_code == 1
    *commands, summary = result.stdout.splitlines()
    assert summary == "1 error, 1 warning in 5 files (1 suppressed)"
    parsed = []
    for line in commands:
        match = WORKFLOW_COMMAND.match(line)
        assert match, line
        props = dict(p.split("=", 1) for p in match["props"].split(","))
        assert list(props) == ["file", "line", "col", "title"]
        assert int(props["line"]) >= 1 and int(props["col"]) >= 1
        parsed.append((match["command"], props, match["message"]))
    (_, error, message), (_, warning, _) = parsed
    assert [c for c, _, _ in parsed] == ["error", "warning"]
    assert error["file"] == "catalog/services/a%2Cb%3Ac%25d/billing.yaml"
    assert error["title"] == "catalogctl schema"
    assert message.startswith("spec.a%25b: unknown field 'a%25b'; allowed: category, cis, ")
    assert warning["file"] == "catalog/slas/standard.yaml"
    assert warning["title"] == "catalogctl sla-review-overdue"


def test_github_step_summary_is_appended(catalog: Path, tmp_path: Path) -> None:
    summary = write(tmp_path / "summary.md", "previous step\n")
    result = lint(catalog, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("previous step\n")
    added = text[len("previous step\n") :].splitlines()
    assert "## catalogctl lint" in added
    assert "1 error, 1 warning in 5 files (1 suppressed)" in added
    header = added.index("| severity | location | rule | message |")
    assert added[header + 1] == "|---|---|---|---|"
    rows = added[header + 2 :]
    assert rows[0].startswith(
        "| error | `catalog/services/billing.yaml:13:3` | `schema` | spec.a%b"
    )
    assert rows[1].startswith(
        "| warning | `catalog/slas/standard.yaml:14:11` | `sla-review-overdue` | spec.review:"
    )
    # the step summary is extra: the annotations on stdout are unchanged
    assert result.stdout == (GOLDEN_DIR / "lint.github").read_text(encoding="utf-8")


def test_github_step_summary_not_written_when_unset(catalog: Path, tmp_path: Path) -> None:
    before = sorted(p for p in tmp_path.rglob("*"))
    result = lint(catalog, "--format", "github")
    assert result.exit_code == 1
    assert sorted(p for p in tmp_path.rglob("*")) == before


# --------------------------------------------------------------------------- junit


def junit(root: Path, *args: str) -> ET.Element:
    result = lint(root, "--format", "junit", *args)
    return ET.fromstring(result.stdout.encode("utf-8"))


def failing_cases(suite: ET.Element) -> dict[str, str]:
    failing = {}
    for case in suite.iter("testcase"):
        failure = case.find("failure")
        if failure is not None:
            failing[case.attrib["name"]] = failure.text or ""
    return failing


def test_junit_one_testcase_per_file(catalog: Path) -> None:
    root = junit(catalog)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    names = [case.attrib["name"] for case in suite.iter("testcase")]
    assert names == list(CHECKED)
    assert suite.attrib["tests"] == str(len(CHECKED))
    assert failing_cases(suite).keys() == {"catalog/services/billing.yaml"}
    assert suite.attrib["failures"] == "1"
    assert "unknown field 'a%b'" in failing_cases(suite)["catalog/services/billing.yaml"]
    # the warning is reported, but does not fail its test case
    sla = next(
        c for c in suite.iter("testcase") if c.attrib["name"] == "catalog/slas/standard.yaml"
    )
    assert "sla-review-overdue" in (sla.findtext("system-out") or "")


def test_junit_strict_fails_files_with_warnings(catalog: Path) -> None:
    (suite,) = junit(catalog, "--strict").findall("testsuite")
    assert failing_cases(suite).keys() == {
        "catalog/services/billing.yaml",
        "catalog/slas/standard.yaml",
    }
    assert suite.attrib["failures"] == "2"


def test_junit_clean_catalog_has_no_failures(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "repo", error=False, warning=False)
    (suite,) = junit(root, "--strict").findall("testsuite")
    assert failing_cases(suite) == {}
    assert suite.attrib["tests"] == str(len(CHECKED))
    assert suite.attrib["failures"] == "0"


def test_junit_testcases_do_not_depend_on_the_findings(tmp_path: Path) -> None:
    """The policy file is checked in every run; a finding in it must not make a
    test case appear that a clean run does not have (CI dashboards track test
    cases by name across runs)."""
    clean = make_catalog(tmp_path / "clean", error=False, warning=False)
    faulty = make_catalog(tmp_path / "faulty", error=False, warning=False)
    with (faulty / "catalogctl.yaml").open("a", encoding="utf-8") as policy:
        policy.write("rules: {no-such-rule: warning}\n")
    assert lint(faulty).exit_code == 1
    (clean_suite,) = junit(clean).findall("testsuite")
    (faulty_suite,) = junit(faulty).findall("testsuite")
    names = [case.attrib["name"] for case in clean_suite.iter("testcase")]
    assert [case.attrib["name"] for case in faulty_suite.iter("testcase")] == names
    assert faulty_suite.attrib["tests"] == clean_suite.attrib["tests"]


# --------------------------------------------------------------------------- text and colour


def test_text_has_no_colour_by_default(catalog: Path) -> None:
    assert ANSI not in lint(catalog).stdout
    assert ANSI not in lint(catalog, "--color", "auto").stdout
    assert ANSI not in lint(catalog, "--color", "never").stdout


def test_text_colour_always(catalog: Path) -> None:
    output = lint(catalog, "--color", "always", env={"NO_COLOR": "1"}).stdout
    assert "\x1b[31merror\x1b[0m" in output
    assert "\x1b[33mwarning\x1b[0m" in output
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert plain == (GOLDEN_DIR / "lint.txt").read_text(encoding="utf-8")


def run_on_terminal(root: Path, *args: str, no_color: str | None) -> str:
    """The real CLI with stdout on a pseudo-terminal, so `--color auto` sees a tty."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "GITHUB_STEP_SUMMARY")}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "catalogctl", "-C", str(root), "lint", "--today", TODAY, *args],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
            env=env,
        )
        os.close(slave)
        chunks = []
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        _, stderr = proc.communicate(timeout=60)
        assert b"Traceback" not in stderr
    finally:
        os.close(master)
    return b"".join(chunks).decode("utf-8")


def test_colour_on_a_terminal_honours_no_color(catalog: Path) -> None:
    assert ANSI in run_on_terminal(catalog, no_color=None)
    assert ANSI not in run_on_terminal(catalog, no_color="1")
    assert ANSI not in run_on_terminal(catalog, "--color", "never", no_color=None)
    assert ANSI in run_on_terminal(catalog, "--color", "always", no_color="1")


def test_empty_no_color_does_not_disable_colour(catalog: Path) -> None:
    """no-color.org: NO_COLOR disables colour "when present and not an empty string"."""
    assert ANSI in run_on_terminal(catalog, no_color="")


def test_quiet_reports_errors_only(catalog: Path) -> None:
    output = lint(catalog, "--quiet", "--color", "never").stdout
    assert output.splitlines() == (GOLDEN_DIR / "lint.txt").read_text().splitlines()[:1]


# --------------------------------------------------------------------------- --output


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_output_writes_the_report_to_a_file(catalog: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "reports" / f"lint.{EXTENSIONS[fmt]}"
    target.parent.mkdir()
    result = lint(catalog, "--format", fmt, "--color", "always", "--output", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert ANSI not in written  # colour is for terminals, never for files
    expected = (GOLDEN_DIR / f"lint.{EXTENSIONS[fmt]}").read_text(encoding="utf-8")
    assert (normalise_sarif(written) if fmt == "sarif" else written) == expected
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left


def test_output_replaces_an_existing_file_atomically(catalog: Path, tmp_path: Path) -> None:
    target = write(tmp_path / "lint.json", "old report\n")
    old_inode = target.stat().st_ino
    reader = target.open(encoding="utf-8")  # a reader that opened the old report...
    try:
        result = lint(catalog, "--format", "json", "--output", str(target))
        assert result.exit_code == 1
        assert reader.read() == "old report\n"  # ...still sees all of it, never half
    finally:
        reader.close()
    assert target.stat().st_ino != old_inode  # renamed into place, not rewritten
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["errors"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lint.json", "repo"]


def test_output_exit_code_reflects_findings(tmp_path: Path) -> None:
    clean = make_catalog(tmp_path / "clean", error=False, warning=False)
    warned = make_catalog(tmp_path / "warned", error=False)
    out = tmp_path / "out.txt"
    assert lint(clean, "--output", str(out)).exit_code == 0
    assert lint(warned, "--output", str(out)).exit_code == 0
    assert lint(warned, "--strict", "--output", str(out)).exit_code == 1


def test_output_is_relative_to_the_directory_option(
    catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-C DIR` runs "as if started in DIR" (like git -C and make -C): a relative
    --output lands in DIR, just as relative PATHS are read from DIR."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke(["-C", str(catalog), "lint", "--today", TODAY, "catalog/slas", "-o", "out.txt"])
    assert result.exit_code == 0, result.output
    assert list(elsewhere.iterdir()) == []
    assert (catalog / "out.txt").is_file()


def test_output_into_a_missing_folder_is_a_usage_error(catalog: Path, tmp_path: Path) -> None:
    result = lint(catalog, "--output", str(tmp_path / "missing" / "lint.txt"))
    assert result.exit_code == 2
    assert_no_traceback(result)
    assert "catalogctl: error:" in result.stderr
    assert not (tmp_path / "missing").exists()


# --------------------------------------------------------------------------- exit codes


def test_exit_0_when_clean(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "repo", error=False, warning=False)
    for fmt in EXTENSIONS:
        result = lint(root, "--format", fmt, "--strict")
        assert result.exit_code == 0, (fmt, result.output)
    assert lint(root).stdout == "0 errors, 0 warnings in 5 files (1 suppressed)\n"


def test_exit_1_with_errors(catalog: Path) -> None:
    for fmt in EXTENSIONS:
        assert lint(catalog, "--format", fmt).exit_code == 1, fmt


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    root = make_catalog(tmp_path / "repo", error=False)
    for fmt in EXTENSIONS:
        assert lint(root, "--format", fmt).exit_code == 0, fmt
        assert lint(root, "--format", fmt, "--strict").exit_code == 1, fmt


def catalog_above(folder: Path) -> Path | None:
    for parent in (folder, *folder.parents):
        if (parent / "catalogctl.yaml").exists():
            return parent
    return None


def test_exit_2_outside_a_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "nowhere"
    outside.mkdir()
    if catalog_above(outside):
        pytest.skip(f"a catalogctl.yaml above {outside} makes it a catalog")
    for fmt in EXTENSIONS:
        assert_usage_error(lint(outside, "--format", fmt), "not a catalog", "catalogctl init")
    monkeypatch.chdir(outside)
    assert_usage_error(invoke(["lint"]), "not a catalog")


def test_exit_2_for_a_path_outside_the_catalog(catalog: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert_usage_error(lint(catalog, str(elsewhere)), "outside the catalog")
    assert_usage_error(lint(catalog, ".."), "outside the catalog")
    assert_usage_error(lint(catalog, "catalog/nope.yaml"), "no such file")


def test_paths_limit_the_report(catalog: Path) -> None:
    document = lint_json(catalog, "catalog/slas")
    assert [d["rule"] for d in document["diagnostics"]] == ["sla-review-overdue"]
    assert document["summary"]["files"] == 1
    assert lint(catalog, "catalog/slas").exit_code == 0
    assert lint(catalog, "catalog/services/billing.yaml").exit_code == 1


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_exit_2_for_an_unknown_ref(catalog: Path) -> None:
    require(shutil.which("git") is not None, "git is not installed")
    assert_usage_error(lint(catalog, "--ref", "main"), "not inside a git repository")
    git(catalog, "init", "-q", "-b", "main")
    git(catalog, "add", "-A")
    git(catalog, "commit", "-q", "-m", "catalog")
    assert_usage_error(lint(catalog, "--ref", "no-such-branch"), "unknown git ref 'no-such-branch'")
    assert_usage_error(lint(catalog, "--ref", "--output=/tmp/x"), "not a valid git ref")
    committed = lint(catalog, "--ref", "main", "--format", "json")
    assert committed.exit_code == 1
    assert committed.stdout == lint(catalog, "--format", "json").stdout


def test_ref_paths_are_relative_to_the_catalog_not_the_git_top(tmp_path: Path) -> None:
    """A catalog in a sub-folder of a repository reports the same paths at a ref."""
    require(shutil.which("git") is not None, "git is not installed")
    make_catalog(tmp_path / "top" / "it-catalog")
    top = tmp_path / "top"
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "catalog")
    catalog = top / "it-catalog"
    committed = lint(catalog, "--ref", "HEAD", "--format", "json")
    assert committed.exit_code == 1
    assert committed.stdout == (GOLDEN_DIR / "lint.json").read_text(encoding="utf-8")


def test_a_renderer_imports_no_lint_reporter() -> None:
    """The lint reporters are imported when chosen: SARIF's needs the whole
    rule registry, which `diff` or `report` never use."""
    code = (
        "import sys\n"
        "from catalogctl.reporters import REPORTERS, renderer\n"
        "renderer('diff', 'text')\n"
        "before = sorted(REPORTERS), 'catalogctl.lint.rules' in sys.modules\n"
        "REPORTERS['sarif']\n"
        "print(before, 'catalogctl.lint.rules' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "(['github', 'json', 'junit', 'sarif', 'text'], False) True"
