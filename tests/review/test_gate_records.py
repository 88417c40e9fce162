"""The gate on incidents and problems: closed records are final, none is ever
deleted or renamed, ids are never reused, and the owners of the affected
services approve. Real repositories from tests/gaterepo.py (payroll is owned
by team hr: hank, hilda; intranet by ops: alice, oscar)."""

from __future__ import annotations

import pytest

from gaterepo import (  # noqa: F401  # the two fixtures
    Repo,
    approvals,
    check,
    failing,
    passes,
    repo_fixture,
    template_repo_fixture,
)
from gitrepo import incident_yaml, isolated_git  # noqa: F401  # isolated_git: a fixture

pytestmark = pytest.mark.usefixtures("isolated_git")

INC = "incidents/2026/inc-2026-0001.yaml"
PRB = "problems/prb-2026-0001.yaml"
TIMES = {
    "reported": "2026-02-20T10:05:00Z",
    "responded": "2026-02-20T10:15:00Z",
    "resolved": "2026-02-20T11:00:00Z",
    "outage": ("2026-02-20T10:00:00Z", "2026-02-20T11:00:00Z"),
}


def incident(state: str = "resolved", **kwargs: object) -> str:
    return incident_yaml(
        "inc-2026-0001",
        services=("payroll",),
        state=state,
        review=state == "closed",
        **{**TIMES, **kwargs},  # type: ignore[arg-type]
    )


def problem(state: str) -> str:
    return (
        "apiVersion: catalogctl/v1\nkind: Problem\nmetadata:\n  id: prb-2026-0001\n"
        "  name: Payroll disk fills up\nspec:\n"
        f"  opened: 2026-02-21T09:00:00Z\n  state: {state}\n  incidents: [inc-2026-0001]\n"
        "  rootCause: Logs are never rotated.\n"
        + (
            "  fix: chg-2026-0001\n  resolved: 2026-02-25T09:00:00Z\n"
            if state in ("resolved", "closed")
            else ""
        )
    )


def merged(repo: Repo, name: str, files: dict[str, str]) -> None:
    """A pull request writing `files`, approved by hr and merged."""
    repo.branch(name)
    for rel, text in files.items():
        repo.write(rel, text)
    head = repo.commit(name)
    passes(repo.gate(name, approvals(head, "hank")))
    repo.merge(name)


def test_a_new_incident_needs_an_owner_of_the_affected_service(repo: Repo) -> None:
    repo.branch("inc-1")
    repo.write(INC, incident())
    head = repo.commit()
    document = repo.gate("inc-1", [])
    assert failing(document) == {"owner-approval"}
    assert document["missing_approvals"][0]["team"] == "hr"
    assert check(document, "immutable")["status"] == "pass"
    passes(repo.gate("inc-1", approvals(head, "hilda")))
    # ops owns intranet, not payroll: its approval is not the one needed
    assert failing(repo.gate("inc-1", approvals(head, "oscar"))) == {"owner-approval"}


def test_a_resolved_incident_may_be_reviewed_and_closed(repo: Repo) -> None:
    merged(repo, "inc-1", {INC: incident()})
    repo.branch("inc-1-close")
    repo.write(INC, incident("closed"))
    head = repo.commit()
    passes(repo.gate("inc-1-close", approvals(head, "hank")))


def test_a_closed_incident_is_final(repo: Repo) -> None:
    merged(repo, "inc-1", {INC: incident("closed")})
    repo.branch("inc-1-rewrite")
    repo.write(INC, incident("closed", resolved="2026-02-20T10:30:00Z"))
    head = repo.commit()
    document = repo.gate("inc-1-rewrite", approvals(head, "hank", "hilda"))
    assert failing(document) == {"immutable"}
    assert "a closed incident is final" in check(document, "immutable")["message"]


def test_not_even_a_comment_of_a_closed_incident_may_change(repo: Repo) -> None:
    merged(repo, "inc-1", {INC: incident("closed")})
    repo.branch("inc-1-comment")
    repo.write(INC, "# reworded later\n" + incident("closed"))
    head = repo.commit()
    document = repo.gate("inc-1-comment", approvals(head, "hank"))
    assert failing(document) == {"immutable"}
    assert "not a byte may change" in check(document, "immutable")["message"]


def test_an_incident_is_never_deleted_and_its_id_never_reused(repo: Repo) -> None:
    merged(repo, "inc-1", {INC: incident()})
    repo.branch("inc-1-delete")
    (repo.path / INC).unlink()
    head = repo.commit()
    document = repo.gate("inc-1-delete", approvals(head, "hank"))
    assert failing(document) == {"immutable"}
    assert "never deleted" in check(document, "immutable")["message"]
    # deleted straight on main all the same: the id stays used
    repo.git("checkout", "-q", "main")
    (repo.path / INC).unlink()
    repo.commit("remove inc-2026-0001")
    repo.branch("inc-1-again")
    repo.write(INC, incident())
    head = repo.commit()
    document = repo.gate("inc-1-again", approvals(head, "hank"))
    assert failing(document) == {"immutable"}
    assert "never reused" in check(document, "immutable")["message"]


def test_a_closed_problem_is_final_and_its_incidents_owners_approve(repo: Repo) -> None:
    merged(repo, "inc-1", {INC: incident()})
    repo.branch("prb-1")
    repo.write(PRB, problem("closed"))
    repo.write(
        INC, incident().replace("  summary:", "  cause:\n    problem: prb-2026-0001\n  summary:")
    )
    head = repo.commit()
    document = repo.gate("prb-1", [])
    assert {m["team"] for m in document["missing_approvals"]} == {"hr"}
    passes(repo.gate("prb-1", approvals(head, "hank")))
    repo.merge("prb-1")
    repo.branch("prb-1-reopen")
    repo.write(PRB, problem("open"))
    head = repo.commit()
    document = repo.gate("prb-1-reopen", approvals(head, "hank"))
    assert failing(document) == {"immutable"}
    assert "a closed problem is final" in check(document, "immutable")["message"]
