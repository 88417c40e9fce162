"""The repository policy (`catalogctl.yaml`), read into a frozen value with defaults.

The file is validated by `schemas/policy.schema.json` like any catalog file;
this module only reads what it needs, tolerating bad values (the schema rule
reports them) so that a typo in the policy never crashes a command.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from catalogctl.load.diagnostics import Severity
from catalogctl.model.rubric import Rubric
from catalogctl.model.rubric_reader import read_scorecards


@dataclass(frozen=True)
class Freeze:
    id: str
    name: str
    start: str
    end: str
    allow: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    cab_team: str = "cab"
    emergency_team: str = "cab"
    approvals: Mapping[str, int] = field(
        default_factory=lambda: {"low": 1, "medium": 1, "high": 2, "emergency": 1}
    )
    lead_times: Mapping[str, str] = field(
        default_factory=lambda: {"normal": "3d", "standard": "1h", "emergency": "0m"}
    )
    freezes: tuple[Freeze, ...] = ()
    schedules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    rules: Mapping[str, Severity] = field(default_factory=dict)
    site: Mapping[str, Any] = field(default_factory=dict)
    # `site.links`: link type -> "public" or "internal", overriding the site's
    # default for that type (site/view.py)
    site_links: Mapping[str, str] = field(default_factory=dict)
    scorecards: Rubric = field(default_factory=lambda: read_scorecards(None))
    # (pattern, team) for files that are not catalog data, in file order
    paths: tuple[tuple[str, str], ...] = ()

    def path_owner(self, path: str) -> str:
        """The team that owns a file that is not catalog data: the last
        `paths:` pattern that matches it, else the CAB (CODEOWNERS semantics)."""
        owner = self.cab_team
        for pattern, team in self.paths:
            if path_matches(pattern, path):
                owner = team
        return owner


@cache
def _pattern(glob: str) -> re.Pattern[str]:
    # '**/' as a whole folder segment with more after it: no folder or any
    # number of them, as in gitignore and CODEOWNERS ('a/**/b' matches a/b)
    parts = re.split(r"((?:^|(?<=/))\*\*/(?=.)|\*\*|\*|\?)", glob.lstrip("/"))
    table = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    body = "".join(table.get(part, re.escape(part)) for part in parts)
    return re.compile(body + (".*" if glob.endswith("/") else "") + r"\Z")


def path_matches(glob: str, path: str) -> bool:
    """Whether a `paths:` pattern matches a path relative to the catalog root:
    '*' within one folder, '**' across folders ('a/**/b' also matches a/b),
    'dir/' everything below dir. `catalogctl codeowners` writes the same
    patterns, rooted, into CODEOWNERS, where GitHub reads them the same way."""
    return _pattern(glob).match(path) is not None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def read_policy(data: Mapping[str, Any] | None) -> Policy:
    """A Policy from the loaded `catalogctl.yaml` (None: the defaults)."""
    if not data:
        return Policy()
    defaults = Policy()
    cab = _mapping(data.get("cab"))
    team = cab.get("team") if isinstance(cab.get("team"), str) else defaults.cab_team
    emergency = cab.get("emergencyTeam")
    approvals = {
        key: value
        for key, value in {**defaults.approvals, **_mapping(data.get("approvals"))}.items()
        if isinstance(value, int)
    }
    lead_times = {
        key: value
        for key, value in {**defaults.lead_times, **_mapping(data.get("leadTimes"))}.items()
        if isinstance(value, str)
    }
    freezes = tuple(
        Freeze(
            id=str(f.get("id")),
            name=str(f.get("name") or f.get("id")),
            start=str(f.get("start")),
            end=str(f.get("end")),
            allow=tuple(a for a in f.get("allow") or [] if isinstance(a, str)),
        )
        for f in data.get("freezes") or []
        if isinstance(f, dict)
    )
    schedules = {
        s["id"]: s
        for s in data.get("schedules") or []
        if isinstance(s, dict) and isinstance(s.get("id"), str)
    }
    rules = {
        rule: Severity(level)
        for rule, level in _mapping(data.get("rules")).items()
        if level in ("error", "warning", "off")
    }
    return Policy(
        cab_team=str(team),
        emergency_team=emergency if isinstance(emergency, str) else str(team),
        approvals=approvals,
        lead_times=lead_times,
        freezes=freezes,
        schedules=schedules,
        rules=rules,
        site=_mapping(data.get("site")),
        site_links={
            kind: audience
            for kind, audience in _mapping(_mapping(data.get("site")).get("links")).items()
            if isinstance(kind, str) and audience in ("public", "internal")
        },
        scorecards=read_scorecards(data.get("scorecards")),
        paths=tuple(
            (pattern, team)
            for pattern, team in _mapping(data.get("paths")).items()
            if isinstance(pattern, str) and isinstance(team, str)
        ),
    )
