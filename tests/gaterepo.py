"""The gate tests' fixture: a small catalog on `main` and pull requests against it.

Shared by tests/review/test_gate.py and tests/review/test_gate_integrity.py. Every pull
request is a branch of a real git repository in tmp_path (plain `git`, no
mocks); the gate runs through click's CliRunner as CI would (`--base main
--head <branch> --reviews <file> --pr-author <login> --now <instant>`) with a
reviews file in GitHub's REST format.

Fixture catalog (only dependency relations shown):

    payroll (tier 1, owner hr) --cis--> vm-payroll --runs-on--> esx-01
    wiki    (tier 3, owner ops) --cis--> vm-wiki-a, vm-wiki-b  --runs-on--> esx-02
    intranet (tier 3, owner ops) --cis--> vm-intranet
    db-01 (database, owner ops) is used by nothing

Teams: cab [carol, dave, erin], ecab [frank, grace], ops [alice, oscar,
opsbot], hr [hank, hilda]. Changes on main: 0001 closed, 0002 authorize
(requester carol), 0003 scheduled on vm-wiki-a (2026-04-10 20:00-23:00Z),
0004 canceled; 0099 was added and then deleted straight on main.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.load.schemas import bundled_dir
from gitrepo import WorkTree, ci_yaml, git

NOW = "2026-03-02T09:00:00Z"  # a Monday; every normal window below is >= 3 days later
MARKER = "<!-- catalogctl:gate -->"


# --------------------------------------------------------------------------- the fixture catalog

POLICY = """\
apiVersion: catalogctl/v1
kind: Policy
cab: {team: cab, emergencyTeam: ecab}
approvals: {low: 1, medium: 1, high: 2, emergency: 1}
leadTimes: {normal: 3d, standard: 1h, emergency: 0m}
freezes:
  - id: year-end
    name: Year-end freeze
    start: 2026-12-19T00:00:00+01:00
    end: 2027-01-04T00:00:00+01:00
    allow: [emergency]
schedules:
  - id: business-hours
    name: Business hours
    timezone: Europe/Berlin
    days: [mon, tue, wed, thu, fri]
    start: "08:00"
    end: "18:00"
"""

LOOSE_POLICY = POLICY.replace(
    "approvals: {low: 1, medium: 1, high: 2, emergency: 1}",
    "approvals: {low: 0, medium: 0, high: 0, emergency: 0}",
)


def team_yaml(team_id: str, name: str, members: Sequence[str]) -> str:
    return f"""\
apiVersion: catalogctl/v1
kind: Team
metadata:
  id: {team_id}
  name: {name}
spec:
  github: example/{team_id}
  members: [{", ".join(members)}]
  email: {team_id}@example.com
"""


def _service(service_id: str, owner: str, tier: int, cis: Sequence[str]) -> str:
    return f"""\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: {service_id}
  name: {service_id.title()}
spec:
  owner: {owner}
  type: business
  lifecycle: live
  tier: {tier}
  visibility: public
  category: General
  cis: [{", ".join(cis)}]
"""


def _ci(ci_id: str, ci_type: str, runs_on: str | None = None) -> str:
    relations = f"    - {{type: runs-on, target: {runs_on}}}\n" if runs_on else ""
    return ci_yaml(ci_id, ci_type, relations)


def _sla(sla_id: str, service: str) -> str:
    return f"""\
apiVersion: catalogctl/v1
kind: SLA
metadata:
  id: {sla_id}
  name: {sla_id} agreement
spec:
  services: [{service}]
  customer: All employees
  hours: business-hours
  availability: {{target: 99.9, period: monthly}}
  priorities:
    P1: {{response: 30m, resolution: 4h}}
    P2: {{response: 2h, resolution: 1d}}
  effective:
    from: 2026-01-01
  review: 2027-06-01
"""


TEMPLATE = """\
apiVersion: catalogctl/v1
kind: ChangeTemplate
metadata:
  id: os-patch
  name: Monthly OS patching
spec:
  owner: ops
  ciTypes: [server, virtual-machine]
  maxDuration: 4h
  plan:
    implementation: Patch and reboot one host at a time.
    backout: Restore the pre-patch snapshot.
    validation: Health checks are green.
"""


@dataclass(frozen=True)
class Chg:
    """A ChangeRequest document; `dataclasses.replace` walks it through the workflow."""

    id: str
    type: str = "normal"
    state: str = "new"
    requester: str = "alice"
    services: tuple[str, ...] = ()
    cis: tuple[str, ...] = ()
    impact: str = "low"
    likelihood: str = "low"
    window: tuple[str, str] | None = None
    template: str | None = None
    closure: str | None = None
    name: str = "A change"
    plan: tuple[str, str, str] = ("Do it.", "Undo it.", "It works.")

    @property
    def path(self) -> str:
        return f"changes/{self.id[4:8]}/{self.id}.yaml"

    @property
    def ref(self) -> str:
        return f"ChangeRequest/{self.id}"

    def yaml(self) -> str:
        targets = []
        if self.services:
            targets.append(f"services: [{', '.join(self.services)}]")
        if self.cis:
            targets.append(f"cis: [{', '.join(self.cis)}]")
        text = f"""\
apiVersion: catalogctl/v1
kind: ChangeRequest
metadata:
  id: {self.id}
  name: {self.name}
spec:
  type: {self.type}
"""
        if self.template:
            text += f"  template: {self.template}\n"
        text += f"""\
  state: {self.state}
  requester: {self.requester}
  owner: ops
  targets: {{{", ".join(targets)}}}
  risk: {{impact: {self.impact}, likelihood: {self.likelihood}}}
"""
        if self.window:
            text += f"  window: {{start: {self.window[0]}, end: {self.window[1]}}}\n"
        implementation, backout, validation = self.plan
        text += f"""\
  plan:
    implementation: {implementation}
    backout: {backout}
    validation: {validation}
"""
        if self.closure:
            text += f"  closure: {{code: {self.closure}, notes: Went as planned.}}\n"
        return text

    def at(self, state: str, **changes: Any) -> Chg:
        return dataclasses.replace(self, state=state, **changes)


# the plan of template os-patch, which its standard changes must follow
OS_PATCH_PLAN = (
    "Patch and reboot one host at a time.",
    "Restore the pre-patch snapshot.",
    "Health checks are green.",
)

CLOSED_0001 = Chg(
    "chg-2026-0001",
    state="closed",
    services=("intranet",),
    window=("2026-02-10T20:00:00Z", "2026-02-10T22:00:00Z"),
    closure="successful",
)
AUTHORIZE_0002 = Chg(
    "chg-2026-0002",
    state="authorize",
    requester="carol",
    services=("intranet",),
    window=("2026-03-20T20:00:00Z", "2026-03-20T22:00:00Z"),
)
SCHEDULED_0003 = Chg(
    "chg-2026-0003",
    state="scheduled",
    cis=("vm-wiki-a",),
    window=("2026-04-10T20:00:00Z", "2026-04-10T23:00:00Z"),
)
CANCELED_0004 = Chg("chg-2026-0004", state="canceled", cis=("db-01",))
DELETED_0099 = Chg("chg-2026-0099", cis=("db-01",))
# a window that overlaps chg-2026-0003's
OVERLAPPING = ("2026-04-10T21:00:00Z", "2026-04-10T22:00:00Z")

BASE_FILES: dict[str, str] = {
    "catalogctl.yaml": POLICY,
    "catalog/teams/cab.yaml": team_yaml("cab", "Change Advisory Board", ["carol", "dave", "erin"]),
    "catalog/teams/ecab.yaml": team_yaml("ecab", "Emergency CAB", ["frank", "grace"]),
    "catalog/teams/ops.yaml": team_yaml("ops", "Operations", ["alice", "oscar", "opsbot"]),
    "catalog/teams/hr.yaml": team_yaml("hr", "HR systems", ["hank", "hilda"]),
    "catalog/services/payroll.yaml": _service("payroll", "hr", 1, ["vm-payroll"]),
    "catalog/services/wiki.yaml": _service("wiki", "ops", 3, ["vm-wiki-a", "vm-wiki-b"]),
    "catalog/services/intranet.yaml": _service("intranet", "ops", 3, ["vm-intranet"]),
    "catalog/slas/payroll-sla.yaml": _sla("payroll-sla", "payroll"),
    "catalog/slas/wiki-sla.yaml": _sla("wiki-sla", "wiki"),
    "catalog/cis/esx-01.yaml": _ci("esx-01", "server"),
    "catalog/cis/esx-02.yaml": _ci("esx-02", "server"),
    "catalog/cis/vm-payroll.yaml": _ci("vm-payroll", "virtual-machine", "esx-01"),
    "catalog/cis/vm-wiki-a.yaml": _ci("vm-wiki-a", "virtual-machine", "esx-02"),
    "catalog/cis/vm-wiki-b.yaml": _ci("vm-wiki-b", "virtual-machine", "esx-02"),
    "catalog/cis/vm-intranet.yaml": _ci("vm-intranet", "virtual-machine"),
    "catalog/cis/db-01.yaml": _ci("db-01", "database"),
    "catalog/templates/os-patch.yaml": TEMPLATE,
    **{c.path: c.yaml() for c in (CLOSED_0001, AUTHORIZE_0002, SCHEDULED_0003, CANCELED_0004)},
}

# --------------------------------------------------------------------------- git and the CLI


def _git(cwd: Path, *args: str, home: Path) -> str:
    """git with the tests' fixed identity and a home of the fixture's own."""
    return git(cwd, *args, env={"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")})


@pytest.fixture(scope="session", name="template_repo")
def template_repo_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture catalog committed on main, with chg-2026-0099 added and deleted."""
    top = tmp_path_factory.mktemp("gate-template")
    home = top / "home"
    home.mkdir()
    path = top / "repo"
    path.mkdir()
    _git(path, "init", "-q", "-b", "main", home=home)
    for rel, text in BASE_FILES.items():
        target = path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    shutil.copytree(bundled_dir(), path / "schemas")
    _git(path, "add", "-A", home=home)
    _git(path, "commit", "-q", "-m", "base catalog", home=home)
    target = path / DELETED_0099.path
    target.write_text(DELETED_0099.yaml(), encoding="utf-8")
    _git(path, "add", "-A", home=home)
    _git(path, "commit", "-q", "-m", "chg-2026-0099 by mistake", home=home)
    target.unlink()
    _git(path, "add", "-A", home=home)
    _git(path, "commit", "-q", "-m", "remove chg-2026-0099 again", home=home)
    return path


class Repo(WorkTree):
    """A copy of the fixture repository, driven like a sequence of pull requests."""

    def __init__(self, path: Path, reviews_dir: Path) -> None:
        self.path = path
        self.reviews_dir = reviews_dir
        self.home = path.parent / "home"
        self._reviews = 0

    # files: write, read and edit come from WorkTree
    def put(self, change: Chg) -> None:
        self.write(change.path, change.yaml())

    # git
    def git(self, *args: str) -> str:
        return _git(self.path, *args, home=self.home)

    def sha(self, ref: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", ref + "^{commit}")

    def branch(self, name: str) -> None:
        """Start a pull request from the current main."""
        self.git("checkout", "-q", "main")
        self.git("checkout", "-q", "-b", name)

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.sha()

    def pr(self, name: str, *changes: Chg) -> str:
        """A branch from main with one commit writing `changes`; returns its head SHA."""
        self.branch(name)
        for change in changes:
            self.put(change)
        return self.commit(name)

    def merge(self, name: str) -> None:
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--ff-only", name)

    # the gate
    def reviews_file(self, reviews: Sequence[dict[str, Any]] | str) -> Path:
        self._reviews += 1
        target = self.reviews_dir / f"reviews-{self._reviews}.json"
        target.write_text(
            reviews if isinstance(reviews, str) else json.dumps(list(reviews), indent=1),
            encoding="utf-8",
        )
        return target

    def run_gate(
        self,
        head: str,
        reviews: Sequence[dict[str, Any]] | str | None = None,
        *,
        author: str = "alice",
        now: str = NOW,
        fmt: str = "json",
        extra: Sequence[str] = (),
    ) -> Result:
        args = ["-C", str(self.path), "gate", "--base", "main", "--head", head]
        if reviews is not None:
            args += ["--reviews", str(self.reviews_file(reviews))]
        args += ["--pr-author", author, "--now", now, "--format", fmt, *extra]
        return cli(*args)

    def gate(
        self,
        head: str,
        reviews: Sequence[dict[str, Any]] | None = None,
        *,
        author: str = "alice",
        now: str = NOW,
        extra: Sequence[str] = (),
    ) -> dict[str, Any]:
        result = self.run_gate(head, reviews, author=author, now=now, extra=extra)
        assert result.exit_code in (0, 1), result.stdout + result.stderr
        assert result.stderr == ""
        document: dict[str, Any] = json.loads(result.stdout)
        assert document["version"] == 1
        assert document["result"] == ("pass" if result.exit_code == 0 else "fail")
        assert document["base"] == self.sha("main")
        assert document["head"] == self.sha(head)
        return document


def cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(name="repo")
def repo_fixture(template_repo: Path, tmp_path: Path) -> Iterator[Repo]:
    path = tmp_path / "repo"
    shutil.copytree(template_repo, path)
    reviews_dir = tmp_path / "reviews"
    reviews_dir.mkdir()
    yield Repo(path, reviews_dir)


def review(
    login: str,
    sha: str,
    state: str = "APPROVED",
    at: str = "2026-03-02T08:00:00Z",
    *,
    bot: bool = False,
) -> dict[str, Any]:
    """One review as `GET /repos/{o}/{r}/pulls/{n}/reviews` returns it."""
    return {
        "id": zlib.crc32(f"{login} {sha} {state} {at}".encode()),
        "user": {"login": login, "id": 1000, "type": "Bot" if bot else "User"},
        "body": "",
        "state": state,
        "html_url": "https://github.com/example/catalog/pull/1#pullrequestreview-1",
        "commit_id": sha,
        "submitted_at": at,
        "author_association": "MEMBER",
    }


def approvals(sha: str, *logins: str) -> list[dict[str, Any]]:
    return [review(login, sha) for login in logins]


def failing(document: dict[str, Any]) -> set[str]:
    return {c["name"] for c in document["checks"] if c["status"] == "fail"}


def check(document: dict[str, Any], name: str, entity: str | None = None) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        c
        for c in document["checks"]
        if c["name"] == name and (entity is None or c["entity"] == entity)
    ]
    assert len(found) == 1, (name, entity, document["checks"])
    return found[0]


def passes(document: dict[str, Any]) -> None:
    assert failing(document) == set(), document["checks"]
    assert document["result"] == "pass"
    assert document["missing_approvals"] == []
