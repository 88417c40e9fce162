"""`catalogctl gate`: the CAB rules of DESIGN §4, end to end on real git repositories.

Every test works on a real repository in tmp_path (plain `git`, no mocks),
built by the fixture in tests/gaterepo.py (its docstring draws the catalog).
A passing pull request is merged (fast-forward) and the next one starts from
the new main.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from gaterepo import (  # noqa: F401  # the two fixtures
    AUTHORIZE_0002,
    CANCELED_0004,
    CLOSED_0001,
    LOOSE_POLICY,
    MARKER,
    NOW,
    OS_PATCH_PLAN,
    OVERLAPPING,
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
    review,
    team_yaml,
    template_repo_fixture,
)
from gitrepo import isolated_git, one_error_line  # noqa: F401  # isolated_git: a fixture

pytestmark = pytest.mark.usefixtures("isolated_git")

# =========================================================================== the fixture itself


def test_the_fixture_lints_clean_and_an_empty_pull_request_passes(repo: Repo) -> None:
    result = cli("-C", str(repo.path), "lint", "--today", "2026-03-02")
    assert result.exit_code == 0, result.stdout + result.stderr
    repo.branch("nothing")
    repo.commit("empty")
    document = repo.gate("nothing", [])
    passes(document)
    assert [c["name"] for c in document["checks"]] == [
        "lint",
        "transition",
        "authorization",
        "approvals",
        "frozen-fields",
        "immutable",
        "schedule",
        "standard-template",
        "owner-approval",
        "path-owner",
        "policy-change",
    ]
    assert {c["name"]: c["status"] for c in document["checks"]} == {
        "lint": "pass",
        "approvals": "pass",
        **{
            name: "skip"
            for name in (
                "transition",
                "authorization",
                "frozen-fields",
                "immutable",
                "schedule",
                "standard-template",
                "owner-approval",
                "path-owner",
                "policy-change",
            )
        },
    }


# =========================================================================== normal change walk


def test_a_normal_change_walks_every_state_one_pull_request_at_a_time(repo: Repo) -> None:
    """new -> assess -> authorize -> scheduled -> implement -> review -> closed,
    one gated and merged pull request per step (medium risk: 1 CAB approval)."""
    chg = Chg(
        "chg-2026-0010",
        cis=("vm-intranet",),
        impact="medium",
        likelihood="medium",
        window=("2026-03-12T20:00:00Z", "2026-03-12T22:00:00Z"),
    )

    head = repo.pr("c10-new", chg)
    document = repo.gate("c10-new", [])
    passes(document)
    assert check(document, "transition")["entity"] == chg.ref
    assert check(document, "authorization")["status"] == "skip"
    repo.merge("c10-new")

    repo.pr("c10-assess", chg.at("assess"))
    document = repo.gate("c10-assess", [])
    passes(document)
    assert "new -> assess" in check(document, "transition")["message"]
    repo.merge("c10-assess")

    repo.pr("c10-authorize", chg.at("authorize"))
    document = repo.gate("c10-authorize", [])
    passes(document)
    assert check(document, "schedule")["status"] == "pass"
    assert check(document, "authorization")["status"] == "skip"
    repo.merge("c10-authorize")

    # entering scheduled: 1 CAB approval (medium risk)
    head = repo.pr("c10-schedule", chg.at("scheduled"))
    document = repo.gate("c10-schedule", [])
    assert failing(document) == {"authorization"}
    assert "medium" in check(document, "authorization")["message"]
    assert document["missing_approvals"] == [
        {"team": "cab", "needed": 1, "candidates": ["carol", "dave", "erin"]}
    ]
    # dave approves; then the author pushes another commit: the approval is stale
    first = head
    passes(repo.gate("c10-schedule", approvals(first, "dave")))
    repo.write(chg.path, chg.at("scheduled", name="A change, reworded").yaml())
    head = repo.commit("reword")
    document = repo.gate("c10-schedule", approvals(first, "dave"))
    assert failing(document) == {"authorization"}
    assert "older commit" in check(document, "authorization")["message"]
    document = repo.gate(
        "c10-schedule",
        [review("dave", first), review("dave", head, at="2026-03-02T08:30:00Z")],
    )
    passes(document)
    assert "dave" in check(document, "authorization")["message"]
    repo.merge("c10-schedule")

    chg = chg.at("scheduled", name="A change, reworded")
    repo.pr("c10-implement", chg.at("implement"))
    passes(repo.gate("c10-implement", [], now="2026-03-12T20:01:00Z"))
    repo.merge("c10-implement")

    repo.pr("c10-review", chg.at("review", closure="successful"))
    passes(repo.gate("c10-review", [], now="2026-03-12T22:30:00Z"))
    repo.merge("c10-review")

    repo.pr("c10-close", chg.at("closed", closure="successful"))
    document = repo.gate("c10-close", [], now="2026-03-13T09:00:00Z")
    passes(document)
    assert "review -> closed" in check(document, "transition")["message"]
    repo.merge("c10-close")

    # and once closed, it is final
    repo.pr("c10-reopen", chg.at("closed", closure="successful-with-issues"))
    assert failing(repo.gate("c10-reopen", approvals(repo.sha("c10-reopen"), "dave"))) == {
        "immutable"
    }


def test_a_tier_1_target_raises_medium_to_high_so_two_cab_approvals_are_needed(
    repo: Repo,
) -> None:
    """esx-01 hosts vm-payroll, which the tier-1 payroll service runs on."""
    chg = Chg(
        "chg-2026-0011",
        cis=("esx-01",),
        impact="medium",
        likelihood="medium",
        window=("2026-03-14T20:00:00Z", "2026-03-14T22:00:00Z"),
    )
    for state in ("new", "assess", "authorize"):
        repo.pr(f"c11-{state}", chg.at(state))
        passes(repo.gate(f"c11-{state}", []))
        repo.merge(f"c11-{state}")

    head = repo.pr("c11-schedule", chg.at("scheduled"))
    document = repo.gate("c11-schedule", approvals(head, "dave"))
    assert failing(document) == {"authorization"}
    message = check(document, "authorization")["message"]
    assert "high" in message and "payroll" in message
    assert "needs 1 more approval from team cab" in message
    assert document["missing_approvals"] == [
        {"team": "cab", "needed": 1, "candidates": ["carol", "erin"]}
    ]

    document = repo.gate("c11-schedule", approvals(head, "dave", "erin"))
    passes(document)
    repo.merge("c11-schedule")


def test_the_same_risk_without_a_tier_1_dependency_needs_one_approval(repo: Repo) -> None:
    chg = Chg(
        "chg-2026-0012",
        state="authorize",
        cis=("esx-02",),
        impact="medium",
        likelihood="medium",
        window=("2026-03-14T20:00:00Z", "2026-03-14T22:00:00Z"),
    )
    repo.pr("c12-authorize", chg.at("new"))
    repo.merge("c12-authorize")
    repo.pr("c12-to-authorize", chg.at("assess"))
    repo.merge("c12-to-authorize")
    repo.pr("c12-go", chg)
    repo.merge("c12-go")
    head = repo.pr("c12-schedule", chg.at("scheduled"))
    passes(repo.gate("c12-schedule", approvals(head, "dave")))


# =========================================================================== emergency and standard


def test_an_emergency_change_is_authorised_by_the_ecab_on_entering_implement(
    repo: Repo,
) -> None:
    """Inside the year-end freeze, which allows emergencies; lead time 0m."""
    now = "2026-12-20T09:00:00Z"
    chg = Chg(
        "chg-2026-0020",
        type="emergency",
        cis=("vm-payroll",),
        impact="high",
        likelihood="medium",
        window=("2026-12-20T10:00:00Z", "2026-12-20T12:00:00Z"),
    )
    repo.pr("c20-new", chg)
    passes(repo.gate("c20-new", [], now=now))
    repo.merge("c20-new")

    repo.pr("c20-authorize", chg.at("authorize"))
    document = repo.gate("c20-authorize", [], now=now)
    passes(document)
    assert check(document, "schedule")["status"] == "pass"
    repo.merge("c20-authorize")

    head = repo.pr("c20-implement", chg.at("implement"))
    # work starts when the window opens, not before (by --now)
    early = repo.gate("c20-implement", approvals(head, "frank"), now=now)
    assert failing(early) == {"schedule"}
    assert "implement before the window starts" in check(early, "schedule")["message"]
    now = "2026-12-20T10:00:00Z"
    # a CAB member is not the emergency CAB
    document = repo.gate("c20-implement", approvals(head, "carol"), now=now)
    assert failing(document) == {"authorization"}
    assert "emergency" in check(document, "authorization")["message"]
    assert document["missing_approvals"] == [
        {"team": "ecab", "needed": 1, "candidates": ["frank", "grace"]}
    ]
    document = repo.gate("c20-implement", approvals(head, "frank"), now=now)
    passes(document)
    repo.merge("c20-implement")

    repo.pr("c20-review", chg.at("review", closure="successful-with-issues"))
    passes(repo.gate("c20-review", [], now="2026-12-20T13:00:00Z"))
    repo.merge("c20-review")
    repo.pr("c20-close", chg.at("closed", closure="successful-with-issues"))
    passes(repo.gate("c20-close", [], now="2026-12-21T09:00:00Z"))
    repo.merge("c20-close")


def test_a_standard_change_goes_from_new_to_scheduled_without_cab(repo: Repo) -> None:
    chg = Chg(
        "chg-2026-0030",
        type="standard",
        template="os-patch",
        plan=OS_PATCH_PLAN,
        cis=("vm-wiki-b",),
        window=("2026-03-05T20:00:00Z", "2026-03-05T23:00:00Z"),
    )
    repo.pr("c30-new", chg)
    document = repo.gate("c30-new", [])
    passes(document)
    assert check(document, "standard-template")["status"] == "pass"
    repo.merge("c30-new")

    repo.pr("c30-schedule", chg.at("scheduled"))
    document = repo.gate("c30-schedule", [])
    passes(document)
    assert check(document, "authorization")["status"] == "skip"
    assert check(document, "schedule")["status"] == "pass"
    assert "os-patch" in check(document, "standard-template")["message"]
    repo.merge("c30-schedule")

    for state, closure, now in (
        ("implement", None, "2026-03-05T20:00:00Z"),
        ("review", "successful", "2026-03-05T23:10:00Z"),
        ("closed", "successful", "2026-03-06T09:00:00Z"),
    ):
        repo.pr(f"c30-{state}", chg.at(state, closure=closure))
        passes(repo.gate(f"c30-{state}", [], now=now))
        repo.merge(f"c30-{state}")


def test_a_standard_change_may_be_filed_directly_as_scheduled(repo: Repo) -> None:
    chg = Chg(
        "chg-2026-0031",
        type="standard",
        template="os-patch",
        plan=OS_PATCH_PLAN,
        state="scheduled",
        cis=("esx-02",),
        window=("2026-03-02T12:00:00Z", "2026-03-02T14:00:00Z"),  # 3h ahead: lead time 1h
    )
    repo.pr("c31", chg)
    document = repo.gate("c31", [])
    passes(document)
    assert "scheduled" in check(document, "transition")["message"]


@pytest.mark.parametrize(
    ("label", "changes", "expected"),
    [
        ("a database is not a server or VM", {"cis": ("db-01",)}, {"standard-template"}),
        (
            "5h is over the template's 4h",
            {"window": ("2026-03-05T18:00:00Z", "2026-03-05T23:00:00Z")},
            {"standard-template"},
        ),
        ("medium risk", {"impact": "medium", "likelihood": "medium"}, {"standard-template"}),
        ("low raised to medium by tier-1 payroll", {"cis": ("esx-01",)}, {"standard-template"}),
        (
            "30 minutes is under the 1h lead time",
            {"window": ("2026-03-02T09:30:00Z", "2026-03-02T10:30:00Z")},
            {"schedule"},
        ),
    ],
)
def test_standard_change_rejections(
    repo: Repo, label: str, changes: dict[str, Any], expected: set[str]
) -> None:
    chg = Chg(
        "chg-2026-0032",
        type="standard",
        template="os-patch",
        plan=OS_PATCH_PLAN,
        state="scheduled",
        cis=("vm-wiki-b",),
        window=("2026-03-05T20:00:00Z", "2026-03-05T22:00:00Z"),
    )
    repo.pr("c32", dataclasses.replace(chg, **changes))
    assert failing(repo.gate("c32", [])) == expected, label


# =========================================================================== several steps at once


def test_several_steps_in_one_pull_request_pass_only_if_every_step_holds(repo: Repo) -> None:
    chg = Chg(
        "chg-2026-0040",
        services=("intranet",),
        window=("2026-03-10T20:00:00Z", "2026-03-10T22:00:00Z"),
    )
    repo.pr("c40-new", chg)
    repo.merge("c40-new")

    # new -> assess -> authorize -> scheduled: the authorisation is still needed
    head = repo.pr("c40-jump", chg.at("scheduled"))
    document = repo.gate("c40-jump", [])
    assert failing(document) == {"authorization"}
    # ... and so is the lead time of entering authorize / scheduled
    document = repo.gate("c40-jump", approvals(head, "erin"), now="2026-03-09T09:00:00Z")
    assert failing(document) == {"schedule"}
    assert "lead time" in check(document, "schedule")["message"]
    # every step holds
    document = repo.gate("c40-jump", approvals(head, "erin"))
    passes(document)
    assert "new -> assess -> authorize -> scheduled" in check(document, "transition")["message"]


def test_assess_to_scheduled_in_one_go_still_needs_the_cab(repo: Repo) -> None:
    chg = Chg(
        "chg-2026-0041",
        state="assess",
        cis=("vm-intranet",),
        window=("2026-03-10T20:00:00Z", "2026-03-10T22:00:00Z"),
    )
    repo.pr("c41-new", chg.at("new"))
    repo.merge("c41-new")
    repo.pr("c41-assess", chg)
    repo.merge("c41-assess")
    head = repo.pr("c41-jump", chg.at("scheduled"))
    assert failing(repo.gate("c41-jump", [])) == {"authorization"}
    passes(repo.gate("c41-jump", approvals(head, "carol")))
    # on to implement in the same go: the lead time and the window's start
    # cannot both hold, so a normal change never jumps into implement
    head = repo.pr("c41-implement", chg.at("implement"))
    document = repo.gate("c41-implement", approvals(head, "carol"))
    assert failing(document) == {"schedule"}


def test_an_emergency_from_new_to_implement_in_one_go_needs_the_ecab(repo: Repo) -> None:
    now = "2026-03-02T09:00:00Z"
    chg = Chg(
        "chg-2026-0042",
        type="emergency",
        cis=("vm-intranet",),
        window=("2026-03-02T09:00:00Z", "2026-03-02T10:30:00Z"),
    )
    repo.pr("c42-new", chg)
    repo.merge("c42-new")
    head = repo.pr("c42-jump", chg.at("implement"))
    document = repo.gate("c42-jump", approvals(head, "dave"), now=now)
    assert failing(document) == {"authorization"}
    passes(repo.gate("c42-jump", approvals(head, "grace"), now=now))


# =========================================================================== reviews


def _schedule_0002(repo: Repo, **changes: Any) -> str:
    """A pull request moving chg-2026-0002 (requester carol) authorize -> scheduled."""
    return repo.pr("c2-schedule", AUTHORIZE_0002.at("scheduled", **changes))


def test_chg_0002_scheduled_with_one_cab_approval_passes(repo: Repo) -> None:
    head = _schedule_0002(repo)
    document = repo.gate("c2-schedule", approvals(head, "dave"))
    passes(document)
    assert check(document, "authorization", AUTHORIZE_0002.ref)["status"] == "pass"


def test_the_pull_request_author_cannot_approve(repo: Repo) -> None:
    head = _schedule_0002(repo)
    document = repo.gate("c2-schedule", approvals(head, "dave"), author="dave")
    assert failing(document) == {"authorization"}
    assert "dave opened the pull request" in check(document, "authorization")["message"]
    # carol is the requester, dave the author: only erin can approve
    assert document["missing_approvals"] == [{"team": "cab", "needed": 1, "candidates": ["erin"]}]


def test_the_author_login_is_compared_case_insensitively(repo: Repo) -> None:
    head = _schedule_0002(repo)
    document = repo.gate("c2-schedule", approvals(head, "dave"), author="Dave")
    assert failing(document) == {"authorization"}


def test_the_requester_cannot_approve(repo: Repo) -> None:
    head = _schedule_0002(repo)
    document = repo.gate("c2-schedule", approvals(head, "carol"))
    assert failing(document) == {"authorization"}
    assert "carol is the requester" in check(document, "authorization")["message"]
    assert document["missing_approvals"] == [
        {"team": "cab", "needed": 1, "candidates": ["dave", "erin"]}
    ]


def test_an_approval_on_an_older_commit_is_stale(repo: Repo) -> None:
    old = _schedule_0002(repo)
    repo.commit("an empty fix-up commit")
    document = repo.gate("c2-schedule", approvals(old, "dave"))
    assert failing(document) == {"authorization"}
    assert "older commit" in check(document, "authorization")["message"]
    assert "dave" in check(document, "authorization")["message"]


def test_head_sha_names_the_commit_reviews_must_be_on(repo: Repo) -> None:
    head = _schedule_0002(repo)
    other = repo.sha("main")
    document = repo.gate("c2-schedule", approvals(head, "dave"), extra=["--head-sha", other])
    assert failing(document) == {"authorization"}
    passes(repo.gate("c2-schedule", approvals(other, "dave"), extra=["--head-sha", other]))


def test_paginated_reviews_from_gh_api_slurp(repo: Repo) -> None:
    """`gh api --paginate --slurp` wraps each page in a list."""
    head = _schedule_0002(repo)
    pages = json.dumps([[review("hank", head)], [review("dave", head)]])
    result = repo.run_gate("c2-schedule", pages)
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "dismissal",
    ["a later DISMISSED review", "the approval itself marked DISMISSED"],
)
def test_a_dismissed_approval_does_not_count(repo: Repo, dismissal: str) -> None:
    head = _schedule_0002(repo)
    if dismissal.startswith("a later"):
        reviews = [
            review("dave", head, "APPROVED", "2026-03-02T08:00:00Z"),
            review("dave", head, "DISMISSED", "2026-03-02T08:30:00Z"),
        ]
    else:
        reviews = [review("dave", head, "DISMISSED", "2026-03-02T08:00:00Z")]
    assert failing(repo.gate("c2-schedule", reviews)) == {"authorization"}


def test_a_later_comment_does_not_override_an_approval(repo: Repo) -> None:
    head = _schedule_0002(repo)
    reviews = [
        review("dave", head, "APPROVED", "2026-03-02T08:00:00Z"),
        review("dave", head, "COMMENTED", "2026-03-02T08:30:00Z"),
    ]
    passes(repo.gate("c2-schedule", reviews))


def test_the_latest_decisive_review_wins(repo: Repo) -> None:
    head = _schedule_0002(repo)
    # listed out of order: submitted_at decides
    reviews = [
        review("dave", head, "APPROVED", "2026-03-02T08:30:00Z"),
        review("dave", head, "CHANGES_REQUESTED", "2026-03-02T08:00:00Z"),
    ]
    passes(repo.gate("c2-schedule", reviews))
    reviews = [
        review("dave", head, "APPROVED", "2026-03-02T08:00:00Z"),
        review("dave", head, "CHANGES_REQUESTED", "2026-03-02T08:30:00Z"),
    ]
    assert failing(repo.gate("c2-schedule", reviews)) == {"authorization", "approvals"}


def test_outstanding_changes_requested_by_a_cab_member_block(repo: Repo) -> None:
    head = _schedule_0002(repo)
    reviews = [
        review("dave", head),
        # requested on an older commit: still outstanding until erin approves or it is dismissed
        review("erin", repo.sha("main"), "CHANGES_REQUESTED"),
    ]
    document = repo.gate("c2-schedule", reviews)
    assert failing(document) == {"approvals"}
    assert "erin" in check(document, "approvals")["message"]
    assert check(document, "authorization")["status"] == "pass"


def test_changes_requested_by_an_emergency_cab_member_block(repo: Repo) -> None:
    head = _schedule_0002(repo)
    reviews = [review("dave", head), review("frank", head, "CHANGES_REQUESTED")]
    document = repo.gate("c2-schedule", reviews)
    assert failing(document) == {"approvals"}
    assert "frank" in check(document, "approvals")["message"]


def test_changes_requested_by_someone_outside_the_cab_do_not_block(repo: Repo) -> None:
    head = _schedule_0002(repo)
    reviews = [review("dave", head), review("hank", head, "CHANGES_REQUESTED")]
    passes(repo.gate("c2-schedule", reviews))


def test_too_few_approvals_for_the_risk(repo: Repo) -> None:
    """chg-2026-0002 re-targeted at the tier-1 payroll service while still in
    authorize: low x high = medium, raised to high by tier 1 -> 2 approvals."""
    head = _schedule_0002(repo, services=("payroll",), likelihood="high")
    document = repo.gate("c2-schedule", approvals(head, "dave"))
    assert failing(document) == {"authorization"}
    assert "needs 1 more approval from team cab" in check(document, "authorization")["message"]
    assert document["missing_approvals"] == [{"team": "cab", "needed": 1, "candidates": ["erin"]}]
    passes(repo.gate("c2-schedule", approvals(head, "dave", "erin")))


def test_a_bot_approval_does_not_count(repo: Repo) -> None:
    """opsbot is even listed in the ops team: a Bot account never approves."""
    repo.branch("wiki-category")
    repo.edit("catalog/services/wiki.yaml", "category: General", "category: Collaboration")
    head = repo.commit()
    bots = [review("opsbot", head, bot=True), review("github-actions[bot]", head)]
    assert failing(repo.gate("wiki-category", bots)) == {"owner-approval"}
    passes(repo.gate("wiki-category", [*bots, review("oscar", head)]))


def test_a_bot_approval_does_not_authorise_a_change(repo: Repo) -> None:
    head = _schedule_0002(repo)
    document = repo.gate("c2-schedule", [review("dave", head, bot=True)])
    assert failing(document) == {"authorization"}


# =========================================================================== schedule


def test_lead_time_window_too_soon(repo: Repo) -> None:
    head = _schedule_0002(repo, window=("2026-03-04T20:00:00Z", "2026-03-04T22:00:00Z"))
    document = repo.gate("c2-schedule", approvals(head, "dave"))
    assert failing(document) == {"schedule"}
    message = check(document, "schedule", AUTHORIZE_0002.ref)["message"]
    assert "lead time" in message and "3d" in message


def test_a_window_in_a_freeze_that_does_not_allow_normal_changes(repo: Repo) -> None:
    head = _schedule_0002(repo, window=("2026-12-21T20:00:00Z", "2026-12-21T22:00:00Z"))
    document = repo.gate("c2-schedule", approvals(head, "dave"))
    assert failing(document) == {"schedule"}
    assert "year-end" in check(document, "schedule")["message"]


def test_collision_with_a_scheduled_change_on_a_shared_target(repo: Repo) -> None:
    head = _schedule_0002(repo, services=(), cis=("vm-wiki-a",), window=OVERLAPPING)
    document = repo.gate("c2-schedule", approvals(head, "dave"))
    assert failing(document) == {"schedule"}
    message = check(document, "schedule")["message"]
    assert "chg-2026-0003" in message and "vm-wiki-a" in message


def test_collision_through_the_graph_two_cis_of_the_same_service(repo: Repo) -> None:
    """vm-wiki-b and vm-wiki-a are different CIs, but wiki runs on both."""
    head = _schedule_0002(repo, services=(), cis=("vm-wiki-b",), window=OVERLAPPING)
    document = repo.gate("c2-schedule", approvals(head, "dave"))
    assert failing(document) == {"schedule"}
    message = check(document, "schedule")["message"]
    assert "chg-2026-0003" in message and "Service/wiki" in message
    assert "vm-wiki-a" not in message.split(" on ", 1)[1]


def test_no_collision_when_the_windows_do_not_overlap(repo: Repo) -> None:
    head = _schedule_0002(
        repo,
        services=(),
        cis=("vm-wiki-a",),
        window=("2026-04-10T23:00:00Z", "2026-04-11T01:00:00Z"),  # starts as 0003 ends
    )
    passes(repo.gate("c2-schedule", approvals(head, "dave")))


def test_a_window_that_ends_before_it_starts(repo: Repo) -> None:
    head = _schedule_0002(repo, window=("2026-03-20T22:00:00Z", "2026-03-20T20:00:00Z"))
    document = repo.gate("c2-schedule", approvals(head, "dave"))
    assert failing(document) == {"lint", "schedule"}
    assert "change-window" in check(document, "lint")["message"]
    assert "before it starts" in check(document, "schedule")["message"]


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        # exactly the 3d lead time after --now
        (("2026-03-05T09:00:00Z", "2026-03-05T10:00:00Z"), set()),
        # one minute short of it
        (("2026-03-05T08:59:00Z", "2026-03-05T10:00:00Z"), {"schedule"}),
        # the freeze starts 2026-12-19T00:00+01:00 = 2026-12-18T23:00Z: ends just as it starts
        (("2026-12-18T21:00:00+00:00", "2026-12-19T00:00:00+01:00"), set()),
        # ... and 30 minutes into it
        (("2026-12-18T21:00:00Z", "2026-12-18T23:30:00Z"), {"schedule"}),
    ],
)
def test_lead_time_and_freeze_boundaries(
    repo: Repo, window: tuple[str, str], expected: set[str]
) -> None:
    head = _schedule_0002(repo, window=window)
    assert failing(repo.gate("c2-schedule", approvals(head, "dave"))) == expected


# =========================================================================== frozen, immutable


def test_editing_a_scheduled_changes_window_needs_reassessment(repo: Repo) -> None:
    moved = ("2026-04-11T20:00:00Z", "2026-04-11T23:00:00Z")
    head = repo.pr("c3-move", SCHEDULED_0003.at("scheduled", window=moved))
    document = repo.gate("c3-move", approvals(head, "dave"))
    assert failing(document) == {"frozen-fields"}
    assert "window" in check(document, "frozen-fields")["message"]
    assert "assess" in check(document, "frozen-fields")["message"]

    repo.branch("c3-reassess")
    repo.put(SCHEDULED_0003.at("assess", window=moved))
    head = repo.commit()
    document = repo.gate("c3-reassess", [])
    passes(document)
    assert check(document, "frozen-fields")["status"] == "pass"


def test_editing_a_scheduled_changes_targets_needs_reassessment(repo: Repo) -> None:
    repo.pr("c3-retarget", SCHEDULED_0003.at("scheduled", cis=("vm-wiki-a", "vm-wiki-b")))
    assert failing(repo.gate("c3-retarget", [])) == {"frozen-fields"}


def _emergency_in_implement(repo: Repo) -> Chg:
    chg = Chg(
        "chg-2026-0060",
        type="emergency",
        cis=("vm-intranet",),
        window=("2026-03-02T10:00:00Z", "2026-03-02T12:00:00Z"),
    )
    repo.pr("c60-new", chg)
    repo.merge("c60-new")
    head = repo.pr("c60-implement", chg.at("implement"))
    passes(repo.gate("c60-implement", approvals(head, "frank"), now="2026-03-02T10:00:00Z"))
    repo.merge("c60-implement")
    return chg.at("implement")


def test_editing_an_implementing_emergency_change_sends_it_back_to_new(repo: Repo) -> None:
    """docs/workflow.md: from `implement` on, an emergency change whose targets,
    window, plan, risk or type are edited goes back to `new` (DESIGN §4: at or
    past the authorised state)."""
    chg = _emergency_in_implement(repo)
    longer = ("2026-03-02T10:00:00Z", "2026-03-02T18:00:00Z")
    head = repo.pr("c60-extend", chg.at("implement", window=longer, cis=("vm-intranet", "db-01")))
    document = repo.gate("c60-extend", approvals(head, "frank"), now="2026-03-02T11:00:00Z")
    assert failing(document) == {"frozen-fields"}


def test_editing_a_scheduled_standard_change_sends_it_back_to_new(repo: Repo) -> None:
    chg = Chg(
        "chg-2026-0061",
        type="standard",
        template="os-patch",
        plan=OS_PATCH_PLAN,
        state="scheduled",
        cis=("vm-intranet",),
        window=("2026-03-05T20:00:00Z", "2026-03-05T22:00:00Z"),
    )
    repo.pr("c61", chg)
    repo.merge("c61")
    moved = ("2026-03-06T20:00:00Z", "2026-03-06T22:00:00Z")
    repo.pr("c61-move", chg.at("scheduled", window=moved))
    assert failing(repo.gate("c61-move", [])) == {"frozen-fields"}
    repo.pr("c61-back", chg.at("new", window=moved))
    passes(repo.gate("c61-back", []))


def test_editing_a_scheduled_changes_risk_needs_reassessment(repo: Repo) -> None:
    repo.pr("c3-risk", SCHEDULED_0003.at("scheduled", likelihood="medium"))
    document = repo.gate("c3-risk", [])
    assert failing(document) == {"frozen-fields"}
    assert "risk" in check(document, "frozen-fields")["message"]


def test_a_closed_change_is_immutable(repo: Repo) -> None:
    head = repo.pr("c1-edit", CLOSED_0001.at("closed", name="Rewritten history"))
    document = repo.gate("c1-edit", approvals(head, "dave", "erin"))
    assert failing(document) == {"immutable"}
    assert "closed" in check(document, "immutable")["message"]


def test_a_canceled_change_is_immutable(repo: Repo) -> None:
    repo.pr("c4-revive", CANCELED_0004.at("new"))
    assert failing(repo.gate("c4-revive", [])) == {"immutable"}


def test_a_change_file_is_never_deleted(repo: Repo) -> None:
    repo.branch("c3-delete")
    (repo.path / SCHEDULED_0003.path).unlink()
    head = repo.commit()
    document = repo.gate("c3-delete", approvals(head, "dave", "erin"))
    assert failing(document) == {"immutable"}
    assert check(document, "immutable")["entity"] == SCHEDULED_0003.ref


def test_a_change_file_is_never_renamed(repo: Repo) -> None:
    repo.branch("c2-move")
    (repo.path / "changes/2026/archive").mkdir()
    repo.git("mv", AUTHORIZE_0002.path, "changes/2026/archive/chg-2026-0002.yaml")
    head = repo.commit()
    document = repo.gate("c2-move", approvals(head, "dave", "erin"))
    # lint too: a change file belongs in changes/<year>/ (id-filename-mismatch)
    assert failing(document) == {"immutable", "lint"}
    assert check(document, "immutable")["entity"] == AUTHORIZE_0002.ref


def test_the_id_of_a_change_deleted_in_history_is_never_reused(repo: Repo) -> None:
    repo.pr("c99-again", Chg("chg-2026-0099", cis=("vm-intranet",)))
    document = repo.gate("c99-again", [])
    assert failing(document) == {"immutable"}
    assert "reused" in check(document, "immutable")["message"]


def test_the_id_of_a_change_renamed_away_in_history_is_never_reused(repo: Repo) -> None:
    """chg-2026-0004 was renumbered to chg-2026-0005 straight on main (git sees a
    rename, not a deletion): the id 0004 was used and may not come back."""
    repo.git("checkout", "-q", "main")
    repo.git("mv", CANCELED_0004.path, "changes/2026/chg-2026-0005.yaml")
    repo.edit("changes/2026/chg-2026-0005.yaml", "id: chg-2026-0004", "id: chg-2026-0005")
    repo.commit("renumber chg-2026-0004")
    repo.pr("c4-again", Chg("chg-2026-0004", cis=("vm-intranet",)))
    document = repo.gate("c4-again", [])
    assert failing(document) == {"immutable"}


def test_a_fresh_id_is_fine(repo: Repo) -> None:
    repo.pr("c98", Chg("chg-2026-0098", cis=("vm-intranet",)))
    passes(repo.gate("c98", []))


# =========================================================================== transitions


@pytest.mark.parametrize(
    ("label", "change"),
    [
        (
            "a normal change filed directly as scheduled",
            Chg(
                "chg-2026-0050",
                state="scheduled",
                cis=("vm-intranet",),
                window=("2026-03-10T20:00:00Z", "2026-03-10T22:00:00Z"),
            ),
        ),
        ("scheduled back to authorize", SCHEDULED_0003.at("authorize")),
        ("a standard change cannot be assessed", None),
        ("an emergency change is never scheduled", None),
    ],
)
def test_illegal_transitions(repo: Repo, label: str, change: Chg | None) -> None:
    if change is None:
        ctype = "standard" if "standard" in label else "emergency"
        base = Chg(
            "chg-2026-0051",
            type=ctype,
            template="os-patch" if ctype == "standard" else None,
            plan=OS_PATCH_PLAN,
            cis=("vm-intranet",),
            window=("2026-03-10T20:00:00Z", "2026-03-10T22:00:00Z"),
        )
        repo.pr("c51-new", base)
        repo.merge("c51-new")
        change = base.at("assess" if ctype == "standard" else "scheduled")
    head = repo.pr("illegal", change)
    document = repo.gate("illegal", approvals(head, "dave", "erin", "frank"))
    assert failing(document) == {"transition"}, label
    assert check(document, "transition")["entity"] == change.ref


def test_authorize_back_to_new_is_a_rejection_and_any_open_state_may_be_canceled(
    repo: Repo,
) -> None:
    repo.pr("c2-reject", AUTHORIZE_0002.at("new"))
    passes(repo.gate("c2-reject", []))
    repo.pr("c3-cancel", SCHEDULED_0003.at("canceled"))
    passes(repo.gate("c3-cancel", []))


# =========================================================================== policy and schemas


def test_a_policy_edit_needs_two_cab_approvals(repo: Repo) -> None:
    repo.branch("policy")
    repo.edit("catalogctl.yaml", "normal: 3d", "normal: 5d")
    head = repo.commit()
    document = repo.gate("policy", approvals(head, "dave"))
    assert failing(document) == {"policy-change"}
    assert document["missing_approvals"] == [
        {"team": "cab", "needed": 1, "candidates": ["carol", "erin"]}
    ]
    passes(repo.gate("policy", approvals(head, "dave", "erin")))


def test_a_schema_edit_needs_two_cab_approvals(repo: Repo) -> None:
    repo.branch("schemas")
    schema = repo.path / "schemas" / "service.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    head = repo.commit()
    document = repo.gate("schemas", approvals(head, "carol"))
    assert failing(document) == {"policy-change"}
    assert "schemas/service.schema.json" in check(document, "policy-change")["message"]
    passes(repo.gate("schemas", approvals(head, "carol", "erin")))


def test_a_pull_request_cannot_loosen_its_own_gate(repo: Repo) -> None:
    """The PR sets every approval count to 0 and schedules chg-2026-0002 with no
    approvals: the base's counts (policy 2, low risk 1) still apply."""
    repo.branch("loosen")
    repo.write("catalogctl.yaml", LOOSE_POLICY)
    repo.put(AUTHORIZE_0002.at("scheduled"))
    repo.commit()
    document = repo.gate("loosen", [])
    assert failing(document) == {"authorization", "policy-change"}
    assert sorted(
        (m["team"], m["needed"], tuple(m["candidates"])) for m in document["missing_approvals"]
    ) == [("cab", 1, ("dave", "erin")), ("cab", 2, ("carol", "dave", "erin"))]


def test_an_invalid_policy_in_the_head_fails_lint(repo: Repo) -> None:
    """Even with the two CAB approvals, the head must lint clean: a policy the
    schema rejects may not be merged (DESIGN §4 + §6)."""
    repo.branch("bad-policy")
    repo.write("catalogctl.yaml", POLICY + "approvalz: {low: 1}\n")
    head = repo.commit()
    # `catalogctl lint` of that very tree fails: merged, it would break main
    lint = cli("-C", str(repo.path), "lint", "--today", "2026-03-02")
    assert lint.exit_code == 1, lint.stdout + lint.stderr
    assert "catalogctl.yaml" in lint.stdout
    document = repo.gate("bad-policy", approvals(head, "dave", "erin"))
    assert failing(document) == {"lint"}


# =========================================================================== catalog owners


def test_a_service_edit_needs_an_approval_from_the_owning_team(repo: Repo) -> None:
    repo.branch("wiki-category")
    repo.edit("catalog/services/wiki.yaml", "category: General", "category: Collaboration")
    head = repo.commit()
    # alice is in ops, but she opened the pull request; carol is CAB, not ops
    document = repo.gate("wiki-category", approvals(head, "alice", "carol"))
    assert failing(document) == {"owner-approval"}
    assert check(document, "owner-approval")["entity"] == "Service/wiki"
    assert document["missing_approvals"] == [
        {"team": "ops", "needed": 1, "candidates": ["opsbot", "oscar"]}
    ]
    passes(repo.gate("wiki-category", approvals(head, "oscar")))


def test_an_sla_edit_needs_the_team_owning_its_services(repo: Repo) -> None:
    repo.branch("sla")
    repo.edit("catalog/slas/payroll-sla.yaml", "target: 99.9", "target: 99.5")
    head = repo.commit()
    document = repo.gate("sla", approvals(head, "oscar"))
    assert failing(document) == {"owner-approval"}
    assert check(document, "owner-approval")["entity"] == "SLA/payroll-sla"
    assert [m["team"] for m in document["missing_approvals"]] == ["hr"]
    passes(repo.gate("sla", approvals(head, "hilda")))


def test_moving_ownership_needs_both_the_old_and_the_new_team(repo: Repo) -> None:
    repo.branch("wiki-to-hr")
    repo.edit("catalog/services/wiki.yaml", "owner: ops", "owner: hr")
    head = repo.commit()
    document = repo.gate("wiki-to-hr", approvals(head, "oscar"))
    assert failing(document) == {"owner-approval"}
    assert document["missing_approvals"] == [
        {"team": "hr", "needed": 1, "candidates": ["hank", "hilda"]}
    ]
    document = repo.gate("wiki-to-hr", approvals(head, "hank"))
    assert failing(document) == {"owner-approval"}
    assert [m["team"] for m in document["missing_approvals"]] == ["ops"]
    document = repo.gate("wiki-to-hr", approvals(head, "oscar", "hank"))
    passes(document)
    statuses = [c["status"] for c in document["checks"] if c["name"] == "owner-approval"]
    assert statuses == ["pass", "pass"]


def test_joining_a_team_in_the_pull_request_does_not_make_your_approval_count(
    repo: Repo,
) -> None:
    """Membership is read from the base: mallory cannot add herself to the CAB and approve."""
    repo.branch("join-cab")
    repo.edit(
        "catalog/teams/cab.yaml",
        "members: [carol, dave, erin]",
        "members: [carol, dave, erin, mallory]",
    )
    head = repo.commit()
    document = repo.gate("join-cab", approvals(head, "mallory"), author="mallory")
    assert failing(document) == {"owner-approval"}
    document = repo.gate("join-cab", approvals(head, "mallory", "carol"), author="mallory")
    passes(document)


def test_a_new_team_is_approved_for_by_the_cab(repo: Repo) -> None:
    """A team added by the pull request has no members at the base, so its own
    (future) members cannot approve it; the CAB does instead."""
    repo.branch("new-team")
    repo.write("catalog/teams/security.yaml", team_yaml("security", "Security", ["sam"]))
    head = repo.commit()
    document = repo.gate("new-team", approvals(head, "sam"))
    assert failing(document) == {"owner-approval"}
    assert document["missing_approvals"] == [
        {"team": "cab", "needed": 1, "candidates": ["carol", "dave", "erin"]}
    ]
    passes(repo.gate("new-team", approvals(head, "erin")))


def test_team_member_logins_match_reviews_case_insensitively(repo: Repo) -> None:
    """GitHub logins are case-insensitive: a CAB file listing `Erin` must accept
    the review the API returns for `erin`."""
    repo.git("checkout", "-q", "main")
    repo.edit(
        "catalog/teams/cab.yaml", "members: [carol, dave, erin]", "members: [carol, dave, Erin]"
    )
    repo.commit("cab: Erin")
    head = _schedule_0002(repo)
    passes(repo.gate("c2-schedule", approvals(head, "erin")))


# =========================================================================== output formats


def test_markdown_names_the_missing_team_and_who_could_approve(repo: Repo) -> None:
    _schedule_0002(repo)
    result = repo.run_gate("c2-schedule", [], fmt="markdown")
    assert result.exit_code == 1, result.stdout + result.stderr
    markdown = result.stdout
    assert markdown.startswith(MARKER + "\n")
    assert "blocked" in markdown.splitlines()[1]
    assert "needs 1 more approval from team cab" in markdown
    # carol is the requester: a line must say that dave and erin (and not carol) can approve
    candidates = [
        line
        for line in markdown.splitlines()
        if "cab" in line and "dave" in line and "erin" in line and "carol" not in line
    ]
    assert candidates, markdown


def test_markdown_of_a_passing_gate(repo: Repo) -> None:
    head = _schedule_0002(repo)
    result = repo.run_gate("c2-schedule", approvals(head, "dave"), fmt="markdown")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith(MARKER + "\n")
    assert "passed" in result.stdout.splitlines()[1]
    assert "What is missing" not in result.stdout


def test_text_output_says_what_is_missing(repo: Repo) -> None:
    _schedule_0002(repo)
    result = repo.run_gate("c2-schedule", [], fmt="text")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].endswith("FAIL")
    assert "needs 1 more approval from team cab" in result.stdout
    assert "could approve: dave, erin" in result.stdout


def test_output_file(repo: Repo, tmp_path: Path) -> None:
    head = _schedule_0002(repo)
    target = tmp_path / "gate.json"
    result = repo.run_gate("c2-schedule", approvals(head, "dave"), extra=["-o", str(target)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["result"] == "pass"


# =========================================================================== could not run


def test_an_unknown_base_ref_is_a_usage_error(repo: Repo) -> None:
    repo.branch("x")
    result = cli("-C", str(repo.path), "gate", "--base", "no-such-branch", "--now", NOW)
    assert "no-such-branch" in one_error_line(result)


@pytest.mark.parametrize("now", ["2026-03-02T09:00:00", "yesterday"])
def test_a_bad_now_is_a_usage_error_not_an_internal_error(repo: Repo, now: str) -> None:
    repo.branch("x")
    result = cli("-C", str(repo.path), "gate", "--base", "main", "--head", "x", "--now", now)
    assert now in one_error_line(result)


@pytest.mark.parametrize("option", ["--base", "--head"])
def test_an_option_like_ref_is_a_usage_error(repo: Repo, tmp_path: Path, option: str) -> None:
    repo.branch("x")
    evil = f"--output={tmp_path / 'pwned'}"
    args = {"--base": "main", "--head": "x", option: evil}
    result = cli(
        "-C", str(repo.path), "gate", f"--base={args['--base']}", f"--head={args['--head']}"
    )
    assert "not a valid git ref" in one_error_line(result)
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("label", "content"),
    [("missing", None), ("not JSON", "{not json"), ("not a list", '{"state": "APPROVED"}')],
)
def test_an_unreadable_reviews_file_is_a_usage_error(
    repo: Repo, tmp_path: Path, label: str, content: str | None
) -> None:
    repo.branch("x")
    path = tmp_path / "reviews.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = cli(
        "-C",
        str(repo.path),
        "gate",
        "--base",
        "main",
        "--head",
        "x",
        "--reviews",
        str(path),
        "--now",
        NOW,
    )
    assert str(path) in one_error_line(result), label
