"""A schema-valid, commented skeleton of one entity, written where it belongs,
never over an existing file: what `new` and `change new` both create."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from string import Template

from catalogctl.lint.rules import placeholders
from catalogctl.load import kinds
from catalogctl.load.errors import EXIT_OK, UsageError
from catalogctl.load.suggest import did_you_mean
from catalogctl.model.entities import Catalog
from catalogctl.workspace.workspace import open_workspace

TEMPLATES = Path(__file__).resolve().parent / "templates"


_PREFIX = {kinds.CHANGE.name: "chg", kinds.INCIDENT.name: "inc", kinds.PROBLEM.name: "prb"}
# What a skeleton writes where the time is not known (an incident filed later).
CLOCK = "%Y-%m-%dT%H:%M:00Z"


def next_id(catalog: Catalog, kind: kinds.Kind, year: int) -> str:
    """The next unused <prefix>-<year>-NNNN of a numbered kind (ids are never
    reused, so: max + 1)."""
    prefix = _PREFIX[kind.name]
    pattern = re.compile(rf"{prefix}-{year}-([0-9]{{4}})\Z")
    used = [int(m.group(1)) for e in catalog.of_kind(kind.name) if (m := pattern.match(e.id))]
    return f"{prefix}-{year}-{max(used, default=0) + 1:04d}"


def next_change_id(catalog: Catalog, year: int) -> str:
    """The next unused chg-<year>-NNNN."""
    return next_id(catalog, kinds.CHANGE, year)


def _reported(today: dt.date) -> str:
    """Now, when the skeleton is written on the day it names (an incident is
    filed as it happens); else that day's midnight, for the author to correct."""
    now = dt.datetime.now(dt.UTC)
    if now.date() != today:
        now = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    return now.strftime(CLOCK)


# Words that are read letter by letter; every other word of an id is capitalised.
ACRONYMS = frozenset(
    [
        "api",
        "aws",
        "cab",
        "cdn",
        "ci",
        "cmdb",
        "crm",
        "db",
        "dhcp",
        "dns",
        "dr",
        "erp",
        "ftp",
        "gcp",
        "hr",
        "http",
        "https",
        "iam",
        "id",
        "it",
        "ldap",
        "mfa",
        "os",
        "qa",
        "saml",
        "sftp",
        "sla",
        "slo",
        "smtp",
        "sql",
        "sso",
        "ssl",
        "tls",
        "ui",
        "vm",
        "vpn",
        "waf",
    ]
)


def display_name(entity_id: str) -> str:
    """`payroll-sla` -> "Payroll SLA", `db-payroll-01` -> "DB Payroll 01"."""
    return " ".join(w.upper() if w in ACRONYMS else w.capitalize() for w in entity_id.split("-"))


def _only(ids: list[str], fallback: str) -> str:
    """The one candidate, or the placeholder: of two, the skeleton cannot know which."""
    return ids[0] if len(ids) == 1 else fallback


# The templates line their trailing comments up at this column; a filled-in
# value (a long owner id) must not push its comment out of line.
COMMENT_COLUMN = 30
_TRAILING_COMMENT = re.compile(r"^(\s*\S.*?\S)\s{2,}(# .*)$")


def _align_comments(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        match = _TRAILING_COMMENT.match(line.rstrip("\n"))
        if match and not line.lstrip().startswith("#"):
            code, comment = match.groups()
            line = f"{code.ljust(COMMENT_COLUMN - 2)}  {comment}\n"
        lines.append(line)
    return "".join(lines)


def write_skeleton(
    *, start: Path, kind_name: str, entity_id: str | None, owner: str | None, today: dt.date
) -> int:
    """Write the skeleton of a new entity; print its path; return the exit code."""
    kind = kinds.kind_from_user(kind_name)
    if kind is None or kind is kinds.POLICY:
        names = ", ".join(k.name for k in kinds.ENTITY_KINDS)
        close = did_you_mean(kind_name.strip().lower(), kinds.user_kind_names())
        raise UsageError(f"unknown kind '{kind_name}'{close or '; use one of ' + names}")
    workspace = open_workspace(start)
    catalog = workspace.lint(today).catalog
    numbered = kinds.NUMBERED.get(kind.name)
    if entity_id is None:
        if numbered is None:
            raise UsageError(f"give an id: catalogctl new {kind.name.lower()} ID")
        entity_id = next_id(catalog, kind, today.year)
    if not (numbered or kinds.ID_PATTERN).match(entity_id):
        form = (
            f"{_PREFIX[kind.name]}-YYYY-NNNN"
            if numbered
            else "lowercase letters, digits and dashes"
        )
        raise UsageError(f"'{entity_id}' is not a valid {kind.name} id ({form})")
    existing = catalog.get(kind.name, entity_id)
    if existing is not None:
        raise UsageError(f"{kind.name} '{entity_id}' already exists in {existing.file}")
    policy = workspace.policy()
    boards = {policy.cab_team, policy.emergency_team}
    owners = [t.id for t in catalog.of_kind(kinds.TEAM.name) if t.id not in boards]
    team = owner or _only(owners, placeholders.OWNER)
    if owner is not None and catalog.get(kinds.TEAM.name, owner) is None:
        teams = [t.id for t in catalog.of_kind(kinds.TEAM.name)]
        raise UsageError(f"--owner {owner}: no Team with that id{did_you_mean(owner, teams)}")
    text = Template(
        (TEMPLATES / "new" / kind.schema.replace(".schema.json", ".yaml")).read_text(
            encoding="utf-8"
        )
    ).safe_substitute(
        id=entity_id,
        name=placeholders.NAMES.get(kind.name) or display_name(entity_id),
        owner=team,
        service=_only([s.id for s in catalog.of_kind(kinds.SERVICE.name)], placeholders.SERVICE),
        incident=_only([i.id for i in catalog.of_kind(kinds.INCIDENT.name)], placeholders.INCIDENT),
        reported=_reported(today),
        today=today.isoformat(),
        review=(today + dt.timedelta(days=365)).isoformat(),
    )
    text = _align_comments(text)
    target = workspace.root / kinds.entity_file(kind, entity_id)
    schema = workspace.root / "schemas" / kind.schema
    if schema.is_file():  # editors with yaml-language-server validate as the author types
        relative = Path(os.path.relpath(schema, target.parent)).as_posix()
        text = f"# yaml-language-server: $schema={relative}\n" + text
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{target.relative_to(workspace.root)} exists; not overwritten") from None
    print(target.relative_to(workspace.root).as_posix())
    return EXIT_OK
