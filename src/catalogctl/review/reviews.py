"""Pull-request reviews, as GitHub's REST API returns them, turned into approvals.

`GET /repos/{o}/{r}/pulls/{n}/reviews` returns every review ever submitted.
The rules, as a CAB would apply them: a reviewer's latest APPROVED,
CHANGES_REQUESTED or DISMISSED review is their verdict (a later COMMENTED one
does not change it); an approval counts only when given on the head commit;
bots and the pull request's author never count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DECISIVE = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})


class ReviewsError(Exception):
    """The reviews file is unusable: exit 2."""


@dataclass(frozen=True)
class Review:
    login: str
    state: str
    commit_id: str
    submitted_at: str
    bot: bool
    order: int  # position in the file: ties on submitted_at keep GitHub's order


@dataclass(frozen=True)
class Verdicts:
    approved: frozenset[str]  # approved on the head commit
    stale: frozenset[str]  # approved, but on an older commit
    changes_requested: frozenset[str]  # outstanding, whatever the commit
    ignored: frozenset[str]  # bots and the author, whose reviews never count

    def approvers(self, excluding: Iterable[str] = ()) -> frozenset[str]:
        excluded = {e.lower() for e in excluding}
        return frozenset(a for a in self.approved if a.lower() not in excluded)


def parse(text: str, source: str = "reviews") -> list[Review]:
    try:
        items = json.loads(text)
    except ValueError as error:
        raise ReviewsError(f"{source}: not JSON ({error})") from None
    if isinstance(items, list) and items and all(isinstance(i, list) for i in items):
        items = [r for page in items for r in page]  # `gh api --paginate --slurp`
    if not isinstance(items, list):
        raise ReviewsError(f"{source}: expected a JSON array of reviews")
    reviews = []
    for order, item in enumerate(items):
        if not isinstance(item, dict):
            raise ReviewsError(f"{source}: review {order} is not an object")
        user: Any = item.get("user") or {}
        login = user.get("login") if isinstance(user, dict) else None
        if not isinstance(login, str) or not login:
            continue  # a deleted account ("ghost") cannot approve anything
        reviews.append(
            Review(
                login=login,
                state=str(item.get("state", "")),
                commit_id=str(item.get("commit_id") or ""),
                submitted_at=str(item.get("submitted_at") or ""),
                bot=user.get("type") == "Bot" or login.endswith("[bot]"),
                order=order,
            )
        )
    return reviews


def load(path: Path) -> list[Review]:
    try:
        return parse(path.read_text(encoding="utf-8"), str(path))
    except OSError as error:
        raise ReviewsError(f"{path}: {error.strerror}") from None


def verdicts(reviews: Iterable[Review], head_sha: str, author: str | None) -> Verdicts:
    latest: dict[str, Review] = {}
    ignored = set()
    for review in sorted(reviews, key=lambda r: (r.submitted_at, r.order)):
        if review.bot or (author and review.login.lower() == author.lower()):
            ignored.add(review.login)
            continue
        if review.state in DECISIVE:
            latest[review.login.lower()] = review
    approved = {
        r.login for r in latest.values() if r.state == "APPROVED" and r.commit_id == head_sha
    }
    stale = {r.login for r in latest.values() if r.state == "APPROVED" and r.commit_id != head_sha}
    requested = {r.login for r in latest.values() if r.state == "CHANGES_REQUESTED"}
    return Verdicts(frozenset(approved), frozenset(stale), frozenset(requested), frozenset(ignored))
