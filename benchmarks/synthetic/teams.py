"""Teams: the CAB, the emergency CAB and the delivery teams, with their people."""

from __future__ import annotations

from typing import Any

from .draft import CatalogDraft, envelope
from .model import TeamInfo
from .text import make_tags, markdown
from .vocabulary import AREAS, DOMAIN, FIRST_NAMES, GITHUB_ORG, LAST_NAMES, ORG, TEAM_FUNCTIONS


def _make_people(draft: CatalogDraft) -> None:
    rng = draft.rng
    wanted = max(12, draft.counts.teams * 4)
    pool = [f"{f}-{last}" for f in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pool)
    people = pool[:wanted]
    serial = 2
    while len(people) < wanted:
        people.extend(f"{p}{serial}" for p in pool[: wanted - len(people)])
        serial += 1
    draft.people = people


def make_teams(draft: CatalogDraft) -> None:
    """The teams, CAB and emergency CAB first; written to catalog/teams/."""
    rng = draft.rng
    _make_people(draft)
    delivery = draft.counts.teams - 2
    plan: list[tuple[str, str]] = []  # (id base, area)
    for i in range(delivery):
        area = AREAS[i % len(AREAS)][0]
        function = TEAM_FUNCTIONS[(i // len(AREAS)) % len(TEAM_FUNCTIONS)]
        plan.append((f"{area}-{function}", area))
    people = list(draft.people)
    rng.shuffle(people)
    cursor = 0
    for base, area in plan:
        size = rng.randint(3, 7)
        members = [people[(cursor + k) % len(people)] for k in range(size)]
        cursor += size
        team = TeamInfo(draft.new_id("team", base), area, members)
        draft.teams.append(team)
        draft.teams_by_area.setdefault(area, []).append(team)
    everyone = [m for t in draft.teams for m in t.members]
    cab = TeamInfo("cab", "governance", rng.sample(everyone, min(len(everyone), 6)))
    ecab = TeamInfo("ecab", "governance", cab.members[:3])
    draft.teams[:0] = [cab, ecab]
    for team in draft.teams:
        _write_team(draft, team)


def _write_team(draft: CatalogDraft, team: TeamInfo) -> None:
    rng = draft.rng
    area_name = next((a[1] for a in AREAS if a[0] == team.area), "Governance")
    if team.id == "cab":
        name = "Change Advisory Board"
        description = markdown(
            "Reviews and authorises normal changes every Tuesday and Thursday. Members "
            "are senior engineers from the delivery teams, chaired by the change manager."
        )
    elif team.id == "ecab":
        name = "Emergency Change Advisory Board"
        description = markdown(
            "Authorises emergency changes around the clock; reachable through the "
            "major incident bridge."
        )
    else:
        function = team.id.split("-")[1] if "-" in team.id else "systems"
        name = f"{area_name} {function.capitalize()}"
        if not team.id.endswith(function):
            name += f" {team.id.rsplit('-', 1)[-1]}"
        description = markdown(
            f"Builds and runs the {area_name.lower()} {function} estate for {ORG}: "
            f"{rng.choice(['releases', 'patching', 'integrations', 'capacity planning'])}, "
            f"{rng.choice(['on-call', 'vendor management', 'access reviews', 'upgrades'])} "
            f"and second-line support for the service desk."
        )
    document = envelope(
        "Team",
        team.id,
        name,
        description,
        make_tags(team.area, "governance" if team.area == "governance" else "delivery"),
        draft.links(team.id, ("docs", "repository", "dashboard"), 2),
    )
    spec: dict[str, Any] = {
        "github": f"{GITHUB_ORG}/{team.id}",
        "members": list(team.members),
        "email": f"{team.id}@{DOMAIN}",
    }
    if rng.random() < 0.6:
        spec["oncall"] = f"https://{GITHUB_ORG}.pagerduty.example/schedules/{team.id}"
    document["spec"] = spec
    draft.emit(f"catalog/teams/{team.id}.yaml", document)
