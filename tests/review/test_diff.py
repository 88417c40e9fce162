"""`catalogctl diff [BASE] [HEAD]`: the semantic diff of a catalog between git refs.

Every test builds a real git repository in tmp_path (plain `git`, no mocks),
commits a small catalog on `main`, branches, edits, commits, and runs the CLI
through click's CliRunner. The golden files tests/golden/diff.txt and
tests/golden/diff.md are the specification of the text and markdown output;
run with UPDATE_GOLDEN=1 to rewrite them, then read the diff.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.review.diff import diff_values
from gitrepo import WorkTree, ci_yaml, git, isolated_git, one_error_line  # noqa: F401  # isolated_git: a fixture
from paths import GOLDEN

pytestmark = pytest.mark.usefixtures("isolated_git")

GOLDEN_DIR = GOLDEN
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
MD_LIMIT = 65_536
MARKER = "<!-- catalogctl:diff -->"


# --------------------------------------------------------------------------- the fixture catalog
#
# Dependency graph (only depends-on / runs-on / hosted-on and service dependsOn/cis count):
#
#   portal --dependsOn--> payroll --dependsOn--> identity <--dependsOn-- legacy-hr (retired)
#                           |
#                           cis
#                           v
#                        vm-payroll --runs-on--> esx-01 <--hosted-on-- vm-spare
#                                                  ^
#   monitoring --cis--> mon-01 --connects-to-------+   (an association, not a dependency)
#
# SLAs: payroll-gold (payroll, extended-hours), portal-std (portal, 24x7),
# identity-sla (identity, business-hours). Changes: 0001 closed (vm-payroll),
# 0002 assess (payroll), 0003 canceled (esx-01), 0004 scheduled (mon-01).

POLICY = """\
apiVersion: catalogctl/v1
kind: Policy
cab:
  team: cab
approvals: {low: 1, medium: 1, high: 2, emergency: 1}
leadTimes: {normal: 3d, standard: 1h, emergency: 0m}
schedules:
  - id: business-hours
    name: Business hours
    timezone: Europe/Berlin
    days: [mon, tue, wed, thu, fri]
    start: "08:00"
    end: "18:00"
  - id: extended-hours
    name: Extended hours
    timezone: Europe/Berlin
    days: [mon, tue, wed, thu, fri, sat]
    start: "07:00"
    end: "20:00"
"""


def _team(team_id: str, name: str) -> str:
    return f"""\
apiVersion: catalogctl/v1
kind: Team
metadata:
  id: {team_id}
  name: {name}
spec:
  github: example/{team_id}
  members: [alice, bob]
  email: {team_id}@example.com
"""


PAYROLL = """\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: payroll
  name: Payroll
  description: |
    Pays everyone, on time.
    Runs on the first working day.
    Questions go to HR.
  tags: [hr, finance, people]
spec:
  owner: ops
  type: business
  lifecycle: live
  tier: 1
  visibility: public
  category: Human Resources
  dependsOn: [identity]
  cis: [vm-payroll]
  support:
    hours: business-hours
    email: ops@example.com
  offerings:
    - id: new-hire
      name: Onboard a new hire
      description: |
        Creates the payroll record.
        Needs the signed contract.
      fulfillment: 3d
      approval: manager
    - id: leaver
      name: Offboard a leaver
      fulfillment: 1d
      approval: manager
    - id: payslip-copy
      name: Copy of a payslip
      fulfillment: 4h
      approval: none
"""


def _service(
    service_id: str,
    name: str,
    *,
    kind: str = "business",
    lifecycle: str = "live",
    tier: int = 3,
    visibility: str = "public",
    depends: str = "",
    cis: str = "",
) -> str:
    text = f"""\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: {service_id}
  name: {name}
spec:
  owner: ops
  type: {kind}
  lifecycle: {lifecycle}
  tier: {tier}
  visibility: {visibility}
  category: General
"""
    if depends:
        text += f"  dependsOn: [{depends}]\n"
    if cis:
        text += f"  cis: [{cis}]\n"
    return text


def _sla(sla_id: str, service: str, hours: str, target: str, p1: str) -> str:
    return f"""\
apiVersion: catalogctl/v1
kind: SLA
metadata:
  id: {sla_id}
  name: {sla_id} agreement
spec:
  services: [{service}]
  customer: All employees
  hours: {hours}
  availability:
    target: {target}
    period: monthly
  priorities:
    P1: {p1}
    P2: {{response: 2h, resolution: 1d}}
  effective:
    from: 2026-01-01
  review: 2027-06-01
"""


_ci = ci_yaml


def _change(number: str, state: str, targets: str, extra: str = "") -> str:
    return f"""\
apiVersion: catalogctl/v1
kind: ChangeRequest
metadata:
  id: chg-2026-{number}
  name: Change {number}
spec:
  type: normal
  state: {state}
  requester: carol
  owner: ops
  targets: {targets}
  risk: {{impact: low, likelihood: low}}
  plan:
    implementation: Do it.
    backout: |
      Stop the service.
      Restore the snapshot.
    validation: It works.
{extra}"""


BASE_FILES: dict[str, str] = {
    "catalogctl.yaml": POLICY,
    "catalog/teams/cab.yaml": _team("cab", "Change Advisory Board"),
    "catalog/teams/ops.yaml": _team("ops", "Operations"),
    "catalog/teams/web.yaml": _team("web", "Web team"),
    "catalog/services/payroll.yaml": PAYROLL,
    "catalog/services/identity.yaml": _service(
        "identity", "Identity", kind="technical", tier=2, visibility="internal"
    ),
    "catalog/services/portal.yaml": _service("portal", "Portal", depends="payroll"),
    "catalog/services/monitoring.yaml": _service(
        "monitoring", "Monitoring", kind="technical", visibility="internal", cis="mon-01"
    ),
    "catalog/services/legacy-hr.yaml": _service(
        "legacy-hr", "Legacy HR", lifecycle="retired", tier=4, depends="identity"
    ),
    "catalog/slas/payroll-gold.yaml": _sla(
        "payroll-gold", "payroll", "extended-hours", "99.9", "{response: 30m, resolution: 4h}"
    ),
    "catalog/slas/portal-std.yaml": _sla(
        "portal-std", "portal", "24x7", "99.5", "{response: 1h, resolution: 8h}"
    ),
    "catalog/slas/identity-sla.yaml": _sla(
        "identity-sla", "identity", "business-hours", "99.0", "{response: 1h, resolution: 8h}"
    ),
    "catalog/cis/esx-01.yaml": _ci("esx-01", "server"),
    "catalog/cis/vm-payroll.yaml": _ci(
        "vm-payroll",
        "virtual-machine",
        "    - {type: runs-on, target: esx-01}\n    - {type: connects-to, target: mon-01}\n",
    ),
    "catalog/cis/vm-spare.yaml": _ci(
        "vm-spare", "virtual-machine", "    - {type: hosted-on, target: esx-01}\n"
    ),
    "catalog/cis/mon-01.yaml": _ci(
        "mon-01", "application", "    - {type: connects-to, target: esx-01}\n"
    ),
    "catalog/templates/os-patch.yaml": """\
apiVersion: catalogctl/v1
kind: ChangeTemplate
metadata:
  id: os-patch
  name: Monthly OS patching
spec:
  owner: ops
  ciTypes: [virtual-machine, server]
  maxDuration: 4h
  plan:
    implementation: Patch and reboot one host at a time.
    backout: Restore the pre-patch snapshot.
    validation: Health checks are green.
""",
    "changes/2026/chg-2026-0001.yaml": _change(
        "0001",
        "closed",
        "{cis: [vm-payroll]}",
        "  window: {start: 2026-03-14T22:00:00+01:00, end: 2026-03-15T01:00:00+01:00}\n"
        "  closure: {code: successful}\n",
    ),
    "changes/2026/chg-2026-0002.yaml": _change("0002", "assess", "{services: [payroll]}"),
    "changes/2026/chg-2026-0003.yaml": _change("0003", "canceled", "{cis: [esx-01]}"),
    "changes/2026/chg-2026-0004.yaml": _change(
        "0004",
        "scheduled",
        "{cis: [mon-01]}",
        "  window: {start: 2026-05-14T22:00:00+01:00, end: 2026-05-15T01:00:00+01:00}\n",
    ),
}


# --------------------------------------------------------------------------- helpers


class Repo(WorkTree):
    """A git repository holding a catalog at its root."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def remove(self, rel: str) -> None:
        (self.path / rel).unlink()

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        (self.path / old).rename(self.path / new)

    def git(self, *args: str) -> str:
        return git(self.path, *args)

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.sha()

    def sha(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", ref + "^{commit}")

    def status(self) -> str:
        return self.git("status", "--porcelain", "--untracked-files=all")


def make_repo(
    path: Path, files: dict[str, str] | None = None, branch: str = "main", feature: bool = True
) -> Repo:
    """A repository with `files` committed on `branch`, then on a `feature` branch."""
    path.mkdir(parents=True)
    repo = Repo(path)
    repo.git("init", "-q", "-b", branch)
    for rel, text in (BASE_FILES if files is None else files).items():
        repo.write(rel, text)
    repo.commit("base catalog")
    if feature:
        repo.git("checkout", "-q", "-b", "feature")
    return repo


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def run_diff(repo: Repo | Path, *args: str) -> Result:
    where = repo.path if isinstance(repo, Repo) else repo
    return cli("-C", str(where), "diff", *args)


def diff_json(repo: Repo | Path, *args: str, code: int = 0) -> dict[str, Any]:
    result = run_diff(repo, *args, "--format", "json")
    assert result.exit_code == code, result.stderr + result.stdout
    assert result.stderr == ""
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def branch_diff(
    tmp_path: Path, edits: Callable[[Repo], None], *args: str, code: int = 0
) -> dict[str, Any]:
    """The JSON diff of main..feature after `edits` are committed on feature."""
    repo = make_repo(tmp_path / "repo")
    edits(repo)
    repo.commit("edits")
    return diff_json(repo, "main", "feature", *args, code=code)


def by_ref(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{c['kind']}/{c['id']}": c for c in document["changes"]}


def field_map(change: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in change["fields"]}


def signal_list(document: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [(s["id"], s["entity"], s["level"], s["message"]) for s in document["signals"]]


def outside_fences(markdown: str) -> str:
    """The markdown with fenced code blocks removed (CommonMark backtick fences:
    a fence closes only at a line of at least as many backticks and nothing else)."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        if fence is None:
            match = re.match(r" {0,3}(`{3,})(?!.*`)", line)
            if match:
                fence = match.group(1)
                continue
            out.append(line)
        elif re.fullmatch(r" {0,3}" + fence + r"`*\s*", line):
            fence = None
    assert fence is None, "an unclosed code fence swallows the rest of the comment"
    return "\n".join(out)


def placeholders(text: str, base: str, head: str) -> str:
    for sha, name in ((base, "<BASE>"), (head, "<HEAD>")):
        text = text.replace(sha, name).replace(sha[:12], name)
    return text


# =========================================================================== entity ops


def test_every_entity_op_and_the_json_shape(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    base = repo.sha()
    repo.write("catalog/cis/db-payroll.yaml", _ci("db-payroll", "database"))  # added
    repo.remove("catalog/teams/web.yaml")  # removed
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")  # modified
    repo.move("catalog/cis/esx-01.yaml", "catalog/cis/hosts/esx-01.yaml")  # moved
    repo.move("catalog/services/portal.yaml", "catalog/services/web/portal.yaml")
    repo.edit("catalog/services/web/portal.yaml", "name: Portal", "name: Staff portal")
    head = repo.commit()

    document = diff_json(repo, base, head)

    assert document["version"] == 1
    assert document["base"] == base
    assert document["head"] == head
    assert {"version", "base", "head", "changes", "impact"} <= set(document)
    assert document["problems"] == []
    summary = sorted(
        (c["op"], c["kind"], c["id"], c["file"], c["old_file"]) for c in document["changes"]
    )
    assert summary == [
        ("added", "ConfigurationItem", "db-payroll", "catalog/cis/db-payroll.yaml", None),
        ("modified", "Service", "identity", "catalog/services/identity.yaml", None),
        (
            "modified",
            "Service",
            "portal",
            "catalog/services/web/portal.yaml",
            "catalog/services/portal.yaml",
        ),
        (
            "moved",
            "ConfigurationItem",
            "esx-01",
            "catalog/cis/hosts/esx-01.yaml",
            "catalog/cis/esx-01.yaml",
        ),
        ("removed", "Team", "web", "catalog/teams/web.yaml", None),
    ]
    for change in document["changes"]:
        assert {"op", "kind", "id", "file", "old_file", "fields"} <= set(change)
        for item in change["fields"]:
            assert {"path", "old", "new"} <= set(item)
    changes = by_ref(document)
    assert changes["Service/identity"]["fields"] == [{"path": "spec.tier", "old": 2, "new": 3}]
    assert changes["Service/portal"]["fields"] == [
        {"path": "metadata.name", "old": "Portal", "new": "Staff portal"}
    ]
    assert changes["ConfigurationItem/esx-01"]["fields"] == []
    assert changes["ConfigurationItem/db-payroll"]["fields"] == []
    assert changes["Team/web"]["fields"] == []
    assert {"services", "slas", "tier1"} <= set(document["impact"])


def test_moved_and_reformatted_is_still_only_moved(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.remove("catalog/cis/vm-spare.yaml")
        repo.write(
            "catalog/cis/spare/vm-spare.yaml",
            "# moved into a sub-folder\n"
            "kind: ConfigurationItem\n"
            "apiVersion: 'catalogctl/v1'\n"
            "spec:\n"
            "    relations: [{target: esx-01, type: hosted-on}]\n"
            '    status: "in-service"\n'
            "    owner: ops\n"
            "    environment: production\n"
            "    type: virtual-machine\n"
            "metadata: {name: vm-spare item, id: vm-spare}\n",
        )

    document = branch_diff(tmp_path, edits)
    assert [(c["op"], c["id"], c["file"], c["old_file"]) for c in document["changes"]] == [
        ("moved", "vm-spare", "catalog/cis/spare/vm-spare.yaml", "catalog/cis/vm-spare.yaml")
    ]


def test_same_ref_on_both_sides_is_no_change(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    document = diff_json(repo, "HEAD", "HEAD", "--exit-code")
    assert document["changes"] == []
    assert document["signals"] == []


# =========================================================================== field level


def test_reordered_lists_are_no_change(tmp_path: Path) -> None:
    """Offerings (objects, by id) and tags (a set of scalars) in another order."""

    def edits(repo: Repo) -> None:
        text = repo.read("catalog/services/payroll.yaml")
        head, offerings = text.split("  offerings:\n")
        items = ["    - id: " + part for part in offerings.split("    - id: ")[1:]]
        repo.write(
            "catalog/services/payroll.yaml",
            head.replace("[hr, finance, people]", "[people, hr, finance]")
            + "  offerings:\n"
            + "".join(reversed(items)),
        )
        repo.edit(
            "catalog/slas/payroll-gold.yaml",
            "    P1: {response: 30m, resolution: 4h}\n    P2: {response: 2h, resolution: 1d}\n",
            "    P2: {resolution: 1d, response: 2h}\n    P1: {resolution: 4h, response: 30m}\n",
        )

    document = branch_diff(tmp_path, edits, "--exit-code")
    assert document["changes"] == []


def test_reordered_ci_relations_are_no_change(tmp_path: Path) -> None:
    """Relations are objects without an id or a name; the issue still says lists
    are never compared by position, so a reordering is no change."""

    def edits(repo: Repo) -> None:
        repo.edit(
            "catalog/cis/vm-payroll.yaml",
            "    - {type: runs-on, target: esx-01}\n    - {type: connects-to, target: mon-01}\n",
            "    - {type: connects-to, target: mon-01}\n    - {type: runs-on, target: esx-01}\n",
        )

    document = branch_diff(tmp_path, edits)
    assert document["changes"] == []


def test_list_of_objects_is_matched_by_id(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        text = repo.read("catalog/services/payroll.yaml")
        head, offerings = text.split("  offerings:\n")
        items = ["    - id: " + part for part in offerings.split("    - id: ")[1:]]
        new_hire, leaver, _payslip = items
        new_hire = new_hire.replace("fulfillment: 3d", "fulfillment: 5d")
        badge = "    - id: badge\n      name: Access badge\n      fulfillment: 2d\n"
        # reordered too: leaver first, the payslip offering gone, a badge offering new
        repo.write(
            "catalog/services/payroll.yaml",
            head + "  offerings:\n" + leaver + badge + new_hire,
        )

    document = branch_diff(tmp_path, edits)
    (change,) = document["changes"]
    assert change["op"] == "modified"
    assert change["fields"] == [
        {"path": "spec.offerings[id=new-hire].fulfillment", "old": "3d", "new": "5d"},
        {
            "path": "spec.offerings[id=payslip-copy]",
            "old": {
                "id": "payslip-copy",
                "name": "Copy of a payslip",
                "fulfillment": "4h",
                "approval": "none",
            },
            "new": None,
        },
        {
            "path": "spec.offerings[id=badge]",
            "old": None,
            "new": {"id": "badge", "name": "Access badge", "fulfillment": "2d"},
        },
    ]


def test_list_of_objects_without_ids_is_matched_by_name() -> None:
    old = {"steps": [{"name": "a", "x": 1}, {"name": "b", "x": 2}]}
    new = {"steps": [{"name": "b", "x": 3}, {"name": "a", "x": 1}]}
    changes = diff_values(old, new)
    assert [(c.path, c.old, c.new) for c in changes] == [("steps[name=b].x", 2, 3)]
    assert diff_values(old, {"steps": list(reversed(old["steps"]))}) == []


def test_scalar_lists_are_sets_with_added_and_removed_items(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit(
            "catalog/services/payroll.yaml", "[hr, finance, people]", "[people, payments, hr]"
        )
        repo.edit(
            "catalog/services/portal.yaml", "dependsOn: [payroll]", "dependsOn: [identity, payroll]"
        )
        repo.edit("catalog/teams/web.yaml", "members: [alice, bob]", "members: [bob]")

    document = branch_diff(tmp_path, edits)
    changes = by_ref(document)
    assert changes["Service/payroll"]["fields"] == [
        {
            "path": "metadata.tags",
            "old": ["hr", "finance", "people"],
            "new": ["people", "payments", "hr"],
            "added": ["payments"],
            "removed": ["finance"],
        }
    ]
    assert changes["Service/portal"]["fields"] == [
        {
            "path": "spec.dependsOn",
            "old": ["payroll"],
            "new": ["identity", "payroll"],
            "added": ["identity"],
            "removed": [],
        }
    ]
    assert changes["Team/web"]["fields"] == [
        {
            "path": "spec.members",
            "old": ["alice", "bob"],
            "new": ["bob"],
            "added": [],
            "removed": ["alice"],
        }
    ]


def test_formatting_only_edits_are_no_change(tmp_path: Path) -> None:
    """Comments, quoting, key order, indentation, flow/block style, CRLF."""
    reformatted = """\
# Payroll: owned by operations.
kind: "Service"
apiVersion: 'catalogctl/v1'
spec:
    offerings:
        -   name: "Onboard a new hire"
            id: 'new-hire'
            approval: manager
            fulfillment: "3d"
            description: "Creates the payroll record.\\nNeeds the signed contract.\\n"
        - {id: leaver, name: Offboard a leaver, fulfillment: 1d, approval: manager}
        - id: payslip-copy
          name: Copy of a payslip   # rarely used
          fulfillment: 4h
          approval: none
    support: {email: "ops@example.com", hours: business-hours}
    cis:
        - vm-payroll
    dependsOn: ["identity"]
    category: "Human Resources"
    visibility: public
    tier: 1
    lifecycle: 'live'
    type: business
    owner: ops
metadata:
    tags:
        - hr
        - finance
        - people
    description: >-
        Pays everyone, on time.

        Runs on the first working day.

        Questions go to HR.
    name: Payroll
    id: payroll
"""

    def edits(repo: Repo) -> None:
        # the folded scalar above loses the final newline: put it back with a literal
        text = reformatted.replace(
            "    description: >-\n"
            "        Pays everyone, on time.\n\n"
            "        Runs on the first working day.\n\n"
            "        Questions go to HR.\n",
            "    description: |\n"
            "        Pays everyone, on time.\n"
            "        Runs on the first working day.\n"
            "        Questions go to HR.\n",
        )
        repo.write("catalog/services/payroll.yaml", text)
        sla = repo.read("catalog/slas/payroll-gold.yaml")
        repo.write(
            "catalog/slas/payroll-gold.yaml",
            ("# The gold SLA\n" + sla.replace("from: 2026-01-01", 'from: "2026-01-01"'))
            .replace("target: 99.9", "target: 99.90  # three nines")
            .replace("\n", "\r\n"),
        )

    document = branch_diff(tmp_path, edits, "--exit-code")
    assert document["problems"] == []
    assert document["changes"] == []


def test_folded_description_is_a_real_change(tmp_path: Path) -> None:
    """The control for the formatting test: a different string is reported."""

    def edits(repo: Repo) -> None:
        repo.edit(
            "catalog/services/payroll.yaml",
            "  description: |\n    Pays",
            "  description: >\n    Pays",
        )

    document = branch_diff(tmp_path, edits, "--exit-code", code=1)
    (change,) = document["changes"]
    assert [f["path"] for f in change["fields"]] == ["metadata.description"]


def test_long_text_fields_show_a_unified_line_diff(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/services/payroll.yaml", "the first working", "the last working")
        repo.edit("catalog/services/payroll.yaml", "Needs the signed", "Needs a signed")
        repo.edit("changes/2026/chg-2026-0002.yaml", "Restore the snapshot.", "Restore backup.")

    document = branch_diff(tmp_path, edits)
    changes = by_ref(document)
    payroll = field_map(changes["Service/payroll"])
    description = payroll["metadata.description"]
    assert description["old"].splitlines()[1] == "Runs on the first working day."
    assert description["new"].splitlines()[1] == "Runs on the last working day."
    assert description["diff"] == (
        "--- a/metadata.description\n"
        "+++ b/metadata.description\n"
        "@@ -1,3 +1,3 @@\n"
        " Pays everyone, on time.\n"
        "-Runs on the first working day.\n"
        "+Runs on the last working day.\n"
        " Questions go to HR."
    )
    offering = payroll["spec.offerings[id=new-hire].description"]
    assert offering["diff"] == (
        "--- a/spec.offerings[id=new-hire].description\n"
        "+++ b/spec.offerings[id=new-hire].description\n"
        "@@ -1,2 +1,2 @@\n"
        " Creates the payroll record.\n"
        "-Needs the signed contract.\n"
        "+Needs a signed contract."
    )
    backout = field_map(changes["ChangeRequest/chg-2026-0002"])["spec.plan.backout"]
    assert "-Restore the snapshot.\n+Restore backup." in backout["diff"]

    repo = Repo(tmp_path / "repo")
    text = run_diff(repo, "main", "feature", "--format", "text").stdout
    assert "  metadata.description:\n" in text
    assert "    -Runs on the first working day.\n    +Runs on the last working day.\n" in text
    markdown = run_diff(repo, "main", "feature", "--format", "markdown").stdout
    assert "```diff\n--- a/metadata.description\n" in markdown
    assert "-Runs on the first working day.\n+Runs on the last working day.\n" in markdown


# =========================================================================== problems


def test_a_file_broken_on_the_base_side_is_reported_not_fatal(tmp_path: Path) -> None:
    files = dict(BASE_FILES)
    files["catalog/services/broken.yaml"] = "apiVersion: catalogctl/v1\nmetadata: [unclosed\n"
    repo = make_repo(tmp_path / "repo", files)
    repo.write("catalog/services/broken.yaml", _service("broken", "Fixed now"))
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.commit()

    document = diff_json(repo, "main", "feature")
    assert [(p["file"], p["side"]) for p in document["problems"]] == [
        ("catalog/services/broken.yaml", "base")
    ]
    assert document["problems"][0]["message"]
    assert "Service/identity" in by_ref(document)
    for fmt in ("text", "markdown"):
        result = run_diff(repo, "main", "feature", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "catalog/services/broken.yaml" in result.stdout
        assert "Service/identity" in result.stdout


def test_a_file_broken_on_the_head_side_is_reported_not_fatal(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        duplicate_key = "kind: Service\nkind: Service\n"
        repo.write("catalog/services/portal.yaml", duplicate_key)
        repo.write("catalog/teams/bad.yaml", b"kind: Team\nname: \xff\xfe\n")  # not UTF-8
        repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")

    document = branch_diff(tmp_path, edits)
    assert sorted((p["file"], p["side"]) for p in document["problems"]) == [
        ("catalog/services/portal.yaml", "head"),
        ("catalog/teams/bad.yaml", "head"),
    ]
    assert all(p["message"] for p in document["problems"])
    assert by_ref(document)["Service/identity"]["fields"] == [
        {"path": "spec.tier", "old": 2, "new": 3}
    ]
    result = run_diff(tmp_path / "repo", "main", "feature", "--format", "text")
    assert result.exit_code == 0
    assert "Could not read:\n  catalog/services/portal.yaml (head): " in result.stdout


def test_an_unreadable_head_file_does_not_claim_the_entity_was_removed(tmp_path: Path) -> None:
    """A file that fails to parse is reported as a problem; its entity's state
    is unknown, so it must not be reported as removed (with a false
    removed-while-referenced warning on top)."""

    def edits(repo: Repo) -> None:
        repo.write(
            "catalog/services/payroll.yaml",
            repo.read("catalog/services/payroll.yaml") + "\tbad: tab\n",
        )

    document = branch_diff(tmp_path, edits)
    assert [(p["file"], p["side"]) for p in document["problems"]] == [
        ("catalog/services/payroll.yaml", "head")
    ]
    assert [c for c in document["changes"] if c["op"] == "removed"] == []
    assert [s for s in document["signals"] if s["id"] == "removed-while-referenced"] == []


def test_an_oversized_head_file_is_refused_not_read(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.write(
            "catalog/services/identity.yaml",
            repo.read("catalog/services/identity.yaml") + "# " + "x" * (1 << 20) + "\n",
        )
        repo.edit("catalog/services/portal.yaml", "tier: 3", "tier: 2")

    for args in ((), ("--no-impact",)):
        document = branch_diff(tmp_path / str(len(args)), edits, *args)
        assert [(p["file"], p["side"]) for p in document["problems"]] == [
            ("catalog/services/identity.yaml", "head")
        ]
        assert "1 MiB" in document["problems"][0]["message"]
        assert "Service/portal" in by_ref(document)


def test_only_changed_files_are_parsed(tmp_path: Path) -> None:
    """A broken file that no commit touches is no problem of this diff."""
    files = dict(BASE_FILES)
    files["catalog/services/broken.yaml"] = "metadata: [unclosed\n"
    repo = make_repo(tmp_path / "repo", files)
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.commit()
    for args in ((), ("--no-impact",)):
        document = diff_json(repo, "main", "feature", *args)
        assert document["problems"] == []
        assert list(by_ref(document)) == ["Service/identity"]


def test_a_symlink_on_the_head_side_is_refused_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: Team\nmetadata: {id: secret-0451, name: TOP-SECRET-0451}\n")

    def edits(repo: Repo) -> None:
        (repo.path / "catalog/teams/evil.yaml").symlink_to(secret)

    document = branch_diff(tmp_path, edits)
    assert [(p["file"], p["side"]) for p in document["problems"]] == [
        ("catalog/teams/evil.yaml", "head")
    ]
    assert "0451" not in json.dumps(document)
    assert document["changes"] == []


# =========================================================================== which sides


def test_default_head_is_the_working_tree_with_edits_and_untracked_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    base = repo.sha()
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.commit("committed on the branch")
    repo.edit("catalog/services/portal.yaml", "name: Portal", "name: Uncommitted portal")
    repo.write("catalog/teams/hr.yaml", _team("hr", "Human Resources"))  # untracked
    repo.remove("catalog/teams/web.yaml")  # deleted, not staged

    for args in ((), ("main",)):
        document = diff_json(repo, *args)
        assert document["base"] == base
        assert document["head"] is None
        assert sorted((c["op"], c["kind"], c["id"]) for c in document["changes"]) == [
            ("added", "Team", "hr"),
            ("modified", "Service", "identity"),
            ("modified", "Service", "portal"),
            ("removed", "Team", "web"),
        ]
    text = run_diff(repo).stdout
    assert text.startswith(f"catalogctl diff {base[:12]}..working tree: 4 changes\n")


def test_working_tree_staged_then_edited_and_an_unstaged_move(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.git("add", "catalog/services/identity.yaml")
    repo.edit("catalog/services/identity.yaml", "tier: 3", "tier: 4")  # after staging
    repo.write("catalog/teams/hr.yaml", _team("hr", "Human Resources"))
    repo.git("add", "catalog/teams/hr.yaml")  # staged new file
    repo.move("catalog/cis/vm-spare.yaml", "catalog/cis/spare/vm-spare.yaml")  # not staged
    document = diff_json(repo)
    assert document["head"] is None
    assert sorted((c["op"], c["id"], c["file"], c["old_file"]) for c in document["changes"]) == [
        ("added", "hr", "catalog/teams/hr.yaml", None),
        ("modified", "identity", "catalog/services/identity.yaml", None),
        ("moved", "vm-spare", "catalog/cis/spare/vm-spare.yaml", "catalog/cis/vm-spare.yaml"),
    ]
    assert by_ref(document)["Service/identity"]["fields"] == [
        {"path": "spec.tier", "old": 2, "new": 4}
    ]


def test_explicit_head_ignores_the_working_tree(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    head = repo.commit()
    repo.edit("catalog/services/portal.yaml", "name: Portal", "name: Uncommitted portal")
    repo.write("catalog/teams/hr.yaml", _team("hr", "Human Resources"))
    document = diff_json(repo, "main", "HEAD")
    assert document["head"] == head
    assert list(by_ref(document)) == ["Service/identity"]


def test_default_base_is_the_merge_base_with_main(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    fork = repo.sha()
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    head = repo.commit("feature work")
    repo.git("checkout", "-q", "main")
    repo.edit("catalog/services/portal.yaml", "name: Portal", "name: Main-only portal")
    main_tip = repo.commit("main moved on")
    repo.git("checkout", "-q", "feature")
    assert main_tip != fork

    for args in ((), (fork, "HEAD")):
        document = diff_json(repo, *args)
        assert document["base"] == fork
        assert list(by_ref(document)) == ["Service/identity"]
    # an explicit BASE is taken as it is, not replaced by the merge-base
    document = diff_json(repo, "main", head)
    assert document["base"] == main_tip
    assert sorted(by_ref(document)) == ["Service/identity", "Service/portal"]


def test_default_base_falls_back_to_master(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", branch="master")
    fork = repo.sha()
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.commit()
    repo.git("checkout", "-q", "master")
    repo.edit("catalog/services/portal.yaml", "name: Portal", "name: Master-only portal")
    repo.commit("master moved on")
    repo.git("checkout", "-q", "feature")
    document = diff_json(repo)
    assert document["base"] == fork
    assert list(by_ref(document)) == ["Service/identity"]


def test_default_base_falls_back_to_origin_main(tmp_path: Path) -> None:
    upstream = make_repo(tmp_path / "upstream", feature=False)
    fork = upstream.sha()
    git(tmp_path, "clone", "-q", "--bare", str(upstream.path), str(tmp_path / "origin.git"))
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(tmp_path / "work"))
    work = Repo(tmp_path / "work")
    work.git("checkout", "-q", "-b", "feature")
    work.git("branch", "-q", "-D", "main")
    work.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    work.commit()
    # upstream main moves on and the clone fetches it: origin/main is ahead of the fork point
    upstream.edit("catalog/services/portal.yaml", "name: Portal", "name: Upstream portal")
    upstream.commit("upstream moved on")
    upstream.git("push", "-q", str(tmp_path / "origin.git"), "main")
    work.git("fetch", "-q", "origin")
    assert work.git("branch", "--list", "main", "master") == ""
    assert work.sha("origin/main") != fork

    document = diff_json(work)
    assert document["base"] == fork
    assert list(by_ref(document)) == ["Service/identity"]


def test_no_default_branch_is_a_usage_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", branch="trunk")
    line = one_error_line(run_diff(repo))
    assert "main" in line and "master" in line


def test_no_common_history_with_main_is_a_usage_error(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "--orphan", "unrelated")
    repo.commit("unrelated history")
    line = one_error_line(run_diff(repo))
    assert "main" in line and "BASE" in line


def test_on_main_itself_and_detached(tmp_path: Path) -> None:
    """On main the merge-base is HEAD: the diff is the uncommitted edits; a CI
    checkout is a detached HEAD."""
    repo = make_repo(tmp_path / "repo", feature=False)
    tip = repo.sha()
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    document = diff_json(repo)
    assert (document["base"], document["head"]) == (tip, None)
    assert list(by_ref(document)) == ["Service/identity"]
    head = repo.commit()
    repo.git("checkout", "-q", "--detach", head)
    repo.git("branch", "-q", "-f", "main", tip)
    document = diff_json(repo)
    assert document["base"] == tip
    assert list(by_ref(document)) == ["Service/identity"]


def test_hidden_files_are_no_entity_change_but_are_listed(tmp_path: Path) -> None:
    """Hidden files are never read as entities, yet a pull request cannot slip
    them past the reviewers: they are listed as files that are not catalog data."""

    def edits(repo: Repo) -> None:
        repo.write("catalog/services/.draft.yaml", _service("draft", "Draft"))
        repo.write("catalog/services/.gitkeep", "")
        repo.write("catalog/.hidden/x.yaml", _service("hidden", "Hidden"))
        repo.write("catalog/services/README.md", "# services\n")

    document = branch_diff(tmp_path, edits)
    assert document["changes"] == []
    assert document["problems"] == []
    assert document["other_files"] == [
        "catalog/.hidden/x.yaml",
        "catalog/services/.draft.yaml",
        "catalog/services/.gitkeep",
        "catalog/services/README.md",
    ]


def test_explicit_full_and_short_shas_and_branch_names(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    base = repo.sha()
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    middle = repo.commit()
    repo.edit("catalog/services/portal.yaml", "name: Portal", "name: New portal")
    head = repo.commit()
    for refs in ((base, head), (base[:10], head[:10]), ("main", "feature"), ("HEAD~2", "HEAD")):
        document = diff_json(repo, *refs)
        assert (document["base"], document["head"]) == (base, head)
        assert sorted(by_ref(document)) == ["Service/identity", "Service/portal"]
    document = diff_json(repo, middle, head)
    assert list(by_ref(document)) == ["Service/portal"]
    # backwards: the edit is undone
    document = diff_json(repo, head, middle)
    assert by_ref(document)["Service/portal"]["fields"] == [
        {"path": "metadata.name", "old": "New portal", "new": "Portal"}
    ]


def test_runs_from_a_sub_folder_and_with_the_catalog_below_the_git_root(tmp_path: Path) -> None:
    top = tmp_path / "mono"
    files = {f"it/catalog-root/{rel}": text for rel, text in BASE_FILES.items()}
    files["README.md"] = "not a catalog\n"
    files["other/catalog/services/x.yaml"] = "not: ours\n"
    repo = make_repo(top, files)
    repo.edit("it/catalog-root/catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.write("other/catalog/services/x.yaml", "still: not ours\n")
    repo.write("README.md", "changed\n")
    repo.commit()
    for start in (top / "it/catalog-root", top / "it/catalog-root/catalog/services"):
        document = diff_json(start, "main", "feature")
        assert [(c["op"], c["id"], c["file"]) for c in document["changes"]] == [
            ("modified", "identity", "catalog/services/identity.yaml")
        ]
        # outside the catalog's folder: listed from the top of the repository
        assert document["other_files"] == ["/README.md", "/other/catalog/services/x.yaml"]
        assert document["impact"]["slas"] == ["identity-sla", "payroll-gold", "portal-std"]
    # the working tree, below the git root: uncommitted and untracked files
    repo.edit("it/catalog-root/catalog/services/portal.yaml", "name: Portal", "name: Edited")
    repo.write("it/catalog-root/catalog/teams/hr.yaml", _team("hr", "Human Resources"))
    repo.write("other/catalog/teams/hr.yaml", "not: ours\n")
    document = diff_json(top / "it/catalog-root/catalog")
    assert sorted((c["op"], c["id"], c["file"]) for c in document["changes"]) == [
        ("added", "hr", "catalog/teams/hr.yaml"),
        ("modified", "identity", "catalog/services/identity.yaml"),
        ("modified", "portal", "catalog/services/portal.yaml"),
    ]


def test_not_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "catalogctl.yaml").write_text(POLICY)
    one_error_line(run_diff(folder, "main", "HEAD"))


# =========================================================================== signals


def test_sla_weakened_availability_times_and_hours(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        path = "catalog/slas/payroll-gold.yaml"
        repo.edit(path, "target: 99.9", "target: 99.5")
        repo.edit(path, "P1: {response: 30m, resolution: 4h}", "P1: {response: 1h, resolution: 4h}")
        repo.edit(path, "P2: {response: 2h, resolution: 1d}", "P2: {response: 2h, resolution: 2d}")
        repo.edit(path, "hours: extended-hours", "hours: business-hours")

    document = branch_diff(tmp_path, edits)
    assert signal_list(document) == [
        (
            "sla-weakened",
            "SLA/payroll-gold",
            "warning",
            "SLA weakened: availability 99.9% -> 99.5%; P1 response 30m -> 1h; "
            "P2 resolution 1d -> 2d; "
            "hours extended-hours (78 h/week) -> business-hours (50 h/week)",
        )
    ]


@pytest.mark.parametrize(
    ("sla", "was", "now", "message"),
    [
        (
            "portal-std",
            "24x7",
            "business-hours",
            "SLA weakened: hours 24x7 (168 h/week) -> business-hours (50 h/week)",
        ),
        (
            "payroll-gold",
            "extended-hours",
            "business-hours",
            "SLA weakened: hours extended-hours (78 h/week) -> business-hours (50 h/week)",
        ),
    ],
)
def test_sla_weakened_by_reduced_hours_alone(
    tmp_path: Path, sla: str, was: str, now: str, message: str
) -> None:
    def edits(repo: Repo) -> None:
        repo.edit(f"catalog/slas/{sla}.yaml", f"hours: {was}", f"hours: {now}")

    document = branch_diff(tmp_path, edits)
    assert signal_list(document) == [("sla-weakened", f"SLA/{sla}", "warning", message)]


def test_sla_strengthened(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        path = "catalog/slas/identity-sla.yaml"
        repo.edit(path, "target: 99.0", "target: 99.95")
        repo.edit(path, "P1: {response: 1h, resolution: 8h}", "P1: {response: 15m, resolution: 8h}")
        repo.edit(path, "hours: business-hours", "hours: 24x7")

    document = branch_diff(tmp_path, edits)
    assert signal_list(document) == [
        (
            "sla-strengthened",
            "SLA/identity-sla",
            "info",
            "SLA strengthened: availability 99.0% -> 99.95%; P1 response 1h -> 15m; "
            "hours business-hours (50 h/week) -> 24x7 (168 h/week)",
        )
    ]


def test_sla_weakened_and_strengthened_at_once(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        path = "catalog/slas/portal-std.yaml"
        repo.edit(path, "target: 99.5", "target: 99.9")
        repo.edit(path, "P1: {response: 1h, resolution: 8h}", "P1: {response: 1h, resolution: 1d}")

    document = branch_diff(tmp_path, edits)
    assert [(s[0], s[3]) for s in signal_list(document)] == [
        ("sla-weakened", "SLA weakened: P1 resolution 8h -> 1d"),
        ("sla-strengthened", "SLA strengthened: availability 99.5% -> 99.9%"),
    ]


def test_an_sla_edit_that_changes_no_target_has_no_signal(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/slas/portal-std.yaml", "customer: All employees", "customer: Staff")
        repo.edit("catalog/slas/portal-std.yaml", "P1: {response: 1h,", "P1: {response: 60m,")

    document = branch_diff(tmp_path, edits)
    assert list(by_ref(document)) == ["SLA/portal-std"]
    assert document["signals"] == []


def test_retired_with_live_dependents(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/services/identity.yaml", "lifecycle: live", "lifecycle: retired")
        repo.edit("catalog/services/portal.yaml", "lifecycle: live", "lifecycle: retired")

    document = branch_diff(tmp_path, edits)
    # identity: payroll depends on it, portal through payroll (but portal is retired
    # in the same PR), legacy-hr is retired already. Nothing depends on portal.
    assert signal_list(document) == [
        (
            "retired-with-dependents",
            "Service/identity",
            "warning",
            "service retired while live services depend on it: Service/payroll",
        )
    ]


def test_retired_with_transitive_live_dependents(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/services/identity.yaml", "lifecycle: live", "lifecycle: retired")

    document = branch_diff(tmp_path, edits)
    assert signal_list(document) == [
        (
            "retired-with-dependents",
            "Service/identity",
            "warning",
            "service retired while live services depend on it: Service/payroll, Service/portal",
        )
    ]


def test_owner_tier_and_visibility_signals(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/services/payroll.yaml", "owner: ops", "owner: web")
        repo.edit("catalog/services/payroll.yaml", "tier: 1", "tier: 2")
        repo.edit("catalog/services/payroll.yaml", "visibility: public", "visibility: internal")
        repo.edit("catalog/services/portal.yaml", "tier: 3", "tier: 1")
        repo.edit("catalog/services/identity.yaml", "visibility: internal", "visibility: public")
        repo.edit("catalog/cis/mon-01.yaml", "owner: ops", "owner: web")

    document = branch_diff(tmp_path, edits)
    assert sorted(signal_list(document)) == sorted(
        [
            ("owner-changed", "ConfigurationItem/mon-01", "warning", "owner changed: ops -> web"),
            ("owner-changed", "Service/payroll", "warning", "owner changed: ops -> web"),
            ("tier-lowered", "Service/payroll", "warning", "tier 1 -> 2 (less critical)"),
            (
                "visibility-changed",
                "Service/payroll",
                "warning",
                "visibility public -> internal: will disappear from the customer site",
            ),
            ("tier-raised", "Service/portal", "warning", "tier 3 -> 1 (more critical)"),
            (
                "visibility-changed",
                "Service/identity",
                "warning",
                "visibility internal -> public: will be published on the customer site",
            ),
        ]
    )


def test_ci_retired_while_referenced(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/cis/vm-payroll.yaml", "status: in-service", "status: retired")
        repo.edit("catalog/cis/esx-01.yaml", "status: in-service", "status: retired")
        repo.edit("catalog/cis/vm-spare.yaml", "status: in-service", "status: retired")

    document = branch_diff(tmp_path, edits)
    # vm-payroll: the payroll service runs on it (the closed change does not count);
    # esx-01: vm-payroll and vm-spare are retired too in this PR, mon-01 still uses it;
    # vm-spare: nothing refers to it.
    assert signal_list(document) == [
        (
            "ci-retired-while-referenced",
            "ConfigurationItem/esx-01",
            "warning",
            "CI retired while referenced by ConfigurationItem/mon-01",
        ),
        (
            "ci-retired-while-referenced",
            "ConfigurationItem/vm-payroll",
            "warning",
            "CI retired while referenced by Service/payroll",
        ),
    ]


def test_removed_while_referenced(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.remove("catalog/services/identity.yaml")
        repo.remove("catalog/teams/web.yaml")  # nobody refers to it: no signal

    document = branch_diff(tmp_path, edits)
    assert sorted((c["op"], c["id"]) for c in document["changes"]) == [
        ("removed", "identity"),
        ("removed", "web"),
    ]
    assert signal_list(document) == [
        (
            "removed-while-referenced",
            "Service/identity",
            "warning",
            "removed, but still referenced by SLA/identity-sla, Service/legacy-hr, Service/payroll",
        )
    ]


def test_ci_retired_while_a_ci_in_maintenance_runs_on_it(tmp_path: Path) -> None:
    """A CI in maintenance (or planned) still exists and still runs on the host:
    only users that are retired themselves are no reason to warn."""

    def edits(repo: Repo) -> None:
        repo.edit("catalog/cis/esx-01.yaml", "status: in-service", "status: retired")
        repo.edit("catalog/cis/vm-spare.yaml", "status: in-service", "status: maintenance")
        repo.edit("catalog/cis/vm-payroll.yaml", "status: in-service", "status: planned")

    document = branch_diff(tmp_path, edits)
    assert signal_list(document) == [
        (
            "ci-retired-while-referenced",
            "ConfigurationItem/esx-01",
            "warning",
            "CI retired while referenced by ConfigurationItem/mon-01, "
            "ConfigurationItem/vm-payroll, ConfigurationItem/vm-spare",
        ),
    ]


def test_impact_of_a_removed_entity_and_of_a_change_request(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.remove("catalog/cis/esx-01.yaml")
        repo.edit("changes/2026/chg-2026-0002.yaml", "state: assess", "state: authorize")

    document = branch_diff(tmp_path, edits)
    changes = by_ref(document)
    removed = changes["ConfigurationItem/esx-01"]
    assert removed["op"] == "removed"
    assert removed["impact"]["services"] == ["payroll", "portal"]
    assert removed["impact"]["cis"] == ["esx-01", "vm-payroll", "vm-spare"]
    assert removed["impact"]["tier1"] == ["payroll"]
    request = changes["ChangeRequest/chg-2026-0002"]
    assert request["impact"]["services"] == ["payroll", "portal"]
    assert request["impact"]["changes"] == []  # not itself


def test_signals_come_first_in_text_and_markdown(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/services/portal.yaml", "tier: 3", "tier: 1")
        repo.write("catalog/teams/hr.yaml", _team("hr", "Human Resources"))

    branch_diff(tmp_path, edits)
    repo = tmp_path / "repo"
    text = run_diff(repo, "main", "feature").stdout
    assert text.index("Signals:") < text.index("added Team/hr")
    assert text.index("Signals:") < text.index("modified Service/portal")
    markdown = run_diff(repo, "main", "feature", "--format", "markdown").stdout
    assert (
        markdown.index("Reviewer signals") < markdown.index("Impact") < markdown.index("<details>")
    )


# =========================================================================== impact


def test_impact_through_a_ci_runs_on_chain(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/cis/esx-01.yaml", "environment: production", "environment: dr")

    document = branch_diff(tmp_path, edits)
    expected = {
        "services": ["payroll", "portal"],  # via vm-payroll runs-on, then portal dependsOn
        "cis": ["esx-01", "vm-payroll", "vm-spare"],  # mon-01 only connects-to: not hit
        "slas": ["payroll-gold", "portal-std"],
        "tier1": ["payroll"],
        "changes": ["chg-2026-0002"],  # 0001 closed, 0003 canceled, 0004 on mon-01
    }
    assert document["impact"] == expected
    (change,) = document["changes"]
    assert change["impact"] == expected


def test_impact_is_the_union_over_changes(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/services/identity.yaml", "category: General", "category: IAM")
        repo.edit("catalog/cis/mon-01.yaml", "environment: production", "environment: staging")

    document = branch_diff(tmp_path, edits)
    impact = document["impact"]
    assert impact["services"] == ["identity", "legacy-hr", "monitoring", "payroll", "portal"]
    assert impact["slas"] == ["identity-sla", "payroll-gold", "portal-std"]
    assert impact["tier1"] == ["payroll"]
    assert impact["changes"] == ["chg-2026-0002", "chg-2026-0004"]
    changes = by_ref(document)
    assert changes["ConfigurationItem/mon-01"]["impact"]["services"] == ["monitoring"]
    assert changes["ConfigurationItem/mon-01"]["impact"]["changes"] == ["chg-2026-0004"]


def test_no_impact(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.edit("catalog/cis/esx-01.yaml", "environment: production", "environment: dr")
        repo.edit("catalog/services/payroll.yaml", "owner: ops", "owner: web")

    document = branch_diff(tmp_path, edits, "--no-impact")
    assert document["impact"] is None
    assert all(c.get("impact") is None for c in document["changes"])
    assert [s["id"] for s in document["signals"]] == ["owner-changed"]
    repo = tmp_path / "repo"
    assert "Impact" not in run_diff(repo, "main", "feature", "--no-impact").stdout
    markdown = run_diff(repo, "main", "feature", "--no-impact", "--format", "markdown").stdout
    assert "#### Impact" not in markdown


# =========================================================================== exit codes


def test_exit_code_option(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.write(
        "catalog/services/identity.yaml",
        "# only a comment is new\n" + repo.read("catalog/services/identity.yaml"),
    )
    repo.commit("comment only")
    for fmt in ("text", "json", "markdown"):
        assert run_diff(repo, "main", "feature", "--exit-code", "--format", fmt).exit_code == 0
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.commit()
    for fmt in ("text", "json", "markdown"):
        result = run_diff(repo, "main", "feature", "--exit-code", "--format", fmt)
        assert result.exit_code == 1, result.stderr
        assert "identity" in result.stdout
        assert run_diff(repo, "main", "feature", "--format", fmt).exit_code == 0
    # the working tree too
    assert run_diff(repo, "feature", "--exit-code").exit_code == 0
    repo.write("catalog/teams/hr.yaml", _team("hr", "Human Resources"))
    assert run_diff(repo, "feature", "--exit-code").exit_code == 1


def test_output_file(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.commit()
    out = tmp_path / "diff.json"
    result = run_diff(repo, "main", "feature", "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert list(by_ref(json.loads(out.read_text()))) == ["Service/identity"]


# =========================================================================== hostile refs


HOSTILE_REFS = [
    "--output={pwned}",
    "-h",
    "HEAD --output={pwned}",
    "../../etc",
    "no-such-branch",
    "--upload-pack=touch {pwned}",
    "HEAD:catalogctl.yaml",
    "",
    "HEAD\n--output={pwned}",
    "main\rcatalogctl: ok",
    "HEAD\x1b[2J",
]


@pytest.mark.parametrize("template", HOSTILE_REFS)
@pytest.mark.parametrize("position", ["base", "head"])
def test_hostile_and_unknown_refs_exit_2_and_run_nothing(
    tmp_path: Path, template: str, position: str
) -> None:
    repo = make_repo(tmp_path / "repo")
    repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
    repo.commit()
    pwned = tmp_path / "pwned"
    ref = template.format(pwned=pwned)
    out = tmp_path / "report.md"
    refs = [ref] if position == "base" else ["main", ref]
    before = repo.status()

    result = run_diff(repo, "--format", "markdown", "-o", str(out), "--", *refs)

    line = one_error_line(result)
    if ref:
        assert ref in line or "not a valid git ref" in line or "unknown git ref" in line
    assert not pwned.exists()
    assert not out.exists()
    assert not (repo.path / "x").exists()
    assert list(tmp_path.glob(".report.md*")) == []
    assert repo.status() == before


def test_hostile_ref_in_the_middle_of_valid_ones_is_named(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    line = one_error_line(run_diff(repo, "--", "main", "--output=x"))
    assert "'--output=x'" in line
    line = one_error_line(run_diff(repo, "no-such-branch", "main"))
    assert "no-such-branch" in line
    assert not (repo.path / "x").exists()


# =========================================================================== markdown


def _hostile_edits(repo: Repo) -> None:
    name = "<script>alert(1)</script> @octo-org/admins | `rm -rf /` [x](javascript:alert(1))"
    repo.write(
        "catalog/services/evil.yaml",
        _service("evil", json.dumps(name)).replace(
            "category: General",
            'category: "<img src=x onerror=alert(1)> @everyone | ## not a heading"',
        ),
    )
    repo.edit(
        "catalog/services/payroll.yaml",
        "Questions go to HR.\n",
        "Questions go to HR.\n    <script>steal()</script> ping @payroll-team\n"
        "    ```\n    ````\n    not code any more? | # @here\n",
    )
    repo.edit("catalog/services/payroll.yaml", "name: Payroll", 'name: "Payroll @hr-leads | <b>"')
    repo.edit(
        "catalog/services/payroll.yaml",
        "name: Copy of a payslip",
        'name: "`code` @ghost </details><script>x</script>"',
    )
    repo.edit("catalog/teams/web.yaml", "email: web@example.com", "email: web@evil.example.com")


def test_markdown_escapes_hostile_names_and_values(tmp_path: Path) -> None:
    branch_diff(tmp_path, _hostile_edits)
    result = run_diff(tmp_path / "repo", "main", "feature", "--format", "markdown")
    assert result.exit_code == 0
    markdown = result.stdout
    assert markdown.startswith(MARKER + "\n")
    rest = outside_fences(markdown)
    assert "<script" not in rest.lower()
    assert "<img" not in rest.lower()
    assert "</details><script" not in rest
    assert "@" not in rest
    assert "`rm -rf /`" not in rest
    assert "&lt;script&gt;" in rest
    # every generated HTML tag is ours
    assert set(re.findall(r"</?([a-zA-Z]+)", rest)) <= {"details", "summary", "b"}
    assert rest.count("<details>") == rest.count("</details>") == 3
    # table rows keep their columns: only the separators are raw pipes
    for line in rest.splitlines():
        if line.startswith("|"):
            assert line.count("|") in (4, 6), line
    # the text diff stays inside its fence
    assert "+<script>steal()</script> ping @payroll-team" in markdown
    assert "+not code any more? | # @here" in markdown


def test_markdown_escaping_shows_the_original_text(tmp_path: Path) -> None:
    """Escaped text must still read as the original once rendered: `@` and `|`
    become entities, and those entities must not be escaped a second time
    (`&#64;` -> `&&#35;64;`, which GitHub shows as the literal text `&#64;`)."""
    branch_diff(tmp_path, _hostile_edits)
    markdown = run_diff(tmp_path / "repo", "main", "feature", "--format", "markdown").stdout
    summaries = dict(
        re.findall(r"<summary><b>\w+</b> ([^:]+): (.*)</summary>", markdown)  # ref -> name
    )
    assert html.unescape(summaries["Service/evil"]) == (
        "<script>alert(1)</script> @octo-org/admins | `rm -rf /` [x](javascript:alert(1))"
    )
    assert html.unescape(summaries["Service/payroll"]) == "Payroll @hr-leads | <b>"
    (row,) = [line for line in markdown.splitlines() if line.startswith("| spec.email |")]
    cells = [html.unescape(cell.strip()) for cell in row.strip("|").split("|")]
    assert cells == ["spec.email", "web@example.com", "web@evil.example.com"]


def test_markdown_structure(tmp_path: Path) -> None:
    def edits(repo: Repo) -> None:
        repo.write("catalog/teams/hr.yaml", _team("hr", "Human Resources"))
        repo.edit("catalog/services/portal.yaml", "tier: 3", "tier: 1")
        repo.edit("catalog/services/identity.yaml", "tier: 2", "tier: 3")
        repo.move("catalog/cis/esx-01.yaml", "catalog/cis/hosts/esx-01.yaml")
        repo.remove("catalog/teams/web.yaml")

    branch_diff(tmp_path, edits)
    markdown = run_diff(tmp_path / "repo", "main", "feature", "--format", "markdown").stdout
    assert markdown.startswith(MARKER + "\n")
    assert "| kind | added | modified | moved | removed |" in markdown
    assert "| Service |  | 2 |  |  |" in markdown
    assert "| Team | 1 |  |  | 1 |" in markdown
    assert "| ConfigurationItem |  |  | 1 |  |" in markdown
    assert markdown.count("<details>") == 5
    assert markdown.count("</details>") == 5
    assert "left out" not in markdown


def _big_catalog(count: int, lines: int) -> dict[str, str]:
    files = {"catalogctl.yaml": POLICY, "catalog/teams/ops.yaml": _team("ops", "Operations")}
    for number in range(count):
        body = "".join(
            f"    Line {i} of the description of service {number}.\n" for i in range(lines)
        )
        files[f"catalog/services/svc-{number:04d}.yaml"] = _service(
            f"svc-{number:04d}", f"Service {number}"
        ).replace("  name:", "  description: |\n" + body + "  name:")
    return files


def test_markdown_stays_within_the_comment_limit_with_many_large_changes(tmp_path: Path) -> None:
    files = _big_catalog(200, 40)
    repo = make_repo(tmp_path / "repo", files)
    for rel, text in files.items():
        if rel.startswith("catalog/services/"):
            repo.write(rel, text.replace("Line", "Row").replace("tier: 3", "tier: 2"))
    repo.commit()
    result = run_diff(repo, "main", "feature", "--format", "markdown")
    assert result.exit_code == 0
    markdown = result.stdout
    assert markdown.startswith(MARKER)
    assert len(markdown) <= MD_LIMIT
    match = re.search(r"(\d+) of (\d+) change details left out", markdown)
    assert match, markdown[-500:]
    assert int(match.group(2)) == 200
    shown = markdown.count("<details>")
    assert shown > 0
    assert shown + int(match.group(1)) == 200
    assert markdown.count("</details>") == shown
    assert outside_fences(markdown)  # every fence closed
    assert markdown.rstrip().endswith("for all._")


def test_markdown_stays_within_the_limit_when_signals_alone_are_huge(tmp_path: Path) -> None:
    """Thousands of signals (and long impact lists) are not details: the comment
    must still fit in GitHub's 65,536 characters."""
    files = _big_catalog(900, 0)
    for number in range(900):
        files[f"catalog/services/svc-{number:04d}.yaml"] = files[
            f"catalog/services/svc-{number:04d}.yaml"
        ].replace("  description: |\n", "")
    repo = make_repo(tmp_path / "repo", files)
    for rel, text in files.items():
        if rel.startswith("catalog/services/"):
            repo.write(
                rel,
                text.replace("owner: ops", "owner: web")
                .replace("tier: 3", "tier: 1")
                .replace("visibility: public", "visibility: internal"),
            )
    repo.commit()
    result = run_diff(repo, "main", "feature", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.startswith(MARKER)
    assert len(result.stdout) <= MD_LIMIT, len(result.stdout)


# =========================================================================== golden files


def _golden_edits(repo: Repo) -> None:
    repo.write("catalog/cis/db-payroll.yaml", _ci("db-payroll", "database"))
    repo.remove("catalog/teams/web.yaml")
    repo.move("catalog/cis/esx-01.yaml", "catalog/cis/hosts/esx-01.yaml")
    payroll = "catalog/services/payroll.yaml"
    repo.edit(payroll, "the first working", "the last working")
    repo.edit(payroll, "[hr, finance, people]", "[people, payments, hr]")
    repo.edit(payroll, "fulfillment: 3d", "fulfillment: 5d")
    repo.edit(payroll, "owner: ops", "owner: cab")
    repo.edit(payroll, "cis: [vm-payroll]", "cis: [vm-payroll, db-payroll]")
    repo.edit("catalog/slas/payroll-gold.yaml", "target: 99.9", "target: 99.5")
    repo.edit("catalog/slas/payroll-gold.yaml", "hours: extended-hours", "hours: business-hours")
    repo.edit("catalog/services/identity.yaml", "lifecycle: live", "lifecycle: retired")
    repo.edit("catalogctl.yaml", "leadTimes: {normal: 3d,", "leadTimes: {normal: 5d,")
    repo.write("schemas/service.schema.json", "{}\n")


@pytest.mark.parametrize(("fmt", "ext"), [("text", "txt"), ("markdown", "md")])
def test_golden(tmp_path: Path, fmt: str, ext: str) -> None:
    repo = make_repo(tmp_path / "repo")
    base = repo.sha()
    _golden_edits(repo)
    head = repo.commit()
    result = run_diff(repo, "main", "feature", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    actual = placeholders(result.stdout, base, head)
    golden = GOLDEN_DIR / f"diff.{ext}"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_golden_inputs_give_the_same_json_from_the_working_tree(tmp_path: Path) -> None:
    """The same edits uncommitted: identical changes, head null."""
    committed = make_repo(tmp_path / "a")
    _golden_edits(committed)
    committed.commit()
    from_commits = diff_json(committed, "main", "feature")
    uncommitted = make_repo(tmp_path / "b")
    _golden_edits(uncommitted)
    from_tree = diff_json(uncommitted)
    assert from_tree["head"] is None
    for key in ("changes", "signals", "impact", "problems", "other_files"):
        assert from_tree[key] == from_commits[key], key
