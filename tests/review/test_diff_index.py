"""`diff` answers impact from the cached reference index of a tree, and the
index never changes an answer.

A small catalog is committed twice in a real git repository (base and head);
every cached `diff` is compared, byte for byte and in every format, with the
same command under `--no-cache` (which builds the whole head catalog), in
every state the index can be in: absent, the base's only, the head's,
damaged, another tree's stored under the head's key. The impact a changed
dependency makes is also written out by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogctl.cli import main
from catalogctl.load import cache
from catalogctl.model import refindex, refstore
from gitrepo import commit_at, git, isolated_git  # noqa: F401  # isolated_git: a fixture

pytestmark = pytest.mark.usefixtures("isolated_git")

FORMATS = ("text", "json", "markdown")
POLICY = "apiVersion: catalogctl/v1\nkind: Policy\ncab:\n  team: ops\n"
TEAM = """\
apiVersion: catalogctl/v1
kind: Team
metadata:
  id: ops
  name: Operations
spec:
  github: acme/ops
  members: [alice]
  email: ops@example.com
"""


def service(service_id: str, tier: int, depends: str = "", cis: str = "") -> str:
    return f"""\
apiVersion: catalogctl/v1
kind: Service
metadata:
  id: {service_id}
  name: {service_id.title()}
spec:
  owner: ops
  type: technical
  lifecycle: live
  tier: {tier}
  visibility: internal
  dependsOn: [{depends}]
  cis: [{cis}]
"""


SLA = """\
apiVersion: catalogctl/v1
kind: SLA
metadata:
  id: gold
  name: Gold
spec:
  services: [portal]
  customer: Everyone
  hours: 24x7
  availability: {target: 99.9, period: monthly}
"""
CHANGE = """\
apiVersion: catalogctl/v1
kind: ChangeRequest
metadata:
  id: chg-2026-0001
  name: Patch the portal
spec:
  type: normal
  state: assess
  requester: carol
  owner: ops
  targets: {services: [portal]}
  risk: {impact: low, likelihood: low}
"""

# base: hr -> portal -> payroll, reports depends on nothing
BASE = {
    "catalogctl.yaml": POLICY,
    "catalog/teams/ops.yaml": TEAM,
    "catalog/services/payroll.yaml": service("payroll", 2),
    "catalog/services/portal.yaml": service("portal", 1, "payroll"),
    "catalog/services/hr.yaml": service("hr", 3, "portal"),
    "catalog/services/reports.yaml": service("reports", 3),
    "catalog/slas/gold.yaml": SLA,
    "changes/2026/chg-2026-0001.yaml": CHANGE,
}
# head: payroll's tier changes; portal stops depending on payroll and
# reports starts to: the impact of the payroll edit moves with them
HEAD = {
    "catalog/services/payroll.yaml": service("payroll", 3),
    "catalog/services/portal.yaml": service("portal", 1),
    "catalog/services/reports.yaml": service("reports", 3, "payroll"),
}


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    root = tmp_path / "repo"
    root.mkdir()
    write(root, BASE)
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-03-01T12:00:00+00:00", "base")
    git(root, "tag", "base")
    write(root, HEAD)
    commit_at(root, "2026-03-02T12:00:00+00:00", "head")
    git(root, "tag", "head")
    return root


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["-C", str(root), *args], env={"NO_COLOR": None})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def indexes(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob(f"v*/{cache.GRAPHS}/*{cache.SUFFIX}"))


def assert_as_without_cache(root: Path, *refs: str) -> None:
    for fmt in FORMATS:
        cached = run(root, "diff", "-f", fmt, *refs)
        assert cached.exit_code == 0, cached.output
        plain = run(root, "--no-cache", "diff", "-f", fmt, *refs)
        assert cached.stdout == plain.stdout, fmt
        assert cached.stderr == plain.stderr


def payroll_impact(root: Path) -> dict[str, list[str]]:
    report = json.loads(run(root, "diff", "-f", "json", "base", "head").stdout)
    (change,) = [c for c in report["changes"] if c["id"] == "payroll"]
    impact: dict[str, list[str]] = change["impact"]
    return impact


def test_a_changed_dependency_in_a_changed_file_moves_the_impact(
    repo: Path, tmp_path: Path
) -> None:
    git(repo, "checkout", "-q", "base")
    assert run(repo, "lint").exit_code in (0, 1)  # keeps the base's index
    assert len(indexes(tmp_path)) == 1
    impact = payroll_impact(repo)
    # by hand: reports now depends on payroll; portal (and so hr, gold,
    # the tier-1 flag and the change on portal) no longer do
    assert impact["services"] == ["payroll", "reports"]
    assert impact["slas"] == [] and impact["tier1"] == [] and impact["changes"] == []
    assert len(indexes(tmp_path)) == 2  # the head's, made from the base's
    assert_as_without_cache(repo, "base", "head")
    assert_as_without_cache(repo, "head", "base")  # and back: portal's side again
    back = json.loads(run(repo, "diff", "-f", "json", "head", "base").stdout)
    (change,) = [c for c in back["changes"] if c["id"] == "payroll"]
    assert change["impact"]["services"] == ["hr", "payroll", "portal"]
    assert change["impact"]["changes"] == ["chg-2026-0001"]


def test_every_state_of_the_index_gives_the_same_answer(repo: Path, tmp_path: Path) -> None:
    assert_as_without_cache(repo, "base", "head")  # no index at all: made from the files
    assert indexes(tmp_path)
    assert_as_without_cache(repo, "base", "head")  # the head's own
    for damaged in indexes(tmp_path):
        raw = damaged.read_bytes()
        damaged.write_bytes(raw[: len(raw) // 2])
    assert_as_without_cache(repo, "base", "head")
    for damaged in indexes(tmp_path):
        damaged.write_bytes(b"not an index")
    assert_as_without_cache(repo, "base", "head")


def test_another_trees_index_under_this_trees_key_is_corrected(repo: Path, tmp_path: Path) -> None:
    git(repo, "checkout", "-q", "base")
    run(repo, "lint")
    (base_index,) = indexes(tmp_path)
    assert_as_without_cache(repo, "base", "head")
    (head_index,) = [p for p in indexes(tmp_path) if p != base_index]
    # the base's index, checksum intact, stored as the head's: every record
    # whose object id differs from the head's file is read again
    head_index.write_bytes(base_index.read_bytes())
    assert payroll_impact(repo)["services"] == ["payroll", "reports"]
    assert_as_without_cache(repo, "base", "head")


def test_the_working_tree_as_head(repo: Path) -> None:
    git(repo, "checkout", "-q", "head")
    write(repo, {"catalog/services/hr.yaml": service("hr", 3, "payroll")})
    assert_as_without_cache(repo, "base")
    report = json.loads(run(repo, "diff", "-f", "json", "base").stdout)
    (change,) = [c for c in report["changes"] if c["id"] == "payroll"]
    assert change["impact"]["services"] == ["hr", "payroll", "reports"]


def test_the_index_is_what_answers(repo: Path, tmp_path: Path) -> None:
    """A fact only the kept index holds shows up: the diff reads the index
    rather than the catalog's files (what makes it fast)."""
    assert_as_without_cache(repo, "base", "head")
    for stored in indexes(tmp_path):
        _header, _, body = stored.read_bytes().partition(b"\n")
        name, stamp, data, meta = body.decode().rstrip("\n").split("\t")
        index = refstore.decode(data, name)
        assert index is not None
        target = refindex.key("Service", "payroll")
        referrers = json.loads(index.referrers.get(target, "[]"))
        referrers.append([["Service", "hr"], ["spec", "dependsOn", 1], ["Service", "payroll"]])
        index.referrers[target] = json.dumps(referrers)  # type: ignore[index]
        line = "\t".join([name, stamp, refstore.encode(name, index), meta]) + "\n"
        forged = line.encode()
        stored.write_bytes(f"{cache.FORMAT} {cache._checksum(forged)}\n".encode() + forged)
    # forged: hr's file says nothing of payroll, only the index does
    assert "hr" in payroll_impact(repo)["services"]


def test_a_duplicate_that_comes_forward_is_read_from_its_file(repo: Path, tmp_path: Path) -> None:
    """Two files claim one id (look-alike spellings): the base's index kept
    the facts of the first only; when the head deletes it, the second is
    read from its file, never guessed."""
    write(
        repo,
        {
            "catalog/services/a-twin.yaml": service("twin", 1, "payroll"),
            "catalog/services/b-twin.yaml": service("TWIN", 4, "reports"),
        },
    )
    commit_at(repo, "2026-03-03T12:00:00+00:00", "twins")
    git(repo, "tag", "twins")
    run(repo, "lint")  # keeps the index of `twins`
    (repo / "catalog/services/a-twin.yaml").unlink()
    write(repo, {"catalog/services/reports.yaml": service("reports", 2)})
    commit_at(repo, "2026-03-04T12:00:00+00:00", "one twin")
    assert_as_without_cache(repo, "twins", "HEAD")
    report = json.loads(run(repo, "diff", "-f", "json", "twins", "HEAD").stdout)
    (change,) = [c for c in report["changes"] if c["id"] == "reports"]
    assert change["impact"]["services"] == ["TWIN", "reports"]  # b-twin depends on reports
    assert change["impact"]["tier1"] == []


def test_the_gate_reads_its_base_from_the_index(repo: Path, tmp_path: Path) -> None:
    """The gate's base (owners, members, risk) comes from the base's index:
    the same verdict as without the cache, whether the index was kept by a
    lint, made by the gate, or damaged."""
    gate = ["gate", "--base", "base", "--head", "head", "--now", "2026-03-05T09:00:00Z"]

    def same() -> None:
        for fmt in ("json", "markdown"):
            cached = run(repo, *gate, "-f", fmt)
            plain = run(repo, "--no-cache", *gate, "-f", fmt)
            assert (cached.exit_code, cached.stdout) == (plain.exit_code, plain.stdout)

    same()  # the base's index made by the gate
    assert indexes(tmp_path)
    same()  # and read
    for damaged in indexes(tmp_path):
        damaged.write_bytes(damaged.read_bytes()[:100])
    same()
    verdict = json.loads(run(repo, *gate, "-f", "json").stdout)
    assert verdict["checks"], verdict  # the gate judged something
