"""`catalogctl codeowners`: CODEOWNERS generated from the catalog's ownership."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.model.entities import Catalog, build_entity
from catalogctl.review import codeowners
from paths import REPO

REPO = REPO
BASE = REPO / "tests" / "cases" / "_base"

# Added to the golden-case base catalog (teams cab and ops, services identity
# and payroll, SLA payroll, two CIs, template os-patch, change chg-2026-0001).
EXTRA = {
    "catalog/teams/hr.yaml": """\
apiVersion: catalogctl/v1
kind: Team
metadata: {id: hr, name: HR Systems}
spec: {github: example/hr-team, members: [erin], email: hr@example.com}
""",
    # a folder name with a space and a '#': both need escaping in CODEOWNERS
    "catalog/services/hr #1 team/benefits.yaml": """\
apiVersion: catalogctl/v1
kind: Service
metadata: {id: benefits, name: Benefits}
spec: {owner: hr, type: business, lifecycle: live, tier: 3, visibility: internal}
""",
    "catalog/services/orphan.yaml": """\
apiVersion: catalogctl/v1
kind: Service
metadata: {id: orphan, name: Orphan}
spec: {owner: nobody, type: technical, lifecycle: live, tier: 4, visibility: internal}
""",
    # covers services of two teams, and one that does not exist
    "catalog/slas/people.yaml": """\
apiVersion: catalogctl/v1
kind: SLA
metadata: {id: people, name: People SLA}
spec: {services: [payroll, benefits, ghost], customer: Staff, hours: 24x7}
""",
    "changes/2027/chg-2027-0001.yaml": """\
apiVersion: catalogctl/v1
kind: ChangeRequest
metadata: {id: chg-2027-0001, name: Benefits upgrade}
spec: {type: normal, state: new, requester: erin, owner: hr}
""",
}

EXPECTED = (
    codeowners.HEADER
    + """
* @example/cab
/catalog/**/*.yaml
/incidents/**/*.yaml
/problems/**/*.yaml
/.github/ @example/cab
/catalog/cis/esx-01.yaml @example/ops
/catalog/cis/vm-payroll.yaml @example/ops
/catalog/services/hr\\ \\#1\\ team/benefits.yaml @example/hr-team
/catalog/services/identity.yaml @example/ops
/catalog/services/payroll.yaml @example/ops
/catalog/slas/payroll.yaml @example/ops
/catalog/slas/people.yaml @example/hr-team @example/ops
/catalog/teams/cab.yaml @example/cab
/catalog/teams/hr.yaml @example/hr-team
/catalog/teams/ops.yaml @example/ops
/catalog/templates/os-patch.yaml @example/ops
/catalogctl.yaml @example/cab
/changes/ @example/cab
/changes/2026/chg-2026-0001.yaml @example/cab
/changes/2027/chg-2027-0001.yaml @example/cab
/schemas/ @example/cab
"""
)


def make_catalog(tmp_path: Path, extra: Mapping[str, str] = EXTRA) -> Path:
    root = tmp_path / "catalog-repo"
    shutil.copytree(BASE, root)
    for name, text in extra.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), "codeowners", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_generates_the_exact_file(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    result = run(root)
    assert result.exit_code == 0, result.output
    assert (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == EXPECTED
    assert "wrote .github/CODEOWNERS (21 rules)" in result.stderr


def test_unknown_owners_are_skipped_with_a_warning(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    result = run(root)
    assert result.exit_code == 0
    assert "orphan.yaml" not in (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "catalogctl: warning: catalog/services/orphan.yaml: Service/orphan: owner team "
        "'nobody' is unknown (catalogctl lint reports the reference); "
        "it gets no CODEOWNERS rule",
        "catalogctl: warning: catalog/slas/people.yaml: SLA/people covers unknown service "
        "'ghost'; its owners are left out",
    ]


def test_output_is_deterministic_and_atomic(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    assert run(root).exit_code == 0
    first = (root / ".github" / "CODEOWNERS").read_bytes()
    assert run(root).exit_code == 0
    assert (root / ".github" / "CODEOWNERS").read_bytes() == first
    assert sorted(p.name for p in (root / ".github").iterdir()) == ["CODEOWNERS"]


def test_new_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    assert run(root).exit_code == 0
    mode = (root / ".github" / "CODEOWNERS").stat().st_mode & 0o777
    assert mode & 0o644 == 0o644  # readable by everyone, like any checked-out file


def test_check_up_to_date_exits_0_and_writes_nothing(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    target = root / ".github" / "CODEOWNERS"
    assert run(root).exit_code == 0
    before = target.stat().st_mtime_ns
    result = run(root, "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "is up to date" in result.stderr
    assert target.stat().st_mtime_ns == before


def test_check_stale_exits_1_with_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    target = root / ".github" / "CODEOWNERS"
    assert run(root).exit_code == 0
    stale = target.read_text(encoding="utf-8").replace("@example/hr-team @example/ops", "@x/y")
    target.write_text(stale, encoding="utf-8")
    result = run(root, "--check")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- .github/CODEOWNERS (committed)\n")
    assert "+++ .github/CODEOWNERS (generated)\n" in result.stdout
    assert "-/catalog/slas/people.yaml @x/y\n" in result.stdout
    assert "+/catalog/slas/people.yaml @example/hr-team @example/ops\n" in result.stdout
    assert "out of date: run `catalogctl codeowners`" in result.stderr
    assert target.read_text(encoding="utf-8") == stale


def test_check_missing_file_exits_1_and_creates_nothing(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    result = run(root, "--check")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- /dev/null\n")
    assert "does not exist" in result.stderr
    assert not (root / ".github").exists()


def test_check_ignores_crlf_line_ends(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    target = root / ".github" / "CODEOWNERS"
    assert run(root).exit_code == 0
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n"))
    assert run(root, "--check").exit_code == 0


def test_output_option(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    result = run(root, "--output", "docs/CODEOWNERS")
    assert result.exit_code == 0, result.output
    assert (root / "docs" / "CODEOWNERS").read_text(encoding="utf-8") == EXPECTED
    assert not (root / ".github").exists()
    assert run(root, "--check", "--output", "docs/CODEOWNERS").exit_code == 0


def test_not_a_catalog_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path, "--check")
    assert result.exit_code == 2
    assert "not a catalog" in result.stderr


def test_unknown_cab_team_drops_the_cab_rules(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    policy = root / "catalogctl.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("team: cab", "team: board"), encoding="utf-8"
    )
    result = run(root)
    assert result.exit_code == 0
    text = (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/changes/" not in text
    assert "/schemas/" not in text
    assert "\n* " not in text  # no catch-all
    assert "\n/catalog/**/*.yaml\n" not in text  # nothing broader to carve data out of
    assert "/catalog/teams/cab.yaml @example/cab\n" in text  # still a team's own file
    assert "catalogctl.yaml: the CAB (cab.team) team 'board' is unknown" in result.stderr


@pytest.mark.parametrize(
    ("path", "escaped"),
    [
        ("/catalog/services/hr #1 team/x.yaml", "/catalog/services/hr\\ \\#1\\ team/x.yaml"),
        ("/a*b/c?d/[e]/!f\\g.yaml", "/a\\*b/c\\?d/\\[e\\]/\\!f\\\\g.yaml"),
        ("/catalog/services/Zürich/x.yaml", "/catalog/services/Zürich/x.yaml"),
        ("/changes/", "/changes/"),
    ],
)
def test_escape(path: str, escaped: str) -> None:
    assert codeowners.escape(path) == escaped


def _catalog(files: Mapping[str, dict[str, object]]) -> Catalog:
    entities = [build_entity(path, data) for path, data in files.items()]
    return Catalog.build(e for e in entities if e is not None)


TEAM = {
    "apiVersion": "catalogctl/v1",
    "kind": "Team",
    "metadata": {"id": "ops"},
    "spec": {"github": "example/ops"},
}


def _service(owner: str) -> dict[str, object]:
    return {"kind": "Service", "metadata": {"id": "svc"}, "spec": {"owner": owner}}


def test_paths_that_cannot_be_written_are_skipped() -> None:
    catalog = _catalog(
        {
            "catalog/teams/ops.yaml": TEAM,
            "catalog/services/tab\there/svc.yaml": _service("ops"),
            "catalog/services/line\nbreak/svc.yaml": _service("ops"),
        }
    )
    result = codeowners.generate(catalog, "ops")
    patterns = [rule.pattern for rule in result.rules]
    assert not any("svc.yaml" in p for p in patterns)
    assert len([w for w in result.warnings if "cannot express" in w]) == 2
    assert "svc.yaml" not in result.render()


def test_brackets_are_escaped_and_warned_about() -> None:
    catalog = _catalog({"catalog/teams/ops.yaml": TEAM, "catalog/[x]/svc.yaml": _service("ops")})
    result = codeowners.generate(catalog, "ops")
    assert "/catalog/\\[x\\]/svc.yaml @example/ops" in result.render().splitlines()
    assert any("'[' or ']'" in w for w in result.warnings)


@pytest.mark.parametrize("slug", ["example", "example/ops extra", "example/ops\n* @evil/x", 42])
def test_team_without_a_valid_slug_owns_nothing(slug: object) -> None:
    team = {**TEAM, "spec": {"github": slug}}
    catalog = _catalog(
        {"catalog/teams/ops.yaml": team, "catalog/services/svc.yaml": _service("ops")}
    )
    result = codeowners.generate(catalog, "ops")
    assert result.rules == ()
    assert any("no valid spec.github" in w for w in result.warnings)
    assert "@evil" not in result.render()


def test_entity_without_owner_is_warned_about() -> None:
    service = {"kind": "Service", "metadata": {"id": "svc"}, "spec": {}}
    catalog = _catalog({"catalog/teams/ops.yaml": TEAM, "catalog/services/svc.yaml": service})
    result = codeowners.generate(catalog, "ops")
    assert any("Service/svc has no spec.owner" in w for w in result.warnings)


def test_folder_rules_come_before_the_files_inside_them() -> None:
    """GitHub applies the last matching rule: the specific one must come later."""
    change = {"kind": "ChangeRequest", "metadata": {"id": "chg-2026-0001"}, "spec": {}}
    catalog = _catalog({"catalog/teams/ops.yaml": TEAM, "changes/2026/chg-2026-0001.yaml": change})
    patterns = [rule.pattern for rule in codeowners.generate(catalog, "ops").rules]
    broad = ["*", "/catalog/**/*.yaml", "/incidents/**/*.yaml", "/problems/**/*.yaml"]
    assert patterns[:4] == broad  # the broad rules, then by path
    assert patterns[4:] == sorted(patterns[4:])
    assert patterns.index("/changes/") < patterns.index("/changes/2026/chg-2026-0001.yaml")


# --- the policy's `paths:` -----------------------------------------------------------

WEB = """\
apiVersion: catalogctl/v1
kind: Team
metadata: {id: web, name: Web}
spec: {github: example/web, members: [frank], email: web@example.com}
"""


def _with_paths(tmp_path: Path, paths: str) -> Path:
    root = make_catalog(tmp_path, {**EXTRA, "catalog/teams/web.yaml": WEB})
    policy = root / "catalogctl.yaml"
    policy.write_text(policy.read_text(encoding="utf-8") + "paths:\n" + paths, encoding="utf-8")
    return root


def _rules(root: Path) -> list[str]:
    text = (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert text.startswith(codeowners.HEADER + "\n")
    return text[len(codeowners.HEADER) + 1 :].splitlines()


def test_every_file_is_the_cabs_unless_a_later_rule_says_otherwise(tmp_path: Path) -> None:
    """The catch-all comes first (GitHub: last match wins), as the gate's default owner."""
    root = make_catalog(tmp_path)
    assert run(root).exit_code == 0
    rules = _rules(root)
    assert rules[0] == "* @example/cab"
    assert rules.count("* @example/cab") == 1
    # catalog data is carved out of it, for the entity rules after it
    assert rules[1] == "/catalog/**/*.yaml"
    assert rules.index("/catalog/services/payroll.yaml @example/ops") > 1


def test_policy_paths_become_rooted_rules_for_their_team(tmp_path: Path) -> None:
    root = _with_paths(tmp_path, '  site/: web\n  "docs/**/*.md": web\n  "*.cfg": hr\n')
    result = run(root)
    assert result.exit_code == 0, result.output
    rules = _rules(root)
    assert rules[:5] == [
        "* @example/cab",
        "/site/ @example/web",
        "/docs/**/*.md @example/web",  # a glob: not escaped
        "/*.cfg @example/hr-team",  # rooted: the gate's patterns start at the root
        "/catalog/**/*.yaml",
    ]
    assert "paths:" not in result.stderr
    assert run(root, "--check").exit_code == 0


def test_policy_paths_keep_the_policys_order(tmp_path: Path) -> None:
    """Last match wins in the gate and on GitHub alike: the order is the meaning."""
    root = _with_paths(tmp_path, '  "site/docs/pay*.md": hr\n  site/: web\n')
    assert run(root).exit_code == 0
    assert _rules(root)[1:3] == ["/site/docs/pay*.md @example/hr-team", "/site/ @example/web"]


def test_entity_and_cab_rules_win_over_broader_path_rules(tmp_path: Path) -> None:
    root = _with_paths(tmp_path, '  catalog/: web\n  "**": web\n  schemas/: web\n  .github/: web\n')
    assert run(root).exit_code == 0
    rules = _rules(root)
    for broad in ("/catalog/ @example/web", "/** @example/web", "/schemas/ @example/web"):
        assert rules.index(broad) < rules.index("/catalog/**/*.yaml")
    last = rules.index("/catalog/**/*.yaml")
    # after every path rule: each entity file for its own team ...
    assert rules.index("/catalog/services/payroll.yaml @example/ops") > last
    assert rules.index("/catalog/teams/web.yaml @example/web") > last
    # ... and the policy, schemas, workflows and change record for the CAB
    for cab in ("/.github/", "/catalogctl.yaml", "/changes/", "/schemas/"):
        assert rules.index(f"{cab} @example/cab") > last


def test_a_path_team_without_a_usable_slug_is_warned_about(tmp_path: Path) -> None:
    root = _with_paths(tmp_path, "  site/: nobody\n  docs/: web\n")
    ops = root / "catalog" / "teams" / "web.yaml"
    ops.write_text(WEB.replace("github: example/web, ", ""), encoding="utf-8")
    result = run(root)
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "paths:" in line]
    assert warnings == [
        "catalogctl: warning: catalogctl.yaml: paths: 'docs/': team 'web' has no valid "
        "spec.github (org/team); it gets no CODEOWNERS rule (GitHub asks the owners of an "
        "earlier rule instead)",
        "catalogctl: warning: catalogctl.yaml: paths: 'site/': team 'nobody' is unknown "
        "(catalogctl lint reports the reference); it gets no CODEOWNERS rule (GitHub asks "
        "the owners of an earlier rule instead)",
    ]
    rules = _rules(root)
    assert not any(rule.startswith(("/site/", "/docs/")) for rule in rules)
    assert rules[0] == "* @example/cab"  # their files stay the CAB's, as in the gate


@pytest.mark.parametrize("pattern", ["site/ @evil/x", "site/\n* @evil/x", "#x", "a b", "[ab]/", ""])
def test_a_path_pattern_that_could_inject_text_is_skipped(pattern: str) -> None:
    catalog = _catalog({"catalog/teams/ops.yaml": TEAM})
    result = codeowners.generate(catalog, "ops", [(pattern, "ops")])
    assert [rule.pattern for rule in result.rules][:2] == ["*", "/catalog/**/*.yaml"]
    assert "@evil" not in result.render()
    assert any("a pattern holds only letters" in w for w in result.warnings)


def test_a_partial_double_star_is_warned_about() -> None:
    """GitHub reads 'a**' as 'a*'; the gate would match across folders."""
    catalog = _catalog({"catalog/teams/ops.yaml": TEAM})
    result = codeowners.generate(catalog, "ops", [("docs**", "ops"), ("docs/**/x", "ops")])
    assert "/docs** @example/ops" in result.render().splitlines()
    assert [w for w in result.warnings if "whole path segment" in w] == [
        "catalogctl.yaml: paths: 'docs**': '**' crosses folders only as a whole path "
        "segment ('a/**/b', '**/x', 'a/**'); GitHub reads it as '*' here"
    ]


def test_path_rules_work_without_a_cab() -> None:
    catalog = _catalog({"catalog/teams/ops.yaml": TEAM})
    result = codeowners.generate(catalog, "board", [("site/", "ops")])
    assert [rule.line() for rule in result.rules] == [
        "/site/ @example/ops",
        "/catalog/**/*.yaml",
        "/incidents/**/*.yaml",
        "/problems/**/*.yaml",
        "/catalog/teams/ops.yaml @example/ops",
    ]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("site/", "site/docs/about.md", True),
        ("site/", "site", False),
        ("site/*", "site/mkdocs.yml", True),
        ("site/*", "site/docs/about.md", False),  # GitHub: '*' stays in one folder
        ("docs/**", "docs/a/b.md", True),
        ("docs/**/*.md", "docs/a.md", True),  # '**/' is also no folder at all
        ("docs/**/*.md", "docs/a/b/c.md", True),
        ("**/*.md", "README.md", True),
        ("*.md", "docs/README.md", False),  # rooted: '/*.md' in CODEOWNERS
        ("/site/", "site/x", True),
    ],
)
def test_the_gate_reads_the_patterns_as_github_does(pattern: str, path: str, matches: bool) -> None:
    """`paths:` judges at the gate and in CODEOWNERS: the two must agree."""
    from catalogctl.model.policy import path_matches

    assert path_matches(pattern, path) is matches


def test_reference_catalog_codeowners_is_current() -> None:
    result = run(REPO, "--check")
    assert result.exit_code == 0, (
        "regenerate the reference catalog's CODEOWNERS: catalogctl codeowners\n" + result.stdout
    )


def test_records_belong_to_the_owners_of_the_services_they_affect() -> None:
    hr = {**TEAM, "metadata": {"id": "hr"}, "spec": {"github": "example/hr"}}
    incident = {
        "kind": "Incident",
        "metadata": {"id": "inc-2026-0001"},
        "spec": {"services": ["payroll", "wiki", "ghost"]},
    }
    problem = {"kind": "Problem", "metadata": {"id": "prb-2026-0001"},
               "spec": {"incidents": ["inc-2026-0001"]}}  # fmt: skip
    catalog = _catalog(
        {
            "catalog/teams/ops.yaml": TEAM,
            "catalog/teams/hr.yaml": hr,
            "catalog/services/payroll.yaml": {**_service("hr"), "metadata": {"id": "payroll"}},
            "catalog/services/wiki.yaml": {**_service("ops"), "metadata": {"id": "wiki"}},
            "incidents/2026/inc-2026-0001.yaml": incident,
            "problems/prb-2026-0001.yaml": problem,
        }
    )
    result = codeowners.generate(catalog, "ops")
    lines = result.render().splitlines()
    assert "/incidents/2026/inc-2026-0001.yaml @example/hr @example/ops" in lines
    assert "/problems/prb-2026-0001.yaml @example/hr @example/ops" in lines
    assert (
        "incidents/2026/inc-2026-0001.yaml: Incident/inc-2026-0001 affects unknown service "
        "'ghost'; its owners are left out"
    ) in result.warnings
