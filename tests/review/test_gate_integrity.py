"""The gate against a hostile contributor: every byte of a pull request is owned.

One regression test (or a few) per hole found in the gate, each on a real git
repository built by tests/gaterepo.py: the pull request is a branch, the gate
runs as CI runs it, and `diff` is read as the reviewer reads it. See
docs/threat-model.md for the list of attacks and the check that stops each.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from gaterepo import (  # noqa: F401  # the two fixtures
    AUTHORIZE_0002,
    CLOSED_0001,
    OS_PATCH_PLAN,
    POLICY,
    SCHEDULED_0003,
    Chg,
    Repo,
    approvals,
    check,
    cli,
    failing,
    passes,
    repo_fixture,
    template_repo_fixture,
)
from gitrepo import isolated_git  # noqa: F401  # a fixture

pytestmark = pytest.mark.usefixtures("isolated_git")

SUPPRESSION = "# catalogctl: disable=service-without-sla -- the SLA comes next quarter\n"


def diff_json(repo: Repo, head: str) -> dict[str, Any]:
    result = cli("-C", str(repo.path), "diff", "--format", "json", "main", head)
    assert result.exit_code == 0, result.stdout + result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def signal_ids(document: dict[str, Any]) -> list[str]:
    return [s["id"] for s in document["signals"]]


# =========================================================================== 1. comments are edits


def test_a_suppression_comment_in_another_teams_file_needs_that_teams_approval(
    repo: Repo,
) -> None:
    """alice (ops) adds a suppression to payroll, owned by hr: no data changes,
    yet hr must approve, and the diff shows the suppression to reviewers."""
    repo.branch("hide")
    text = repo.read("catalog/services/payroll.yaml")
    repo.write("catalog/services/payroll.yaml", SUPPRESSION + text)
    head = repo.commit("a comment")
    document = repo.gate("hide", [])
    assert failing(document) == {"owner-approval"}
    owner = check(document, "owner-approval", "Service/payroll")
    assert "team hr" in owner["message"]
    assert document["missing_approvals"] == [
        {"team": "hr", "needed": 1, "candidates": ["hank", "hilda"]}
    ]
    # an ops approval is not an hr approval; hank's is
    assert failing(repo.gate("hide", approvals(head, "oscar"))) == {"owner-approval"}
    passes(repo.gate("hide", approvals(head, "hank")))

    diff = diff_json(repo, "hide")
    assert diff["changes"] == []  # the data is the same...
    assert signal_ids(diff) == ["suppression-added", "text-only-edit"]  # ...the file is not
    assert "disable=service-without-sla" in diff["signals"][0]["message"]
    assert diff["signals"][0]["entity"] == "Service/payroll"


def test_a_removed_suppression_is_a_signal_too(repo: Repo) -> None:
    repo.branch("add")
    repo.write("catalog/services/wiki.yaml", SUPPRESSION + repo.read("catalog/services/wiki.yaml"))
    repo.commit()
    repo.merge("add")
    repo.branch("remove")
    repo.edit("catalog/services/wiki.yaml", SUPPRESSION, "")
    repo.commit()
    diff = diff_json(repo, "remove")
    assert signal_ids(diff) == ["suppression-removed", "text-only-edit"]


def test_a_comment_in_a_closed_change_is_refused(repo: Repo) -> None:
    repo.branch("closed-comment")
    repo.write(CLOSED_0001.path, CLOSED_0001.yaml() + "# a note added later\n")
    head = repo.commit()
    document = repo.gate("closed-comment", approvals(head, "carol", "dave", "alice"))
    assert failing(document) == {"immutable"}
    assert "comments included" in check(document, "immutable", CLOSED_0001.ref)["message"]


def test_a_comment_in_an_open_change_needs_its_owning_team(repo: Repo) -> None:
    """chg-2026-0003 is owned by ops; hank (hr) opens the pull request."""
    repo.branch("open-comment")
    repo.write(SCHEDULED_0003.path, "# reviewed again\n" + SCHEDULED_0003.yaml())
    head = repo.commit()
    document = repo.gate("open-comment", [], author="hank")
    assert failing(document) == {"owner-approval"}
    assert check(document, "owner-approval", SCHEDULED_0003.ref)["message"].startswith(
        "comments or formatting"
    )
    passes(repo.gate("open-comment", approvals(head, "oscar"), author="hank"))


# =========================================================================== 2. risk lowered


def _high_risk_in_authorize(repo: Repo) -> Chg:
    chg = Chg(
        "chg-2026-0070",
        cis=("db-01",),
        impact="high",
        likelihood="high",
        window=("2026-03-20T20:00:00Z", "2026-03-20T22:00:00Z"),
    )
    for state in ("new", "assess", "authorize"):
        repo.pr(f"c70-{state}", chg.at(state))
        repo.merge(f"c70-{state}")
    return chg.at("authorize")


def test_lowering_the_risk_while_authorizing_still_needs_the_higher_count(repo: Repo) -> None:
    chg = _high_risk_in_authorize(repo)
    head = repo.pr("c70-lower", chg.at("scheduled", impact="low", likelihood="low"))
    document = repo.gate("c70-lower", approvals(head, "dave"))
    assert failing(document) == {"authorization"}
    message = check(document, "authorization", chg.ref)["message"]
    assert "counted from the base's high, lowered to low here" in message
    assert "needs 1 more approval from team cab" in message
    passes(repo.gate("c70-lower", approvals(head, "dave", "erin")))

    diff = diff_json(repo, "c70-lower")
    lowered = [s for s in diff["signals"] if s["id"] == "risk-lowered"]
    assert lowered[0]["message"] == (
        "declared risk lowered: high -> low; approvals still count from high"
    )


def test_raising_the_risk_counts_the_head(repo: Repo) -> None:
    head = repo.pr("c2-raise", AUTHORIZE_0002.at("scheduled", impact="high", likelihood="high"))
    assert failing(repo.gate("c2-raise", approvals(head, "dave"))) == {"authorization"}
    assert "risk-lowered" not in signal_ids(diff_json(repo, "c2-raise"))


# =========================================================================== 3. not catalog data


@pytest.mark.parametrize(
    "path",
    [
        "site/mkdocs.yml",
        "site/overrides/main.html",
        ".github/CODEOWNERS",
        "catalog/services/.draft.yaml",  # hidden: never read as data
        "docs/anything.md",
    ],
)
def test_a_file_outside_the_catalog_data_needs_the_cab(repo: Repo, path: str) -> None:
    repo.branch("other")
    repo.write(path, "site_name: !!python/object/apply:os.system [id]\n")
    head = repo.commit()
    document = repo.gate("other", [])
    assert failing(document) == {"path-owner"}
    assert check(document, "path-owner")["message"].startswith(f"{path} changed: needs 1 more")
    assert document["missing_approvals"] == [
        {"team": "cab", "needed": 1, "candidates": ["carol", "dave", "erin"]}
    ]
    passes(repo.gate("other", approvals(head, "erin")))
    diff = diff_json(repo, "other")
    assert diff["changes"] == []
    assert diff["other_files"] == [path]


@pytest.mark.parametrize(
    "path",
    [
        ".github/workflows/pr.yml",
        ".github/actions/x/action.yml",
        ".github/catalogctl-requirements.txt",  # which catalogctl the workflows install
    ],
)
def test_a_workflow_edit_needs_the_cab_at_the_high_count_whatever_paths_say(
    repo: Repo, path: str
) -> None:
    """Workflows run the gate itself and hold the repository's secrets."""
    repo.branch("own-github")
    repo.write("catalogctl.yaml", POLICY + "paths:\n  .github/: ops\n")
    head = repo.commit()
    passes(repo.gate("own-github", approvals(head, "carol", "dave")))
    repo.merge("own-github")
    repo.branch("workflow")
    repo.write(path, "on: push\n")
    head = repo.commit()
    document = repo.gate("workflow", approvals(head, "oscar", "carol"), author="hank")
    assert failing(document) == {"policy-change"}
    assert "needs 1 more approval from team cab" in check(document, "policy-change")["message"]
    passes(repo.gate("workflow", approvals(head, "carol", "dave"), author="hank"))


def test_the_policy_paths_table_names_the_owner(repo: Repo) -> None:
    """At the base, ops owns site/ and hr owns one page in it (the last match wins)."""
    repo.branch("paths")
    repo.write("catalogctl.yaml", POLICY + 'paths:\n  site/: ops\n  "site/docs/pay*.md": hr\n')
    head = repo.commit()
    passes(repo.gate("paths", approvals(head, "carol", "dave")))
    repo.merge("paths")

    repo.branch("site-edit")
    repo.write("site/mkdocs.yml", "site_name: Catalog\n")
    repo.write("site/docs/payroll.md", "# Payroll\n")
    repo.write("site/docs/sub/payroll.md", "# Payroll\n")
    head = repo.commit()
    document = repo.gate("site-edit", approvals(head, "carol"), author="dave")
    assert failing(document) == {"path-owner"}
    messages = {c["message"].split(":")[0] for c in document["checks"] if c["name"] == "path-owner"}
    assert messages == {
        "site/docs/payroll.md changed",
        "site/docs/sub/payroll.md, site/mkdocs.yml changed",
    }
    assert {m["team"] for m in document["missing_approvals"]} == {"hr", "ops"}
    passes(repo.gate("site-edit", approvals(head, "oscar", "hilda"), author="dave"))


def test_a_pull_request_cannot_give_itself_the_paths_it_touches(repo: Repo) -> None:
    """The head's paths: table is not the one that judges the head."""
    repo.branch("grab")
    repo.write("catalogctl.yaml", POLICY + "paths:\n  site/: ops\n")
    repo.write("site/overrides/main.html", "<script>steal()</script>\n")
    head = repo.commit()
    document = repo.gate("grab", approvals(head, "oscar"))
    assert failing(document) == {"path-owner", "policy-change"}
    assert check(document, "path-owner")["message"].startswith(
        "site/overrides/main.html changed: needs 1 more approval from team cab"
    )


# =========================================================================== 5. standard templates


def _standard(**changes: Any) -> Chg:
    fields: dict[str, Any] = {
        "type": "standard",
        "template": "os-patch",
        "state": "scheduled",
        "cis": ("vm-intranet",),
        "window": ("2026-03-05T20:00:00Z", "2026-03-05T22:00:00Z"),
        "plan": OS_PATCH_PLAN,
    }
    fields.update(changes)
    return Chg("chg-2026-0080", **fields)


@pytest.mark.parametrize(
    ("label", "changes", "expected"),
    [
        ("a service and no CI", {"cis": (), "services": ("wiki",)}, "targets no CI"),
        ("a service besides the CI", {"services": ("wiki",)}, "service wiki is not listed"),
        ("a database", {"cis": ("db-01",)}, "CI db-01 is a database"),
        (
            "a longer window",
            {"window": ("2026-03-05T18:00:00Z", "2026-03-05T23:00:00Z")},
            "longer than the template's maxDuration 4h",
        ),
        (
            "another backout plan",
            {"plan": (OS_PATCH_PLAN[0], "Hope for the best.", OS_PATCH_PLAN[2])},
            "plan.backout is not the template's backout plan",
        ),
    ],
)
def test_a_standard_change_must_fit_its_template(
    repo: Repo, label: str, changes: dict[str, Any], expected: str
) -> None:
    repo.pr("std", _standard(**changes))
    document = repo.gate("std", [])
    assert failing(document) == {"standard-template"}, label
    assert expected in check(document, "standard-template")["message"]


def test_a_standard_change_may_add_to_the_templates_plan(repo: Repo) -> None:
    plan = (OS_PATCH_PLAN[0] + " Start with vm-intranet.", *OS_PATCH_PLAN[1:])
    repo.pr("std", _standard(plan=plan))  # type: ignore[arg-type]
    passes(repo.gate("std", []))
    # the template's text may be wrapped differently: whitespace does not count
    repo.pr(
        "std-wrapped", _standard(plan=(OS_PATCH_PLAN[0].replace(" ", "  "), *OS_PATCH_PLAN[1:]))
    )  # type: ignore[arg-type]
    passes(repo.gate("std-wrapped", []))


def test_a_template_widened_in_the_same_pull_request_does_not_count(repo: Repo) -> None:
    repo.branch("widen")
    repo.edit(
        "catalog/templates/os-patch.yaml",
        "ciTypes: [server, virtual-machine]",
        "ciTypes: [server, virtual-machine, database]",
    )
    repo.put(_standard(cis=("db-01",)))
    head = repo.commit()
    document = repo.gate("widen", approvals(head, "oscar"))
    assert failing(document) == {"standard-template"}
    assert "CI db-01 is a database" in check(document, "standard-template")["message"]


def test_a_template_added_in_the_same_pull_request_is_not_yet_approved(repo: Repo) -> None:
    repo.branch("new-template")
    text = repo.read("catalog/templates/os-patch.yaml").replace("id: os-patch", "id: anything")
    repo.write("catalog/templates/anything.yaml", text)
    repo.put(_standard(template="anything"))
    head = repo.commit()
    document = repo.gate("new-template", approvals(head, "oscar"))
    assert failing(document) == {"standard-template"}
    assert "added in this pull request" in check(document, "standard-template")["message"]


# =========================================================================== 8. the requester


def test_rewriting_the_requester_while_authorizing_is_refused(repo: Repo) -> None:
    """chg-2026-0002 was requested by carol (CAB). The PR names alice as the
    requester and schedules it, hoping carol's own approval now counts."""
    head = repo.pr("c2-swap", AUTHORIZE_0002.at("scheduled", requester="alice"))
    document = repo.gate("c2-swap", approvals(head, "carol"), author="oscar")
    assert failing(document) == {"authorization", "frozen-fields"}
    assert "requester changed after authorize" in check(document, "frozen-fields")["message"]
    assert "needs 1 more approval" in check(document, "authorization")["message"]
    # with a CAB member who asked for nothing, the requester edit is still frozen
    document = repo.gate("c2-swap", approvals(head, "dave"), author="oscar")
    assert failing(document) == {"frozen-fields"}


def test_the_requester_may_change_while_the_change_is_new(repo: Repo) -> None:
    chg = Chg("chg-2026-0090", cis=("db-01",))
    repo.pr("c90", chg)
    repo.merge("c90")
    repo.pr("c90-hand-over", chg.at("new", requester="oscar"))
    passes(repo.gate("c90-hand-over", []))


# =========================================================================== 9. before the window


def test_implementing_before_the_window_opens_is_refused(repo: Repo) -> None:
    """chg-2026-0003's window opens 2026-04-10T20:00Z."""
    repo.pr("c3-implement", SCHEDULED_0003.at("implement"))
    document = repo.gate("c3-implement", [])
    assert failing(document) == {"schedule"}
    assert "implement before the window starts" in check(document, "schedule")["message"]
    passes(repo.gate("c3-implement", [], now="2026-04-10T20:00:00Z"))


def test_closing_as_successful_before_the_window_opens_is_refused(repo: Repo) -> None:
    """Recorded as implementing (merged without the gate), then closed as
    successful in one pull request, still before the window opens."""
    repo.pr("c3-implement", SCHEDULED_0003.at("implement"))
    repo.merge("c3-implement")
    repo.pr("c3-closed", SCHEDULED_0003.at("closed", closure="successful"))
    document = repo.gate("c3-closed", [])
    assert failing(document) == {"schedule"}
    assert (
        "review, closed (successful) before the window starts"
        in check(document, "schedule")["message"]
    )
    # canceling it may come any time
    repo.pr("c3-cancel", SCHEDULED_0003.at("canceled"))
    passes(repo.gate("c3-cancel", []))


def test_a_changed_catalog_file_that_is_no_entity_is_still_owned(repo: Repo) -> None:
    """A link, or a document without kind and id, is nobody's entity: the CAB
    owns it (besides the lint error it is)."""
    repo.branch("strays")
    (repo.path / "catalog/services/link.yaml").symlink_to("../../catalogctl.yaml")
    repo.write("catalog/services/nobody.yaml", "just: data\n")
    head = repo.commit()
    document = repo.gate("strays", approvals(head, "hank"))
    assert failing(document) == {"lint", "path-owner"}
    assert check(document, "path-owner")["message"].startswith(
        "catalog/services/link.yaml, catalog/services/nobody.yaml changed: needs 1 more "
        "approval from team cab"
    )
